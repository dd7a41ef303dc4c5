"""Reminder settings, appointments, calendar links and unsubscribing: each operation takes
the acting user and plain values, commits once and writes the access log."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from flask import abort, current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import User
from rehab.core.db import insert_for, utcnow
from rehab.extensions import db
from rehab.mail.messages import UNSUBSCRIBE_SALT
from rehab.patients.models import Patient
from rehab.reminders import rules
from rehab.reminders.models import Appointment, CalendarFeed, ReminderSettings

SETTING_FIELDS = (
    "exercise_enabled",
    "weekdays",
    "remind_at",
    "timezone",
    "paused_until",
    "appointments_enabled",
)


def current_schedule(patient: Patient):
    """The schedule of the patient's current phase (None without an active programme)."""
    from rehab.programmes.models import Phase, Programme
    from rehab.training.schedule import Schedule

    phase = db.session.scalar(
        select(Phase)
        .join(Programme, Programme.current_phase_id == Phase.id)
        .where(Programme.patient_id == patient.id, Programme.status == "active")
    )
    return Schedule.of(phase) if phase is not None else None


def has_active_programme(patient: Patient) -> bool:
    from rehab.programmes.models import Programme

    return (
        db.session.scalar(
            select(Programme.id).where(
                Programme.patient_id == patient.id, Programme.status == "active"
            )
        )
        is not None
    )


def settings_for(patient: Patient) -> ReminderSettings:
    """The patient's settings, or (not saved) the defaults: the programme's days, the
    clinic's reminder time and time zone; reminders off until the patient turns them on."""
    found = db.session.scalar(
        select(ReminderSettings).where(ReminderSettings.patient_id == patient.id)
    )
    if found is not None:
        return found
    clinic = patient.clinic
    days = rules.default_weekdays(current_schedule(patient))
    return ReminderSettings(
        patient_id=patient.id,
        exercise_enabled=False,
        weekdays=",".join(str(d) for d in days),
        remind_at=clinic.reminder_time or rules.NIGHT_ENDS,
        timezone=clinic.timezone,
        paused_until=None,
        appointments_enabled=True,
    )


def _write_settings(patient: Patient, values: dict) -> None:
    """Insert the patient's row (with the defaults) unless it exists, then update it: two
    statements, and two first saves at the same moment cannot both insert."""
    defaults = settings_for(patient)
    if defaults.id is None:
        row = {name: getattr(defaults, name) for name in SETTING_FIELDS}
        db.session.execute(
            insert_for(db.session, ReminderSettings)
            .values(patient_id=patient.id, updated_at=utcnow(), **{**row, **values})
            .on_conflict_do_nothing(index_elements=["patient_id"])
        )
    db.session.execute(
        update(ReminderSettings)
        .where(ReminderSettings.patient_id == patient.id)
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if defaults.id is not None:
        db.session.expire(defaults)  # the loaded row shows the new values when read again


def save_settings(actor: User, patient: Patient, values: dict) -> None:
    values = {name: values[name] for name in SETTING_FIELDS if name in values}
    _write_settings(patient, values)
    record(Action.UPDATE, actor=actor, patient_id=patient.id, object_type="reminder_settings",
           object_id=patient.id,
           summary=Summary.of("reminder_settings_changed", settings=values))  # fmt: skip
    db.session.commit()


def pause_reminders(actor: User, patient: Patient, until: dt.date | None) -> None:
    """The therapist rests (or resumes) a patient's exercise reminders."""
    _write_settings(patient, {"paused_until": until})
    summary = (
        Summary.of("reminders_paused", until=until) if until else Summary.of("reminders_resumed")
    )
    record(Action.UPDATE, actor=actor, patient_id=patient.id, object_type="reminder_settings",
           object_id=patient.id, summary=summary)  # fmt: skip
    db.session.commit()


# --- appointments -------------------------------------------------------------------------------


def upcoming_appointments(patient: Patient, now: dt.datetime | None = None) -> list[Appointment]:
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Appointment)
            .where(Appointment.patient_id == patient.id, Appointment.starts_at >= now)
            .order_by(Appointment.starts_at)
            .limit(20)
        )
    )


def add_appointment(actor: User, patient: Patient, *, kind: str, starts_at: dt.datetime,
                    duration_minutes: int, remind: bool) -> Appointment:  # fmt: skip
    appointment = Appointment(
        patient_id=patient.id,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        remind=remind,
        created_by_id=actor.id,
    )
    db.session.add(appointment)
    db.session.flush()
    record(Action.CREATE, actor=actor, patient_id=patient.id, object_type="appointment",
           object_id=appointment.id,
           summary=Summary.of("appointment_added", kind=kind, starts_at=starts_at,
                              minutes=duration_minutes, remind=remind))  # fmt: skip
    db.session.commit()
    return appointment


def appointment_for(patient: Patient, appointment_id: int) -> Appointment:
    """One of this patient's appointments, else 404."""
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None or appointment.patient_id != patient.id:
        abort(404)
    return appointment


def cancel_appointment(actor: User, patient: Patient, appointment: Appointment) -> bool:
    """One conditional DELETE: of two cancellations at once, one removes it and is logged."""
    summary = Summary.of(
        "appointment_cancelled", kind=appointment.kind, starts_at=appointment.starts_at
    )
    removed = db.session.execute(
        delete(Appointment)
        .where(Appointment.id == appointment.id)
        .execution_options(synchronize_session=False)
    )
    if removed.rowcount != 1:
        db.session.rollback()
        return False
    record(Action.DELETE, actor=actor, patient_id=patient.id, object_type="appointment",
           object_id=appointment.id, summary=summary)  # fmt: skip
    db.session.commit()
    return True


# --- the calendar link --------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_feed(patient: Patient) -> CalendarFeed | None:
    return db.session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.patient_id == patient.id, CalendarFeed.revoked_at.is_(None)
        )
    )


class FeedConflict(Exception):
    """Another request made a link for this patient at the same moment."""


def new_calendar_link(actor: User, patient: Patient) -> str:
    """Turn the calendar link on, or replace it: the old link stops working at once.
    Returns the token (about 256 random bits), shown once; only its hash is stored."""
    now = utcnow()
    db.session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.patient_id == patient.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(patient_id=patient.id, token_hash=_digest(token), created_at=now)
    db.session.add(feed)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise FeedConflict(patient.id) from error
    record(Action.CREATE, actor=actor, patient_id=patient.id, object_type="calendar_feed",
           object_id=feed.id, summary=Summary.of("calendar_link_made"))  # fmt: skip
    db.session.commit()
    return token


def revoke_calendar_link(actor: User, patient: Patient) -> bool:
    result = db.session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.patient_id == patient.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if result.rowcount:
        record(Action.UPDATE, actor=actor, patient_id=patient.id, object_type="calendar_feed",
               summary=Summary.of("calendar_link_turned_off"))  # fmt: skip
    db.session.commit()
    return bool(result.rowcount)


def feed_for_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 128:
        return None
    return db.session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.token_hash == _digest(token), CalendarFeed.revoked_at.is_(None)
        )
    )


def record_feed_use(feed: CalendarFeed, patient: Patient) -> None:
    """Each fetch of the feed goes into the access log (by whoever holds the link)."""
    feed.last_used_at = utcnow()
    record(Action.VIEW, actor=None, clinic_id=patient.clinic_id, patient_id=patient.id,
           object_type="calendar_feed", object_id=feed.id,
           summary=Summary.of("calendar_feed_read"))  # fmt: skip
    db.session.commit()


# --- unsubscribing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: str


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)
    try:
        data = serializer.loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in ("exercise", "appointment"):
        return None
    if not isinstance(data.get("u"), int):
        return None
    return Unsubscribe(user_id=data["u"], kind=data["k"])


def unsubscribe(request: Unsubscribe) -> Patient | None:
    """Switch that kind of reminder off for the patient of that account (no log-in needed:
    the signed link is the proof). The patient, or None when the account has no record."""
    patient = db.session.scalar(select(Patient).where(Patient.user_id == request.user_id))
    if patient is None:
        return None
    field = "exercise_enabled" if request.kind == "exercise" else "appointments_enabled"
    _write_settings(patient, {field: False})
    record(Action.UPDATE, actor=None, clinic_id=patient.clinic_id, patient_id=patient.id,
           object_type="reminder_settings", object_id=patient.id,
           summary=Summary.of("reminders_unsubscribed", kind=request.kind))  # fmt: skip
    db.session.commit()
    return patient
