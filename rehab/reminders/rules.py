"""When a reminder is due, and which sessions a patient has planned: plain functions on plain
values (dates, times, zone names), tested without an app.

Every clock here is the patient's own: their time zone decides what "today", "18:00" and
"night" mean, across daylight-saving changes (zoneinfo does the arithmetic).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rehab.training.schedule import Schedule, parse_weekdays

# No message at night: nothing between 22:00 and 07:00 in the patient's time zone.
NIGHT_STARTS = dt.time(22, 0)
NIGHT_ENDS = dt.time(7, 0)
# An appointment's reminder goes out in the 24 hours before it (not at night).
APPOINTMENT_LEAD = dt.timedelta(hours=24)
# A planned session is shown in the calendar as this long.
SESSION_MINUTES = 30

# Default reminder days for "N sessions a week": spread over the week, rest days between.
SPREAD = {
    1: (3,),
    2: (2, 5),
    3: (1, 3, 5),
    4: (1, 2, 4, 6),
    5: (1, 2, 3, 4, 5),
    6: (1, 2, 3, 4, 5, 6),
    7: (1, 2, 3, 4, 5, 6, 7),
}


def is_night(moment: dt.time) -> bool:
    return moment >= NIGHT_STARTS or moment < NIGHT_ENDS


def default_weekdays(schedule: Schedule | None) -> tuple[int, ...]:
    """The programme's fixed weekdays, else its sessions a week spread over the week."""
    if schedule is None:
        return SPREAD[3]
    if schedule.kind == "weekdays" and schedule.weekdays:
        return schedule.weekdays
    per_week = schedule.sessions_per_week or 3
    return SPREAD[max(1, min(per_week, 7))]


@dataclass(frozen=True)
class SessionPlan:
    """A patient's planned exercise days and time, in their own time zone."""

    weekdays: tuple[int, ...]
    remind_at: dt.time
    zone: str
    paused_until: dt.date | None = None

    @classmethod
    def of(cls, settings) -> SessionPlan:
        return cls(
            weekdays=parse_weekdays(settings.weekdays),
            remind_at=settings.remind_at,
            zone=settings.timezone,
            paused_until=settings.paused_until,
        )

    def paused_on(self, day: dt.date) -> bool:
        return self.paused_until is not None and day <= self.paused_until


def exercise_reminder_day(plan: SessionPlan, now: dt.datetime) -> dt.date | None:
    """The patient's day whose exercise reminder is due at ``now`` (UTC), or None.

    Due from the chosen time on a chosen weekday until the night begins; never while paused.
    Whether the session is already logged is for the caller to check.
    """
    local = now.astimezone(ZoneInfo(plan.zone))
    day = local.date()
    if is_night(local.time()) or local.time() < plan.remind_at:
        return None
    if day.isoweekday() not in plan.weekdays or plan.paused_on(day):
        return None
    return day


def appointment_reminder_day(starts_at: dt.datetime, zone: str, now: dt.datetime) -> dt.date | None:
    """The appointment's own (local) day when its reminder is due at ``now``, else None."""
    if not starts_at - APPOINTMENT_LEAD <= now < starts_at:
        return None
    tz = ZoneInfo(zone)
    if is_night(now.astimezone(tz).time()):
        return None
    return starts_at.astimezone(tz).date()


def planned_sessions(plan: SessionPlan, first: dt.date, last: dt.date) -> list[dt.datetime]:
    """The planned session starts from ``first`` to ``last`` (the patient's days), as aware
    datetimes in their zone: 18:00 stays 18:00 on both sides of a clock change."""
    tz = ZoneInfo(plan.zone)
    sessions = []
    day = first
    while day <= last:
        if day.isoweekday() in plan.weekdays and not plan.paused_on(day):
            sessions.append(dt.datetime.combine(day, plan.remind_at, tzinfo=tz))
        day += dt.timedelta(days=1)
    return sessions


def reminder_times() -> list[dt.time]:
    """The times a patient can choose: every quarter of an hour outside the night."""
    times = []
    minute = NIGHT_ENDS.hour * 60
    while minute < NIGHT_STARTS.hour * 60:
        times.append(dt.time(minute // 60, minute % 60))
        minute += 15
    return times
