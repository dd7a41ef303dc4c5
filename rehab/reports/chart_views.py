"""A chart as its reader gets it: the drawing, a sentence saying what it shows, its numbers
as a table, or, below the data the metric needs, the sentence that replaces it.

The progress page and the progress report show the same ChartView: the page puts the table
in a ``<details>`` under the chart, the report prints it. A chart never draws what the page
calls "not enough data yet" (the acute:chronic chart needs 28 days of logging without a gap,
``PatientMetrics.enough_for_acwr``); the sentence takes its place on paper and on screen.
Everything is in the current locale (``force_locale`` for a PDF).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from flask_babel import force_locale, get_locale
from markupsafe import Markup, escape

from rehab.core.i18n import format_date, ngettext
from rehab.core.i18n import gettext as _
from rehab.reports import charts
from rehab.training.wording import number, percent

# Seconds are shown as minutes from this long on (600 s reads as 10 min).
MINUTES_FROM_SECONDS = 120


@dataclass(frozen=True, eq=False)
class Drawing:
    """A chart not drawn yet: the function and the values it draws, in the language of the
    moment the chart was asked for. A page only links to the drawing (its digest names the
    picture); the picture is drawn when its own request, or a PDF, asks for the SVG, and
    once per object (the page's chart caches keep the objects)."""

    function: Callable[..., str]
    args: tuple
    options: tuple[tuple[str, object], ...]
    locale: str | None

    @cached_property
    def svg(self) -> str:
        args = [_thawed(a) for a in self.args]
        if self.locale is None:
            return self.function(*args, **dict(self.options))
        with force_locale(self.locale):
            return self.function(*args, **dict(self.options))

    @cached_property
    def digest(self) -> str:
        """The same for the same picture (values, size, language), in any process."""
        made_of = repr((self.function.__name__, self.args, self.options, self.locale))
        return hashlib.sha256(made_of.encode()).hexdigest()[:20]


def _frozen(value):
    return tuple(_frozen(v) for v in value) if isinstance(value, list | tuple) else value


def _thawed(value):
    """The lists the chart functions were written for (kept as tuples while waiting)."""
    return [_thawed(v) for v in value] if isinstance(value, tuple) else value


def _drawing(function: Callable[..., str], *args, **options) -> Drawing:
    locale = get_locale()  # None outside a request or app context (then drawn as is)
    frozen = tuple(_frozen(a) for a in args)
    return Drawing(function, frozen, tuple(sorted(options.items())), locale and str(locale))


@dataclass(frozen=True)
class ChartView:
    key: str
    title: str
    drawing: Drawing | None  # None when the data is too thin to draw
    missing: str | None  # the sentence shown instead of a drawing
    summary: str  # what the chart shows, in words (its text alternative)
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # The numbers as printed, when a row a day would run to pages (else the rows above).
    print_columns: tuple[str, ...] = ()
    print_rows: tuple[tuple[str, ...], ...] = ()
    # Where a page finds the picture (set by the page: rehab.training.chart_images).
    src: str | None = None

    @property
    def drawn(self) -> bool:
        return self.drawing is not None

    @property
    def uri(self) -> str | None:
        """The SVG as a data: URI (PDFs print it from here)."""
        return charts.data_uri(self.drawing.svg) if self.drawing is not None else None

    @property
    def printed(self) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        if self.print_columns:
            return self.print_columns, self.print_rows
        return self.columns, self.rows

    @property
    def numbers_table(self) -> Markup:
        """The numbers as the page's table (templates/macros/charts.html)."""
        return numbers_table(self.title, self.columns, self.rows)


# A half-year chart's table has hundreds of cells; the same numbers make the same table, so
# it is written once per chart and language (a table is a few KB: at most ~2 MB a process).
NUMBER_TABLES_KEPT = 512


@lru_cache(maxsize=NUMBER_TABLES_KEPT)
def numbers_table(title: str, columns: tuple, rows: tuple) -> Markup:
    """A chart's numbers as an HTML table: a caption for screen readers, a header row, and
    per row its first cell as the row's header (alignment and weight come from rehab.css,
    .chart-numbers: a class on each cell was half the page's table bytes)."""
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{escape(cell)}</th>' if i == 0 else f"<td>{escape(cell)}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return Markup(  # noqa: S704 (every text escaped above)
        '<table class="table table-sm tabular mb-0">'
        f'<caption class="visually-hidden">{escape(title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _day(day: dt.date) -> str:
    return format_date(day, "d MMM")


def _span(values: Sequence[float | None], places: int = 0) -> str | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    low, high = min(known), max(known)
    if low == high:
        return number(low, places)
    return _("%(low)s to %(high)s", low=number(low, places), high=number(high, places))


def weekly_load(weeks_data: Sequence, *, width: int) -> ChartView:
    title = _("Weekly load (AU)")
    loads = [w.load for w in weeks_data]
    known = [(w.week_start, w.load) for w in weeks_data if w.load is not None]
    rows = tuple((_day(w.week_start), number(w.load, 0)) for w in weeks_data)
    columns = (_("Week of"), _("Load (AU)"))
    if not known:
        missing = _("No sessions logged in this period yet.")
        return ChartView("weekly_load", title, None, missing, missing, columns, rows)
    peak_week, peak = max(known, key=lambda item: item[1])
    summary = _(
        "Weekly load from %(span)s AU over %(weeks)s weeks; highest %(peak)s AU in the week "
        "of %(week)s; last week with data %(last)s AU.",
        span=_span(loads),
        weeks=len(weeks_data),
        peak=number(peak, 0),
        week=_day(peak_week),
        last=number(known[-1][1], 0),
    )
    drawing = _drawing(
        charts.weekly_load_chart, [w.week_start for w in weeks_data], loads, width=width
    )
    return ChartView("weekly_load", title, drawing, None, summary, columns, rows)


def load_trend(days_data: Sequence, *, width: int) -> ChartView:
    """Acute and chronic load: only with 28 days of logging without a gap (as the ratio)."""
    title = _("Acute and chronic load (AU per day)")
    columns = (_("Day"), _("Acute (7 days)"), _("Chronic (28 days)"))
    # One row a week (its last day): the numbers the chart draws, compact enough to print.
    rows = tuple(
        (_day(d.day), number(d.acute, 0), number(d.chronic, 0))
        for d in days_data
        if d.day.weekday() == 6 or d is days_data[-1]
    )
    latest = days_data[-1] if days_data else None
    if latest is None or latest.acwr_coupled is None:
        missing = _(
            "Acute and chronic load: not enough data yet. It needs 28 days of logging "
            "without a gap."
        )
        return ChartView("load_trend", title, None, missing, missing, columns, ())
    summary = _(
        "On %(day)s the acute load was %(acute)s AU a day and the chronic load %(chronic)s AU "
        "a day (ratio %(ratio)s).",
        day=_day(latest.day),
        acute=number(latest.acute, 0),
        chronic=number(latest.chronic, 0),
        ratio=number(latest.acwr_coupled, 2),
    )
    drawing = _drawing(
        charts.load_trend_chart,
        [d.day for d in days_data],
        [d.acute for d in days_data],
        [d.chronic for d in days_data],
        width=width,
    )
    return ChartView("load_trend", title, drawing, None, summary, columns, rows)


def pain(days_data: Sequence, *, width: int) -> ChartView:
    title = _("Pain (0–10)")
    columns = (_("Day"), _("During exercise"), _("After the session"), _("In the morning"))
    known = [d for d in days_data if (d.pain_during, d.pain_after, d.morning_pain) != (None,) * 3]
    rows = tuple(
        (_day(d.day), number(d.pain_during, 0), number(d.pain_after, 0), number(d.morning_pain, 0))
        for d in known
    )
    if not known:
        missing = _("No pain scores recorded in this period yet.")
        return ChartView("pain", title, None, missing, missing, columns, rows)
    parts = []
    for label, values in (
        (_("during exercise"), [d.pain_during for d in days_data]),
        (_("after the session"), [d.pain_after for d in days_data]),
        (_("in the morning"), [d.morning_pain for d in days_data]),
    ):
        span = _span(values)
        last = next((v for v in reversed(values) if v is not None), None)
        if span is not None:
            parts.append(
                _("%(what)s %(span)s (last %(last)s)", what=label, span=span, last=number(last, 0))
            )
    summary = _("Pain out of 10: %(parts)s.", parts="; ".join(parts))
    weekly = _weekly_spans(
        known, [lambda d: d.pain_during, lambda d: d.pain_after, lambda d: d.morning_pain]
    )
    drawing = _drawing(
        charts.pain_chart,
        [d.day for d in days_data],
        [d.pain_during for d in days_data],
        [d.pain_after for d in days_data],
        [d.morning_pain for d in days_data],
        width=width,
    )
    return ChartView(
        "pain", title, drawing, None, summary, columns, rows, (_("Week of"), *columns[1:]), weekly
    )


def _weekly_spans(days: Sequence, readers) -> tuple[tuple[str, ...], ...]:
    """Per calendar week, each series' lowest to highest value ("2 to 3", "–")."""
    weeks: dict[dt.date, list] = {}
    for entry in days:
        weeks.setdefault(entry.day - dt.timedelta(days=entry.day.weekday()), []).append(entry)
    return tuple(
        (_day(monday), *(_span([read(d) for d in entries]) or "–" for read in readers))
        for monday, entries in weeks.items()
    )


def _planned_done(done: int, planned: int, extra: int) -> str:
    """ "5 of 5" or "5 of 5, 2 extra": never "7 of 5" (extras don't make up for a missed
    session in another week)."""
    text = _("%(done)s of %(planned)s", done=done, planned=planned)
    if extra:
        text += ", " + ngettext("%(num)d extra", "%(num)d extra", extra)
    return text


def adherence(weeks_data: Sequence, *, width: int) -> ChartView:
    title = _("Adherence per week (%)")
    columns = (_("Week of"), _("Sessions"), _("Exercises"))
    planned = [w for w in weeks_data if w.sessions_prescribed]
    rows = tuple(
        (
            _day(w.week_start),
            _planned_done(w.sessions_within_plan, w.sessions_prescribed, w.sessions_extra),
            _planned_done(w.exercises_within_plan, w.exercises_prescribed, w.exercises_extra)
            if w.exercises_prescribed
            else "–",
        )
        for w in planned
    )
    if not planned:
        missing = _("No sessions were planned in this period.")
        return ChartView("adherence", title, None, missing, missing, columns, rows)
    last = planned[-1]
    summary = _(
        "Sessions done as a share of the plan, per week: %(span)s; the week of %(week)s "
        "%(done)s of %(planned)s.",
        span=" · ".join(percent(w.session_adherence) for w in planned),
        week=_day(last.week_start),
        done=last.sessions_within_plan,
        planned=last.sessions_prescribed,
    )
    drawing = _drawing(
        charts.adherence_chart,
        [w.week_start for w in weeks_data],
        [w.session_adherence for w in weeks_data],
        [w.exercise_adherence for w in weeks_data],
        width=width,
    )
    return ChartView("adherence", title, drawing, None, summary, columns, rows)


def metric_views(days_data: Sequence, weeks_data: Sequence, *, width: int) -> dict[str, ChartView]:
    """The four metric charts of the progress page and report."""
    return {
        "weekly_load": weekly_load(weeks_data, width=width),
        "load_trend": load_trend(days_data, width=width),
        "pain": pain(days_data, width=width),
        "adherence": adherence(weeks_data, width=width),
    }


# --- one exercise's dose over time ---------------------------------------------------------


@dataclass(frozen=True)
class DoseLine:
    label: str
    values: tuple[float | None, ...]


def dose_view(title: str, days: Sequence[dt.date], lines: Sequence[DoseLine], *, whole: bool,
              width: int) -> ChartView:  # fmt: skip
    """An exercise's dose done and prescribed; ``whole`` for counted quantities."""
    columns = (_("Day"), *(line.label for line in lines))
    places = 0 if whole else 1
    rows = tuple(
        (_day(day), *(number(line.values[n], places) for line in lines))
        for n, day in enumerate(days)
    )
    parts = [
        _("%(what)s %(span)s", what=line.label, span=_span(line.values, places))
        for line in lines
        if _span(line.values, places) is not None
    ]
    summary = _("%(exercise)s, %(sessions)s sessions: %(parts)s.", exercise=title,
                sessions=len(days), parts="; ".join(parts))  # fmt: skip
    plotted = tuple((line.label, tuple(line.values)) for line in lines)
    drawing = _drawing(charts.dose_chart, title, list(days), plotted, whole=whole, width=width)
    return ChartView("dose", title, drawing, None, summary, columns, rows)


def dose_lines(points) -> tuple[tuple[DoseLine, ...], bool]:
    """What to draw for an exercise's logged points: weight, hold, duration, distance or
    repetitions, done next to prescribed; and whether the quantity is counted."""

    def line(label: str, done: list, name: str, scale: float = 1.0) -> tuple[DoseLine, DoseLine]:
        def scaled(value):
            return None if value is None else round(float(value) / scale, 1)

        prescribed = [p.prescribed.get(name) for p in points]
        return (
            DoseLine(label, tuple(scaled(v) for v in done)),
            DoseLine(_("Prescribed"), tuple(scaled(v) for v in prescribed)),
        )

    if any(p.load_kg is not None for p in points):
        return line(_("Weight (kg)"), [p.load_kg for p in points], "load_kg"), False
    for attribute, seconds_label, minutes_label in (
        ("hold_seconds", _("Hold (s)"), _("Hold (min)")),
        ("duration_seconds", _("Duration (s)"), _("Duration (min)")),
    ):
        done = [getattr(p, attribute) for p in points]
        if any(v is not None for v in done):
            longest = max(
                [v for v in done if v is not None]
                + [v for p in points if (v := p.prescribed.get(attribute)) is not None]
            )
            if longest >= MINUTES_FROM_SECONDS:
                return line(minutes_label, done, attribute, scale=60), False
            return line(seconds_label, done, attribute), True
    if any(p.distance_m is not None for p in points):
        return line(_("Distance (m)"), [p.distance_m for p in points], "distance_m"), True
    if any(p.reps is not None for p in points):
        return line(_("Reps per set"), [p.reps for p in points], "reps_max"), True
    return (), True
