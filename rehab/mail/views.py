"""The clinic admin's outbox: what Rehab sent (or would have sent), and what failed."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from rehab.audit.services import Action, record, record_read
from rehab.audit.summaries import Summary
from rehab.auth.access import admin_required
from rehab.auth.forms import ConfirmForm
from rehab.auth.models import User
from rehab.core.i18n import gettext as _
from rehab.core.pages import page_arg
from rehab.extensions import db
from rehab.mail import bp
from rehab.mail.delivery import render, retry_now
from rehab.mail.models import OutgoingEmail
from rehab.mail.smtp import smtp_configured
from rehab.mail.wording import ERROR_LABELS, KIND_LABELS, STATUS_LABELS

PAGE_SIZE = 50
# The HTML part is shown as its own document: its inline styles allowed, nothing else, and
# sandboxed so that no link or form in it can act on this site.
MESSAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def email_for(actor: User, email_id: int) -> OutgoingEmail:
    """A message of the admin's own clinic, else 404 (missing and foreign look the same)."""
    email = db.session.get(OutgoingEmail, email_id)
    if email is None or email.clinic_id != actor.clinic_id:
        abort(404)
    return email


def _patient_id_of(user_id: int) -> int | None:
    from rehab.patients.models import Patient

    return db.session.scalar(select(Patient.id).where(Patient.user_id == user_id))


@bp.route("/")
@admin_required
def index():
    problems = request.args.get("show") == "problems"
    stmt = (
        select(OutgoingEmail)
        .where(OutgoingEmail.clinic_id == current_user.clinic_id)
        .order_by(OutgoingEmail.created_at.desc(), OutgoingEmail.id.desc())
    )
    if problems:
        stmt = stmt.where(
            (OutgoingEmail.status == "failed")
            | ((OutgoingEmail.status == "queued") & (OutgoingEmail.attempts > 0))
        )
    pagination = db.paginate(stmt, page=page_arg(), per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "mail/outbox.html",
        pagination=pagination,
        problems=problems,
        smtp_configured=smtp_configured(),
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        error_labels=ERROR_LABELS,
        max_attempts=current_app.config["REHAB_MAIL_MAX_ATTEMPTS"],
    )


@bp.route("/<int:email_id>")
@admin_required
def message(email_id: int):
    email = email_for(current_user, email_id)
    patient_id = _patient_id_of(email.user_id)
    if patient_id is not None:
        record_read(patient_id=patient_id, object_type="outgoing_email", object_id=email.id)
    return render_template(
        "mail/outbox_message.html",
        email=email,
        rendered=render(email, with_secret=False),
        action_form=ConfirmForm(),
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        error_labels=ERROR_LABELS,
    )


@bp.route("/<int:email_id>/html")
@admin_required
def message_html(email_id: int):
    email = email_for(current_user, email_id)
    patient_id = _patient_id_of(email.user_id)
    if patient_id is not None:
        record_read(patient_id=patient_id, object_type="outgoing_email", object_id=email.id)
    response = current_app.response_class(
        render(email, with_secret=False).html, mimetype="text/html"
    )
    response.headers["Content-Security-Policy"] = MESSAGE_CSP
    return response


@bp.route("/<int:email_id>/retry", methods=["POST"])
@admin_required
def retry(email_id: int):
    email = email_for(current_user, email_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    record(
        Action.UPDATE,
        actor=current_user,
        patient_id=_patient_id_of(email.user_id),
        object_type="outgoing_email",
        object_id=email.id,
        summary=Summary.of("email_send_again"),
    )
    if retry_now(email.id):
        flash(_("The message will be sent again."), "success")
    else:
        flash(_("Only a message that was not sent can be sent again."), "warning")
    return redirect(url_for("mail.message", email_id=email_id))
