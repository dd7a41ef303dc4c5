"""Charts are self-contained SVG: own styles, no script, no external reference; gaps stay
gaps; labels follow the locale."""

from __future__ import annotations

import base64
import datetime as dt
import re
from xml.etree import ElementTree as ET

import pytest
from flask_babel import force_locale

from rehab.reports import charts

DAYS = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(35)]
WEEKS = DAYS[::7]


def all_charts() -> dict[str, str]:
    loads = [None if 10 <= n < 17 else float(n * 10) for n in range(35)]
    return {
        "weekly": charts.weekly_load_chart(WEEKS, [500.0, None, 0.0, 620.0, 700.0]),
        "trend": charts.load_trend_chart(DAYS, loads, [None] * 27 + [100.0] * 8),
        "pain": charts.pain_chart(DAYS, [2] * 35, [None] * 35, [1] * 35, width=charts.NARROW),
        "adherence": charts.adherence_chart(WEEKS, [1.0, 0.5, None, 1.34, 0.0], [1] * 5),
        "dose": charts.dose_chart("Goblet squat", DAYS[:3], [("kg", [20, None, 22])]),
    }


@pytest.fixture
def rendered(app):
    with app.test_request_context():
        yield all_charts()


def test_every_chart_is_self_contained_svg(rendered):
    for name, svg in rendered.items():
        root = ET.fromstring(svg)  # noqa: S314  (our own output: is it well-formed XML?)
        assert root.tag.endswith("svg"), name
        assert "<script" not in svg and "javascript" not in svg.lower(), name
        assert not re.search(r"\b(href|src)\s*=", svg), name
        outside = re.sub(r'xmlns(:\w+)?="[^"]*"', "", svg)
        assert "http://" not in outside and "https://" not in outside, name
        assert "<style" in svg, name  # its own styles travel with it
        assert "<!--" not in svg, name


def test_embedded_as_a_data_uri(rendered):
    uri = charts.data_uri(rendered["weekly"])
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == rendered["weekly"]


def test_missing_data_is_a_gap_and_zero_is_a_bar(app):
    with app.test_request_context():
        gap = charts.weekly_load_chart(WEEKS[:2], [500.0, None])
        zero = charts.weekly_load_chart(WEEKS[:2], [500.0, 0.0])
    assert gap.count('class="rect reactive tooltip-trigger"') == 1
    assert zero.count('class="rect reactive tooltip-trigger"') == 2


def test_the_contested_band_is_labelled(rendered):
    assert "Vaak genoemde band 0,8–1,3 × chronisch (omstreden)" in rendered["trend"]


def test_labels_follow_the_locale(app):
    with app.test_request_context(), force_locale("en"):
        svg = charts.pain_chart(DAYS[:3], [1, 2, 3], [None] * 3, [None] * 3)
    assert "During exercise" in svg and "Pain (0–10)" in svg
    with app.test_request_context():
        nl = charts.pain_chart(DAYS[:3], [1, 2, 3], [None] * 3, [None] * 3)
    assert "Tijdens de oefening" in nl and "3 jan" in nl


def test_no_data_says_so(app):
    with app.test_request_context():
        svg = charts.weekly_load_chart(WEEKS[:2], [None, None])
    assert "Nog geen gegevens" in svg
