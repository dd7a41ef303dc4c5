"""Charts as self-contained SVG: the same picture on a page and in a printed report.

Each function takes plain values (dates and numbers, ``None`` for missing data) and returns
an SVG string that carries its own styles, with no script and no external reference, so a
page embeds it as ``<img src="data:image/svg+xml;base64,…">`` under a strict content
security policy and WeasyPrint prints it as is. Missing data is drawn as a gap, never as 0.
Labels are translated in the current locale (use ``flask_babel.force_locale`` for a PDF).
Rendering is pygal's; its config ``<script>`` and comments are removed from the tree.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import sys
from collections.abc import Sequence

# ElementTree only builds and writes our own SVG here; it parses nothing.
from xml.etree import ElementTree as ET  # nosec B405

import pygal
from pygal.style import Style

from rehab.core.i18n import format_date
from rehab.core.i18n import gettext as _

# pygal appends a legacy import hook (for its optional ``pygal.maps`` plugins, unused here)
# that has no find_spec(): on Python 3.11 every failed import anywhere in the process then
# raises an ImportWarning (an error under our pytest settings). Take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__module__ != "pygal"]

WIDE = 800
NARROW = 480
HEIGHT = 340

BRAND = "#0b6e69"
GREY = "#6c757d"
BAND = "#98aeab"
RED = "#b02a37"
AMBER = "#b07f00"
BLUE = "#1f6fb2"

_LINE_WIDTHS = "inline:.line.reactive.nofill{stroke-width:inherit !important}"
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def _style(*colours: str, width: int) -> Style:
    small = width <= NARROW
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#212529",
        foreground_strong="#212529",
        foreground_subtle="#dee2e6",
        opacity="0.85",
        opacity_hover="0.95",
        transition="0s",
        colors=colours or (BRAND,),
        font_family=_FONT,
        label_font_size=14 if small else 12,
        major_label_font_size=14 if small else 12,
        legend_font_size=15 if small else 13,
        title_font_size=18 if small else 16,
        value_font_size=12,
        no_data_font_size=20,
        guide_stroke_color="#dee2e6",
        major_guide_stroke_color="#ced4da",
        guide_stroke_dasharray="0",
        major_guide_stroke_dasharray="0",
    )


def _config(chart_class, *colours: str, title: str, width: int, columns=None, **options):
    narrow = width <= NARROW
    series = max(len(colours), 1)
    # pygal reserves legend rows as series // columns: keep that a whole number. A long
    # label gets a row of its own (``columns``), or it runs past the chart's edge.
    columns = columns or (series if not narrow else (2 if series % 2 == 0 else 1))
    legend_rows = series // columns
    chart = chart_class(
        style=_style(*colours, width=width),
        width=width,
        height=HEIGHT + 40 * (legend_rows - 1) + (40 if narrow else 0),
        title=title,
        js=[],
        # pygal's ".reactive" rule would pin every line to 1px: let the series' width apply.
        css=["file://style.css", "file://graph.css", _LINE_WIDTHS],
        disable_xml_declaration=True,
        explicit_size=False,
        allow_interruptions=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=columns,
        truncate_legend=-1,
        truncate_label=-1,
        no_data_text=_("No data yet"),
        show_minor_x_labels=False,
        x_label_rotation=0,
        print_values=False,
        dots_size=2.5,
        stroke_style={"width": 2},
        margin=12,
        **options,
    )
    return chart


def _render(chart, description: str) -> str:
    """The SVG text without pygal's script and comments, titled for screen readers."""
    root = chart.render_tree()
    _strip(root)
    for title in root.findall("title"):
        title.text = description
    return ET.tostring(root, encoding="unicode")


def _strip(element: ET.Element) -> None:
    for child in list(element):
        if child.tag in ("script",) or child.tag is ET.Comment:
            element.remove(child)
        else:
            _strip(child)


def _day_labels(days: Sequence[dt.date], every: int) -> tuple[list[str], list[str]]:
    labels = [format_date(day, "d MMM") for day in days]
    majors = labels[:: max(every, 1)]
    return labels, majors


def _every(count: int, width: int) -> int:
    """Label every n-th point so that labels do not overlap."""
    room = 6 if width <= NARROW else 12
    return max(1, -(-count // room))


def data_uri(svg: str) -> str:
    """The SVG as a data: URI for ``<img src=…>`` (allowed by the page's img-src)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def nice_scale(values: Sequence[float | None], *, whole: bool, zero: bool, ticks: int = 5):
    """Axis labels at round steps (1, 2, 2.5 or 5 × a power of ten) that cover the values.

    ``whole``: counts (repetitions, sets, seconds) get whole-number steps; ``zero``: the axis
    starts at 0 (a bar's height is its meaning). Returns (low, high, labels).
    """
    known = [float(v) for v in values if v is not None]
    low = 0.0 if zero or not known else min(known)
    high = max(known, default=1.0)
    if high <= low:  # a flat line sits in the middle, not on the edge
        step = 1 if whole else 0.5
        low, high = (low if zero or low < step else low - step), high + step
    raw = (high - low) / max(ticks - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1, math.ceil(step))
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    count = round((last - first) / step)
    labels = [round(first + n * step, 6) for n in range(count + 1)]
    if whole:
        labels = [int(v) for v in labels]
    return labels[0], labels[-1], labels


def weekly_load_chart(
    weeks: Sequence[dt.date], loads: Sequence[float | None], *, width: int = WIDE
) -> str:
    """Weekly load in AU (session RPE × minutes) per calendar week; a week without data is a gap."""
    title = _("Weekly load (AU)")
    low, high, labels = nice_scale(loads, whole=True, zero=True)
    chart = _config(
        pygal.Bar, BRAND, title=title, width=width, show_legend=False, range=(low, high),
        y_labels=labels,
    )  # fmt: skip
    labels, majors = _day_labels(weeks, _every(len(weeks), width))
    chart.x_labels = labels
    chart.x_labels_major = majors
    chart.add(_("Weekly load"), [_value(load) for load in loads])
    return _render(chart, title)


def load_trend_chart(
    days: Sequence[dt.date],
    acute: Sequence[float | None],
    chronic: Sequence[float | None],
    *,
    band: tuple[float, float] = (0.8, 1.3),
    width: int = WIDE,
) -> str:
    """Acute (7-day) and chronic (28-day) mean daily load, with the commonly cited band.

    The band (0.8–1.3 × chronic; Gabbett 2016) is drawn lightly and labelled as contested:
    it does not predict injury (Impellizzeri 2020/2021).
    """
    title = _("Acute and chronic load (AU per day)")
    low, high = band
    top = [None if v is None else v * high for v in chronic]
    y_low, y_high, y_labels = nice_scale([*acute, *top], whole=True, zero=True)
    chart = _config(
        pygal.Line, BRAND, GREY, BAND, BAND, title=title, width=width, show_dots=False,
        range=(y_low, y_high), y_labels=y_labels, columns=2,
    )  # fmt: skip
    labels, majors = _day_labels(days, _every(len(days), width))
    chart.x_labels = labels
    chart.x_labels_major = majors
    # Told apart by more than colour: acute solid and thick, chronic dashed, the band dotted.
    chart.add(_("Acute (7 days)"), [_value(v) for v in acute], stroke_style={"width": 3})
    chart.add(
        _("Chronic (28 days)"),
        [_value(v) for v in chronic],
        stroke_style={"width": 3, "dasharray": "10, 6"},
    )
    band_label = _("Commonly cited band %(low)s–%(high)s × chronic (contested)",
                   low=_num(low), high=_num(high))  # fmt: skip
    dotted = {"width": 1.5, "dasharray": "2, 5"}
    chart.add(band_label, [_scaled(v, low) for v in chronic], stroke_style=dotted)
    chart.add(None, [_scaled(v, high) for v in chronic], stroke_style=dotted)
    return _render(chart, title)


def pain_chart(
    days: Sequence[dt.date],
    during: Sequence[float | None],
    after: Sequence[float | None],
    morning: Sequence[float | None],
    *,
    width: int = WIDE,
) -> str:
    """Pain (NPRS 0–10) during exercise, after the session and in the morning, per day."""
    title = _("Pain (0–10)")
    chart = _config(
        pygal.Line, RED, AMBER, BLUE, title=title, width=width, range=(0, 10),
        y_labels=[0, 2, 4, 6, 8, 10],
    )  # fmt: skip
    labels, majors = _day_labels(days, _every(len(days), width))
    chart.x_labels = labels
    chart.x_labels_major = majors
    # Told apart by more than colour: solid, dashed and dotted lines, dots of three sizes.
    chart.add(_("During exercise"), [_value(v) for v in during], stroke_style={"width": 3},
              dots_size=4)  # fmt: skip
    chart.add(
        _("After the session"), [_value(v) for v in after],
        stroke_style={"width": 2.5, "dasharray": "10, 6"}, dots_size=3,
    )  # fmt: skip
    chart.add(
        _("In the morning"), [_value(v) for v in morning],
        stroke_style={"width": 2.5, "dasharray": "2, 5"}, dots_size=2,
    )  # fmt: skip
    return _render(chart, title)


def adherence_chart(
    weeks: Sequence[dt.date],
    sessions: Sequence[float | None],
    exercises: Sequence[float | None],
    *,
    width: int = WIDE,
) -> str:
    """Sessions and exercises done as % of the plan, per calendar week (at most 100 %: extras
    are counted apart, see rehab.progress.adherence)."""
    title = _("Adherence per week (%)")
    values = [_pct(v) for v in (*sessions, *exercises) if v is not None]
    low, high, y_labels = nice_scale([100.0, *values], whole=True, zero=True)
    chart = _config(
        pygal.Bar, BRAND, GREY, title=title, width=width, range=(low, high), y_labels=y_labels
    )
    labels, majors = _day_labels(weeks, _every(len(weeks), width))
    chart.x_labels = labels
    chart.x_labels_major = majors
    chart.add(_("Sessions"), [_pct(v) for v in sessions])
    chart.add(_("Exercises"), [_pct(v) for v in exercises])
    return _render(chart, title)


def dose_chart(
    title: str,
    days: Sequence[dt.date],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    whole: bool = False,
    width: int = WIDE,
) -> str:
    """One exercise's dose over time, e.g. [("Weight (kg)", …), ("Prescribed (kg)", …)].

    ``whole``: the quantity is counted (repetitions, seconds, minutes, metres), so the axis
    steps in whole numbers.
    """
    colours = (BRAND, BAND, BLUE, GREY)
    low, high, y_labels = nice_scale(
        [v for _label, values in series for v in values], whole=whole, zero=False
    )
    chart = _config(
        pygal.Line, *colours[: max(len(series), 1)], title=title, width=width,
        range=(low, high), y_labels=y_labels,
    )  # fmt: skip
    labels, majors = _day_labels(days, _every(len(days), width))
    chart.x_labels = labels
    chart.x_labels_major = majors
    for index, (label, values) in enumerate(series):
        style = {"width": 1.5, "dasharray": "6, 5"} if index % 2 else {"width": 3}
        chart.add(label, [_value(v) for v in values], stroke_style=style)
    return _render(chart, title)


def _value(value: float | None) -> float | None:
    return None if value is None else float(value)


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else float(value) * factor


def _pct(fraction: float | None) -> float | None:
    return None if fraction is None else round(float(fraction) * 100, 1)


def _num(value: float) -> str:
    from rehab.core.i18n import format_decimal

    return format_decimal(value, format="0.0#")
