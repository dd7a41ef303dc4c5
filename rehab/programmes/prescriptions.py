"""Prescribing in the builder: an exercise added to a phase with its dose and rule, its dose
changed (a new version, through rehab.programmes.dosing), moved, or taken out again.
"""

from __future__ import annotations

from rehab.audit.services import Action
from rehab.audit.summaries import Summary
from rehab.auth.models import User
from rehab.core.clock import clinic_today
from rehab.core.db import utcnow
from rehab.core.i18n import gettext as _
from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.programmes.dosing import DoseChanged, change_dose, record_first_version
from rehab.programmes.models import Phase, Prescription, PrescriptionVersion, Programme
from rehab.programmes.services import (
    PRESCRIPTION_FIELDS,
    BuilderError,
    ProgrammeChanged,
    active_prescriptions,
    expect_version,
    logged_counts,
    save_change,
)


def add_prescription(
    actor: User,
    programme: Programme,
    phase: Phase,
    exercise: Exercise,
    version: int,
    values: dict,
) -> Prescription:
    """Prescribe an exercise with its dose and rule (version 1 of its history)."""
    expect_version(programme, version)
    position = max((p.position for p in active_prescriptions(phase)), default=0) + 1
    prescription = Prescription(
        phase_id=phase.id,
        exercise_id=exercise.id,
        position=position,
        session_label=values.get("session_label"),
        **{name: values.get(name) for name in PRESCRIPTION_FIELDS if name != "paused"},
    )
    db.session.add(prescription)
    db.session.flush()
    record_first_version(prescription, actor=actor, reason_code="prescribed")
    save_change(
        programme,
        Action.CREATE,
        Summary.of("exercise_prescribed", exercise_id=exercise.id),
        object_type="prescription",
        object_id=prescription.id,
    )
    return prescription


def change_prescription(
    actor: User,
    programme: Programme,
    prescription: Prescription,
    version: int,
    values: dict,
    *,
    reason: str,
) -> PrescriptionVersion | None:
    """Change the dose or rule through ``dosing.change_dose`` (a new version with who, when
    and why); the rotation day is not part of the dose. None when nothing changed."""
    expect_version(programme, version)
    if not reason:
        raise BuilderError(_("Say briefly why the dose changes."), "reason")
    changes = {name: values.get(name) for name in PRESCRIPTION_FIELDS if name != "paused"}
    try:
        new_version = change_dose(
            prescription,
            changes,
            actor=actor,
            reason=reason,
            today=clinic_today(actor.clinic),
        )
    except DoseChanged:  # e.g. a suggestion was accepted since the form was opened
        db.session.rollback()
        raise ProgrammeChanged from None
    label_changed = prescription.session_label != values.get("session_label")
    prescription.session_label = values.get("session_label")
    if new_version is None and not label_changed:
        db.session.rollback()
        return None
    summary = Summary.of("dose_changed", version=prescription.current_version, reason=reason)
    save_change(
        programme, Action.UPDATE, summary, object_type="prescription", object_id=prescription.id
    )
    return new_version


def move_prescription(
    actor: User, programme: Programme, prescription: Prescription, version: int, direction: str
) -> None:
    expect_version(programme, version)
    ordered = sorted(active_prescriptions(prescription.phase), key=lambda p: p.position)
    index = ordered.index(prescription)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        raise BuilderError(_("This exercise cannot move further."))
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for number, item in enumerate(ordered, start=1):
        item.position = number
    save_change(
        programme,
        Action.UPDATE,
        Summary.of("prescription_moved", direction=direction),
        object_type="prescription",
        object_id=prescription.id,
    )


def remove_prescription(
    actor: User, programme: Programme, prescription: Prescription, version: int
) -> bool:
    """Take an exercise out of the phase: archived when sessions were logged with it (the
    logs keep their dose), deleted otherwise. Returns True when it was archived."""
    expect_version(programme, version)
    phase = prescription.phase
    archived = bool(logged_counts([prescription.id]))
    if archived:
        prescription.archived_at = utcnow()
        action, summary = Action.UPDATE, Summary.of("prescription_archived")
    else:
        db.session.delete(prescription)
        action, summary = Action.DELETE, Summary.of("prescription_removed")
    db.session.flush()
    remaining = [p for p in active_prescriptions(phase) if p is not prescription]
    for number, item in enumerate(sorted(remaining, key=lambda p: p.position), start=1):
        item.position = number
    save_change(programme, action, summary, object_type="prescription", object_id=prescription.id)
    return archived
