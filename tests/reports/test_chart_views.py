"""A chart as its reader gets it: drawn only with the data it needs, axes that fit their
quantity, a sentence saying what it shows and its numbers as a table."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.reports import chart_views, charts
from rehab.training.metrics import DayMetrics, DosePoint, WeekMetrics

MONDAY = dt.date(2026, 11, 2)


def day(n: int, *, load=None, acute=None, chronic=None, ratio=None, during=None, morning=None):
    return DayMetrics(
        day=MONDAY + dt.timedelta(days=n), load=load, sessions=1 if load else 0, acute=acute,
        chronic=chronic, acwr_coupled=ratio, acwr_uncoupled=ratio, acwr_ewma=ratio,
        pain_during=during, pain_after=None, morning_pain=morning,
    )  # fmt: skip


def week(n: int, *, load=None, done=0, planned=None):
    share = min(done, planned) / planned if planned else None
    extra = max(done - planned, 0) if planned else 0
    return WeekMetrics(
        week_start=MONDAY + dt.timedelta(weeks=n), load=load, known_days=7, monotony=None,
        strain=None, change_pct=None, sessions_done=done, sessions_prescribed=planned,
        session_adherence=share, exercises_done=done * 3,
        exercises_prescribed=planned * 3 if planned else None, exercise_adherence=share,
        sessions_extra=extra, exercises_extra=extra * 3,
    )  # fmt: skip


def point(n: int, **values):
    fields = dict(sets=3, load_kg=None, reps=None, hold_seconds=None, duration_seconds=None,
                  distance_m=None)  # fmt: skip
    fields.update(values)
    prescribed = values.pop("prescribed", {})
    fields.pop("prescribed", None)
    return DosePoint(day=MONDAY + dt.timedelta(days=n), session_id=n, skipped=False,
                     prescribed=prescribed, **fields)  # fmt: skip


@pytest.fixture
def dutch(app):
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        yield


def test_the_acute_chronic_chart_is_a_sentence_with_one_week_of_data(dutch):
    """One week of sessions: acute 112–120, chronic undefined. Drawn, the line entered from
    below an axis running 112–120; now the page says what it lacks instead."""
    days = [day(n, load=800, acute=112 + n, chronic=None) for n in range(7)]
    view = chart_views.load_trend(days, width=charts.WIDE)
    assert not view.drawn and view.uri is None
    assert view.missing.startswith("Acute en chronische belasting: nog niet genoeg gegevens")


def test_the_acute_chronic_chart_is_drawn_from_zero_once_the_ratio_exists(dutch):
    days = [day(n, load=100, acute=100, chronic=90, ratio=1.11) for n in range(28)]
    view = chart_views.load_trend(days, width=charts.WIDE)
    assert view.drawn
    assert "Op 29 nov was de acute belasting 100 AU per dag" in view.summary
    # One row a week: the Sundays and the last day.
    assert [row[0] for row in view.rows] == ["8 nov", "15 nov", "22 nov", "29 nov"]


def test_weekly_load_bars_start_at_zero_in_round_steps():
    low, high, labels = charts.nice_scale([112, 115, 120], whole=True, zero=True)
    assert (low, high, labels) == (0, 150, [0, 50, 100, 150])


def test_a_weight_axis_steps_in_sensible_kilograms():
    assert charts.nice_scale([20, 22, 24.5], whole=False, zero=False)[2] == [20, 22, 24, 26]


@given(
    st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=30),
    st.booleans(),
)
def test_counted_quantities_get_whole_number_axes_that_cover_the_data(values, zero):
    low, high, labels = charts.nice_scale(values, whole=True, zero=zero)
    assert all(isinstance(label, int) for label in labels)
    assert low <= min(values) and high >= max(values)
    steps = {b - a for a, b in itertools.pairwise(labels)}
    assert len(steps) <= 1 and all(step >= 1 for step in steps)
    assert len(labels) <= 12


def test_repetitions_are_whole_numbers_and_long_holds_are_minutes(dutch):
    reps = [point(n, reps=8 + n, prescribed={"reps_max": 12}) for n in range(3)]
    lines, whole = chart_views.dose_lines(reps)
    assert whole and lines[0].label == "Herhalingen per set"
    walk = [point(n, duration_seconds=600 + 60 * n, prescribed={"duration_seconds": 600})
            for n in range(3)]  # fmt: skip
    lines, whole = chart_views.dose_lines(walk)
    assert lines[0].label == "Duur (min)" and lines[0].values == (10.0, 11.0, 12.0)
    assert lines[1].values == (10.0, 10.0, 10.0)
    view = chart_views.dose_view("Stevig wandelen", [p.day for p in walk], lines, whole=whole,
                                 width=charts.WIDE)  # fmt: skip
    svg = _svg(view.uri)
    assert ">600<" not in svg and ">12<" in svg


def test_every_drawn_chart_says_what_it_shows_and_carries_its_numbers(dutch):
    days = [day(n, during=2 + n % 2, morning=1) for n in range(10)]
    view = chart_views.pain(days, width=charts.WIDE)
    assert view.summary == (
        "Pijn op 10: tijdens de oefening 2 tot 3 (laatst 3); 's ochtends 1 (laatst 1)."
    )
    assert view.columns[0] == "Dag" and len(view.rows) == 10
    assert view.rows[0] == ("2 nov", "2", "–", "1")


def test_no_planned_sessions_no_adherence_chart(dutch):
    view = chart_views.adherence([week(0), week(1)], width=charts.WIDE)
    assert not view.drawn
    assert view.missing == "In deze periode waren geen sessies gepland."
    # Seven sessions of five planned: five of five and two extra, never "7 of 5".
    planned = chart_views.adherence([week(0, done=7, planned=5)], width=charts.WIDE)
    assert planned.rows == (("2 nov", "5 van 5, 2 extra", "15 van 15, 6 extra"),)


def _svg(uri: str) -> str:
    import base64

    return base64.b64decode(uri.split(",", 1)[1]).decode()


def test_the_pain_lines_differ_in_dash_not_only_colour(dutch):
    svg = charts.pain_chart(
        [MONDAY + dt.timedelta(days=n) for n in range(3)], [2, 3, 2], [1, 1, 2], [1, 2, 1]
    )
    assert len(set(re.findall(r"stroke-dasharray:\s*([\d, ]+)", svg))) >= 2
