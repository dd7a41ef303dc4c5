"""What is open per patient, for lists of patients (the dashboard, the caseload, the patient's
page): open suggestions and alerts, alert counts, the last day logged. One query each,
whatever the number of patients.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from rehab.extensions import db
from rehab.programmes.models import Suggestion
from rehab.training.models import Alert, TrainingSession


def open_suggestions(patient_ids) -> list[Suggestion]:
    ids = list(patient_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Suggestion)
            .where(Suggestion.patient_id.in_(ids), Suggestion.status == "open")
            .order_by(Suggestion.patient_id, Suggestion.created_at.desc(), Suggestion.id)
        )
    )


def open_alerts(patient_ids, *, per_patient: int | None = None) -> list[Alert]:
    """Open alerts by patient, most urgent first; ``per_patient`` keeps each one's first N."""
    from rehab.training.alerts import severity_order

    ids = list(patient_ids)
    if not ids:
        return []
    urgency = (severity_order(), Alert.created_at.desc(), Alert.id)
    stmt = select(Alert).where(Alert.patient_id.in_(ids), Alert.acknowledged_at.is_(None))
    if per_patient is not None:
        rank = func.row_number().over(partition_by=Alert.patient_id, order_by=urgency).label("rank")
        ranked = stmt.add_columns(rank).subquery()
        shown = aliased(Alert, ranked)
        stmt = select(shown).where(ranked.c.rank <= per_patient)
        return list(db.session.scalars(stmt.order_by(ranked.c.patient_id, ranked.c.rank)))
    return list(db.session.scalars(stmt.order_by(Alert.patient_id, *urgency)))


def open_alert_counts(patient_ids) -> dict[int, int]:
    """The number of open alerts per patient (one aggregate query)."""
    ids = list(patient_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Alert.patient_id, func.count(Alert.id))
        .where(Alert.patient_id.in_(ids), Alert.acknowledged_at.is_(None))
        .group_by(Alert.patient_id)
    ).all()
    return dict(rows)


def latest_alerts(patient_ids) -> dict[int, Alert]:
    """Per patient, the most urgent open alert (for the caseload: one query a page)."""
    latest: dict[int, Alert] = {}
    for alert in open_alerts(patient_ids):  # ordered by patient, then urgency
        latest.setdefault(alert.patient_id, alert)
    return latest


def last_logged_days(patient_ids) -> dict[int, dt.date]:
    """The latest session day per patient (one aggregate query)."""
    ids = list(patient_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(TrainingSession.patient_id, func.max(TrainingSession.session_date))
        .where(TrainingSession.patient_id.in_(ids))
        .group_by(TrainingSession.patient_id)
    ).all()
    return dict(rows)
