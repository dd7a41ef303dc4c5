"""Programmes: the loaders, the builder's operations, activation, phase changes, templates,
and what other areas read (``active_programme``, ``current_phase``, ``dose_text``).

Every builder operation takes the programme ``version`` the form was opened at: when
someone else saved in between, ``ProgrammeChanged`` is raised and nothing is written.
Each operation bumps the version, writes its audit entry and commits once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort
from flask_babel import force_locale
from sqlalchemy import func, null, select
from sqlalchemy import inspect as orm_state
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import Role, User
from rehab.core.clock import clinic_today
from rehab.core.concurrency import claim
from rehab.core.db import utcnow
from rehab.core.i18n import gettext as _
from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.patients.services import patient_for
from rehab.programmes import builtin
from rehab.programmes.dosing import (
    DOSE_FIELDS,
    RULE_FIELDS,
    DoseChanged,
    change_dose,
    record_first_version,
)
from rehab.programmes.library import exercises_by_slug
from rehab.programmes.models import (
    ExitCriterion,
    Phase,
    PhaseChange,
    Prescription,
    PrescriptionVersion,
    Programme,
)
from rehab.programmes.texts import LANGUAGES, shown_value
from rehab.programmes.wording import criterion_text, dose_text
from rehab.training.models import ExerciseLog, TrainingSession

__all__ = [
    "BuilderError",
    "ProgrammeChanged",
    "active_programme",
    "current_phase",
    "dose_text",
]

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
    phases, and the current phase's prescriptions with their exercises (4–5 queries). Other
    phases' prescriptions and all criteria load when something asks for them; their
    exercises are never loaded implicitly (``lazy="raise"``). The whole tree, every phase's
    prescriptions, was a fifth of logging a session (issue 24)."""
    programme = db.session.scalar(
        select(Programme)
        .where(Programme.patient_id == patient_id, Programme.status == "active")
        .options(selectinload(Programme.phases))
    )
    phase = current_phase(programme) if programme is not None else None
    if phase is not None and "prescriptions" in orm_state(phase).unloaded:
        prescriptions = db.session.scalars(
            select(Prescription)
            .where(Prescription.phase_id == phase.id)
            .options(joinedload(Prescription.exercise))
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


def clinic_templates_statement(clinic_id: int):
    """The clinic's own templates, by title (paginate it)."""
    return (
        select(Programme)
        .where(Programme.clinic_id == clinic_id, Programme.is_template.is_(True))
        .order_by(func.lower(Programme.title), Programme.id)
    )


def clinic_template_choices(clinic_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Programme.id, Programme.title, Programme.texts)
        .where(Programme.clinic_id == clinic_id, Programme.is_template.is_(True))
        .order_by(func.lower(Programme.title), Programme.id)
    )
    return [(row.id, shown_value(row.title, row.texts, "title")) for row in rows]


# --- one transaction per action -------------------------------------------------------------


def _expect(programme: Programme, version: int | None) -> None:
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


def _save(
    programme: Programme,
    action: str,
    summary: Summary,
    *,
    object_type: str = "programme",
    object_id: int | None = None,
    actor: User | None = None,
) -> None:
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


# --- creating a programme -----------------------------------------------------------------


def create_programme(
    actor: User, patient: Patient, *, source: str = "blank", title: str | None = None
) -> Programme:
    """A draft programme for the patient: blank, from a built-in template ("builtin:<slug>")
    or from one of the clinic's templates ("clinic:<id>"), in the patient's language."""
    language = patient.preferred_language or "nl"
    programme = Programme(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        is_template=False,
        language=language,
        status="draft",
        title=title or _("Programme"),
        created_by_id=actor.id,
    )
    db.session.add(programme)
    kind, _sep, key = source.partition(":")
    if kind == "builtin":
        template = builtin.builtin_template(key)
        if template is None:
            raise BuilderError(_("This template does not exist."), "source")
        programme.source_template = template.slug
        programme.set_text("description", template.data.get("description"), language)
        programme.set_text("title", title or template.data["title"], language)
        db.session.flush()
        _fill_from_builtin(programme, template, language, actor)
    elif kind == "clinic":
        source_programme = (
            load_tree(int(key)) if key.isdigit() else None
        )  # a clinic template of this clinic only
        if (
            source_programme is None
            or not source_programme.is_template
            or source_programme.clinic_id != patient.clinic_id
        ):
            raise BuilderError(_("This template does not exist."), "source")
        programme.source_template = f"clinic:{source_programme.id}"
        programme.copy_texts_from(source_programme)
        programme.description = source_programme.description
        programme.title = title or source_programme.title  # typed: the therapist's own words
        db.session.flush()
        _copy_phases(source_programme, programme, actor)
    else:
        db.session.flush()
    record(
        Action.CREATE,
        patient_id=patient.id,
        object_type="programme",
        object_id=programme.id,
        summary=Summary.of("programme_created", source=source),
        clinic_id=patient.clinic_id,
    )
    db.session.commit()
    return programme


def _fill_from_builtin(
    programme: Programme, template: builtin.BuiltinTemplate, language: str, actor: User
) -> None:
    exercises = exercises_by_slug(template.slugs)
    missing = sorted(template.slugs - set(exercises))
    if missing:
        db.session.rollback()
        raise BuilderError(
            _(
                "The built-in exercise library is not loaded (missing: %(slugs)s).",
                slugs=", ".join(missing),
            ),
            "source",
        )
    for position, data in enumerate(template.phases, start=1):
        phase = Phase(
            programme_id=programme.id,
            position=position,
            planned_weeks=data.get("planned_weeks"),
            schedule_kind=data.get("schedule", "per_week"),
            sessions_per_week=data.get("sessions_per_week"),
            weekdays=",".join(str(d) for d in data.get("weekdays", [])) or None,
            rotation=",".join(data.get("rotation", [])) or None,
        )
        phase.set_text("name", data["name"], language)
        phase.set_text("goal", data.get("goal"), language)
        db.session.add(phase)
        db.session.flush()
        keys: dict[str, Prescription] = {}
        for number, rx in enumerate(data.get("prescription", []), start=1):
            values = builtin.prescription_values(rx, language)
            prescription = Prescription(
                phase_id=phase.id,
                exercise_id=exercises[rx["exercise"]].id,
                position=number,
                **values,
            )
            prescription.set_text("notes", rx.get("notes"), language)
            prescription.set_text("band_colour", rx.get("band_colour"), language)
            db.session.add(prescription)
            keys[rx.get("key", rx["exercise"])] = prescription
        db.session.flush()
        for prescription in keys.values():
            record_first_version(prescription, actor=actor, reason_code="from_template")
        for number, item in enumerate(data.get("criterion", []), start=1):
            values = builtin.criterion_values(item, language)
            target = keys.get(item.get("prescription", ""))
            criterion = ExitCriterion(
                phase_id=phase.id,
                position=number,
                is_default=True,
                prescription_id=target.id if target else None,
                **values,
            )
            criterion.set_text("label", item.get("label"), language)
            db.session.add(criterion)
    db.session.flush()


def _copy_phases(source: Programme, target: Programme, actor: User) -> None:
    """Copy phases, prescriptions (not the removed ones) and criteria; no dates, no logs,
    no ticks: what belongs to one patient's course stays behind."""
    for phase in source.phases:
        copy = Phase(
            programme_id=target.id,
            **{name: getattr(phase, name) for name in PHASE_FIELDS},
            position=phase.position,
        )
        copy.copy_texts_from(phase)
        db.session.add(copy)
        db.session.flush()
        mapping: dict[int, Prescription] = {}
        for number, rx in enumerate(active_prescriptions(phase), start=1):
            values = {name: getattr(rx, name) for name in PRESCRIPTION_FIELDS}
            values["paused"] = False
            new = Prescription(
                phase_id=copy.id,
                exercise_id=rx.exercise_id,
                position=number,
                session_label=rx.session_label,
                **values,
            )
            new.copy_texts_from(rx)
            db.session.add(new)
            mapping[rx.id] = new
        db.session.flush()
        for new in mapping.values():
            record_first_version(new, actor=actor, reason_code="from_template")
        for criterion in phase.criteria:
            values = {name: getattr(criterion, name) for name in CRITERION_FIELDS}
            linked = mapping.get(criterion.prescription_id or 0)
            values["prescription_id"] = linked.id if linked else None
            copied = ExitCriterion(
                phase_id=copy.id,
                position=criterion.position,
                is_default=criterion.is_default,
                **values,
            )
            copied.copy_texts_from(criterion)
            db.session.add(copied)
    db.session.flush()


# --- details and phases ----------------------------------------------------------------------


def update_details(
    actor: User, programme: Programme, version: int, *, title: str, description: str | None
) -> None:
    _expect(programme, version)
    programme.title = title
    programme.description = description
    _save(programme, Action.UPDATE, Summary.of("programme_details_changed"))


def _phase_values(values: dict[str, Any]) -> dict[str, Any]:
    v = {name: values.get(name) for name in PHASE_FIELDS}
    kind = v["schedule_kind"]
    weekdays = sorted({int(d) for d in (v.get("weekdays") or [])})
    rotation = [label for label in (v.get("rotation") or []) if label]
    v["weekdays"] = ",".join(str(d) for d in weekdays) if kind == "weekdays" else None
    v["rotation"] = ",".join(rotation) if kind == "rotation" else None
    if kind == "weekdays":
        # The weekdays say how often; null() because None would let the column default in.
        v["sessions_per_week"] = null()
    return v


def add_phase(actor: User, programme: Programme, version: int, values: dict) -> Phase:
    _expect(programme, version)
    position = max((p.position for p in programme.phases), default=0) + 1
    phase = Phase(programme_id=programme.id, position=position, **_phase_values(values))
    db.session.add(phase)
    db.session.flush()
    _save(
        programme,
        Action.CREATE,
        Summary.of("phase_added", position=position),
        object_type="phase",
        object_id=phase.id,
    )
    return phase


def update_phase(
    actor: User, programme: Programme, phase: Phase, version: int, values: dict
) -> None:
    _expect(programme, version)
    new = _phase_values(values)
    labels = set((new["rotation"] or "").split(",")) - {""}
    in_use = {p.session_label for p in active_prescriptions(phase) if p.session_label is not None}
    if new["schedule_kind"] == "rotation" and in_use - labels:
        raise BuilderError(
            _(
                "Session day %(labels)s still has exercises: move them to another day first.",
                labels=", ".join(sorted(in_use - labels)),
            ),
            "rotation",
        )
    for name, value in new.items():
        setattr(phase, name, value)
    if new["schedule_kind"] == "rotation":
        first = sorted(labels)[0]
        for prescription in active_prescriptions(phase):
            prescription.session_label = prescription.session_label or first
    _save(
        programme,
        Action.UPDATE,
        Summary.of("phase_changed", position=phase.position),
        object_type="phase",
        object_id=phase.id,
    )


def _has_logs(phase: Phase) -> bool:
    ids = [p.id for p in phase.prescriptions]
    logged = bool(ids) and bool(logged_counts(ids))
    sessions = db.session.scalar(
        select(func.count(TrainingSession.id)).where(TrainingSession.phase_id == phase.id)
    )
    return logged or bool(sessions)


def delete_phase(actor: User, programme: Programme, phase: Phase, version: int) -> None:
    """Delete a phase nobody has trained in yet, and close the gap in the numbering."""
    _expect(programme, version)
    if phase.id == programme.current_phase_id or phase.started_on is not None:
        raise BuilderError(_("This phase has started: it stays part of the programme's history."))
    if _has_logs(phase):
        raise BuilderError(_("Sessions were logged in this phase: it cannot be deleted."))
    position = phase.position
    db.session.delete(phase)
    db.session.flush()
    # One row at a time, in order, so the unique (programme, position) index always holds.
    for later in sorted(programme.phases, key=lambda p: p.position):
        if later is not phase and later.position > position:
            later.position -= 1
            db.session.flush()
    _save(
        programme,
        Action.DELETE,
        Summary.of("phase_deleted", position=position),
        object_type="phase",
        object_id=phase.id,
    )


def move_phase(
    actor: User, programme: Programme, phase: Phase, version: int, direction: str
) -> None:
    _expect(programme, version)
    ordered = sorted(programme.phases, key=lambda p: p.position)
    index = ordered.index(phase)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(ordered):
        raise BuilderError(_("This phase cannot move further."))
    other = ordered[other_index]
    if programme.status != "draft" and (phase.started_on or other.started_on):
        raise BuilderError(_("Phases that have started keep their place."))
    _swap_positions(phase, other)
    _save(
        programme,
        Action.UPDATE,
        Summary.of("phase_moved", direction=direction),
        object_type="phase",
        object_id=phase.id,
    )


def _swap_positions(a: Phase, b: Phase) -> None:
    # Through a free position: the unique index is checked row by row.
    first, second = a.position, b.position
    a.position = 1000 + first
    db.session.flush()
    b.position = first
    db.session.flush()
    a.position = second
    db.session.flush()


# --- exit criteria -------------------------------------------------------------------------


def _criterion_label(values: dict, phase: Phase) -> tuple[str, dict[str, str] | None]:
    """The therapist's label as typed, or the criterion in words in both languages (the
    system writes it, so every reader gets their own language)."""
    if values.get("label"):
        return values["label"], None
    rx = None
    if values.get("prescription_id"):
        rx = next((p for p in phase.prescriptions if p.id == values["prescription_id"]), None)
    words = {}
    for language in LANGUAGES:
        with force_locale(language):
            name = rx.exercise.text("name", language) if rx else None
            words[language] = criterion_text(_Values(values), name)[:200]
    return words[phase.programme.language], words


def _label_criterion(criterion: ExitCriterion, label: str, words: dict[str, str] | None) -> None:
    criterion.texts = {**(criterion.texts or {}), "label": words} if words else criterion.texts
    criterion.label = label


@dataclass
class _Values:
    values: dict

    def __getattr__(self, name):
        return self.values.get(name)


def add_criterion(
    actor: User, programme: Programme, phase: Phase, version: int, values: dict
) -> ExitCriterion:
    _expect(programme, version)
    position = max((c.position for c in phase.criteria), default=0) + 1
    data = {name: values.get(name) for name in CRITERION_FIELDS}
    label, words = _criterion_label(data, phase)
    data.pop("label")
    criterion = ExitCriterion(phase_id=phase.id, position=position, is_default=False, **data)
    _label_criterion(criterion, label, words)
    data["label"] = label
    db.session.add(criterion)
    db.session.flush()
    _save(programme, Action.CREATE, Summary.of("criterion_added", label=data["label"]),
          object_type="exit_criterion", object_id=criterion.id)  # fmt: skip
    return criterion


def update_criterion(
    actor: User, programme: Programme, criterion: ExitCriterion, version: int, values: dict
) -> None:
    _expect(programme, version)
    data = {name: values.get(name) for name in CRITERION_FIELDS}
    label, words = _criterion_label(data, criterion.phase)
    data.pop("label")
    for name, value in data.items():
        setattr(criterion, name, value)
    _label_criterion(criterion, label, words)
    data["label"] = label
    # Changed by the therapist: no longer the template's default.
    criterion.is_default = False
    if criterion.kind != "therapist_check":
        criterion.checked_at = None
        criterion.checked_by_id = None
    _save(programme, Action.UPDATE, Summary.of("criterion_changed", label=data["label"]),
          object_type="exit_criterion", object_id=criterion.id)  # fmt: skip


def delete_criterion(
    actor: User, programme: Programme, criterion: ExitCriterion, version: int
) -> None:
    _expect(programme, version)
    db.session.delete(criterion)
    _save(programme, Action.DELETE, Summary.of("criterion_deleted", label=criterion.label),
          object_type="exit_criterion", object_id=criterion.id)  # fmt: skip


def tick_criterion(
    actor: User, programme: Programme, criterion: ExitCriterion, version: int, checked: bool
) -> None:
    """The therapist ticks (or unticks) a check criterion, e.g. "no red flags"."""
    _expect(programme, version)
    if criterion.kind != "therapist_check":
        raise BuilderError(_("Only a therapist's check can be ticked."))
    criterion.checked_at = utcnow() if checked else None
    criterion.checked_by_id = actor.id if checked else None
    summary = Summary.of(
        "criterion_ticked" if checked else "criterion_unticked", label=criterion.label
    )
    _save(programme, Action.UPDATE, summary, object_type="exit_criterion", object_id=criterion.id)


# --- prescriptions ---------------------------------------------------------------------------


def add_prescription(
    actor: User,
    programme: Programme,
    phase: Phase,
    exercise: Exercise,
    version: int,
    values: dict,
) -> Prescription:
    """Prescribe an exercise with its dose and rule (version 1 of its history)."""
    _expect(programme, version)
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
    _save(programme, Action.CREATE, Summary.of("exercise_prescribed", exercise_id=exercise.id),
          object_type="prescription", object_id=prescription.id)  # fmt: skip
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
    _expect(programme, version)
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
    _save(programme, Action.UPDATE, summary, object_type="prescription",
          object_id=prescription.id)  # fmt: skip
    return new_version


def move_prescription(
    actor: User, programme: Programme, prescription: Prescription, version: int, direction: str
) -> None:
    _expect(programme, version)
    ordered = sorted(active_prescriptions(prescription.phase), key=lambda p: p.position)
    index = ordered.index(prescription)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        raise BuilderError(_("This exercise cannot move further."))
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for number, item in enumerate(ordered, start=1):
        item.position = number
    _save(programme, Action.UPDATE, Summary.of("prescription_moved", direction=direction),
          object_type="prescription",
          object_id=prescription.id)  # fmt: skip


def remove_prescription(
    actor: User, programme: Programme, prescription: Prescription, version: int
) -> bool:
    """Take an exercise out of the phase: archived when sessions were logged with it (the
    logs keep their dose), deleted otherwise. Returns True when it was archived."""
    _expect(programme, version)
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
    _save(programme, action, summary, object_type="prescription", object_id=prescription.id)
    return archived


# --- status and phases -----------------------------------------------------------------------


def activate(
    actor: User, programme: Programme, version: int, *, complete_previous: bool = False
) -> None:
    """Draft → active: the first phase starts today. One active programme per patient."""
    _expect(programme, version)
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
        _save(programme, Action.UPDATE, Summary.of("programme_activated"))
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
    _expect(programme, version)
    if programme.status != "active":
        raise BuilderError(_("Only an active programme can be completed."))
    _finish(programme, clinic_today(actor.clinic))
    programme.conclusion = conclusion
    _save(programme, Action.UPDATE, Summary.of("programme_completed"))


def change_phase(
    actor: User, programme: Programme, version: int, *, direction: str, note: str
) -> Phase:
    """Advance to the next phase or step back to the previous one, with the therapist's note."""
    _expect(programme, version)
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
    _save(
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
    _expect(programme, version)
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


# --- templates -------------------------------------------------------------------------------


def save_as_template(
    actor: User, programme: Programme, *, title: str, description: str | None
) -> Programme:
    """A clinic template from a programme: its phases, exercises, doses, rules, exercise notes
    and criteria, without the patient, dates, logs or ticks."""
    template = Programme(
        clinic_id=actor.clinic_id,
        patient_id=None,
        is_template=True,
        language=programme.language,
        status="draft",
        title=title,
        description=description,
        source_template=programme.source_template,
        created_by_id=actor.id,
    )
    db.session.add(template)
    db.session.flush()
    _copy_phases(programme, template, actor)
    record(Action.CREATE, object_type="template", object_id=template.id,
           summary=Summary.of("template_saved", programme_id=programme.id, title=title),
           clinic_id=actor.clinic_id)  # fmt: skip
    db.session.commit()
    return template


def rename_template(
    actor: User, template: Programme, version: int, *, title: str, description: str | None
) -> None:
    _expect(template, version)
    if not template.is_template:
        abort(404)
    template.title = title
    template.description = description
    _save(
        template, Action.UPDATE, Summary.of("template_renamed", title=title), object_type="template"
    )
