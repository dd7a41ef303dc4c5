"""The patient's private calendar feed (RFC 5545, written with the ``icalendar`` package).

Planned exercise sessions and the clinic's appointments as events, with no health details:
"Exercises" and "Appointment at <clinic>", never an exercise, a diagnosis or a score. Times
carry the patient's time zone (TZID with its VTIMEZONE), so a session at 18:00 stays at 18:00
in the calendar app across a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import icalendar
from flask_babel import force_locale

from rehab.core.i18n import gettext
from rehab.mail.links import external_url
from rehab.reminders import rules

# Calendar apps poll a feed; asking hourly keeps it current without hammering the server.
REFRESH = dt.timedelta(hours=1)
PAST_DAYS = 7
FUTURE_WEEKS = 8


@dataclass(frozen=True)
class PlannedAppointment:
    id: int
    starts_at: dt.datetime
    duration_minutes: int


def feed_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(weeks=FUTURE_WEEKS)


def build_feed(
    *,
    feed_id: int,
    language: str,
    clinic_name: str,
    zone: str,
    sessions: list[dt.datetime],
    appointments: list[PlannedAppointment],
    now: dt.datetime,
) -> bytes:
    """The feed's bytes: ``sessions`` are aware local starts (rules.planned_sessions)."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    with force_locale(language):
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Rehab//Rehab calendar feed//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", f"Rehab · {clinic_name}")
        calendar.add("x-wr-timezone", zone)
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", REFRESH)
        session_title = gettext("Exercises")
        session_text = gettext("Time for your exercises. Open Rehab to see today's session.")
        today_url = external_url("training.today")
        for start in sessions:
            event = icalendar.Event()
            event.add("uid", f"session-{start.date().isoformat()}-{feed_id}@rehab")
            event.add("dtstamp", now)
            event.add("dtstart", start)
            event.add("duration", dt.timedelta(minutes=rules.SESSION_MINUTES))
            event.add("summary", session_title)
            event.add("description", session_text)
            event.add("url", today_url)
            event.add("transp", "TRANSPARENT")  # a home session does not block the day
            calendar.add_component(event)
        appointment_title = gettext("Appointment at %(clinic)s", clinic=clinic_name)
        for appointment in appointments:
            event = icalendar.Event()
            event.add("uid", f"appointment-{appointment.id}-{feed_id}@rehab")
            event.add("dtstamp", now)
            event.add("dtstart", appointment.starts_at.astimezone(tz))
            event.add("duration", dt.timedelta(minutes=appointment.duration_minutes))
            event.add("summary", appointment_title)
            event.add("transp", "OPAQUE")
            calendar.add_component(event)
    first = now.date() - dt.timedelta(days=366)
    calendar.add_missing_timezones(first_date=first, last_date=first + dt.timedelta(days=3 * 366))
    return calendar.to_ical()
