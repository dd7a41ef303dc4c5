"""Programmes: the loaders, what other areas read (``active_programme``, ``current_phase``,
``dose_text``), and how every builder action is saved.

Every builder operation takes the programme ``version`` the form was opened at: when
someone else saved in between, ``ProgrammeChanged`` is raised and nothing is written.
Each operation bumps the version, writes its audit entry and commits once
(``expect_version`` first, ``save_change`` last).

The operations themselves live by what they change: rehab.programmes.templates (creating a
programme, clinic templates), .phases (phases and their exit criteria), .prescriptions
(exercises and their doses) and .lifecycle (activating, changing phase, completing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, select
from sqlalchemy import inspect as orm_state
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import Role, User
from rehab.core.concurrency import claim
from rehab.core.db import utcnow
from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.patients.services import patient_for
from rehab.programmes.dosing import DOSE_FIELDS, RULE_FIELDS
from rehab.programmes.models import (
    ExitCriterion,
    Phase,
    PhaseChange,
    Prescription,
    PrescriptionVersion,
    Programme,
)
from rehab.programmes.texts import shown_value
from rehab.programmes.wording import dose_text
from rehab.training.models import ExerciseLog

__all__ = [
    "BuilderError",
    "ProgrammeChanged",
    "active_programme",
    "current_phase",
    "dose_text",
]

# What the builder writes and a template copies, field by field.
PHASE_FIELDS = (
    "name",
    "goal",
    "planned_weeks",
    "schedule_kind",
    "sessions_per_week",
    "weekdays",
    "rotation",
)
CRITERION_FIELDS = (
    "kind",
    "measure",
    "side",
    "comparison",
    "target",
    "target_high",
    "window_weeks",
    "prescription_id",
    "label",
)
PRESCRIPTION_FIELDS = (*DOSE_FIELDS, *RULE_FIELDS)


class ProgrammeChanged(Exception):
    """Someone else saved this programme after the form was opened: nothing was saved."""


class BuilderError(Exception):
    """A builder action that cannot be done; the message is for the therapist."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- loading ---------------------------------------------------------------------------------


def _tree_options():
    return (
        selectinload(Programme.phases)
        .selectinload(Phase.prescriptions)
        .joinedload(Prescription.exercise),
        selectinload(Programme.phases).selectinload(Phase.criteria),
    )


def load_tree(programme_id: int) -> Programme | None:
    """A programme with its phases, criteria and prescriptions (with exercises): 4 queries."""
    return db.session.scalar(
        select(Programme)
        .where(Programme.id == programme_id)
        .options(*_tree_options())
        .execution_options(populate_existing=True)
    )


def programme_for(actor: User, programme_id: int, *, tree: bool = False) -> Programme:
    """A programme the actor may see, else 404 (missing and foreign look the same).

    A patient's programme is reached through ``patient_for`` (its clinic check and access
    log); a clinic template belongs to one clinic and is never shown to patients.
    """
    programme = load_tree(programme_id) if tree else db.session.get(Programme, programme_id)
    if programme is None:
        abort(404)
    if programme.is_template:
        if actor.role == Role.PATIENT or programme.clinic_id != actor.clinic_id:
            abort(404)
    else:
        patient = patient_for(actor, programme.patient_id, what="programme")
        set_committed_value(programme, "patient", patient)
    return programme


def phase_of(programme: Programme, phase_id: int) -> Phase:
    """One of the programme's phases, else 404."""
    phase = next((p for p in programme.phases if p.id == phase_id), None)
    if phase is None:
        abort(404)
    return phase


def prescription_of(programme: Programme, prescription_id: int) -> Prescription:
    """One of the programme's prescriptions, else 404."""
    for phase in programme.phases:
        for prescription in phase.prescriptions:
            if prescription.id == prescription_id:
                return prescription
    abort(404)


def criterion_of(programme: Programme, criterion_id: int) -> ExitCriterion:
    """One of the programme's exit criteria, else 404."""
    for phase in programme.phases:
        for criterion in phase.criteria:
            if criterion.id == criterion_id:
                return criterion
    abort(404)


def current_phase(programme: Programme) -> Phase | None:
    """The phase the patient is in (None for drafts, templates and finished programmes)."""
    if programme.status != "active" or programme.current_phase_id is None:
        return None
    return next((p for p in programme.phases if p.id == programme.current_phase_id), None)


def active_prescriptions(phase: Phase) -> list[Prescription]:
    """The phase's prescriptions the patient does now (removed ones are kept but left out)."""
    return [p for p in phase.prescriptions if p.archived_at is None]


def active_programme(patient_id: int) -> Programme | None:
    """The patient's active programme with phases, criteria and prescriptions (with their
    exercises) loaded, in a fixed number of queries; None when there is none."""
    return db.session.scalar(
        select(Programme)
        .where(Programme.patient_id == patient_id, Programme.status == "active")
        .options(*_tree_options())
    )


def active_programme_now(patient_id: int) -> Programme | None:
    """The patient's active programme as the Today page and logging a session need it: its
    phases (joined to it: one statement), and the current phase's prescriptions with their
    exercises (one more). Other phases' prescriptions and all criteria load when something
    asks for them; their exercises are never loaded implicitly (``lazy="raise"``). The whole
    tree, every phase's prescriptions, was a fifth of logging a session (issue 24)."""
    programme = (
        db.session.scalars(
            select(Programme)
            .where(Programme.patient_id == patient_id, Programme.status == "active")
            .options(joinedload(Programme.phases))
        )
        .unique()
        .first()
    )
    phase = current_phase(programme) if programme is not None else None
    if phase is not None and "prescriptions" in orm_state(phase).unloaded:
        prescriptions = db.session.scalars(
            select(Prescription)
            .where(Prescription.phase_id == phase.id)
            # Not the exercises' regions and equipment (two statements): the library's
            # filters use them, not the day's plan; they load if something asks.
            .options(
                joinedload(Prescription.exercise).options(
                    lazyload(Exercise.region_rows), lazyload(Exercise.equipment_rows)
                )
            )
            .order_by(Prescription.position)
        ).all()
        set_committed_value(phase, "prescriptions", list(prescriptions))
    return programme


@dataclass(frozen=True)
class ProgrammeSummary:
    """What the caseload shows of a patient's programme."""

    programme_id: int
    status: str
    phase_name: str | None
    phase_position: int | None
    phase_count: int


def programme_summaries(patient_ids: Sequence[int]) -> dict[int, ProgrammeSummary]:
    """Per patient, the active programme (else the newest draft) with its current phase:
    one query for a whole caseload page."""
    if not patient_ids:
        return {}
    phase_count = (
        select(func.count(Phase.id))
        .where(Phase.programme_id == Programme.id)
        .correlate(Programme)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            Programme.patient_id, Programme.id, Programme.status, Phase.name, Phase.texts,
            Phase.position, phase_count,
        )
        .outerjoin(Phase, Phase.id == Programme.current_phase_id)
        .where(Programme.patient_id.in_(patient_ids), Programme.status.in_(["active", "draft"]))
        .order_by(Programme.patient_id, Programme.created_at)
    ).all()  # fmt: skip
    summaries: dict[int, ProgrammeSummary] = {}
    for patient_id, programme_id, status, name, texts, position, count in rows:
        known = summaries.get(patient_id)
        if known is None or known.status != "active":  # active wins, else the newest draft
            name = shown_value(name, texts, "name")
            summaries[patient_id] = ProgrammeSummary(programme_id, status, name, position, count)
    return summaries


def programmes_of(patient_id: int) -> list[Programme]:
    """All the patient's programmes, newest first (earlier ones stay readable)."""
    return list(
        db.session.scalars(
            select(Programme)
            .where(Programme.patient_id == patient_id)
            .order_by(Programme.created_at.desc(), Programme.id.desc())
        )
    )


def logged_counts(prescription_ids: Sequence[int]) -> dict[int, int]:
    """Logged sessions per prescription (one query): these are archived, never deleted."""
    if not prescription_ids:
        return {}
    rows = db.session.execute(
        select(ExerciseLog.prescription_id, func.count(ExerciseLog.id))
        .where(ExerciseLog.prescription_id.in_(prescription_ids))
        .group_by(ExerciseLog.prescription_id)
    )
    return dict(rows.all())


def phase_changes(programme: Programme) -> list[PhaseChange]:
    """The programme's phase changes, oldest first, with who made them (one query)."""
    return list(
        db.session.scalars(
            select(PhaseChange)
            .where(PhaseChange.programme_id == programme.id)
            .options(selectinload(PhaseChange.changed_by))
            .order_by(PhaseChange.changed_at, PhaseChange.id)
        )
    )


def prescription_versions(prescription: Prescription) -> list[PrescriptionVersion]:
    """Every dose the prescription had, newest first, with who changed it and why."""
    return list(
        db.session.scalars(
            select(PrescriptionVersion)
            .where(PrescriptionVersion.prescription_id == prescription.id)
            .options(selectinload(PrescriptionVersion.changed_by))
            .order_by(PrescriptionVersion.version.desc())
        )
    )


def exercises_by_id(ids) -> dict[int, Exercise]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {e.id: e for e in db.session.scalars(select(Exercise).where(Exercise.id.in_(ids)))}


# --- one transaction per action -------------------------------------------------------------


def expect_version(programme: Programme, version: int | None) -> None:
    """The programme is still at the version the form was opened at, and stays so until
    this action commits.

    One conditional write (``… WHERE version = :opened``) comes before any other: on
    PostgreSQL it locks the programme's row, so a parallel action on the same programme
    waits for this one and then finds the version moved on; on SQLite it starts the write
    transaction, which keeps every other writer out until the commit.
    """
    if version is None or programme.version != version:
        raise ProgrammeChanged
    if not claim(programme, Programme.version == version, updated_at=utcnow()):
        db.session.rollback()
        raise ProgrammeChanged


def save_change(
    programme: Programme,
    action: str,
    summary: Summary,
    *,
    object_type: str = "programme",
    object_id: int | None = None,
    actor: User | None = None,
) -> None:
    """Write the action's audit entry and commit it; a race lost here is ProgrammeChanged."""
    # Touching the row makes SQLAlchemy write it with "version = version + 1 WHERE
    # version = <read>": a save that raced another one fails here instead of overwriting.
    programme.updated_at = utcnow()
    record(
        action,
        patient_id=programme.patient_id,
        object_type=object_type,
        object_id=object_id if object_id is not None else programme.id,
        summary=summary,
        clinic_id=programme.clinic_id,
        actor=actor,
    )
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ProgrammeChanged from None
    except IntegrityError:
        db.session.rollback()
        raise


# --- the programme's details -------------------------------------------------------------


def update_details(
    actor: User, programme: Programme, version: int, *, title: str, description: str | None
) -> None:
    expect_version(programme, version)
    programme.title = title
    programme.description = description
    save_change(programme, Action.UPDATE, Summary.of("programme_details_changed"))
