"""The therapist's dashboard: the caseload (or the clinic), most urgent first.

A fixed number of queries for a page of patients, whatever the size of the clinic
(tests/test_scale_query_counts.py pins them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from rehab.auth.models import Role
from rehab.core.clock import clinic_today
from rehab.extensions import db
from rehab.patients.models import Patient, PatientStatus
from rehab.programmes.models import Prescription, Programme, Suggestion
from rehab.training import open_items
from rehab.training.alerts import scan_clinic_daily, severity_order
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


def dashboard_statement(actor, scope: str, today: dt.date):
    """The caseload (or clinic), most urgent first: open alerts by severity, then suggestions.

    Each row is the patient with what their line shows beside the alerts and suggestions:
    the number of open alerts, the last day logged, whether a programme is active, and this
    week's and last week's load (subqueries by patient, so one statement for the page).
    """
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
    this_week = monday_of(today)
    return (
        select(
            Patient,
            func.coalesce(alert_stats.c.count, 0).label("alert_count"),
            _sessions_of_patient(func.max(TrainingSession.session_date)).label("last_session"),
            select(Programme.id)
            .where(Programme.patient_id == Patient.id, Programme.status == "active")
            .exists()
            .label("has_programme"),
            _sessions_of_patient(
                func.sum(TrainingSession.load),
                TrainingSession.session_date.between(this_week, today),
            ).label("load_this_week"),
            _sessions_of_patient(
                func.sum(TrainingSession.load),
                TrainingSession.session_date.between(
                    this_week - dt.timedelta(weeks=1), this_week - dt.timedelta(days=1)
                ),
            ).label("load_last_week"),
        )
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


def _sessions_of_patient(aggregate, *where):
    """``aggregate`` over the listed patient's sessions (a scalar subquery per row)."""
    return (
        select(aggregate)
        .where(TrainingSession.patient_id == Patient.id, *where)
        .correlate(Patient)
        .scalar_subquery()
    )


class _DashboardPagination(Pagination):
    """One page of the dashboard's rows. The total is the number of listed patients, which
    ``dashboard_versions`` has just counted: no count query."""

    def _query_items(self) -> list:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(db.session.execute(statement).all())

    def _query_count(self) -> int:
        return self._query_args["total"]


def _listed(actor, scope: str):
    """The patients the dashboard lists: the clinic's active ones, or the caseload's."""
    where = [Patient.clinic_id == actor.clinic_id, Patient.status == PatientStatus.ACTIVE]
    if scope == "mine" and actor.role == Role.THERAPIST:
        where.append(Patient.therapist_id == actor.id)
    return where


def dashboard_versions(actor, *, scope: str) -> tuple[dt.date, tuple]:
    """Scan the clinic's alerts (set-based, once a day), then the listed patients' change
    counters (one query): while they are the same, so is the list (rehab.core.fragments)."""
    today = clinic_today(actor.clinic)
    scan_clinic_daily(actor.clinic, today)
    rows = db.session.execute(
        select(Patient.id, Patient.data_version).where(*_listed(actor, scope)).order_by(Patient.id)
    )
    return today, tuple(tuple(row) for row in rows)


def dashboard_listing(actor, *, scope: str, page: int, today: dt.date, total: int):
    """One page of patients, most urgent first, with what each line shows beside its alerts
    and suggestions (after ``dashboard_versions``' scan; ``total`` is the number of patients
    it listed). One statement."""
    return _DashboardPagination(
        page=page,
        per_page=DASHBOARD_PAGE_SIZE,
        error_out=False,
        select=dashboard_statement(actor, scope, today),
        total=total,
    )


def dashboard_rows(found: list) -> list[DashboardRow]:
    """The rows of these listed patients (rows of ``dashboard_listing``): their most urgent
    alerts and open suggestions, worded (three queries, whatever their number)."""
    ids = [row.Patient.id for row in found]
    shown_alerts = open_items.open_alerts(ids, per_patient=DASHBOARD_ALERTS_SHOWN)
    suggestions = _open_suggestions(ids)
    names = exercise_names(
        [exercise_id for _, exercise_id in suggestions if exercise_id]
        + [s.new_exercise_id for s, _ in suggestions if s.new_exercise_id]
        + alert_exercise_ids(shown_alerts)
    )
    alerts: dict[int, list[AlertView]] = defaultdict(list)
    for alert in shown_alerts:
        alerts[alert.patient_id].append(alert_view(alert, names))
    by_patient: dict[int, list[SuggestionLine]] = defaultdict(list)
    for suggestion, exercise_id in suggestions:
        by_patient[suggestion.patient_id].append(_line(suggestion, exercise_id, names))
    return [
        DashboardRow(
            patient=row.Patient,
            alerts=alerts.get(row.Patient.id, []),
            alert_count=row.alert_count,
            suggestions=by_patient.get(row.Patient.id, []),
            last_session=row.last_session,
            has_programme=bool(row.has_programme),
            load_this_week=_float(row.load_this_week),
            load_last_week=_float(row.load_last_week),
        )
        for row in found
    ]


def _float(value) -> float | None:
    return None if value is None else float(value)


def _open_suggestions(patient_ids) -> list[tuple[Suggestion, int | None]]:
    """The open suggestions of these patients with their prescription's exercise (one query)."""
    if not patient_ids:
        return []
    return [
        (suggestion, exercise_id)
        for suggestion, exercise_id in db.session.execute(
            select(Suggestion, Prescription.exercise_id)
            .outerjoin(Prescription, Prescription.id == Suggestion.prescription_id)
            .where(Suggestion.patient_id.in_(patient_ids), Suggestion.status == "open")
            .order_by(Suggestion.patient_id, Suggestion.created_at.desc(), Suggestion.id)
        )
    ]


def _line(suggestion: Suggestion, exercise_id: int | None, names: dict[int, str]) -> SuggestionLine:
    reasons = suggestion.reasons or []
    return SuggestionLine(
        action=suggestion.action,
        exercise_name=names.get(exercise_id, "") if exercise_id else "",
        new_exercise_name=names.get(suggestion.new_exercise_id)
        if suggestion.new_exercise_id
        else None,
        reason=describe(reasons[0], names) if reasons else None,
    )
