"""The therapist's decisions: accepting or dismissing a suggestion, acknowledging an alert.

Each decision is claimed with one conditional write: of two decisions at the same moment one
wins and the other is refused ("closed") and writes nothing.
"""

from __future__ import annotations

import datetime as dt

from flask import abort
from sqlalchemy import select, update

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.core.concurrency import claim
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.patients.services import patient_for
from rehab.programmes.models import Prescription, PrescriptionVersion, Suggestion
from rehab.training.models import Alert


class DecisionRefused(Exception):
    """A suggestion or alert that was already decided, or whose dose changed meanwhile."""


def suggestion_for(actor, patient_id: int, suggestion_id: int) -> tuple[Patient, Suggestion]:
    patient = patient_for(actor, patient_id, what="suggestion")
    suggestion = db.session.scalar(
        select(Suggestion).where(
            Suggestion.id == suggestion_id, Suggestion.patient_id == patient.id
        )
    )
    if suggestion is None:
        abort(404)
    return patient, suggestion


def alert_for(actor, patient_id: int, alert_id: int) -> tuple[Patient, Alert]:
    patient = patient_for(actor, patient_id, what="alert")
    alert = db.session.scalar(
        select(Alert).where(Alert.id == alert_id, Alert.patient_id == patient.id)
    )
    if alert is None:
        abort(404)
    return patient, alert


def accept_suggestion(
    actor,
    patient: Patient,
    suggestion: Suggestion,
    *,
    today: dt.date,
    reason: str | None = None,
    note: str | None = None,
) -> PrescriptionVersion | None:
    """Apply the suggested dose (or ladder step) as the prescription's next version.

    The old dose stays in the prescription's history; a dose changed since the suggestion
    was made refuses it (the therapist decides on what they saw). The decision is claimed
    first, with one conditional write: of two decisions at the same moment one wins, the
    other is refused ("closed") and writes nothing.
    """
    from rehab.programmes.dosing import DoseChanged, change_dose, from_snapshot
    from rehab.programmes.reasons import accepted_values

    if not _decide(suggestion, "accepted", actor, note):
        raise DecisionRefused("closed")
    prescription = db.session.get(Prescription, suggestion.prescription_id, populate_existing=True)
    if prescription is None or prescription.current_version != suggestion.based_on_version:
        db.session.rollback()
        _set_aside(suggestion)
        raise DecisionRefused("stale")
    try:
        version = change_dose(
            prescription,
            from_snapshot(suggestion.new_dose or {}),
            actor=actor,
            reason=reason,  # the therapist's own words, if any; the system's are a code
            reason_code=None if reason else "suggestion_accepted",
            reason_values=None if reason else accepted_values(suggestion),
            exercise_id=suggestion.new_exercise_id,
            suggestion_id=suggestion.id,
            today=today,
        )
    except DoseChanged:  # the builder saved a new dose since the prescription was read
        db.session.rollback()
        _set_aside(suggestion)
        raise DecisionRefused("stale") from None
    record(
        Action.UPDATE,
        patient_id=patient.id,
        object_type="suggestion",
        object_id=suggestion.id,
        summary=Summary.of(
            "suggestion_accepted",
            action=suggestion.action,
            prescription_id=prescription.id,
            from_version=suggestion.based_on_version,
            to_version=prescription.current_version,
        ),
        actor=actor,
    )
    resolve_evidence_alerts(actor, patient, suggestion, note)
    db.session.commit()
    return version


def dismiss_suggestion(actor, patient: Patient, suggestion: Suggestion, note: str | None) -> None:
    if not _decide(suggestion, "dismissed", actor, note):
        raise DecisionRefused("closed")
    record(
        Action.UPDATE,
        patient_id=patient.id,
        object_type="suggestion",
        object_id=suggestion.id,
        summary=Summary.of("suggestion_dismissed", action=suggestion.action, note=note or None),
        actor=actor,
    )
    resolve_evidence_alerts(actor, patient, suggestion, note)
    db.session.commit()


def _decide(suggestion: Suggestion, status: str, actor, note: str | None) -> bool:
    """Claim the decision: False (and nothing written) when it is no longer open."""
    from rehab.core.db import utcnow

    decided = claim(
        suggestion,
        Suggestion.status == "open",
        status=status,
        decided_by_id=actor.id,
        decided_at=utcnow(),
        note=note,
    )
    if not decided:
        db.session.rollback()
    return decided


def _set_aside(suggestion: Suggestion) -> None:
    """The dose changed since the suggestion was made: an open one is superseded (the
    claimed decision was rolled back first; one decided meanwhile stays as it is)."""
    claim(suggestion, Suggestion.status == "open", status="superseded")
    db.session.commit()


def evidence_alerts(suggestion: Suggestion) -> list[Alert]:
    """The open alerts a suggestion rests on (rehab.training.evidence.rests_on)."""
    from rehab.training.evidence import rests_on

    if suggestion.action != "regress":
        return []
    alerts = db.session.scalars(
        select(Alert).where(
            Alert.patient_id == suggestion.patient_id,
            Alert.kind == "pain_red",
            Alert.acknowledged_at.is_(None),
        )
    ).all()
    return [alert for alert in alerts if rests_on(suggestion, alert)]


def resolve_evidence_alerts(actor, patient: Patient, suggestion: Suggestion, note: str | None):
    """The decision on a suggestion answers the alerts that were its evidence: they are
    acknowledged with the same note, pointing at the decision (one UPDATE; an alert someone
    acknowledged meanwhile keeps their acknowledgement). Part of the caller's transaction."""
    from rehab.core.db import utcnow

    alerts = evidence_alerts(suggestion)
    if not alerts:
        return
    db.session.execute(
        update(Alert)
        .where(Alert.id.in_([a.id for a in alerts]), Alert.acknowledged_at.is_(None))
        .values(
            acknowledged_at=utcnow(),
            acknowledged_by_id=actor.id,
            acknowledgement_note=note,
            resolved_by_suggestion_id=suggestion.id,
        )
        .execution_options(synchronize_session="fetch")
    )
    for alert in alerts:
        record(
            Action.UPDATE,
            patient_id=patient.id,
            object_type="alert",
            object_id=alert.id,
            summary=Summary.of(
                "alert_resolved_by_decision",
                suggestion_id=suggestion.id,
                status=suggestion.status,
                note=note or None,
            ),
            actor=actor,
        )


def acknowledge_alert(actor, patient: Patient, alert: Alert, note: str | None) -> None:
    from rehab.core.db import utcnow

    acknowledged = claim(
        alert,
        Alert.acknowledged_at.is_(None),
        acknowledged_at=utcnow(),
        acknowledged_by_id=actor.id,
        acknowledgement_note=note,
    )
    if not acknowledged:
        db.session.rollback()
        raise DecisionRefused("closed")
    record(
        Action.UPDATE,
        patient_id=patient.id,
        object_type="alert",
        object_id=alert.id,
        summary=Summary.of(
            "alert_acknowledged", kind=alert.kind, key=alert.dedupe_key, note=note or None
        ),
        actor=actor,
    )
    db.session.commit()
