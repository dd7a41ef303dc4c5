"""Known answers for rehab.progress.adherence."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.progress.adherence import (
    PlanShare,
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


def test_four_sessions_of_three_planned_is_100_percent_and_one_extra():
    # Three planned, four done: the plan was done in full (100 %), one session on top.
    share = PlanShare(4, 3)
    assert (share.fraction, share.extra) == (1.0, 1)
    # Two of three: 67 %, nothing extra; nothing planned: no share, everything extra.
    assert (PlanShare(2, 3).fraction, PlanShare(2, 3).extra) == (pytest.approx(2 / 3), 0)
    assert (PlanShare(2, 0).fraction, PlanShare(2, 0).extra) == (None, 2)
    with pytest.raises(ValueError):
        PlanShare(-1, 3)


def test_an_extra_session_in_one_week_does_not_make_up_for_a_missed_one():
    # Week 1: 4 of 3 (one extra); week 2: 2 of 3. The plan share is 5 of 6, not 6 of 6.
    days = [MONDAY + timedelta(days=n) for n in (0, 1, 2, 3, 7, 9)]
    first, second = weekly_session_adherence(days, 3, MONDAY, 2)
    assert (first.share.fraction, first.share.extra) == (1.0, 1)
    assert (second.share.fraction, second.share.extra) == (pytest.approx(2 / 3), 0)
    assert sum(min(w.done, 3) for w in (first, second)) / 6 == pytest.approx(5 / 6)


@given(st.integers(0, 30), st.integers(0, 14))
def test_the_plan_share_never_exceeds_100_percent_and_extras_explain_the_rest(done, planned):
    share = PlanShare(done, planned)
    assert share.fraction is None or 0 <= share.fraction <= 1
    assert min(done, planned) + share.extra == done
