"""Known answers for rehab.progress.adherence."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.progress.adherence import (
    adherence_fraction,
    exercise_adherence,
    weekly_session_adherence,
)
from rehab.progress.progression import LoggedExercise

MONDAY = date(2024, 1, 1)


def test_adherence_fraction():
    # 2 of 3 sessions = 0.667; nothing prescribed → None; more than prescribed → > 1
    assert adherence_fraction(2, 3) == pytest.approx(2 / 3)
    assert adherence_fraction(0, 0) is None
    assert adherence_fraction(4, 3) == pytest.approx(4 / 3)
    with pytest.raises(ValueError):
        adherence_fraction(-1, 3)


def test_sessions_per_calendar_week():
    days = [MONDAY, MONDAY + timedelta(days=3), MONDAY + timedelta(days=8)]
    days.append(MONDAY - timedelta(days=1))  # the Sunday before → outside the weeks asked
    first, second = weekly_session_adherence(days, 3, MONDAY, 2)
    # week 1: Monday and Thursday = 2 of 3 → 0.667; week 2: Tuesday = 1 of 3 → 0.333
    assert (first.week_start, first.done, first.fraction) == (MONDAY, 2, pytest.approx(2 / 3))
    assert (second.done, second.fraction) == (1, pytest.approx(1 / 3))


def test_weeks_start_on_monday_and_zero_prescribed_gives_none():
    with pytest.raises(ValueError):
        weekly_session_adherence([], 3, MONDAY + timedelta(days=1), 1)
    (week,) = weekly_session_adherence([MONDAY], 0, MONDAY, 1)
    assert week.fraction is None


def test_exercise_adherence_counts_logged_and_not_skipped():
    logged = [
        LoggedExercise(MONDAY),
        LoggedExercise(MONDAY, skipped=True),
        LoggedExercise(MONDAY),
    ]
    # 2 done (the skipped one is logged but not done) of 4 prescribed = 0.5
    assert exercise_adherence(logged, 4) == 0.5
    assert exercise_adherence(logged, 0) is None


@given(st.lists(st.integers(0, 20), max_size=40), st.integers(1, 7), st.integers(1, 4))
def test_weekly_counts_add_up(offsets, prescribed, weeks):
    days = [MONDAY + timedelta(days=n) for n in offsets]
    result = weekly_session_adherence(days, prescribed, MONDAY, weeks)
    assert sum(w.done for w in result) == sum(1 for n in offsets if n < 7 * weeks)
    assert all(w.fraction == w.done / prescribed for w in result)
