"""The periodic job: send the reminders that are due, then the mail that is due.

Run every 5–15 minutes (`flask rehab send-reminders` from cron, or the RQ cron scheduler with
rehab.reminders.rq_cron; docs/deployment.md). It is idempotent: each reminder is one row of
``reminder_deliveries`` under a unique (patient, day, kind) key, inserted with "on conflict do
nothing" in the same transaction as its e-mail, so a second run, or a run on another machine
at the same moment, finds the row taken and sends nothing. A fixed number of queries per run,
whatever the number of patients.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import has_app_context
from sqlalchemy import delete, exists, select

from rehab.auth.models import Clinic, User
from rehab.core.db import insert_for, utcnow
from rehab.extensions import db
from rehab.mail.delivery import deliver_due, remove_old
from rehab.mail.outbox import queue_email, sending_here
from rehab.patients.models import Patient, PatientStatus
from rehab.programmes.models import Programme
from rehab.reminders import rules
from rehab.reminders.models import Appointment, ReminderDelivery, ReminderSettings
from rehab.training.models import TrainingSession

KEEP_DELIVERIES = dt.timedelta(days=60)
_CHUNK = 500


@dataclass
class Candidate:
    patient_id: int
    user: User
    day: dt.date
    params: dict = field(default_factory=dict)


def _claim(kind: str, candidates: list[Candidate]) -> list[Candidate]:
    """Insert the delivery rows; the candidates whose row this run inserted (the others were
    sent already, or are being sent by a concurrent run)."""
    if not candidates:
        return []
    now = utcnow()
    won: set[tuple[int, dt.date]] = set()
    for start in range(0, len(candidates), _CHUNK):
        chunk = candidates[start : start + _CHUNK]
        stmt = (
            insert_for(db.session, ReminderDelivery)
            .values(
                [{"patient_id": c.patient_id, "day": c.day, "kind": kind, "created_at": now}
                 for c in chunk]
            )
            .on_conflict_do_nothing(index_elements=["patient_id", "day", "kind"])
            .returning(ReminderDelivery.patient_id, ReminderDelivery.day)
        )  # fmt: skip
        won.update((row.patient_id, row.day) for row in db.session.execute(stmt))
    return [c for c in candidates if (c.patient_id, c.day) in won]


def _exercise_candidates(now: dt.datetime) -> list[Candidate]:
    has_active_programme = exists().where(
        Programme.patient_id == Patient.id, Programme.status == "active"
    )
    rows = db.session.execute(
        select(ReminderSettings, User, Clinic)
        .join(Patient, Patient.id == ReminderSettings.patient_id)
        .join(User, User.id == Patient.user_id)
        .join(Clinic, Clinic.id == User.clinic_id)
        .where(
            ReminderSettings.exercise_enabled,
            Patient.status == PatientStatus.ACTIVE,
            User.active,
            has_active_programme,
        )
    ).all()
    due = []
    for settings, user, _clinic in rows:
        day = rules.exercise_reminder_day(rules.SessionPlan.of(settings), now)
        if day is not None:
            due.append(Candidate(settings.patient_id, user, day, {"name": user.full_name}))
    if not due:
        return []
    logged = {
        (row.patient_id, row.session_date)
        for row in db.session.execute(
            select(TrainingSession.patient_id, TrainingSession.session_date).where(
                TrainingSession.patient_id.in_({c.patient_id for c in due}),
                TrainingSession.session_date.in_({c.day for c in due}),
            )
        )
    }
    return [c for c in due if (c.patient_id, c.day) not in logged]


def _appointment_candidates(now: dt.datetime) -> list[Candidate]:
    rows = db.session.execute(
        select(Appointment, User, Clinic, ReminderSettings.timezone)
        .join(Patient, Patient.id == Appointment.patient_id)
        .join(User, User.id == Patient.user_id)
        .join(Clinic, Clinic.id == User.clinic_id)
        .outerjoin(ReminderSettings, ReminderSettings.patient_id == Patient.id)
        .where(
            Appointment.remind,
            Appointment.starts_at > now,
            Appointment.starts_at <= now + rules.APPOINTMENT_LEAD,
            Patient.status == PatientStatus.ACTIVE,
            User.active,
            ReminderSettings.appointments_enabled.is_not(False),
        )
        .order_by(Appointment.starts_at)
    ).all()
    first_of_day: dict[tuple[int, dt.date], Candidate] = {}
    for appointment, user, clinic, zone in rows:
        zone = zone or clinic.timezone
        day = rules.appointment_reminder_day(appointment.starts_at, zone, now)
        if day is None or (appointment.patient_id, day) in first_of_day:
            continue  # one reminder a day names the day's first appointment
        params = {
            "name": user.full_name,
            "starts_at": appointment.starts_at.isoformat(),
            "timezone": zone,
        }
        first_of_day[(appointment.patient_id, day)] = Candidate(
            appointment.patient_id, user, day, params
        )
    return list(first_of_day.values())


@dataclass(frozen=True)
class RunReport:
    exercise: int
    appointment: int
    mail: dict


def send_reminders(now: dt.datetime | None = None) -> tuple[int, int]:
    """Queue every reminder due at ``now``, once; the numbers queued (exercise, appointment)."""
    now = now or utcnow()
    exercise = _claim("exercise", _exercise_candidates(now))
    for candidate in exercise:
        queue_email(candidate.user, "exercise_reminder", params=candidate.params)
    appointment = _claim("appointment", _appointment_candidates(now))
    for candidate in appointment:
        queue_email(candidate.user, "appointment_reminder", params=candidate.params)
    db.session.execute(
        delete(ReminderDelivery).where(ReminderDelivery.created_at < now - KEEP_DELIVERIES)
    )
    db.session.commit()
    return len(exercise), len(appointment)


def run_periodic(now: dt.datetime | None = None) -> RunReport:
    """Reminders, then every message that is due (new, retries, claims of a dead process),
    then old messages removed. Sends from this process itself: a cron run may end before a
    background thread would have finished."""
    with sending_here():
        exercise, appointment = send_reminders(now)
        mail = deliver_due(now)
        remove_old(now)
    return RunReport(exercise=exercise, appointment=appointment, mail=mail)


def run_periodic_job() -> None:
    """The RQ cron entry point (rehab.reminders.rq_cron)."""
    if has_app_context():
        run_periodic()
        return
    from rehab import create_app

    with create_app().app_context():
        run_periodic()
