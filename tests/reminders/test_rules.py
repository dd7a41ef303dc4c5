"""When a reminder is due, and which sessions are planned: known answers in the patient's own
time zone (across a daylight-saving change), and properties that hold for any moment."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from rehab.reminders import rules
from rehab.reminders.rules import SessionPlan
from rehab.training.schedule import Schedule

AMS = "Europe/Amsterdam"
UTC = dt.UTC


def test_night_is_from_ten_in_the_evening_to_seven_in_the_morning():
    assert not rules.is_night(dt.time(21, 59))
    assert rules.is_night(dt.time(22, 0))
    assert rules.is_night(dt.time(3, 0))
    assert rules.is_night(dt.time(6, 59))
    assert not rules.is_night(dt.time(7, 0))


def test_the_times_a_patient_can_choose_are_quarters_outside_the_night():
    times = rules.reminder_times()
    assert (times[0], times[-1], len(times)) == (dt.time(7, 0), dt.time(21, 45), 60)


def test_default_days_follow_the_programmes_schedule():
    assert rules.default_weekdays(Schedule("weekdays", weekdays=(2, 4))) == (2, 4)
    assert rules.default_weekdays(Schedule("per_week", sessions_per_week=3)) == (1, 3, 5)
    assert rules.default_weekdays(Schedule("per_week", sessions_per_week=2)) == (2, 5)
    assert rules.default_weekdays(Schedule("rotation", sessions_per_week=14)) == tuple(range(1, 8))
    assert rules.default_weekdays(Schedule("per_week", sessions_per_week=None)) == (1, 3, 5)
    assert rules.default_weekdays(None) == (1, 3, 5)


def due(plan: SessionPlan, *utc) -> dt.date | None:
    """The reminder day at the UTC moment ``utc`` (year, month, day, hour, minute)."""
    return rules.exercise_reminder_day(plan, dt.datetime(*utc, tzinfo=UTC))


def appointment_due(starts: dt.datetime, now: dt.datetime) -> dt.date | None:
    return rules.appointment_reminder_day(starts, AMS, now)


MON_WED_FRI_18 = SessionPlan(weekdays=(1, 3, 5), remind_at=dt.time(18, 0), zone=AMS)


def test_an_exercise_reminder_is_due_from_the_chosen_time_on_a_chosen_day():
    # Monday 7 December 2026; Amsterdam is UTC+1 in winter: 18:00 there is 17:00 UTC.
    assert due(MON_WED_FRI_18, 2026, 12, 7, 16, 59) is None
    assert due(MON_WED_FRI_18, 2026, 12, 7, 17, 0) == dt.date(2026, 12, 7)
    # 21:59 local still; 22:00 local (21:00 UTC) is night.
    assert due(MON_WED_FRI_18, 2026, 12, 7, 20, 59) == dt.date(2026, 12, 7)
    assert due(MON_WED_FRI_18, 2026, 12, 7, 21, 0) is None
    # Tuesday is not a chosen day.
    assert due(MON_WED_FRI_18, 2026, 12, 8, 17, 30) is None


def test_a_paused_plan_sends_nothing_up_to_and_including_the_last_paused_day():
    paused = SessionPlan((1, 3, 5), dt.time(18, 0), AMS, paused_until=dt.date(2026, 12, 9))
    assert due(paused, 2026, 12, 9, 17, 30) is None
    assert due(paused, 2026, 12, 11, 17, 30) == dt.date(2026, 12, 11)


def test_the_patients_own_time_zone_decides_the_day_and_the_night():
    new_york = SessionPlan(tuple(range(1, 8)), dt.time(8, 0), "America/New_York")
    # 12:30 UTC is 07:30 in New York (UTC−5): before the chosen time.
    assert due(new_york, 2026, 12, 7, 12, 30) is None
    assert due(new_york, 2026, 12, 7, 13, 0) == dt.date(2026, 12, 7)
    # 02:00 UTC on the 8th is still the 7th, 21:00, in New York.
    assert due(new_york, 2026, 12, 8, 2, 0) == dt.date(2026, 12, 7)


def test_an_appointment_reminder_is_due_in_the_24_hours_before_it_but_not_at_night():
    starts = dt.datetime(2026, 12, 8, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam on Tuesday
    assert appointment_due(starts, starts - dt.timedelta(hours=24, minutes=1)) is None
    assert appointment_due(starts, starts - dt.timedelta(hours=24)) == dt.date(2026, 12, 8)
    # 22:30 on Monday evening in Amsterdam: night.
    assert appointment_due(starts, dt.datetime(2026, 12, 7, 21, 30, tzinfo=UTC)) is None
    assert appointment_due(starts, starts) is None  # it has begun


def test_planned_sessions_stay_at_their_wall_clock_time_across_the_october_clock_change():
    """Worked example: sessions every day at 18:00 in Amsterdam, the week of Monday 19 to
    Sunday 25 October 2026 (the last Sunday of October, when CEST UTC+2 ends at 03:00 and
    CET UTC+1 begins) and the Monday after: 16:00 UTC up to Saturday, 17:00 UTC from the
    Sunday on."""
    daily = SessionPlan(tuple(range(1, 8)), dt.time(18, 0), AMS)
    sessions = rules.planned_sessions(daily, dt.date(2026, 10, 19), dt.date(2026, 10, 26))
    assert [s.date().day for s in sessions] == [19, 20, 21, 22, 23, 24, 25, 26]
    assert all(s.timetz().replace(tzinfo=None) == dt.time(18, 0) for s in sessions)
    utc_hours = [s.astimezone(UTC).hour for s in sessions]
    assert utc_hours == [16, 16, 16, 16, 16, 16, 17, 17]


def test_planned_sessions_skip_other_days_and_paused_days():
    plan = SessionPlan((1, 3, 5), dt.time(9, 30), AMS, paused_until=dt.date(2026, 12, 9))
    sessions = rules.planned_sessions(plan, dt.date(2026, 12, 7), dt.date(2026, 12, 13))
    assert [s.date() for s in sessions] == [dt.date(2026, 12, 11)]


ZONES = ["Europe/Amsterdam", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"]


@given(
    moment=st.datetimes(
        min_value=dt.datetime(2024, 1, 1),
        max_value=dt.datetime(2030, 12, 31),
        timezones=st.just(UTC),
    ),
    zone=st.sampled_from(ZONES),
    days=st.sets(st.integers(1, 7), min_size=1).map(lambda s: tuple(sorted(s))),
    at=st.sampled_from(rules.reminder_times()),
)
def test_a_reminder_is_never_due_at_night_before_its_time_or_on_another_day(moment, zone, days, at):
    plan = SessionPlan(days, at, zone)
    day = rules.exercise_reminder_day(plan, moment)
    local = moment.astimezone(ZoneInfo(zone))
    if day is not None:
        assert day == local.date()
        assert not rules.is_night(local.time())
        assert local.time() >= at
        assert day.isoweekday() in days
    elif local.isoweekday() in days and at <= local.time() and not rules.is_night(local.time()):
        raise AssertionError("a due reminder was missed")
