"""Alerts for the therapist, raised set-based for many patients at once.

``scan_alerts`` reads a bounded window (six weeks) of sessions and check-ins for all the
patients it scans in a fixed number of queries, applies the rules of rehab.progress with
the clinic's thresholds to each patient's rows (rehab.training.findings), and writes the
findings in one INSERT that skips what was already raised (the unique patient + kind +
period index decides, also when two scans race):

- ``pain_red`` (alert): a recent session red by the pain-monitoring model (Silbernagel
  2007) — pain during above the clinic's limit (one alert per exercise and week), pain after
  above 5 or the next morning above baseline (one per week; rehab.training.pain_alerts). A
  rising
  weekly trend is its own finding (``pain_rising``) rather than a red on every session.
- ``two_week_alert`` (alert) / ``week_on_week_caution`` (caution): a complete week's load
  above the clinic's thresholds (Nielsen 2014), for the last two complete weeks.
- ``session_spike`` (alert): a recent session above the 30-day maximum (BJSM 2025).
- ``acwr_high`` (caution): only when the clinic turned ACWR alerts on (Impellizzeri 2020).
- ``morning_stiffness``, ``sleep_worse``, ``pain_rising`` (review): the check-ins' warning
  signs, for the therapist's review rather than the load rules (domain.md §3, §8).
- ``no_logs`` (caution): nothing logged for more than the clinic's number of days.
- ``warning_signs`` (alert): a check-in with pain spreading into a leg, numbness, or bladder
  or bowel changes (the patient was shown the clinic's safety net).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from rehab.auth.models import Clinic
from rehab.extensions import db
from rehab.patients.models import Patient, PatientStatus
from rehab.programmes.models import Programme
from rehab.training.findings import (
    RECENT_DAYS,
    WINDOW_WEEKS,
    CheckInRow,
    PatientFindings,
    SessionRow,
    Target,
)
from rehab.training.models import Alert, CheckIn, TrainingSession
from rehab.training.pain_alerts import exercise_pains, upsert_open_alerts
from rehab.training.schedule import monday_of

# Most urgent first: a red pain response, then load spikes, then warning signs to review,
# then cautions (dashboard order; the severity is what the badge says).
URGENCY = {
    "pain_red": 0,
    "warning_signs": 0,
    "two_week_alert": 1,
    "session_spike": 1,
    "morning_stiffness": 2,
    "pain_rising": 2,
    "sleep_worse": 2,
    "week_on_week_caution": 3,
    "acwr_high": 3,
    "no_logs": 3,
}


def severity_order():
    """SQL ordering of alerts, most urgent first (see URGENCY)."""
    return case(URGENCY, value=Alert.kind, else_=len(URGENCY))


def scan_alerts(
    *,
    today: dt.date,
    clinic_ids: Sequence[int] | None = None,
    patient_ids: Sequence[int] | None = None,
) -> int:
    """Raise the alerts due for these clinics' or patients' active programmes.

    A fixed number of queries whatever the number of patients; returns how many alert
    rows were offered (already raised ones are skipped by the database). Caller commits.
    """
    targets_stmt = _targets_statement(clinic_ids, patient_ids)
    targets = [
        Target(patient_id, clinic, started)
        for patient_id, clinic, started in db.session.execute(targets_stmt).all()
    ]
    if not targets:
        return 0
    return _scan(targets, targets_stmt.with_only_columns(Patient.id).scalar_subquery(), today)


def scan_patient_alerts(patient: Patient, programme: Programme, *, today: dt.date) -> int:
    """``scan_alerts`` for one patient, with the active programme the caller has loaded (a
    session just logged against it): the same findings, without reading the patient, the
    clinic and the programme again. Caller commits."""
    if programme.status != "active" or patient.status != PatientStatus.ACTIVE:
        return 0
    target = Target(patient.id, patient.clinic, programme.started_on)
    return _scan([target], [patient.id], today, look_up_quiet=False)


def _scan(targets: list[Target], ids, today: dt.date, *, look_up_quiet: bool = True) -> int:
    """The findings for these targets; ``ids`` selects their patients (a list or a subquery).
    ``look_up_quiet=False``: none of them can be quiet all window (each has just logged),
    so their last logging before it is not looked up."""
    window_start = monday_of(today) - dt.timedelta(weeks=WINDOW_WEEKS)
    sessions = _sessions(ids, window_start, today)
    # Whole weeks around the recent sessions: a red squat earlier in the week counts too.
    pains = exercise_pains(ids, monday_of(today - dt.timedelta(days=RECENT_DAYS)), today)
    check_ins = _check_ins(ids, window_start, today)
    # The last day with any logging: from the window, or (for patients quiet all window)
    # from their older history — one query either way.
    active = set(sessions) | set(check_ins)
    quiet = [t.patient_id for t in targets if t.patient_id not in active]
    last_logged = _last_logged(quiet, window_start) if quiet or look_up_quiet else {}
    for target in targets:
        if target.patient_id in active:
            rows = [*sessions.get(target.patient_id, []), *check_ins.get(target.patient_id, [])]
            last_logged[target.patient_id] = _last_activity(rows, target.clinic)
    rows: list[dict] = []
    for target in targets:
        finder = PatientFindings(
            target,
            today,
            window_start,
            sessions.get(target.patient_id, []),
            check_ins.get(target.patient_id, []),
            pains,
        )
        rows.extend(finder.all(last_logged.get(target.patient_id)))
    upsert_open_alerts(rows)
    return len(rows)


def scan_clinic_daily(clinic: Clinic, today: dt.date) -> bool:
    """Scan a clinic once a day: on the first dashboard load, unless a scan ran today.

    The findings a scan can add without new logging change with the date only (a week
    ends, a gap grows); new logging scans its own patient at once. The day of the last scan
    is kept on the clinic, so one app process (or the nightly ``scan-alerts``) does it for
    all; each process also remembers it, so later loads send nothing. Returns whether it ran.
    """
    done = current_app.extensions.setdefault("training_alert_scans", {})
    if done.get(clinic.id) == today:
        return False
    ran = False
    if clinic.alerts_scanned_on is None or clinic.alerts_scanned_on < today:
        ran = claim_daily_scan(clinic.id, today)
        if ran:
            scan_alerts(today=today, clinic_ids=[clinic.id])
        db.session.commit()  # ends the claim's write transaction, scanned or not
    done[clinic.id] = today
    return ran


def claim_daily_scan(clinic_id: int, today: dt.date) -> bool:
    """Mark the clinic scanned today; False when it already was (by this or another process).

    One UPDATE: a second process waits for the first one's transaction and then finds the
    day already set, so two app servers do not both scan.
    """
    result = db.session.execute(
        update(Clinic)
        .where(
            Clinic.id == clinic_id,
            or_(Clinic.alerts_scanned_on.is_(None), Clinic.alerts_scanned_on < today),
        )
        .values(alerts_scanned_on=today)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _targets_statement(clinic_ids, patient_ids):
    stmt = (
        select(Patient.id, Clinic, Programme.started_on)
        .join(Clinic, Clinic.id == Patient.clinic_id)
        .join(
            Programme,
            (Programme.patient_id == Patient.id) & (Programme.status == "active"),
        )
        .where(Patient.status == PatientStatus.ACTIVE)
    )
    if clinic_ids is not None:
        stmt = stmt.where(Patient.clinic_id.in_(list(clinic_ids)))
    if patient_ids is not None:
        stmt = stmt.where(Patient.id.in_(list(patient_ids)))
    return stmt


def _sessions(ids, start: dt.date, end: dt.date) -> dict[int, list[SessionRow]]:
    rows = db.session.execute(
        select(
            TrainingSession.patient_id,
            TrainingSession.id,
            TrainingSession.session_date,
            TrainingSession.session_rpe,
            TrainingSession.duration_minutes,
            TrainingSession.created_at,
            TrainingSession.pain_after,
        )
        .where(
            TrainingSession.patient_id.in_(ids),
            TrainingSession.session_date >= start,
            TrainingSession.session_date <= end,
        )
        .order_by(TrainingSession.session_date, TrainingSession.id)
    ).all()
    grouped: dict[int, list[SessionRow]] = defaultdict(list)
    for patient_id, *values in rows:
        grouped[patient_id].append(SessionRow(*values))
    return grouped


def _check_ins(ids, start: dt.date, end: dt.date) -> dict[int, list[CheckInRow]]:
    rows = db.session.execute(
        select(
            CheckIn.patient_id,
            CheckIn.id,
            CheckIn.check_date,
            CheckIn.morning_pain,
            CheckIn.stiffness_minutes,
            CheckIn.sleep_quality,
            CheckIn.created_at,
            CheckIn.leg_pain_spreading,
            CheckIn.numbness,
            CheckIn.bladder_bowel,
        )
        .where(CheckIn.patient_id.in_(ids), CheckIn.check_date >= start, CheckIn.check_date <= end)
        .order_by(CheckIn.check_date)
    ).all()
    grouped: dict[int, list[CheckInRow]] = defaultdict(list)
    for patient_id, *values in rows:
        grouped[patient_id].append(CheckInRow(*values))
    return grouped


def _last_logged(patient_ids: list[int], before: dt.date) -> dict[int, dt.date]:
    """The latest day before ``before`` with a session or a check-in, per patient.

    One aggregate query, run even for no patients so that the scan's count stays fixed.
    """
    days = (
        select(
            TrainingSession.patient_id.label("patient_id"),
            TrainingSession.session_date.label("day"),
        )
        .where(TrainingSession.patient_id.in_(patient_ids), TrainingSession.session_date < before)
        .union_all(
            select(CheckIn.patient_id, CheckIn.check_date).where(
                CheckIn.patient_id.in_(patient_ids), CheckIn.check_date < before
            )
        )
        .subquery()
    )
    rows = db.session.execute(
        select(days.c.patient_id, func.max(days.c.day)).group_by(days.c.patient_id)
    ).all()
    return {patient_id: _as_date(day) for patient_id, day in rows}


def _last_activity(rows, clinic) -> dt.date:
    """The latest day logged *or logged on*: a patient filling in last week today is active."""
    zone = ZoneInfo(clinic.timezone)
    return max(max(row.day, row.created_at.astimezone(zone).date()) for row in rows)


def _as_date(value) -> dt.date:
    # SQLite returns MAX() over a UNION as text: the column type is lost in the union.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def insert_ignoring_conflicts(table, rows: list[dict]) -> None:
    """One INSERT for all rows; rows that hit a unique index are skipped (both databases)."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(table).on_conflict_do_nothing(), rows)
