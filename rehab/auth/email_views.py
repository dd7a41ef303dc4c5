"""Pages for account links by e-mail: "forgot password", confirming a new e-mail address,
and sending a hand-over link by e-mail."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from rehab.auth import bp, by_email, links, services
from rehab.auth.access import public, staff_required
from rehab.auth.forms import ConfirmForm, ForgotPasswordForm, HandoverEmailForm
from rehab.auth.models import TokenPurpose
from rehab.core.i18n import gettext as _
from rehab.core.urls import home_for, safe_next
from rehab.extensions import limiter
from rehab.mail.links import endpoint_values


def _forgot_limit() -> str:
    return current_app.config["RATELIMIT_FORGOT_PASSWORD"]


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit(_forgot_limit, methods=["POST"])
def forgot_password():
    """Ask for a password link by e-mail. The answer is the same whether or not the address
    has an account (rehab.auth.by_email.request_password_reset)."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        by_email.request_password_reset(form.email.data)
        return redirect(url_for("auth.forgot_password_sent"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/forgot/sent")
@public
def forgot_password_sent():
    return render_template(
        "auth/forgot_password_sent.html", hours=current_app.config["REHAB_RESET_HOURS"]
    )


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def confirm_email_change(token: str):
    """The link from the confirmation e-mail: it works without logging in (opening it proves
    the new mailbox is yours; asking for it needed a recent log-in). A button, not the GET
    itself, makes the change, so a mail scanner that opens links changes nothing."""
    check = links.check_token(token, purposes=(TokenPurpose.EMAIL_CHANGE,))
    if check.problem is not None:
        status = 404 if check.problem == links.TokenProblem.UNKNOWN else 410
        message = (
            _("This link is not valid. Ask for a new one on your account page.")
            if status == 404
            else _(
                "This link has expired or was already used. Ask for a new one on your account page."
            )
        )
        return render_template("auth/link_problem.html", message=message), status
    row = check.token
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            user = by_email.confirm_email_change(row)
        except by_email.LinkAlreadyUsed:
            flash(_("This link was already used."), "info")
        except services.EmailTaken:
            flash(_("Another account already uses this e-mail address."), "danger")
        else:
            flash(_("Your e-mail address is now %(email)s.", email=user.email), "success")
        if current_user.is_authenticated:
            return redirect(home_for(current_user))
        return redirect(url_for("auth.login"))
    return render_template("auth/confirm_email_change.html", form=form, row=row)


@bp.route("/handover/email", methods=["POST"])
@staff_required
def send_handover_link():
    """Send the link just shown on the hand-over page to the account's own address."""
    form = HandoverEmailForm()
    if not form.validate_on_submit():
        abort(400)
    values = endpoint_values(form.link.data, "auth.activate")
    token = values["token"] if values else ""
    check = links.check_token(token)
    if check.problem is not None or check.token.user.clinic_id != current_user.clinic_id:
        abort(404)
    by_email.send_account_link(current_user._get_current_object(), check.token, token)
    flash(
        _("The link has been sent to %(email)s.", email=check.token.user.email),
        "success",
    )
    return redirect(safe_next(form.back.data) or home_for(current_user))
