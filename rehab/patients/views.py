"""The caseload and patient records."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from rehab.auth.access import staff_required
from rehab.auth.forms import ConfirmForm
from rehab.auth.models import Role, TokenPurpose
from rehab.auth.services import EmailTaken
from rehab.auth.views import show_link_once
from rehab.core.clock import local_today
from rehab.core.forms import choices
from rehab.core.i18n import gettext as _
from rehab.core.pages import filter_args, page_arg
from rehab.extensions import db
from rehab.patients import bp, services
from rehab.patients.forms import CaseloadFilterForm, DischargeForm, PatientForm, TransferForm
from rehab.patients.panels import panels_for
from rehab.patients.vocabulary import SEXES

RECORD_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "preferred_language",
    "therapist_id",
    "main_complaint",
    "body_region",
    "onset_date",
    "episode",
    "earlier_episodes",
    "history",
    "goals",
    "demands",
)


@bp.route("/")
@staff_required
def caseload():
    form = CaseloadFilterForm(request.args)
    if not form.validate():
        form = CaseloadFilterForm(formdata=None)
    page = page_arg()
    query = services.CaseloadQuery(
        q=form.q.data, status=form.status.data, scope=form.scope.data, page=page
    )
    pagination = db.paginate(
        services.caseload_statement(current_user, query),
        page=query.page,
        per_page=services.PAGE_SIZE,
        error_out=False,
    )
    from rehab.programmes.services import programme_summaries
    from rehab.training.open_items import latest_alerts
    from rehab.training.wording import ALERT_TITLES

    ids = [patient.id for patient in pagination.items]
    return render_template(
        "patients/caseload.html",
        form=form,
        pagination=pagination,
        filters=filter_args(form),
        query=query,
        programmes=programme_summaries(ids),
        alerts=latest_alerts(ids),
        alert_titles=ALERT_TITLES,
    )


def _therapist_choices(form: PatientForm) -> None:
    form.therapist_id.choices = choices(
        (t.id, t.full_name) for t in services.clinic_therapists(current_user.clinic_id)
    )
    if (
        request.method == "GET"
        and current_user.role == Role.THERAPIST
        and not form.therapist_id.data
    ):
        form.therapist_id.data = current_user.id


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = PatientForm()
    _therapist_choices(form)
    if request.method == "GET":
        form.preferred_language.data = current_user.clinic.default_locale
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in RECORD_FIELDS}
        try:
            patient, token = services.create_patient(current_user, data)
        except EmailTaken:
            form.email.errors.append(_("Another account already uses this e-mail address."))
        else:
            show_link_once(
                user=patient.user,
                token=token,
                purpose=TokenPurpose.ACTIVATION,
                back_url=url_for("patients.detail", patient_id=patient.id),
            )
            flash(_("Patient %(name)s has been created.", name=patient.full_name), "success")
            return redirect(url_for("auth.handover"))
    return render_template("patients/form.html", form=form, patient=None)


@bp.route("/<int:patient_id>")
@staff_required
def detail(patient_id: int):
    patient = services.patient_for(current_user, patient_id)
    return render_template(
        "patients/detail.html",
        patient=patient,
        sexes=SEXES,
        action_form=ConfirmForm(),
        panels=panels_for(current_user, patient),
    )


@bp.route("/<int:patient_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(patient_id: int):
    patient = services.patient_for(current_user, patient_id)
    form = PatientForm(obj=patient)
    # The treating therapist changes only through a transfer, which only an admin may do.
    del form.therapist_id
    if request.method == "GET" and patient.user is not None:
        form.email.data = patient.user.email
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in RECORD_FIELDS if name in form}
        try:
            services.update_patient(current_user, patient, data)
        except EmailTaken:
            form.email.errors.append(_("Another account already uses this e-mail address."))
        else:
            flash(_("The record of %(name)s has been saved.", name=patient.full_name), "success")
            return redirect(url_for("patients.detail", patient_id=patient.id))
    return render_template("patients/form.html", form=form, patient=patient)


@bp.route("/<int:patient_id>/discharge", methods=["GET", "POST"])
@staff_required
def discharge(patient_id: int):
    patient = services.patient_for(current_user, patient_id)
    if not patient.is_active:
        flash(_("%(name)s has already been discharged.", name=patient.full_name), "info")
        return redirect(url_for("patients.detail", patient_id=patient.id))
    form = DischargeForm()
    if request.method == "GET":
        form.discharged_on.data = local_today()
    if form.validate_on_submit():
        try:
            services.discharge_patient(
                current_user, patient, on=form.discharged_on.data, note=form.note.data
            )
        except services.StatusChanged:
            flash(_("%(name)s has already been discharged.", name=patient.full_name), "info")
            return redirect(url_for("patients.detail", patient_id=patient.id))
        flash(
            _(
                "%(name)s has been discharged. Record the discharge analysis with the global "
                "perceived effect (GPE), or cancel if it is not needed.",
                name=patient.full_name,
            ),
            "success",
        )
        return redirect(
            url_for(
                "patients.new_analysis",
                patient_id=patient.id,
                kind="discharge",
                on=form.discharged_on.data.isoformat(),
            )
        )
    return render_template("patients/discharge.html", form=form, patient=patient)


@bp.route("/<int:patient_id>/reopen", methods=["POST"])
@staff_required
def reopen(patient_id: int):
    patient = services.patient_for(current_user, patient_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.reopen_patient(current_user, patient)
    except services.StatusChanged:
        flash(_("%(name)s is already in treatment.", name=patient.full_name), "info")
    else:
        flash(_("%(name)s is in treatment again.", name=patient.full_name), "success")
    return redirect(url_for("patients.detail", patient_id=patient.id))


@bp.route("/<int:patient_id>/transfer", methods=["GET", "POST"])
@staff_required
def transfer(patient_id: int):
    # The patient first: another clinic's staff get 404 here like on every URL of the record.
    patient = services.patient_for(current_user, patient_id)
    if current_user.role != Role.ADMIN:
        abort(403)
    form = TransferForm()
    candidates = services.transfer_candidates(patient)
    form.therapist_id.choices = choices((t.id, t.full_name) for t in candidates)
    if form.validate_on_submit():
        therapist = services.transfer_patient(current_user, patient, form.therapist_id.data)
        flash(
            _(
                "%(name)s has been transferred to %(therapist)s.",
                name=patient.full_name,
                therapist=therapist.full_name,
            ),
            "success",
        )
        return redirect(url_for("patients.detail", patient_id=patient.id))
    return render_template(
        "patients/transfer.html", form=form, patient=patient, candidates=candidates
    )


@bp.route("/<int:patient_id>/account-link", methods=["POST"])
@staff_required
def account_link(patient_id: int):
    patient = services.patient_for(current_user, patient_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if patient.user is None or not patient.user.active:
        abort(404)
    token = services.new_activation_link(current_user, patient)
    purpose = TokenPurpose.RESET if patient.user.has_password else TokenPurpose.ACTIVATION
    show_link_once(
        user=patient.user,
        token=token,
        purpose=purpose,
        back_url=url_for("patients.detail", patient_id=patient.id),
    )
    return redirect(url_for("auth.handover"))
