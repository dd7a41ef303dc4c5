"""The programme builder, the programme page, templates, and the patient's own programme."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from rehab.auth.access import patient_required, staff_required
from rehab.core.clock import clinic_today
from rehab.core.forms import choices
from rehab.core.i18n import gettext as _
from rehab.core.pages import filter_args, page_arg
from rehab.core.vocabulary import EXERCISE_CATEGORIES, PROGRESSION_MODES, RULE_KINDS
from rehab.extensions import db
from rehab.patients.services import own_patient_record, patient_for
from rehab.programmes import (
    bp,
    builtin,
    library,
    lifecycle,
    phases,
    prescriptions,
    reasons,
    services,
)
from rehab.programmes import templates as programme_templates
from rehab.programmes.advancement import phase_status
from rehab.programmes.forms import (
    ActivateForm,
    CompleteForm,
    CriterionForm,
    DetailsForm,
    NewProgrammeForm,
    PhaseChangeForm,
    PhaseForm,
    PickerForm,
    PrescriptionForm,
    RenameTemplateForm,
    TemplateForm,
    TickForm,
    VersionForm,
)
from rehab.programmes.services import BuilderError, ProgrammeChanged
from rehab.programmes.wording import dose_text, mode_text, rule_text, schedule_text

TEMPLATES_PAGE_SIZE = 20


bp.add_app_template_global(reasons.phase_change_note, "phase_change_note")


def _language() -> str:
    return str(get_locale() or "nl")


def _conflict(programme_id: int | None, back: str | None = None):
    """409: someone else saved in between; the form is not saved."""
    return (
        render_template(
            "programmes/conflict.html",
            back=back or (url_for(".builder", programme_id=programme_id) if programme_id else None),
        ),
        409,
    )


def _editable(programme) -> None:
    if programme.status == "completed":
        flash(_("A completed programme can no longer be changed."), "warning")
        abort(redirect(url_for(".show", programme_id=programme.id)))


def _builder_url(programme, anchor: str | None = None) -> str:
    return url_for(".builder", programme_id=programme.id, _anchor=anchor)


def _submitted(form) -> bool:
    """validate_on_submit, but a form without its version is broken: 400, not a message."""
    valid = form.validate_on_submit()
    if request.method == "POST" and "version" in form and form.version.errors:
        abort(400)
    return valid


def _version_form() -> VersionForm:
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    return form


# --- creating ----------------------------------------------------------------------------


def _source_choices(clinic_id: int, language: str) -> list[tuple[str, str]]:
    pairs = [("blank", _("An empty programme"))]
    for template in builtin.builtin_templates().values():
        pairs.append((f"builtin:{template.slug}", _("Built-in: %(t)s", t=template.title(language))))
    for template_id, title in programme_templates.clinic_template_choices(clinic_id):
        pairs.append((f"clinic:{template_id}", _("Clinic template: %(t)s", t=title)))
    return pairs


@bp.route("/patient/<int:patient_id>/new", methods=["GET", "POST"])
@staff_required
def new(patient_id: int):
    patient = patient_for(current_user, patient_id, what="programme")
    form = NewProgrammeForm()
    form.source.choices = choices(_source_choices(current_user.clinic_id, _language()))
    if request.method == "GET" and request.args.get("source"):
        form.source.data = request.args["source"]
    if form.validate_on_submit():
        try:
            programme = programme_templates.create_programme(
                current_user, patient, source=form.source.data, title=form.title.data
            )
        except BuilderError as error:
            form.source.errors.append(error.message)
        else:
            flash(_("The draft programme is ready: adapt it, then activate it."), "success")
            return redirect(_builder_url(programme))
    return render_template("programmes/new.html", form=form, patient=patient)


# --- the programme page (staff, read-only) ---------------------------------------------------


@bp.route("/<int:programme_id>")
@staff_required
def show(programme_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    today = clinic_today(current_user.clinic)
    phase = services.current_phase(programme)
    statuses = phase_status(programme, phase, today=today) if phase else []
    changes = services.phase_changes(programme) if not programme.is_template else []
    version = programme.version
    return render_template(
        "programmes/show.html",
        programme=programme,
        phase=phase,
        statuses=statuses,
        changes=changes,
        phases_by_id={p.id: p for p in programme.phases},
        previous=_neighbour(programme, phase, -1),
        following=_neighbour(programme, phase, +1),
        change_form=PhaseChangeForm(formdata=None, version=version),
        activate_form=ActivateForm(formdata=None, version=version),
        complete_form=CompleteForm(formdata=None, version=version),
        vform=VersionForm(formdata=None, version=version),
        tick_form=TickForm(formdata=None, version=version),
        dose_text=dose_text,
        rule_text=rule_text,
    )


def _neighbour(programme, phase, step: int):
    if phase is None:
        return None
    ordered = sorted(programme.phases, key=lambda p: p.position)
    index = ordered.index(phase) + step
    return ordered[index] if 0 <= index < len(ordered) else None


@bp.route("/<int:programme_id>/activate", methods=["POST"])
@staff_required
def activate(programme_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    form = ActivateForm()
    if programme.is_template or not form.validate_on_submit():
        abort(400)
    try:
        lifecycle.activate(
            current_user, programme, form.version.data,
            complete_previous=form.complete_previous.data,
        )  # fmt: skip
    except ProgrammeChanged:
        return _conflict(programme_id, url_for(".show", programme_id=programme_id))
    except BuilderError as error:
        flash(error.message, "danger")
    else:
        flash(_("The programme is active: the patient sees phase 1 now."), "success")
    return redirect(url_for(".show", programme_id=programme_id))


@bp.route("/<int:programme_id>/complete", methods=["POST"])
@staff_required
def complete(programme_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    form = CompleteForm()
    if programme.is_template or not form.validate_on_submit():
        abort(400)
    try:
        lifecycle.complete(
            current_user, programme, form.version.data, conclusion=form.conclusion.data
        )
    except ProgrammeChanged:
        return _conflict(programme_id, url_for(".show", programme_id=programme_id))
    except BuilderError as error:
        flash(error.message, "danger")
    else:
        flash(_("The programme is completed. It stays readable on the patient's page."), "success")
    return redirect(url_for(".show", programme_id=programme_id))


@bp.route("/<int:programme_id>/phase", methods=["POST"])
@staff_required
def change_phase(programme_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    form = PhaseChangeForm()
    if programme.is_template:
        abort(404)
    if not _submitted(form):
        flash(_("Add a short note: why does the phase change?"), "danger")
        return redirect(url_for(".show", programme_id=programme_id, _anchor="advance"))
    direction = "back" if form.direction.data == "back" else "next"
    try:
        target = lifecycle.change_phase(
            current_user, programme, form.version.data, direction=direction, note=form.note.data
        )
    except ProgrammeChanged:
        return _conflict(programme_id, url_for(".show", programme_id=programme_id))
    except BuilderError as error:
        flash(error.message, "danger")
    else:
        flash(_("The patient is now in phase %(n)s: %(name)s.", n=target.position,
                name=target.name), "success")  # fmt: skip
    return redirect(url_for(".show", programme_id=programme_id))


@bp.route("/<int:programme_id>/criteria/<int:criterion_id>/tick", methods=["POST"])
@staff_required
def tick_criterion(programme_id: int, criterion_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    criterion = services.criterion_of(programme, criterion_id)
    form = TickForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        phases.tick_criterion(
            current_user, programme, criterion, form.version.data, form.checked.data
        )
    except ProgrammeChanged:
        return _conflict(programme_id, url_for(".show", programme_id=programme_id))
    except BuilderError as error:
        flash(error.message, "danger")
    return redirect(url_for(".show", programme_id=programme_id, _anchor="criteria"))


# --- the builder -----------------------------------------------------------------------------


@bp.route("/<int:programme_id>/builder")
@staff_required
def builder(programme_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    return _render_builder(programme)


def _render_builder(programme, details_form=None, status: int = 200):
    version = programme.version
    ids = [rx.id for phase in programme.phases for rx in phase.prescriptions]
    if details_form is None:
        details_form = DetailsForm(formdata=None, obj=programme)
    return (
        render_template(
            "programmes/builder.html",
            programme=programme,
            details_form=details_form,
            vform=VersionForm(formdata=None, version=version),
            activate_form=ActivateForm(formdata=None, version=version),
            logged=services.logged_counts(ids),
            active_prescriptions=services.active_prescriptions,
            dose_text=dose_text,
            rule_text=rule_text,
            modes=PROGRESSION_MODES,
            rules=RULE_KINDS,
        ),
        status,
    )


@bp.route("/<int:programme_id>/details", methods=["POST"])
@staff_required
def edit_details(programme_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    form = DetailsForm()
    if _submitted(form):
        try:
            services.update_details(
                current_user, programme, form.version.data,
                title=form.title.data, description=form.description.data,
            )  # fmt: skip
        except ProgrammeChanged:
            return _conflict(programme_id)
        flash(_("Saved."), "success")
        return redirect(_builder_url(programme))
    return _render_builder(programme, details_form=form)


@bp.route("/<int:programme_id>/phases/new", methods=["GET", "POST"])
@staff_required
def new_phase(programme_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    form = PhaseForm()
    if request.method == "GET":
        form.version.data = programme.version
        form.name.data = _("Phase %(n)s", n=len(programme.phases) + 1)
    if _submitted(form):
        try:
            phase = phases.add_phase(current_user, programme, form.version.data, form.values())
        except ProgrammeChanged:
            return _conflict(programme_id)
        flash(_("Phase added. Now add its exercises."), "success")
        return redirect(_builder_url(programme, f"phase-{phase.id}"))
    return render_template("programmes/phase_form.html", form=form, programme=programme, phase=None)


@bp.route("/<int:programme_id>/phases/<int:phase_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_phase(programme_id: int, phase_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    phase = services.phase_of(programme, phase_id)
    form = PhaseForm()
    if request.method == "GET":
        form.load(phase)
        form.version.data = programme.version
    if _submitted(form):
        try:
            phases.update_phase(current_user, programme, phase, form.version.data, form.values())
        except ProgrammeChanged:
            return _conflict(programme_id)
        except BuilderError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            flash(_("Phase saved."), "success")
            return redirect(_builder_url(programme, f"phase-{phase.id}"))
    return render_template(
        "programmes/phase_form.html", form=form, programme=programme, phase=phase
    )


def _button_action(programme_id: int, action, *objects, success: str | None = None, anchor=None):
    """Run a builder button (move, delete…): 409 on a conflict, a message on refusal."""
    form = _version_form()
    try:
        action(form, *objects)
    except ProgrammeChanged:
        return _conflict(programme_id)
    except BuilderError as error:
        flash(error.message, "danger")
    else:
        if success:
            flash(success, "success")
    return redirect(url_for(".builder", programme_id=programme_id, _anchor=anchor))


@bp.route("/<int:programme_id>/phases/<int:phase_id>/move", methods=["POST"])
@staff_required
def move_phase(programme_id: int, phase_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    phase = services.phase_of(programme, phase_id)
    return _button_action(
        programme_id,
        lambda form: phases.move_phase(
            current_user, programme, phase, form.version.data, form.direction.data or "down"
        ),
        anchor=f"phase-{phase.id}",
    )


@bp.route("/<int:programme_id>/phases/<int:phase_id>/delete", methods=["POST"])
@staff_required
def delete_phase(programme_id: int, phase_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    phase = services.phase_of(programme, phase_id)
    return _button_action(
        programme_id,
        lambda form: phases.delete_phase(current_user, programme, phase, form.version.data),
        success=_("Phase deleted."),
    )


# --- exit criteria -------------------------------------------------------------------------


def _hold_prescriptions(programme, phase):
    return [
        (rx, rx.exercise.text("name", _language()))
        for rx in services.active_prescriptions(phase)
        if rx.dosage_type == "hold"
    ]


@bp.route("/<int:programme_id>/phases/<int:phase_id>/criteria/new", methods=["GET", "POST"])
@staff_required
def new_criterion(programme_id: int, phase_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    phase = services.phase_of(programme, phase_id)
    form = CriterionForm(hold_prescriptions=_hold_prescriptions(programme, phase))
    if request.method == "GET":
        form.version.data = programme.version
    if _submitted(form):
        try:
            phases.add_criterion(current_user, programme, phase, form.version.data, form.cleaned)
        except ProgrammeChanged:
            return _conflict(programme_id)
        flash(_("Exit criterion added."), "success")
        return redirect(_builder_url(programme, f"phase-{phase.id}"))
    return render_template(
        "programmes/criterion_form.html", form=form, programme=programme, phase=phase,
        criterion=None,
    )  # fmt: skip


@bp.route("/<int:programme_id>/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_criterion(programme_id: int, criterion_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    criterion = services.criterion_of(programme, criterion_id)
    phase = services.phase_of(programme, criterion.phase_id)
    form = CriterionForm(hold_prescriptions=_hold_prescriptions(programme, phase))
    if request.method == "GET":
        form.load(criterion)
        form.version.data = programme.version
    if _submitted(form):
        try:
            phases.update_criterion(
                current_user, programme, criterion, form.version.data, form.cleaned
            )
        except ProgrammeChanged:
            return _conflict(programme_id)
        flash(_("Exit criterion saved."), "success")
        return redirect(_builder_url(programme, f"phase-{phase.id}"))
    return render_template(
        "programmes/criterion_form.html", form=form, programme=programme, phase=phase,
        criterion=criterion,
    )  # fmt: skip


@bp.route("/<int:programme_id>/criteria/<int:criterion_id>/delete", methods=["POST"])
@staff_required
def delete_criterion(programme_id: int, criterion_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    criterion = services.criterion_of(programme, criterion_id)
    anchor = f"phase-{criterion.phase_id}"
    return _button_action(
        programme_id,
        lambda form: phases.delete_criterion(current_user, programme, criterion, form.version.data),
        success=_("Exit criterion deleted."),
        anchor=anchor,
    )


# --- prescriptions -------------------------------------------------------------------------


@bp.route("/<int:programme_id>/phases/<int:phase_id>/exercises")
@staff_required
def pick_exercise(programme_id: int, phase_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    phase = services.phase_of(programme, phase_id)
    form = PickerForm(request.args)
    if not form.validate():
        form = PickerForm(formdata=None)
    language = _language()
    statement = library.picker_statement(
        current_user.clinic_id,
        q=form.q.data,
        category=form.category.data or None,
        region=form.region.data or None,
        language=language,
    )
    pagination = db.paginate(
        statement,
        page=page_arg(),
        per_page=library.PICKER_PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "programmes/picker.html",
        programme=programme,
        filters=filter_args(form),
        phase=phase,
        form=form,
        pagination=pagination,
        language=language,
        categories=EXERCISE_CATEGORIES,
    )


def _prescription_form(programme, phase, exercise, *, require_reason=False) -> PrescriptionForm:
    labels = (phase.rotation or "").split(",") if phase.schedule_kind == "rotation" else []
    return PrescriptionForm(
        rotation_labels=[label for label in labels if label],
        has_harder_step=exercise.progression_id is not None,
        require_reason=require_reason,
    )


@bp.route(
    "/<int:programme_id>/phases/<int:phase_id>/exercises/<int:exercise_id>",
    methods=["GET", "POST"],
)
@staff_required
def new_prescription(programme_id: int, phase_id: int, exercise_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    phase = services.phase_of(programme, phase_id)
    # Another clinic's exercise, or an archived one, is 404: it cannot be prescribed.
    exercise = library.exercise_for(current_user, exercise_id)
    form = _prescription_form(programme, phase, exercise)
    if request.method == "GET":
        form.load_exercise_defaults(exercise)
        form.version.data = programme.version
    if _submitted(form):
        try:
            prescription = prescriptions.add_prescription(
                current_user, programme, phase, exercise, form.version.data, form.cleaned
            )
        except ProgrammeChanged:
            return _conflict(programme_id)
        flash(_("%(name)s added.", name=exercise.text("name", _language())), "success")
        return redirect(_builder_url(programme, f"rx-{prescription.id}"))
    return render_template(
        "programmes/prescription_form.html", form=form, programme=programme, phase=phase,
        exercise=exercise, prescription=None, mode_text=mode_text,
    )  # fmt: skip


@bp.route("/<int:programme_id>/prescriptions/<int:prescription_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_prescription(programme_id: int, prescription_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    prescription = services.prescription_of(programme, prescription_id)
    if prescription.archived_at is not None:
        abort(404)
    phase = services.phase_of(programme, prescription.phase_id)
    form = _prescription_form(programme, phase, prescription.exercise, require_reason=True)
    if request.method == "GET":
        form.load(prescription)
        form.version.data = programme.version
    if _submitted(form):
        try:
            changed = prescriptions.change_prescription(
                current_user, programme, prescription, form.version.data, form.cleaned,
                reason=form.reason.data,
            )  # fmt: skip
        except ProgrammeChanged:
            return _conflict(programme_id)
        except BuilderError as error:
            form.reason.errors.append(error.message)
        else:
            message = _("Dose saved as a new version.") if changed else _("Nothing changed.")
            flash(message, "success" if changed else "info")
            return redirect(_builder_url(programme, f"rx-{prescription.id}"))
    return render_template(
        "programmes/prescription_form.html", form=form, programme=programme, phase=phase,
        exercise=prescription.exercise, prescription=prescription, mode_text=mode_text,
        dose_text=dose_text,
    )  # fmt: skip


@bp.route("/<int:programme_id>/prescriptions/<int:prescription_id>/history")
@staff_required
def prescription_history(programme_id: int, prescription_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    prescription = services.prescription_of(programme, prescription_id)
    versions = services.prescription_versions(prescription)
    exercises = services.exercises_by_id(
        {v.exercise_id for v in versions} | reasons.exercise_ids(versions)
    )
    language = _language()
    names = {eid: exercise.text("name", language) for eid, exercise in exercises.items()}
    return render_template(
        "programmes/history.html",
        programme=programme,
        prescription=prescription,
        versions=versions,
        why={v.id: reasons.version_reason(v, names) for v in versions},
        exercises=exercises,
        language=_language(),
        dose_text=dose_text,
        rule_text=rule_text,
    )


@bp.route("/<int:programme_id>/prescriptions/<int:prescription_id>/move", methods=["POST"])
@staff_required
def move_prescription(programme_id: int, prescription_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    prescription = services.prescription_of(programme, prescription_id)
    if prescription.archived_at is not None:
        abort(404)
    return _button_action(
        programme_id,
        lambda form: prescriptions.move_prescription(
            current_user, programme, prescription, form.version.data, form.direction.data or "down"
        ),
        anchor=f"rx-{prescription.id}",
    )


@bp.route("/<int:programme_id>/prescriptions/<int:prescription_id>/remove", methods=["POST"])
@staff_required
def remove_prescription(programme_id: int, prescription_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    _editable(programme)
    prescription = services.prescription_of(programme, prescription_id)
    if prescription.archived_at is not None:
        abort(404)
    anchor = f"phase-{prescription.phase_id}"

    def remove(form):
        archived = prescriptions.remove_prescription(
            current_user, programme, prescription, form.version.data
        )
        flash(
            _("Exercise removed; its logged sessions and history are kept.")
            if archived
            else _("Exercise removed."),
            "success",
        )

    return _button_action(programme_id, remove, anchor=anchor)


# --- templates -------------------------------------------------------------------------------


@bp.route("/<int:programme_id>/save-as-template", methods=["GET", "POST"])
@staff_required
def save_as_template(programme_id: int):
    programme = services.programme_for(current_user, programme_id, tree=True)
    form = TemplateForm()
    if request.method == "GET":
        form.title.data = programme.title
        form.description.data = programme.description
    if form.validate_on_submit():
        template = programme_templates.save_as_template(
            current_user, programme, title=form.title.data, description=form.description.data
        )
        flash(_("Saved as a clinic template. Colleagues can start programmes from it."), "success")
        return redirect(url_for(".show", programme_id=template.id))
    return render_template("programmes/template_form.html", form=form, programme=programme)


@bp.route("/<int:programme_id>/rename", methods=["GET", "POST"])
@staff_required
def rename_template(programme_id: int):
    template = services.programme_for(current_user, programme_id)
    if not template.is_template:
        abort(404)
    form = RenameTemplateForm()
    if request.method == "GET":
        form.title.data = template.title
        form.description.data = template.description
        form.version.data = template.version
    if _submitted(form):
        try:
            programme_templates.rename_template(
                current_user, template, form.version.data,
                title=form.title.data, description=form.description.data,
            )  # fmt: skip
        except ProgrammeChanged:
            return _conflict(None, url_for(".rename_template", programme_id=programme_id))
        flash(_("Template saved."), "success")
        return redirect(url_for(".templates"))
    return render_template("programmes/template_form.html", form=form, programme=template)


@bp.route("/<int:programme_id>/delete", methods=["POST"])
@staff_required
def delete(programme_id: int):
    programme = services.programme_for(current_user, programme_id)
    form = _version_form()
    patient_id = programme.patient_id
    try:
        lifecycle.delete_programme(current_user, programme, form.version.data)
    except ProgrammeChanged:
        return _conflict(programme_id)
    except BuilderError as error:
        flash(error.message, "danger")
        return redirect(url_for(".show", programme_id=programme_id))
    flash(_("Deleted."), "success")
    if patient_id is None:
        return redirect(url_for(".templates"))
    return redirect(url_for("patients.detail", patient_id=patient_id))


@bp.route("/templates")
@staff_required
def templates():
    pagination = db.paginate(
        programme_templates.clinic_templates_statement(current_user.clinic_id),
        page=page_arg(),
        per_page=TEMPLATES_PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "programmes/templates.html",
        builtins=list(builtin.builtin_templates().values()),
        pagination=pagination,
        language=_language(),
        vform=VersionForm(formdata=None),
    )


@bp.route("/templates/built-in/<slug>")
@staff_required
def builtin_template(slug: str):
    template = builtin.builtin_template(slug)
    if template is None:
        abort(404)
    language = _language()
    exercises = library.exercises_by_slug(template.slugs)
    phases = []
    for data in template.phases:
        labels = builtin.rotation_labels(data)
        prescriptions = []
        for rx in data.get("prescription", []):
            values = builtin.prescription_values(rx, language)
            exercise = exercises.get(rx["exercise"])
            name = exercise.text("name", language) if exercise else _library_name(rx, language)
            prescriptions.append((name, values))
        criteria = [builtin.text(c.get("label"), language) for c in data.get("criterion", [])]
        phases.append({"data": data, "labels": labels, "prescriptions": prescriptions,
                       "criteria": criteria})  # fmt: skip
    return render_template(
        "programmes/builtin_template.html",
        template=template,
        phases=phases,
        language=language,
        text=builtin.text,
        dose_text=dose_text,
        rule_text=rule_text,
    )


def _library_name(rx: dict, language: str) -> str:
    entry = builtin.library_index().get(rx["exercise"], {})
    return (entry.get("name") or {}).get(language) or rx["exercise"]


# --- the patient's own programme -----------------------------------------------------------


@bp.route("/mine")
@patient_required
def mine():
    patient = own_patient_record(current_user)
    programme = services.active_programme(patient.id)
    phase = services.current_phase(programme) if programme else None
    ordered = sorted(programme.phases, key=lambda p: p.position) if programme else []
    following = None
    if phase is not None:
        index = ordered.index(phase)
        following = ordered[index + 1] if index + 1 < len(ordered) else None
    past = [p for p in ordered if phase is not None and p.position < phase.position]
    return render_template(
        "programmes/mine.html",
        patient=patient,
        programme=programme,
        phase=phase,
        phases=ordered,
        following=following,
        past=past,
        language=_language(),
        prescriptions=services.active_prescriptions(phase) if phase else [],
        dose_text=dose_text,
    )


# Words for the programme pages and the patient-page panel (rendered by the patients area).
for _helper in (dose_text, rule_text, mode_text, schedule_text):
    bp.add_app_template_global(_helper)
