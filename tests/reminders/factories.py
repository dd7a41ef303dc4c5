"""Reminder settings and appointments for tests."""

from __future__ import annotations

import datetime as dt

from rehab.extensions import db
from rehab.reminders.models import Appointment, ReminderSettings
from tests.factories import make_programme

EVERY_DAY = "1,2,3,4,5,6,7"
# Monday 7 December 2026, in Amsterdam (UTC+1): 17:05 UTC is 18:05 there.
MONDAY_EVENING = dt.datetime(2026, 12, 7, 17, 5, tzinfo=dt.UTC)


def reminded(patient, *, days=EVERY_DAY, at=dt.time(18, 0), zone="Europe/Amsterdam",
             programme=True, **fields) -> ReminderSettings:  # fmt: skip
    """Exercise reminders on for ``patient`` (with an active programme unless told not)."""
    if programme:
        make_programme(patient)
    settings = ReminderSettings(
        patient_id=patient.id, exercise_enabled=True, weekdays=days, remind_at=at,
        timezone=zone, appointments_enabled=fields.pop("appointments_enabled", True), **fields,
    )  # fmt: skip
    db.session.add(settings)
    db.session.commit()
    return settings


def appointment(patient, starts_at: dt.datetime, *, by, kind="check_in", remind=True):
    planned = Appointment(
        patient_id=patient.id, kind=kind, starts_at=starts_at, duration_minutes=30,
        remind=remind, created_by_id=by.id,
    )  # fmt: skip
    db.session.add(planned)
    db.session.commit()
    return planned
