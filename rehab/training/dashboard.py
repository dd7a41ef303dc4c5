"""The therapist's dashboard: the caseload (or the clinic), most urgent first.

A fixed number of queries for a page of patients, whatever the size of the clinic
(tests/test_scale_query_counts.py pins them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from rehab.auth.models import Role
from rehab.core.clock import clinic_today
from rehab.extensions import db
from rehab.patients.models import Patient, PatientStatus
from rehab.programmes.models import Prescription, Programme, Suggestion
from rehab.training import open_items
from rehab.training.alerts import scan_clinic_daily, severity_order
from rehab.training.evaluation import settle
from rehab.training.evidence import AlertView, alert_exercise_ids, alert_view, exercise_names
from rehab.training.models import Alert, TrainingSession
from rehab.training.schedule import monday_of
from rehab.training.wording import describe

DASHBOARD_PAGE_SIZE = 20
# The most urgent open alerts a dashboard row shows; the rest are counted and linked to the
# progress page (a patient nobody looked at for weeks should not make the page unbounded).
DASHBOARD_ALERTS_SHOWN = 3


@dataclass(frozen=True)
class SuggestionLine:
    """An open suggestion in one line: the decision, the exercise, its first reason. The
    doses and the decision itself are on the progress page, one click away."""

    action: str
    exercise_name: str
    new_exercise_name: str | None
    reason: str | None


@dataclass
class DashboardRow:
    """One patient of the triage list: the most urgent thing first, the rest on demand."""

    patient: Patient
    alerts: list[AlertView]
    alert_count: int
    suggestions: list[SuggestionLine]
    last_session: dt.date | None
    has_programme: bool
    load_this_week: float | None
    load_last_week: float | None

    @property
    def more_alerts(self) -> int:
        return self.alert_count - len(self.alerts)

    @property
    def top(self) -> AlertView | None:
        return self.alerts[0] if self.alerts else None


def dashboard_statement(actor, scope: str):
    """The caseload (or clinic), most urgent first: open alerts by severity, then suggestions."""
    # The counts cover the patients listed only: a therapist's own caseload need not
    # aggregate the open alerts of a whole clinic chain (benchmarks/README.md).
    shown = select(Patient.id).where(*_listed(actor, scope))
    alert_stats = (
        select(
            Alert.patient_id.label("patient_id"),
            func.min(severity_order()).label("rank"),
            func.count(Alert.id).label("count"),
        )
        .where(Alert.acknowledged_at.is_(None), Alert.patient_id.in_(shown))
        .group_by(Alert.patient_id)
        .subquery()
    )
    suggestion_stats = (
        select(Suggestion.patient_id.label("patient_id"), func.count(Suggestion.id).label("count"))
        .where(Suggestion.status == "open", Suggestion.patient_id.in_(shown))
        .group_by(Suggestion.patient_id)
        .subquery()
    )
    stmt = (
        select(Patient)
        .outerjoin(alert_stats, alert_stats.c.patient_id == Patient.id)
        .outerjoin(suggestion_stats, suggestion_stats.c.patient_id == Patient.id)
        .where(*_listed(actor, scope))
        .options(joinedload(Patient.therapist))
        .order_by(
            func.coalesce(alert_stats.c.rank, 9),
            func.coalesce(alert_stats.c.count, 0).desc(),
            func.coalesce(suggestion_stats.c.count, 0).desc(),
            Patient.last_name,
            Patient.first_name,
            Patient.id,
        )
    )
    return stmt


def _listed(actor, scope: str):
    """The patients the dashboard lists: the clinic's active ones, or the caseload's."""
    where = [Patient.clinic_id == actor.clinic_id, Patient.status == PatientStatus.ACTIVE]
    if scope == "mine" and actor.role == Role.THERAPIST:
        where.append(Patient.therapist_id == actor.id)
    return where


def dashboard_versions(actor, *, scope: str) -> tuple[dt.date, tuple]:
    """Scan the clinic's alerts (set-based, once a day), then the listed patients' change
    counters (one query): while they are the same, so is the list (rehab.core.fragments).
    A listed patient's evaluation still due runs first (rehab.training.evaluation)."""
    today = clinic_today(actor.clinic)
    scan_clinic_daily(actor.clinic, today)
    statement = (
        select(Patient.id, Patient.data_version, Patient.evaluation_due)
        .where(*_listed(actor, scope))
        .order_by(Patient.id)
    )
    rows = db.session.execute(statement).all()
    if settle(row.id for row in rows if row.evaluation_due):
        rows = db.session.execute(statement).all()  # their counters moved
    return today, tuple((row.id, row.data_version) for row in rows)


def dashboard_page(actor, *, scope: str, page: int, today: dt.date) -> dict:
    """One page of patients, most urgent first (after ``dashboard_versions``' scan)."""
    pagination = db.paginate(
        dashboard_statement(actor, scope),
        page=page,
        per_page=DASHBOARD_PAGE_SIZE,
        error_out=False,
    )
    patients = list(pagination.items)
    ids = [p.id for p in patients]
    shown_alerts = open_items.open_alerts(ids, per_patient=DASHBOARD_ALERTS_SHOWN)
    alert_counts = open_items.open_alert_counts(ids)
    suggestions = open_items.open_suggestions(ids)
    prescriptions = _prescriptions([s.prescription_id for s in suggestions])
    names = exercise_names(
        [p.exercise_id for p in prescriptions.values()]
        + [s.new_exercise_id for s in suggestions if s.new_exercise_id]
        + alert_exercise_ids(shown_alerts)
    )
    alerts: dict[int, list[AlertView]] = defaultdict(list)
    for alert in shown_alerts:
        alerts[alert.patient_id].append(alert_view(alert, names))
    by_patient: dict[int, list[SuggestionLine]] = defaultdict(list)
    for suggestion in suggestions:
        by_patient[suggestion.patient_id].append(
            _line(suggestion, prescriptions.get(suggestion.prescription_id), names)
        )
    last = open_items.last_logged_days(ids)
    programmes = _with_programme(ids)
    loads = _weekly_loads(ids, today)
    this_week, last_week = monday_of(today), monday_of(today) - dt.timedelta(weeks=1)
    rows = [
        DashboardRow(
            patient=p,
            alerts=alerts.get(p.id, []),
            alert_count=alert_counts.get(p.id, 0),
            suggestions=by_patient.get(p.id, []),
            last_session=last.get(p.id),
            has_programme=p.id in programmes,
            load_this_week=loads.get((p.id, this_week)),
            load_last_week=loads.get((p.id, last_week)),
        )
        for p in patients
    ]
    return {"pagination": pagination, "rows": rows, "today": today}


def _line(suggestion: Suggestion, prescription, names: dict[int, str]) -> SuggestionLine:
    reasons = suggestion.reasons or []
    return SuggestionLine(
        action=suggestion.action,
        exercise_name=names.get(prescription.exercise_id, "") if prescription else "",
        new_exercise_name=names.get(suggestion.new_exercise_id)
        if suggestion.new_exercise_id
        else None,
        reason=describe(reasons[0], names) if reasons else None,
    )


def _prescriptions(ids) -> dict[int, Prescription]:
    ids = set(ids)
    if not ids:
        return {}
    return {
        p.id: p for p in db.session.scalars(select(Prescription).where(Prescription.id.in_(ids)))
    }


def _with_programme(patient_ids) -> set[int]:
    if not patient_ids:
        return set()
    return set(
        db.session.scalars(
            select(Programme.patient_id).where(
                Programme.patient_id.in_(patient_ids), Programme.status == "active"
            )
        )
    )


def _weekly_loads(patient_ids, today: dt.date) -> dict[tuple[int, dt.date], float]:
    """This week's and last week's load per patient (daily sums in SQL, at most 14 a patient)."""
    if not patient_ids:
        return {}
    last_week = monday_of(today) - dt.timedelta(weeks=1)
    rows = db.session.execute(
        select(
            TrainingSession.patient_id,
            TrainingSession.session_date,
            func.sum(TrainingSession.session_rpe * TrainingSession.duration_minutes),
        )
        .where(
            TrainingSession.patient_id.in_(patient_ids),
            TrainingSession.session_date >= last_week,
            TrainingSession.session_date <= today,
        )
        .group_by(TrainingSession.patient_id, TrainingSession.session_date)
    ).all()
    totals: dict[tuple[int, dt.date], float] = defaultdict(float)
    for patient_id, day, load in rows:
        totals[(patient_id, monday_of(day))] += float(load)
    return dict(totals)
