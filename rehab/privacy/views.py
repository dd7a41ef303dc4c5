"""Staff pages for a patient's rights: the export download and the destruction workflow."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from rehab.auth.access import staff_required
from rehab.auth.forms import ConfirmForm
from rehab.core.i18n import gettext as _
from rehab.extensions import db
from rehab.patients.services import patient_for
from rehab.privacy import bp, services
from rehab.privacy.export import export_filename
from rehab.privacy.forms import DestructionRequestForm


@bp.route("/<int:patient_id>/export")
@staff_required
def export(patient_id: int):
    """A zip with everything that belongs to the patient (GDPR art. 15 and 20)."""
    patient = patient_for(current_user, patient_id, what="patient_record")
    data = services.export_record(current_user._get_current_object(), patient)
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{export_filename(patient)}"'},
    )


@bp.route("/<int:patient_id>/destruction", methods=["GET", "POST"])
@staff_required
def destruction(patient_id: int):
    patient = patient_for(current_user, patient_id)
    form = DestructionRequestForm()
    if form.validate_on_submit():
        try:
            services.request_destruction(
                current_user._get_current_object(), patient, form.reason.data
            )
        except services.DestructionPending:
            flash(_("A request for this patient is already waiting for confirmation."), "warning")
        else:
            flash(
                _("Destruction requested. Another therapist or administrator must confirm it."),
                "success",
            )
        return redirect(url_for("privacy.destruction", patient_id=patient.id))
    return render_template(
        "privacy/destruction.html",
        patient=patient,
        form=form,
        requests=services.requests_for(patient),
        action_form=ConfirmForm(),
    )


def _pending_request_or_404(patient, request_id: int):
    found = services.request_for(patient, request_id)
    if found is None:
        abort(404)
    return found


@bp.route("/<int:patient_id>/destruction/<int:request_id>/confirm", methods=["POST"])
@staff_required
def confirm_destruction(patient_id: int, request_id: int):
    patient = patient_for(current_user, patient_id)
    request = _pending_request_or_404(patient, request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not request.is_pending:
        flash(_("This request is no longer open."), "warning")
        return redirect(url_for("privacy.destruction", patient_id=patient.id))
    try:
        services.confirm_destruction(current_user._get_current_object(), request, patient)
    except services.SameStaffMember:
        flash(_("You asked for this yourself: a colleague must confirm it."), "warning")
        return redirect(url_for("privacy.destruction", patient_id=patient_id))
    except services.RequestClosed:  # a colleague confirmed or cancelled it a moment ago
        flash(_("This request is no longer open."), "warning")
        return redirect(_after_closed(patient_id))
    flash(
        _("The record has been destroyed. The account is disabled; the access log is kept."),
        "success",
    )
    return redirect(url_for("patients.caseload"))


def _after_closed(patient_id: int) -> str:
    """The request's page, or the caseload when the record it was about is gone."""
    from rehab.patients.models import Patient

    if db.session.get(Patient, patient_id, populate_existing=True) is None:
        return url_for("patients.caseload")
    return url_for("privacy.destruction", patient_id=patient_id)


@bp.route("/<int:patient_id>/destruction/<int:request_id>/cancel", methods=["POST"])
@staff_required
def cancel_destruction(patient_id: int, request_id: int):
    patient = patient_for(current_user, patient_id)
    request = _pending_request_or_404(patient, request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.cancel_destruction(current_user._get_current_object(), request)
    except services.RequestClosed:
        flash(_("This request is no longer open."), "warning")
        return redirect(_after_closed(patient_id))
    flash(_("The destruction request has been cancelled."), "success")
    return redirect(url_for("privacy.destruction", patient_id=patient_id))
