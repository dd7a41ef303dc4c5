"""The programme builder: the programme's details, its phases, their exit criteria and the
prescriptions with their dose history."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from rehab.auth.access import staff_required
from rehab.core.i18n import gettext as _
from rehab.core.pages import filter_args, page_arg
from rehab.core.vocabulary import EXERCISE_CATEGORIES, PROGRESSION_MODES, RULE_KINDS
from rehab.extensions import db
from rehab.programmes import (
    bp,
    library,
    phases,
    prescriptions,
    reasons,
    services,
)
from rehab.programmes.forms import (
    ActivateForm,
    CriterionForm,
    DetailsForm,
    PhaseForm,
    PickerForm,
    PrescriptionForm,
    VersionForm,
)
from rehab.programmes.services import BuilderError, ProgrammeChanged
from rehab.programmes.view_support import (
    builder_url,
    conflict_page,
    editable_programme,
    page_language,
    submitted,
    version_form,
)
from rehab.programmes.wording import dose_text, mode_text, rule_text

# --- the builder -----------------------------------------------------------------------------


@bp.route("/<int:programme_id>/builder")
@staff_required
def builder(programme_id: int):
    programme = editable_programme(programme_id)
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
    programme = editable_programme(programme_id)
    form = DetailsForm()
    if submitted(form):
        try:
            services.update_details(
                current_user, programme, form.version.data,
                title=form.title.data, description=form.description.data,
            )  # fmt: skip
        except ProgrammeChanged:
            return conflict_page(programme_id)
        flash(_("Saved."), "success")
        return redirect(builder_url(programme))
    return _render_builder(programme, details_form=form)


@bp.route("/<int:programme_id>/phases/new", methods=["GET", "POST"])
@staff_required
def new_phase(programme_id: int):
    programme = editable_programme(programme_id)
    form = PhaseForm()
    if request.method == "GET":
        form.version.data = programme.version
        form.name.data = _("Phase %(n)s", n=len(programme.phases) + 1)
    if submitted(form):
        try:
            phase = phases.add_phase(current_user, programme, form.version.data, form.values())
        except ProgrammeChanged:
            return conflict_page(programme_id)
        flash(_("Phase added. Now add its exercises."), "success")
        return redirect(builder_url(programme, f"phase-{phase.id}"))
    return render_template("programmes/phase_form.html", form=form, programme=programme, phase=None)


@bp.route("/<int:programme_id>/phases/<int:phase_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_phase(programme_id: int, phase_id: int):
    programme = editable_programme(programme_id)
    phase = services.phase_of(programme, phase_id)
    form = PhaseForm()
    if request.method == "GET":
        form.load(phase)
        form.version.data = programme.version
    if submitted(form):
        try:
            phases.update_phase(current_user, programme, phase, form.version.data, form.values())
        except ProgrammeChanged:
            return conflict_page(programme_id)
        except BuilderError as error:
            getattr(form, error.field or "name").errors.append(error.message)
        else:
            flash(_("Phase saved."), "success")
            return redirect(builder_url(programme, f"phase-{phase.id}"))
    return render_template(
        "programmes/phase_form.html", form=form, programme=programme, phase=phase
    )


def _button_action(programme_id: int, action, *objects, success: str | None = None, anchor=None):
    """Run a builder button (move, delete…): 409 on a conflict, a message on refusal."""
    form = version_form()
    try:
        action(form, *objects)
    except ProgrammeChanged:
        return conflict_page(programme_id)
    except BuilderError as error:
        flash(error.message, "danger")
    else:
        if success:
            flash(success, "success")
    return redirect(url_for(".builder", programme_id=programme_id, _anchor=anchor))


@bp.route("/<int:programme_id>/phases/<int:phase_id>/move", methods=["POST"])
@staff_required
def move_phase(programme_id: int, phase_id: int):
    programme = editable_programme(programme_id)
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
    programme = editable_programme(programme_id)
    phase = services.phase_of(programme, phase_id)
    return _button_action(
        programme_id,
        lambda form: phases.delete_phase(current_user, programme, phase, form.version.data),
        success=_("Phase deleted."),
    )


# --- exit criteria -------------------------------------------------------------------------


def _hold_prescriptions(programme, phase):
    return [
        (rx, rx.exercise.text("name", page_language()))
        for rx in services.active_prescriptions(phase)
        if rx.dosage_type == "hold"
    ]


@bp.route("/<int:programme_id>/phases/<int:phase_id>/criteria/new", methods=["GET", "POST"])
@staff_required
def new_criterion(programme_id: int, phase_id: int):
    programme = editable_programme(programme_id)
    phase = services.phase_of(programme, phase_id)
    form = CriterionForm(hold_prescriptions=_hold_prescriptions(programme, phase))
    if request.method == "GET":
        form.version.data = programme.version
    if submitted(form):
        try:
            phases.add_criterion(current_user, programme, phase, form.version.data, form.cleaned)
        except ProgrammeChanged:
            return conflict_page(programme_id)
        flash(_("Exit criterion added."), "success")
        return redirect(builder_url(programme, f"phase-{phase.id}"))
    return render_template(
        "programmes/criterion_form.html", form=form, programme=programme, phase=phase,
        criterion=None,
    )  # fmt: skip


@bp.route("/<int:programme_id>/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_criterion(programme_id: int, criterion_id: int):
    programme = editable_programme(programme_id)
    criterion = services.criterion_of(programme, criterion_id)
    phase = services.phase_of(programme, criterion.phase_id)
    form = CriterionForm(hold_prescriptions=_hold_prescriptions(programme, phase))
    if request.method == "GET":
        form.load(criterion)
        form.version.data = programme.version
    if submitted(form):
        try:
            phases.update_criterion(
                current_user, programme, criterion, form.version.data, form.cleaned
            )
        except ProgrammeChanged:
            return conflict_page(programme_id)
        flash(_("Exit criterion saved."), "success")
        return redirect(builder_url(programme, f"phase-{phase.id}"))
    return render_template(
        "programmes/criterion_form.html", form=form, programme=programme, phase=phase,
        criterion=criterion,
    )  # fmt: skip


@bp.route("/<int:programme_id>/criteria/<int:criterion_id>/delete", methods=["POST"])
@staff_required
def delete_criterion(programme_id: int, criterion_id: int):
    programme = editable_programme(programme_id)
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
    programme = editable_programme(programme_id)
    phase = services.phase_of(programme, phase_id)
    form = PickerForm(request.args)
    if not form.validate():
        form = PickerForm(formdata=None)
    language = page_language()
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
    programme = editable_programme(programme_id)
    phase = services.phase_of(programme, phase_id)
    # Another clinic's exercise, or an archived one, is 404: it cannot be prescribed.
    exercise = library.exercise_for(current_user, exercise_id)
    form = _prescription_form(programme, phase, exercise)
    if request.method == "GET":
        form.load_exercise_defaults(exercise)
        form.version.data = programme.version
    if submitted(form):
        try:
            prescription = prescriptions.add_prescription(
                current_user, programme, phase, exercise, form.version.data, form.cleaned
            )
        except ProgrammeChanged:
            return conflict_page(programme_id)
        flash(_("%(name)s added.", name=exercise.text("name", page_language())), "success")
        return redirect(builder_url(programme, f"rx-{prescription.id}"))
    return render_template(
        "programmes/prescription_form.html", form=form, programme=programme, phase=phase,
        exercise=exercise, prescription=None, mode_text=mode_text,
    )  # fmt: skip


@bp.route("/<int:programme_id>/prescriptions/<int:prescription_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_prescription(programme_id: int, prescription_id: int):
    programme = editable_programme(programme_id)
    prescription = services.prescription_of(programme, prescription_id)
    if prescription.archived_at is not None:
        abort(404)
    phase = services.phase_of(programme, prescription.phase_id)
    form = _prescription_form(programme, phase, prescription.exercise, require_reason=True)
    if request.method == "GET":
        form.load(prescription)
        form.version.data = programme.version
    if submitted(form):
        try:
            changed = prescriptions.change_prescription(
                current_user, programme, prescription, form.version.data, form.cleaned,
                reason=form.reason.data,
            )  # fmt: skip
        except ProgrammeChanged:
            return conflict_page(programme_id)
        except BuilderError as error:
            form.reason.errors.append(error.message)
        else:
            message = _("Dose saved as a new version.") if changed else _("Nothing changed.")
            flash(message, "success" if changed else "info")
            return redirect(builder_url(programme, f"rx-{prescription.id}"))
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
    language = page_language()
    names = {eid: exercise.text("name", language) for eid, exercise in exercises.items()}
    return render_template(
        "programmes/history.html",
        programme=programme,
        prescription=prescription,
        versions=versions,
        why={v.id: reasons.version_reason(v, names) for v in versions},
        exercises=exercises,
        language=page_language(),
        dose_text=dose_text,
        rule_text=rule_text,
    )


@bp.route("/<int:programme_id>/prescriptions/<int:prescription_id>/move", methods=["POST"])
@staff_required
def move_prescription(programme_id: int, prescription_id: int):
    programme = editable_programme(programme_id)
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
    programme = editable_programme(programme_id)
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
