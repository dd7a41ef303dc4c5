"""Programmes from templates and templates from programmes: a new draft (blank, from a
built-in template or from one of the clinic's templates), a clinic template saved from a
programme, and the clinic's template list.

A copy takes phases, exercises, doses, rules, notes and criteria; what belongs to one
patient's course (dates, logs, ticks) stays behind.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import func, select

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import User
from rehab.core.i18n import gettext as _
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes import builtin
from rehab.programmes.dosing import record_first_version
from rehab.programmes.library import exercises_by_slug
from rehab.programmes.models import ExitCriterion, Phase, Prescription, Programme
from rehab.programmes.services import (
    CRITERION_FIELDS,
    PHASE_FIELDS,
    PRESCRIPTION_FIELDS,
    BuilderError,
    active_prescriptions,
    expect_version,
    load_tree,
    save_change,
)
from rehab.programmes.texts import shown_value

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


# --- the clinic's templates -----------------------------------------------------------------


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
    expect_version(template, version)
    if not template.is_template:
        abort(404)
    template.title = title
    template.description = description
    save_change(
        template, Action.UPDATE, Summary.of("template_renamed", title=title), object_type="template"
    )
