"""A programme's course: a draft activated (one active programme per patient), the phase
changed forward or back with the therapist's note, the programme completed; and deleting a
draft or a clinic template.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import User
from rehab.core.clock import clinic_today
from rehab.core.db import utcnow
from rehab.core.i18n import gettext as _
from rehab.extensions import db
from rehab.programmes.models import Phase, PhaseChange, Programme
from rehab.programmes.services import (
    BuilderError,
    ProgrammeChanged,
    active_prescriptions,
    current_phase,
    expect_version,
    save_change,
)


def activate(
    actor: User, programme: Programme, version: int, *, complete_previous: bool = False
) -> None:
    """Draft → active: the first phase starts today. One active programme per patient."""
    expect_version(programme, version)
    if programme.is_template or programme.status != "draft":
        raise BuilderError(_("Only a draft programme can be activated."))
    phases = sorted(programme.phases, key=lambda p: p.position)
    if not phases:
        raise BuilderError(_("Add a phase with exercises before activating the programme."))
    if not active_prescriptions(phases[0]):
        raise BuilderError(
            _(
                "Phase 1 (%(name)s) has no exercises yet: add exercises before activating "
                "the programme.",
                name=phases[0].name,
            )
        )
    today = clinic_today(actor.clinic)
    previous = db.session.scalar(
        select(Programme).where(
            Programme.patient_id == programme.patient_id,
            Programme.status == "active",
            Programme.id != programme.id,
        )
    )
    if previous is not None:
        if not complete_previous:
            raise BuilderError(
                _(
                    "%(title)s is still active. Complete it first, or tick “complete the "
                    "current programme” to do both at once.",
                    title=previous.title,
                ),
                "complete_previous",
            )
        _finish(previous, today)
        record(Action.UPDATE, patient_id=previous.patient_id, object_type="programme",
               object_id=previous.id, summary=Summary.of("programme_completed_by_activation"),
               clinic_id=previous.clinic_id)  # fmt: skip
        # The partial unique index allows one active row: the old one is written first.
        try:
            db.session.flush()
        except StaleDataError:  # another request completed or changed it meanwhile
            db.session.rollback()
            raise ProgrammeChanged from None
    programme.status = "active"
    programme.started_on = today
    programme.ended_on = None
    first = phases[0]
    _start_phase(first, today)
    programme.current_phase_id = first.id
    db.session.add(
        PhaseChange(
            programme_id=programme.id,
            from_phase_id=None,
            to_phase_id=first.id,
            changed_by_id=actor.id,
            note_code="programme_started",
        )
    )
    try:
        save_change(programme, Action.UPDATE, Summary.of("programme_activated"))
    except IntegrityError:
        raise BuilderError(
            _("Another programme of this patient was activated at the same moment.")
        ) from None


def _start_phase(phase: Phase, today: dt.date) -> None:
    """The phase starts today, and so do its doses: a schedule ("5 minutes longer every
    week") counts from now, not from the day the programme was built, and sessions before
    today belong to the phase before (rehab.training.dose_days)."""
    phase.started_on = today
    phase.ended_on = None
    for prescription in active_prescriptions(phase):
        prescription.dose_since = today


def _finish(programme: Programme, today: dt.date) -> None:
    phase = current_phase(programme)
    if phase is not None:
        phase.ended_on = today
    programme.status = "completed"
    programme.ended_on = today
    programme.updated_at = utcnow()


def complete(actor: User, programme: Programme, version: int, *, conclusion: str | None) -> None:
    """Active → completed; the programme stays readable."""
    expect_version(programme, version)
    if programme.status != "active":
        raise BuilderError(_("Only an active programme can be completed."))
    _finish(programme, clinic_today(actor.clinic))
    programme.conclusion = conclusion
    save_change(programme, Action.UPDATE, Summary.of("programme_completed"))


def change_phase(
    actor: User, programme: Programme, version: int, *, direction: str, note: str
) -> Phase:
    """Advance to the next phase or step back to the previous one, with the therapist's note."""
    expect_version(programme, version)
    if not note:
        raise BuilderError(_("Add a short note: why does the phase change?"), "note")
    current = current_phase(programme)
    if current is None:
        raise BuilderError(_("Only an active programme has a current phase."))
    ordered = sorted(programme.phases, key=lambda p: p.position)
    index = ordered.index(current) + (1 if direction == "next" else -1)
    if not 0 <= index < len(ordered):
        raise BuilderError(
            _("This is the last phase: complete the programme instead.")
            if direction == "next"
            else _("This is the first phase.")
        )
    target = ordered[index]
    if not active_prescriptions(target):
        raise BuilderError(
            _("Phase %(n)s (%(name)s) has no exercises yet.", n=target.position, name=target.name)
        )
    today = clinic_today(actor.clinic)
    current.ended_on = today
    _start_phase(target, today)
    programme.current_phase_id = target.id
    db.session.add(
        PhaseChange(
            programme_id=programme.id,
            from_phase_id=current.id,
            to_phase_id=target.id,
            changed_by_id=actor.id,
            note=note,
        )
    )
    save_change(
        programme,
        Action.UPDATE,
        Summary.of(
            "phase_advanced" if direction == "next" else "phase_stepped_back",
            position=target.position,
            note=note,
        ),
    )
    return target


def delete_programme(actor: User, programme: Programme, version: int) -> None:
    """Delete a draft (nothing was done with it yet) or a clinic template."""
    expect_version(programme, version)
    if not programme.is_template and programme.status != "draft":
        raise BuilderError(_("Only a draft can be deleted; an active programme is completed."))
    record(
        Action.DELETE,
        patient_id=programme.patient_id,
        object_type="template" if programme.is_template else "programme",
        object_id=programme.id,
        summary=Summary.of("deleted", title=programme.title),
        clinic_id=programme.clinic_id,
    )
    db.session.delete(programme)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ProgrammeChanged from None
