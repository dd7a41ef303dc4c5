"""Creating a programme, the programme page and its lifecycle (activate, change phase,
complete, tick a criterion), and the patient's own programme. The builder is in
rehab.programmes.builder_views, templates in rehab.programmes.template_views."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from rehab.auth.access import patient_required, staff_required
from rehab.core.clock import clinic_today
from rehab.core.forms import choices
from rehab.core.i18n import gettext as _
from rehab.patients.services import own_patient_record, patient_for
from rehab.programmes import (
    bp,
    builtin,
    lifecycle,
    phases,
    reasons,
    services,
)
from rehab.programmes import templates as programme_templates
from rehab.programmes.advancement import phase_status
from rehab.programmes.forms import (
    ActivateForm,
    CompleteForm,
    NewProgrammeForm,
    PhaseChangeForm,
    TickForm,
    VersionForm,
)
from rehab.programmes.services import BuilderError, ProgrammeChanged
from rehab.programmes.view_support import (
    builder_url,
    conflict_page,
    page_language,
    submitted,
)
from rehab.programmes.wording import dose_text, mode_text, rule_text, schedule_text

bp.add_app_template_global(reasons.phase_change_note, "phase_change_note")


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
    form.source.choices = choices(_source_choices(current_user.clinic_id, page_language()))
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
            return redirect(builder_url(programme))
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
        return conflict_page(programme_id, url_for(".show", programme_id=programme_id))
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
        return conflict_page(programme_id, url_for(".show", programme_id=programme_id))
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
    if not submitted(form):
        flash(_("Add a short note: why does the phase change?"), "danger")
        return redirect(url_for(".show", programme_id=programme_id, _anchor="advance"))
    direction = "back" if form.direction.data == "back" else "next"
    try:
        target = lifecycle.change_phase(
            current_user, programme, form.version.data, direction=direction, note=form.note.data
        )
    except ProgrammeChanged:
        return conflict_page(programme_id, url_for(".show", programme_id=programme_id))
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
        return conflict_page(programme_id, url_for(".show", programme_id=programme_id))
    except BuilderError as error:
        flash(error.message, "danger")
    return redirect(url_for(".show", programme_id=programme_id, _anchor="criteria"))


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
        language=page_language(),
        prescriptions=services.active_prescriptions(phase) if phase else [],
        dose_text=dose_text,
    )


# Words for the programme pages and the patient-page panel (rendered by the patients area).
for _helper in (dose_text, rule_text, mode_text, schedule_text):
    bp.add_app_template_global(_helper)
