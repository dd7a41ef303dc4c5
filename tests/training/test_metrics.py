"""Known answers for the metrics as the service gathers them from logged rows.

The formulas are tested in tests/progress; here each worked example checks the gathering:
what counts as a day's load, rest versus missing data, a first stretch without chronic
load, days with zero load, weekly adherence per schedule, volume per exercise, lights.
1 January 2024 was a Monday.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rehab.extensions import db
from rehab.progress.pain import Light
from rehab.training.metrics import patient_metrics
from tests.training.factories import check_in, log_session, make_plan

MONDAY = dt.date(2024, 1, 1)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


@pytest.fixture
def plan(world):
    plan = make_plan(world.patient, started_on=dt.date(2023, 12, 1))
    db.session.commit()
    return plan


def metrics(world, plan, *, end, weeks):
    return patient_metrics(world.patient, plan["programme"], end=end, weeks=weeks)


def test_daily_and_weekly_load_tell_rest_from_zero_load_from_missing(world, plan):
    # Week of 1 January:
    #   Mon  RPE 5 × 40 min = 200 AU and RPE 2 × 15 min = 30 AU  → 230 AU (two sessions)
    #   Tue  nothing logged, but days around it are logged       → rest, 0 AU
    #   Wed  RPE 0 × 20 min (a logged session with zero load)    → 0 AU
    #   Thu  a check-in only                                     → rest, 0 AU
    #   Fri  RPE 6 × 50 min                                      → 300 AU
    #   Sat, Sun  nothing (a check-in on Sunday)                 → rest, 0 AU
    # Weekly load 530 AU; mean 75.71, sample SD 130.88 → monotony 0.5785, strain 306.6.
    log_session(world.patient, day(0), rpe=5, minutes=40)
    log_session(world.patient, day(0), rpe=2, minutes=15)
    log_session(world.patient, day(2), rpe=0, minutes=20)
    check_in(world.patient, day(3))
    log_session(world.patient, day(4), rpe=6, minutes=50)
    check_in(world.patient, day(6))
    db.session.commit()

    m = metrics(world, plan, end=day(6), weeks=1)

    assert [(d.load, d.sessions) for d in m.days] == [
        (230.0, 2), (0.0, 0), (0.0, 1), (0.0, 0), (300.0, 1), (0.0, 0), (0.0, 0),
    ]  # fmt: skip
    (week,) = m.weeks
    assert (week.load, week.known_days) == (530.0, 7)
    assert week.monotony == pytest.approx(0.5785, abs=1e-4)
    assert week.strain == pytest.approx(306.61, abs=0.01)
    # The week before had no logging at all: missing data, so no change can be given.
    assert week.change_pct is None


def test_a_long_gap_is_missing_data_not_rest(world, plan):
    # Sessions on Monday 1 and Monday 15 January, a check-in on Sunday 7 January.
    #   2–6 Jan: 5 unlogged days between logged ones → rest (0 AU)
    #   8–14 Jan: 7 unlogged days → missing (None): a gap, not a rest week
    log_session(world.patient, day(0), rpe=5, minutes=30)
    check_in(world.patient, day(6))
    log_session(world.patient, day(14), rpe=5, minutes=30)
    db.session.commit()

    m = metrics(world, plan, end=day(20), weeks=3)

    loads = {d.day: d.load for d in m.days}
    assert [loads[day(n)] for n in range(7)] == [150.0, 0, 0, 0, 0, 0, 0]
    assert [loads[day(n)] for n in range(7, 14)] == [None] * 7
    assert loads[day(14)] == 150.0
    first, gap, third = m.weeks
    assert (first.load, first.known_days) == (150.0, 7)
    assert (gap.load, gap.known_days, gap.monotony) == (None, 0, None)
    # 15–21 Jan: the days after the last session up to the end are rest (6 < 7 days).
    assert (third.load, third.known_days) == (150.0, 7)
    # Week on week needs two complete weeks: neither week after the gap gets a change.
    assert [w.change_pct for w in m.weeks] == [None, None, None]


def test_week_on_week_change_between_complete_weeks(world, plan):
    # Week 1: Mon and Thu, 250 AU each = 500 AU; week 2: Mon and Thu, 300 AU each = 600 AU.
    # Change = (600 − 500) ÷ 500 × 100 = +20 %.
    for n in (0, 3):
        log_session(world.patient, day(n), rpe=5, minutes=50)
    for n in (7, 10):
        log_session(world.patient, day(n), rpe=5, minutes=60)
    log_session(world.patient, day(14), rpe=1, minutes=10)  # bounds week 2's rest days
    db.session.commit()

    m = metrics(world, plan, end=day(13), weeks=2)

    assert [w.load for w in m.weeks] == [500.0, 600.0]
    assert m.weeks[1].change_pct == pytest.approx(20.0)


def test_no_ratio_in_the_first_four_weeks_then_the_worked_example(world, plan):
    # 28 days of logging: days 1–21 at 100 AU a day, days 22–28 at 200 AU a day.
    # Day 27 and earlier: fewer than 28 days of data → no ratio ("not enough data yet").
    # Day 28: acute = mean of the last 7 days = 200; chronic = mean of the 28 days
    #   = (21 × 100 + 7 × 200) ÷ 28 = 125 → coupled ACWR = 200 ÷ 125 = 1.6.
    # The uncoupled ratio needs 35 days: none yet.
    for n in range(28):
        log_session(world.patient, day(n), rpe=10 if n >= 21 else 5, minutes=20)
    db.session.commit()

    early = metrics(world, plan, end=day(26), weeks=4)
    assert not early.enough_for_acwr
    assert all(d.acwr_coupled is None for d in early.days)

    m = metrics(world, plan, end=day(27), weeks=4)
    last = m.latest
    assert m.enough_for_acwr
    assert (last.acute, last.chronic) == (200.0, 125.0)
    assert last.acwr_coupled == pytest.approx(1.6)
    assert last.acwr_uncoupled is None
    assert last.acwr_ewma is not None and last.acwr_ewma > 1


def test_volume_load_and_time_under_tension_per_exercise(world, plan):
    # Squat: 3 × 10 × 20 kg = 600 kg and 3 × 12 × 20 kg = 720 kg → 1320 kg in the week.
    # Side plank (holds): 3 sets × 3 holds × 20 s = 180 s and 2 × 3 × 15 s = 90 s → 270 s;
    # body weight, so its volume in kg is none (flagged, never 0 kg).
    squat, plank = plan["squat"], plan["plank"]
    log_session(world.patient, day(0), exercises=[
        (squat, {"sets_done": 3, "reps_done": 10, "load_kg": Decimal(20)}),
        (plank, {"sets_done": 3, "reps_done": 3, "hold_seconds_done": 20}),
    ])  # fmt: skip
    log_session(world.patient, day(2), exercises=[
        (squat, {"sets_done": 3, "reps_done": 12, "load_kg": Decimal(20)}),
        (plank, {"sets_done": 2, "reps_done": 3, "hold_seconds_done": 15}),
    ])  # fmt: skip
    db.session.commit()

    m = metrics(world, plan, end=day(6), weeks=1)

    series = {s.prescription_id: s for s in m.exercises}
    (squat_week,) = series[squat.id].weeks
    assert squat_week.volume.kg == Decimal(1320)
    assert squat_week.time_under_tension is None
    (plank_week,) = series[plank.id].weeks
    assert (plank_week.volume.kg, plank_week.volume.bodyweight) == (None, True)
    assert plank_week.time_under_tension == 270
    # The dose over time keeps what was prescribed at each session (version 1: 20 kg).
    assert [p.prescribed["load_kg"] for p in series[squat.id].points] == ["20", "20"]


@pytest.mark.parametrize(
    ("schedule", "expected_exercises"),
    [
        # 3 sessions a week × 3 exercises each.
        ({"schedule_kind": "per_week", "sessions_per_week": 3}, 9),
        # Monday, Wednesday, Friday → 3 sessions × 3 exercises.
        ({"schedule_kind": "weekdays", "weekdays": "1,3,5"}, 9),
        # Rotation A,B: squat on A, plank on B, the walk (no label) in both → 2 a session.
        ({"schedule_kind": "rotation", "rotation": "A,B", "sessions_per_week": 3}, 6),
    ],
)
def test_adherence_per_week_follows_the_schedule(world, schedule, expected_exercises):
    plan = make_plan(world.patient, started_on=dt.date(2023, 12, 1), **schedule)
    # Two sessions in the week: squat and walk done, the plank once skipped.
    for n in (0, 2):
        log_session(world.patient, day(n), exercises=[
            (plan["squat"], {"sets_done": 3, "reps_done": 8}),
            (plan["walk"], {"sets_done": 1, "duration_seconds_done": 1200}),
        ])  # fmt: skip
    log_session(world.patient, day(4), exercises=[(plan["plank"], {"skipped": True})])
    db.session.commit()

    (week,) = metrics(world, plan, end=day(6), weeks=1).weeks

    # Sessions: 3 done of 3 prescribed; exercises: 4 done (the skip does not count).
    assert (week.sessions_done, week.sessions_prescribed) == (3, 3)
    assert week.session_adherence == 1.0
    assert (week.exercises_done, week.exercises_prescribed) == (4, expected_exercises)
    assert week.exercise_adherence == pytest.approx(4 / expected_exercises)


def test_four_sessions_of_three_planned_show_100_percent_and_one_extra(client_for, world, plan):
    # Planned 3 a week; done Monday to Thursday = 4. Adherence is the share of the plan
    # done: 100 %, with 1 session extra — never 133 %.
    for n in range(4):
        log_session(world.patient, day(n), exercises=[(plan["walk"], {"sets_done": 1})])
    db.session.commit()
    (week,) = metrics(world, plan, end=day(6), weeks=1).weeks
    assert (week.sessions_done, week.sessions_prescribed) == (4, 3)
    assert (week.session_adherence, week.sessions_extra) == (1.0, 1)
    world.therapist.locale = "en"
    db.session.commit()
    html = (
        client_for("therapist")
        .get(f"/training/patients/{world.patient.id}/progress?end={day(6).isoformat()}&weeks=1")
        .text
    )
    # Three of three planned, and one extra: never "4/3".
    assert "3/3 (100 %)" in html and "1 extra" in html and "4/3" not in html
    assert "133 %" not in html


def test_weeks_before_the_programme_started_have_nothing_prescribed(world):
    plan = make_plan(world.patient, started_on=day(7))
    log_session(world.patient, day(1))
    db.session.commit()
    before, during = metrics(world, plan, end=day(13), weeks=2).weeks
    assert (before.sessions_done, before.sessions_prescribed, before.session_adherence) == (
        1, None, None,
    )  # fmt: skip
    assert (during.sessions_done, during.sessions_prescribed) == (0, 3)


def test_pain_light_per_session_against_the_morning_baseline(world, plan):
    # Seven mornings at pain 2 (baseline = median 2), then:
    #   day 7: pain during 2, next morning 2 → green (at baseline, safe ≤ 3)
    #   day 9: pain during 5, next morning 2 → amber (acceptable 4–5)
    #   day 11: pain during 2, next morning 4 → red (above the baseline of 2)
    #   day 13: pain during 6 → red at once (above 5), whatever the morning
    #   day 12: no pain entered and no next morning → unknown
    for n in range(7):
        check_in(world.patient, day(n), pain=2)
    for n, pain, next_morning in ((7, 2, 2), (9, 5, 2), (11, 2, 4), (13, 6, None)):
        log_session(world.patient, day(n), exercises=[
            (plan["squat"], {"sets_done": 3, "reps_done": 10, "pain_during": pain}),
        ])  # fmt: skip
        check_in(world.patient, day(n), pain=2)
        if next_morning is not None:
            check_in(world.patient, day(n + 1), pain=next_morning)
    log_session(world.patient, day(12), exercises=[(plan["walk"], {"sets_done": 1})])
    db.session.commit()

    m = metrics(world, plan, end=day(13), weeks=2)

    lights = {s.session.session_date: s.light for s in m.sessions}
    assert lights == {
        day(7): Light.GREEN,
        day(9): Light.AMBER,
        day(11): Light.RED,
        day(12): Light.UNKNOWN,
        day(13): Light.RED,
    }
    by_day = {d.day: d for d in m.days}
    assert (by_day[day(9)].pain_during, by_day[day(12)].morning_pain) == (5, 4)


def test_the_ewma_ratio_shown_does_not_change_with_the_weeks_shown(client_for, world, plan):
    # 70 days of logging from 1 January: 100 AU a day, every fourth day 300 AU. The EWMA is
    # seeded with 1 January's load whether 4 or 12 weeks are shown, so the last day's ratio
    # is the same both ways — and equal to the ratio over the whole history.
    from rehab.progress.acwr import acwr_ewma

    loads = [300 if n % 4 == 0 else 100 for n in range(70)]
    for n, load in enumerate(loads):
        log_session(world.patient, day(n), rpe=10, minutes=load // 10)
    db.session.commit()
    four = metrics(world, plan, end=day(69), weeks=4)
    twelve = metrics(world, plan, end=day(69), weeks=12)
    assert four.latest.acwr_ewma == twelve.latest.acwr_ewma
    assert four.latest.acwr_ewma == pytest.approx(acwr_ewma(loads)[-1])
    assert four.ewma_seed == twelve.ewma_seed == MONDAY
    # Every day both windows show has the same EWMA ratio.
    by_day = {d.day: d.acwr_ewma for d in twelve.days}
    assert all(by_day[d.day] == d.acwr_ewma for d in four.days)
    # The page says what the EWMA is seeded with.
    world.therapist.locale = "en"
    db.session.commit()
    html = (
        client_for("therapist")
        .get(f"/training/patients/{world.patient.id}/progress?end={day(69).isoformat()}&weeks=4")
        .text
    )
    assert "The EWMA is seeded with the load of Jan 1, 2024, the first logged day" in html
