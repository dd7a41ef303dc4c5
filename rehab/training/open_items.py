"""What is open per patient, for lists of patients (the dashboard, the caseload, the patient's
page): open suggestions and alerts. One query each, whatever the number of patients (the
dashboard counts alerts and finds the last day logged in its own statement).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from rehab.extensions import db
from rehab.programmes.models import Suggestion
from rehab.training.models import Alert


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


def latest_alerts(patient_ids) -> dict[int, Alert]:
    """Per patient, the most urgent open alert (for the caseload: one query a page)."""
    latest: dict[int, Alert] = {}
    for alert in open_alerts(patient_ids):  # ordered by patient, then urgency
        latest.setdefault(alert.patient_id, alert)
    return latest
