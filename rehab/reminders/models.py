"""Reminder preferences, appointments, the record of reminders sent, and calendar links."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehab.core.db import utcnow
from rehab.core.vocabulary import sql_in
from rehab.extensions import db
from rehab.patients.models import Patient

APPOINTMENT_KINDS = ("check_in", "reassessment")
REMINDER_KINDS = ("exercise", "appointment")
DEFAULT_REMINDER_TIME = dt.time(18, 0)


class ReminderSettings(db.Model):
    """What the patient chose: exercise reminders on which days, at what time, where.

    ``remind_at`` is a wall-clock time in ``timezone``; the database refuses a night-time one
    (rehab.reminders.rules.NIGHT_STARTS / NIGHT_ENDS).
    """

    __tablename__ = "reminder_settings"
    __table_args__ = (
        CheckConstraint("remind_at >= '07:00' AND remind_at < '22:00'", name="daytime"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), unique=True
    )
    exercise_enabled: Mapped[bool] = mapped_column(default=False)
    # ISO weekdays "1,3,5" (Monday = 1), as a phase's fixed weekdays are stored.
    weekdays: Mapped[str] = mapped_column(String(20), default="")
    remind_at: Mapped[dt.time] = mapped_column(Time, default=DEFAULT_REMINDER_TIME)
    timezone: Mapped[str] = mapped_column(String(64))
    # Exercise reminders rest up to and including this day (holiday, illness, a flare-up).
    paused_until: Mapped[dt.date | None]
    appointments_enabled: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    patient: Mapped[Patient] = relationship()


class Appointment(db.Model):
    """A check-in or re-assessment at the clinic that the therapist planned."""

    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint(f"kind IN {sql_in(APPOINTMENT_KINDS)}", name="kind"),
        CheckConstraint("duration_minutes BETWEEN 5 AND 240", name="duration"),
        Index("ix_appointments_patient_starts", "patient_id", "starts_at"),
        Index("ix_appointments_starts", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[dt.datetime]
    duration_minutes: Mapped[int] = mapped_column(default=30)
    remind: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReminderDelivery(db.Model):
    """One reminder of one kind for one patient and day: the unique key is what makes the
    periodic job send it once, however often and on however many machines it runs."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        CheckConstraint(f"kind IN {sql_in(REMINDER_KINDS)}", name="kind"),
        UniqueConstraint("patient_id", "day", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    day: Mapped[dt.date]
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CalendarFeed(db.Model):
    """A patient's private calendar link. Only the token's SHA-256 is stored; turning the
    link off (or making a new one) sets ``revoked_at``; one live link per patient."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        Index(
            "uq_calendar_feeds_one_live_per_patient",
            "patient_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]
