"""Known answers and properties for rehab.progress.load (Foster 1998/2001, Nielsen 2014)."""

import statistics
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.progress.load import (
    DailyLoad,
    TrainingSession,
    daily_loads,
    exceeds_by_pct,
    monotony,
    percent_change,
    session_load,
    session_spike,
    spikes_by_week,
    strain,
    week_on_week_changes,
    week_spike_reasons,
    weekly_loads,
)

MONDAY = date(2024, 1, 1)  # 1 January 2024 was a Monday


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def weeks_of(*totals: float) -> list:
    """Complete calendar weeks whose whole load falls on the Monday (other days rest)."""
    daily = []
    for week, total in enumerate(totals):
        daily += [DailyLoad(day(7 * week + i), total if i == 0 else 0.0) for i in range(7)]
    return weekly_loads(daily)


# --- session load -------------------------------------------------------------------------


def test_session_load_is_rpe_times_minutes():
    # RPE 7 × 60 min = 420 AU
    assert session_load(7, 60) == 420
    assert TrainingSession(MONDAY, 7, 60).load == 420
    # RPE 0 (rest-like) × 30 min = 0 AU
    assert session_load(0, 30) == 0


@pytest.mark.parametrize(("rpe", "minutes"), [(-1, 30), (10.5, 30), (5, -1)])
def test_session_load_rejects_values_off_the_scale(rpe, minutes):
    with pytest.raises(ValueError):
        session_load(rpe, minutes)


# --- daily loads: rest versus missing data ---------------------------------------------------


def test_daily_loads_sum_sessions_and_tell_rest_from_missing_data():
    sessions = [
        TrainingSession(day(0), 7, 60),  # 420
        TrainingSession(day(0), 3, 20),  # 60 → Monday = 420 + 60 = 480
        TrainingSession(day(2), 5, 40),  # 200
        TrainingSession(day(12), 4, 30),  # 120
    ]
    check_ins = [day(4)]  # a morning check-in only: logging, but no session → rest (0)
    result = daily_loads(sessions, check_ins, day(0), day(13))
    loads = [entry.load for entry in result]
    # days 5..11 = 7 consecutive days without any logging → missing (None), not rest;
    # day 1, 3 and 13 lie in logged stretches (runs of 1 day) → rest (0).
    assert loads == [480, 0, 200, 0, 0, None, None, None, None, None, None, None, 120, 0]
    assert [entry.day for entry in result] == [day(i) for i in range(14)]


def test_a_gap_shorter_than_the_run_is_rest_and_the_run_is_a_setting():
    sessions = [TrainingSession(day(0), 5, 20), TrainingSession(day(7), 5, 20)]  # 100 each
    # days 1..6 = a run of 6 days without logging: below the default of 7 → rest
    default = daily_loads(sessions, [], day(0), day(7))
    assert [e.load for e in default] == [100, 0, 0, 0, 0, 0, 0, 100]
    # with the clinic's run set to 3, the same 6 days are missing data
    strict = daily_loads(sessions, [], day(0), day(7), missing_run_days=3)
    assert [e.load for e in strict] == [100, None, None, None, None, None, None, 100]


def test_a_gap_straddling_the_range_start_is_judged_on_the_calendar():
    sessions = [TrainingSession(day(2), 5, 20)]
    # Without earlier logging the range edge bounds the run: days 0..1 = 2 days → rest.
    assert [e.load for e in daily_loads(sessions, [], day(0), day(2))] == [0, 0, 100]
    # A check-in 12 days before the range: days −11..1 = 13 days unlogged → missing.
    earlier = [day(-12)]
    assert [e.load for e in daily_loads(sessions, earlier, day(0), day(2))] == [None, None, 100]


def test_a_range_without_any_logging_is_missing_throughout():
    assert all(e.load is None for e in daily_loads([], [], day(0), day(9)))


def test_daily_loads_reject_a_reversed_range():
    with pytest.raises(ValueError):
        daily_loads([], [], day(3), day(2))


# --- weekly load, monotony, strain ----------------------------------------------------------


def test_monotony_and_strain_use_the_sample_sd():
    week = [200.0, 600.0, 200.0, 600.0, 200.0, 600.0, 400.0]
    # weekly load = 2800; mean = 2800 / 7 = 400
    # deviations ±200 six times and 0 once → Σ squares = 6 × 40 000 = 240 000
    # sample SD = √(240 000 / (7 − 1)) = √40 000 = 200 (population SD would be 185.2)
    # monotony = 400 / 200 = 2.0; strain = 2800 × 2.0 = 5600
    assert monotony(week) == pytest.approx(2.0)
    assert strain(week) == pytest.approx(5600.0)


def test_monotony_counts_rest_days_as_zero():
    week = [300.0, 0.0, 300.0, 0.0, 300.0, 0.0, 0.0]
    # mean = 900 / 7 = 128.571; Σ(x − mean)² = 3 × 171.429² + 4 × 128.571² = 154 285.7
    # sample SD = √(154 285.7 / 6) = 160.357 → monotony = 128.571 / 160.357 = 0.8018
    assert monotony(week) == pytest.approx(0.8018, abs=1e-4)
    assert strain(week) == pytest.approx(900 * 0.8018, abs=0.1)


@pytest.mark.parametrize("week", [[300.0] * 7, [0.0] * 7])
def test_monotony_with_sd_zero_is_undefined(week):
    # identical loads every day → SD 0 → monotony undefined ("–"), never a division by 0
    assert monotony(week) is None
    assert strain(week) is None


@given(
    st.lists(st.integers(min_value=0, max_value=20000).map(lambda n: n / 4), min_size=7, max_size=7)
)
def test_monotony_agrees_with_the_exact_sample_sd(week):
    # Daily loads (minutes × RPE, in quarters) through the float computation against
    # statistics' exact one: the same to 1e-9, undefined exactly when every day is the same.
    if len(set(week)) == 1:
        assert monotony(week) is None
    else:
        expected = statistics.fmean(week) / statistics.stdev(week)
        assert monotony(week) == pytest.approx(expected, rel=1e-9)


def test_monotony_is_undefined_with_a_missing_day_and_needs_seven_days():
    assert monotony([100.0, 0.0, None, 0.0, 100.0, 0.0, 50.0]) is None
    with pytest.raises(ValueError):
        monotony([100.0] * 6)


def test_weekly_load_sums_a_calendar_week_and_flags_missing_days():
    daily = daily_loads(
        [TrainingSession(day(0), 6, 50), TrainingSession(day(3), 4, 50)],  # 300, 200
        [day(4)],
        day(0),
        day(13),
    )
    first, second = weekly_loads(daily)
    # days 1–2 (a 2-day gap) are rest; days 5..13 are 9 days without logging → missing.
    # week 1: 300 + 0 + 0 + 200 + 0 = 500 over 5 known days; Saturday and Sunday missing
    assert first.week_start == day(0)
    assert first.load == 500
    assert first.known_days == 5
    assert not first.complete
    assert first.monotony is None
    # week 2: no logging at all → no known day → no load, incomplete
    assert second.load is None
    assert second.known_days == 0


def test_weekly_load_of_a_complete_week_carries_monotony_and_strain():
    values = [200.0, 600.0, 200.0, 600.0, 200.0, 600.0, 400.0]
    (week,) = weekly_loads([DailyLoad(day(i), v) for i, v in enumerate(values)])
    assert week.complete
    assert week.load == 2800
    assert week.monotony == pytest.approx(2.0)
    assert week.strain == pytest.approx(5600.0)


def test_a_range_starting_midweek_gives_an_incomplete_first_week():
    # Wednesday..Sunday only: Monday and Tuesday are outside the range → unknown
    (week,) = weekly_loads([DailyLoad(day(i), 100.0) for i in range(2, 7)])
    assert week.week_start == day(0)
    assert week.load == 500
    assert week.known_days == 5
    assert not week.complete


def test_weekly_loads_reject_a_day_given_twice():
    with pytest.raises(ValueError):
        weekly_loads([DailyLoad(day(0), 1.0), DailyLoad(day(0), 2.0)])


# --- week-on-week change and spikes ------------------------------------------------------------


def test_percent_change_and_a_zero_previous_week():
    # (1100 − 1000) / 1000 × 100 = +10 %
    assert percent_change(1100, 1000) == pytest.approx(10.0)
    # (750 − 1000) / 1000 × 100 = −25 %
    assert percent_change(750, 1000) == pytest.approx(-25.0)
    assert percent_change(500, 0) is None


def test_week_on_week_changes_need_complete_neighbouring_weeks():
    weeks = weeks_of(1000, 1200, 0, 600)
    # +20 %; then −100 %; then previous week 0 → None
    changes = week_on_week_changes(weeks)
    assert changes[0] is None
    assert changes[1] == pytest.approx(20.0)
    assert changes[2] == pytest.approx(-100.0)
    assert changes[3] is None


def test_week_on_week_caution_is_strictly_above_the_threshold():
    at_threshold = weeks_of(1000, 1100)  # +10 % exactly → not "above" 10 %
    assert week_spike_reasons(at_threshold[1], at_threshold[0], None) == []
    above = weeks_of(1000, 1101)  # +10.1 % → caution
    (reason,) = week_spike_reasons(above[1], above[0], None)
    assert reason.code == "week_on_week_caution"
    assert reason.values["change_pct"] == pytest.approx(10.1)
    assert reason.values["limit_pct"] == 10.0


def test_two_week_alert_compares_this_week_with_two_weeks_back():
    # W(t−2) = 1000, W(t−1) = 1100, W(t) = 1300: (1300 − 1000)/1000 = +30 % exactly → no alert;
    # week on week (1300 − 1100)/1100 = +18.2 % → caution
    w = weeks_of(1000, 1100, 1300)
    assert [r.code for r in week_spike_reasons(w[2], w[1], w[0])] == ["week_on_week_caution"]
    # W(t) = 1310: +31 % over two weeks → alert (and +19.1 % caution)
    w = weeks_of(1000, 1100, 1310)
    codes = [r.code for r in week_spike_reasons(w[2], w[1], w[0])]
    assert codes == ["week_on_week_caution", "two_week_alert"]
    # Two steps of +14 % each: 1000 → 1140 → 1299.6 = +29.96 % → caution only
    w = weeks_of(1000, 1140, 1299.6)
    assert [r.code for r in week_spike_reasons(w[2], w[1], w[0])] == ["week_on_week_caution"]


def test_spike_thresholds_are_clinic_settings():
    w = weeks_of(1000, 1050)
    assert week_spike_reasons(w[1], w[0], None) == []  # +5 % < 10 %
    (reason,) = week_spike_reasons(w[1], w[0], None, caution_pct=4)
    assert reason.values["limit_pct"] == 4


def test_no_spike_against_an_incomplete_or_empty_week():
    daily = [DailyLoad(day(i), 100.0 if i < 5 else None) for i in range(7)]
    daily += [DailyLoad(day(7 + i), 500.0) for i in range(7)]
    incomplete, full = weekly_loads(daily)
    assert week_spike_reasons(full, incomplete, None) == []
    zero, big = weeks_of(0, 900)
    assert week_spike_reasons(big, zero, None) == []


def test_spikes_by_week_keys_each_week_by_its_monday():
    weeks = weeks_of(1000, 1000, 1400)
    result = spikes_by_week(weeks)
    assert result[day(0)] == []
    assert result[day(7)] == []
    # +40 % on both the week before and two weeks back
    assert [r.code for r in result[day(14)]] == ["week_on_week_caution", "two_week_alert"]


def test_session_spike_against_the_largest_session_of_the_previous_30_days():
    history = [
        TrainingSession(day(-31), 10, 60),  # 600 AU, 31 days back → outside the window
        TrainingSession(day(-10), 8, 50),  # 400 AU ← the 30-day maximum
        TrainingSession(day(-3), 5, 60),  # 300 AU
        TrainingSession(day(0), 10, 60),  # 600 AU on the same day → not compared
    ]
    # 440 = 400 × 1.10 exactly → not "above" 10 %
    assert session_spike(TrainingSession(day(0), 8, 55), history) is None
    # 441 > 440 → spike: (441 − 400) / 400 = +10.25 %
    reason = session_spike(TrainingSession(day(0), 9, 49), history)
    assert reason is not None
    assert reason.code == "session_spike"
    assert reason.values["max_previous"] == 400
    assert reason.values["change_pct"] == pytest.approx(10.25)


def test_no_session_spike_without_earlier_sessions():
    assert session_spike(TrainingSession(day(0), 10, 120), []) is None
    # a 30-day maximum of 0 gives no base to compare with
    assert session_spike(TrainingSession(day(0), 5, 10), [TrainingSession(day(-1), 0, 30)]) is None


def test_exceeds_by_pct_is_exact_at_the_boundary():
    # in floats 1.1 × 100 = 110.00000000000001; the comparison must not depend on that
    assert not exceeds_by_pct(110.0, 100.0, 10)
    assert exceeds_by_pct(110.5, 100.0, 10)


# --- properties -------------------------------------------------------------------------------

loads = st.one_of(st.none(), st.integers(0, 3000).map(float))


@given(st.lists(loads, min_size=1, max_size=42), st.integers(0, 6))
def test_weekly_load_equals_the_sum_of_its_known_daily_loads(values, offset):
    daily = [DailyLoad(day(offset + i), v) for i, v in enumerate(values)]
    weeks = weekly_loads(daily)
    known = [v for v in values if v is not None]
    assert sum(w.load or 0 for w in weeks) == pytest.approx(sum(known))
    for week in weeks:
        in_week = [d.load for d in daily if 0 <= (d.day - week.week_start).days < 7]
        assert week.known_days == sum(1 for v in in_week if v is not None)
        assert week.complete == (week.known_days == 7)
        assert week.monotony is None or week.monotony > 0


@given(
    st.sets(st.integers(0, 40), max_size=20),
    st.sets(st.integers(0, 40), max_size=10),
    st.integers(1, 10),
)
def test_logged_days_are_never_missing(session_days, check_in_days, run):
    sessions = [TrainingSession(day(n), 5, 10) for n in session_days]
    result = daily_loads(sessions, [day(n) for n in check_in_days], day(0), day(40), run)
    logged = {day(n) for n in session_days | check_in_days}
    for entry in result:
        if entry.day in logged:
            assert entry.load is not None
        if entry.load is None:
            assert entry.day not in logged
