"""Phases and their exit criteria in the builder: schedules (per week, weekdays, rotation
A/B), reordering and deleting phases; adding, changing, deleting and ticking criteria.

How a criterion stands against the patient's data is rehab.programmes.advancement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from sqlalchemy import func, null, select

from rehab.audit.services import Action
from rehab.audit.summaries import Summary
from rehab.auth.models import User
from rehab.core.db import utcnow
from rehab.core.i18n import gettext as _
from rehab.extensions import db
from rehab.programmes.models import ExitCriterion, Phase, Programme
from rehab.programmes.services import (
    CRITERION_FIELDS,
    PHASE_FIELDS,
    BuilderError,
    active_prescriptions,
    expect_version,
    logged_counts,
    save_change,
)
from rehab.programmes.texts import LANGUAGES
from rehab.programmes.wording import criterion_text
from rehab.training.models import TrainingSession

# --- phases ------------------------------------------------------------------------------


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
    expect_version(programme, version)
    position = max((p.position for p in programme.phases), default=0) + 1
    phase = Phase(programme_id=programme.id, position=position, **_phase_values(values))
    db.session.add(phase)
    db.session.flush()
    save_change(
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
    expect_version(programme, version)
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
    save_change(
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
    expect_version(programme, version)
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
    save_change(
        programme,
        Action.DELETE,
        Summary.of("phase_deleted", position=position),
        object_type="phase",
        object_id=phase.id,
    )


def move_phase(
    actor: User, programme: Programme, phase: Phase, version: int, direction: str
) -> None:
    expect_version(programme, version)
    ordered = sorted(programme.phases, key=lambda p: p.position)
    index = ordered.index(phase)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(ordered):
        raise BuilderError(_("This phase cannot move further."))
    other = ordered[other_index]
    if programme.status != "draft" and (phase.started_on or other.started_on):
        raise BuilderError(_("Phases that have started keep their place."))
    _swap_positions(phase, other)
    save_change(
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
    expect_version(programme, version)
    position = max((c.position for c in phase.criteria), default=0) + 1
    data = {name: values.get(name) for name in CRITERION_FIELDS}
    label, words = _criterion_label(data, phase)
    data.pop("label")
    criterion = ExitCriterion(phase_id=phase.id, position=position, is_default=False, **data)
    _label_criterion(criterion, label, words)
    data["label"] = label
    db.session.add(criterion)
    db.session.flush()
    save_change(
        programme,
        Action.CREATE,
        Summary.of("criterion_added", label=data["label"]),
        object_type="exit_criterion",
        object_id=criterion.id,
    )
    return criterion


def update_criterion(
    actor: User, programme: Programme, criterion: ExitCriterion, version: int, values: dict
) -> None:
    expect_version(programme, version)
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
    save_change(
        programme,
        Action.UPDATE,
        Summary.of("criterion_changed", label=data["label"]),
        object_type="exit_criterion",
        object_id=criterion.id,
    )


def delete_criterion(
    actor: User, programme: Programme, criterion: ExitCriterion, version: int
) -> None:
    expect_version(programme, version)
    db.session.delete(criterion)
    save_change(
        programme,
        Action.DELETE,
        Summary.of("criterion_deleted", label=criterion.label),
        object_type="exit_criterion",
        object_id=criterion.id,
    )


def tick_criterion(
    actor: User, programme: Programme, criterion: ExitCriterion, version: int, checked: bool
) -> None:
    """The therapist ticks (or unticks) a check criterion, e.g. "no red flags"."""
    expect_version(programme, version)
    if criterion.kind != "therapist_check":
        raise BuilderError(_("Only a therapist's check can be ticked."))
    criterion.checked_at = utcnow() if checked else None
    criterion.checked_by_id = actor.id if checked else None
    summary = Summary.of(
        "criterion_ticked" if checked else "criterion_unticked", label=criterion.label
    )
    save_change(
        programme, Action.UPDATE, summary, object_type="exit_criterion", object_id=criterion.id
    )
