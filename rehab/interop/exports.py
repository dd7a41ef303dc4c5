"""The therapist's CSV exports: a patient's sessions, and the caseload's adherence and
alerts for a period. Every cell goes through the access-log export's formula guard
(rehab.core.spreadsheet), and each export is written to the access log.

Adherence is the progress report's: per calendar week, sessions done within the plan of the
phase in effect that week, out of those planned; sessions beyond the plan are counted as
extra, never as more than 100 %.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from rehab.audit.services import Action, record, record_many
from rehab.audit.summaries import Summary
from rehab.auth.models import Role, User
from rehab.core.spreadsheet import csv_cell
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.models import Programme
from rehab.progress.adherence import PlanShare
from rehab.training.metrics import phase_in_week
from rehab.training.models import Alert, TrainingSession
from rehab.training.schedule import Schedule, monday_of

MAX_DAYS = 371  # a year of calendar weeks


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def mondays(self) -> list[dt.date]:
        first = monday_of(self.start)
        return [first + dt.timedelta(weeks=n) for n in range((self.end - first).days // 7 + 1)]


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    # With a byte-order mark, a spreadsheet opens the file as UTF-8 (names with accents).
    return buffer.getvalue().encode("utf-8-sig")


# --- a patient's sessions ------------------------------------------------------------------

SESSION_COLUMNS = [
    "session_id", "date", "duration_minutes", "session_rpe", "pain_after",
    "highest_pain_during", "exercises_done", "exercises_skipped", "note", "logged_at",
]  # fmt: skip


def sessions_csv(actor: User, patient: Patient, period: Period) -> bytes:
    sessions = db.session.scalars(
        select(TrainingSession)
        .where(
            TrainingSession.patient_id == patient.id,
            TrainingSession.session_date >= period.start,
            TrainingSession.session_date <= period.end,
        )
        .options(selectinload(TrainingSession.exercises))
        .order_by(TrainingSession.session_date, TrainingSession.id)
    ).all()
    rows = []
    for session in sessions:
        pains = [log.pain_during for log in session.exercises if log.pain_during is not None]
        rows.append(
            [
                session.id,
                session.session_date.isoformat(),
                session.duration_minutes,
                session.session_rpe,
                session.pain_after,
                max(pains) if pains else None,
                sum(1 for log in session.exercises if not log.skipped),
                sum(1 for log in session.exercises if log.skipped),
                session.note,
                session.created_at.isoformat(),
            ]
        )
    record(
        Action.EXPORT,
        patient_id=patient.id,
        object_type="training_session",
        summary=Summary.of(
            "sessions_exported", start=period.start, end=period.end, count=len(rows)
        ),
        actor=actor,
    )
    db.session.commit()
    return _csv(SESSION_COLUMNS, rows)


# --- the caseload's adherence and alerts ---------------------------------------------------

CASELOAD_COLUMNS = [
    "patient_id", "last_name", "first_name", "therapist", "period_start", "period_end",
    "sessions_planned", "sessions_done", "sessions_within_plan", "sessions_extra",
    "adherence_pct", "alerts_in_period", "alerts_open", "alert_kinds",
]  # fmt: skip


def caseload_patients(actor: User, scope: str) -> list[Patient]:
    stmt = (
        select(Patient)
        .where(Patient.clinic_id == actor.clinic_id, Patient.status == "active")
        .options(joinedload(Patient.therapist))
        .order_by(Patient.last_name, Patient.first_name, Patient.id)
    )
    if scope == "mine" and actor.role == Role.THERAPIST:
        stmt = stmt.where(Patient.therapist_id == actor.id)
    return list(db.session.scalars(stmt))


def _sessions_per_week(ids: list[int], period: Period) -> dict[int, dict[dt.date, int]]:
    rows = db.session.execute(
        select(TrainingSession.patient_id, TrainingSession.session_date, func.count())
        .where(
            TrainingSession.patient_id.in_(ids),
            TrainingSession.session_date >= period.start,
            TrainingSession.session_date <= period.end,
        )
        .group_by(TrainingSession.patient_id, TrainingSession.session_date)
    )
    weeks: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for patient_id, day, count in rows:
        weeks[patient_id][monday_of(day)] += count
    return weeks


def _programmes(ids: list[int]) -> dict[int, Programme]:
    rows = db.session.scalars(
        select(Programme)
        .where(Programme.patient_id.in_(ids), Programme.status == "active")
        .options(selectinload(Programme.phases))
    )
    return {programme.patient_id: programme for programme in rows}


def _alerts(ids: list[int], period: Period, zone_start, zone_end) -> dict[int, list[Alert]]:
    rows = db.session.scalars(
        select(Alert)
        .where(
            Alert.patient_id.in_(ids), Alert.created_at >= zone_start, Alert.created_at < zone_end
        )
        .order_by(Alert.id)
    )
    found: dict[int, list[Alert]] = defaultdict(list)
    for alert in rows:
        found[alert.patient_id].append(alert)
    return found


def _week_shares(programme, weeks: dict[dt.date, int], period: Period) -> list[PlanShare]:
    phases = sorted(programme.phases, key=lambda p: p.position) if programme else []
    shares = []
    for monday in period.mondays():
        phase = phase_in_week(programme, phases, monday)
        planned = Schedule.of(phase).sessions_prescribed_per_week if phase else None
        shares.append(PlanShare(weeks.get(monday, 0), planned or 0))
    return shares


def caseload_csv(actor: User, period: Period, *, scope: str, clinic_zone) -> bytes:
    """One row per active patient of the caseload: a fixed number of queries however many."""
    patients = caseload_patients(actor, scope)
    ids = [p.id for p in patients]
    weeks = _sessions_per_week(ids, period)
    programmes = _programmes(ids)
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=clinic_zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=clinic_zone)
    alerts = _alerts(ids, period, start.astimezone(dt.UTC), end.astimezone(dt.UTC))
    rows = []
    for patient in patients:
        shares = _week_shares(programmes.get(patient.id), weeks.get(patient.id, {}), period)
        planned = sum(s.planned for s in shares)
        done = sum(s.done for s in shares)
        within = sum(min(s.done, s.planned) for s in shares)
        found = alerts.get(patient.id, [])
        rows.append(
            [
                patient.id,
                patient.last_name,
                patient.first_name,
                patient.therapist.full_name,
                period.start.isoformat(),
                period.end.isoformat(),
                planned,
                done,
                within,
                done - within,
                round(100 * within / planned) if planned else None,
                len(found),
                sum(1 for a in found if a.acknowledged_at is None),
                " ".join(sorted({a.kind for a in found})),
            ]
        )
    record_many(
        Action.EXPORT,
        patient_ids=ids,
        object_type="progress",
        summary=Summary.of("caseload_exported", start=period.start, end=period.end),
        actor=actor,
    )
    db.session.commit()
    return _csv(CASELOAD_COLUMNS, rows)
