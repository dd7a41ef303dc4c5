"""Log in and out, set and change passwords, and the admin's staff pages."""

from __future__ import annotations

from urllib.parse import quote

import segno
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from rehab.auth import bp, services
from rehab.auth.access import admin_required, login_required, public, staff_required
from rehab.auth.forms import ChangePasswordForm, ConfirmForm, LoginForm, SetPasswordForm, StaffForm
from rehab.auth.models import Role, TokenPurpose, User
from rehab.auth.passwords import verify_password
from rehab.core.urls import home_for, safe_next
from rehab.extensions import db, limiter


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            services.record_failed_login(form.email.data)
            flash(_("The e-mail address or password is not correct."), "danger")
        else:
            services.start_session(user)
            return redirect(safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    services.end_session(current_user._get_current_object())
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    form.email_for_policy = current_user.email
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            services.change_password(current_user._get_current_object(), form.new_password.data)
            flash(
                _("Your password has been changed. You have been logged out everywhere else."),
                "success",
            )
            return redirect(home_for(current_user))
    return render_template("auth/change_password.html", form=form)


_TOKEN_MESSAGES = {
    services.TokenProblem.UNKNOWN: (
        404,
        lambda: _("This link is not valid. Ask your clinic for a new one."),
    ),
    services.TokenProblem.USED: (
        410,
        lambda: _(
            "This link has already been used. Log in with your password, or ask your "
            "clinic for a new link."
        ),
    ),
    services.TokenProblem.EXPIRED: (
        410,
        lambda: _("This link has expired. Ask your clinic for a new one."),
    ),
}


@bp.route("/activate/<token>", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def activate(token: str):
    check = services.check_token(token)
    if check.problem is not None:
        status, message = _TOKEN_MESSAGES[check.problem]
        return render_template("auth/link_problem.html", message=message()), status
    row = check.token
    form = SetPasswordForm()
    form.email_for_policy = row.user.email
    if form.validate_on_submit():
        user = services.redeem_token(row, form.new_password.data)
        if current_user.is_authenticated:
            services.end_session(current_user._get_current_object())
        services.start_session(user)
        flash(_("Your password has been set. Welcome!"), "success")
        return redirect(home_for(user))
    return render_template(
        "auth/activate.html",
        form=form,
        user=row.user,
        is_reset=row.purpose == TokenPurpose.RESET,
    )


@bp.route("/handover")
@staff_required
def handover():
    """Show a just-made link once, to hand over on screen, by QR code or by e-mail."""
    link = session.pop("handover", None)
    if link is None:
        flash(_("That link is no longer shown. Make a new one if it was lost."), "warning")
        return redirect(url_for("patients.caseload"))
    subject = _("Your Rehab account")
    body = _(
        "Hello %(name)s,\n\nWith this personal link you choose your password for Rehab "
        "(valid for %(hours)d hours, usable once):\n%(url)s\n",
        name=link["name"],
        hours=link["hours"],
        url=link["url"],
    )
    mailto = f"mailto:{quote(link['email'])}?subject={quote(subject)}&body={quote(body)}"
    qr = segno.make(link["url"], error="m").svg_data_uri(scale=4, border=2)
    return render_template("auth/handover.html", link=link, qr=qr, mailto=mailto)


def show_link_once(*, user: User, token: str, purpose: TokenPurpose, back_url: str) -> None:
    """Keep the link for the next page only; the token itself is never stored server-side."""
    session["handover"] = {
        "name": user.full_name,
        "email": user.email,
        "url": url_for("auth.activate", token=token, _external=True),
        "purpose": str(purpose),
        "hours": current_app.config[
            "REHAB_ACTIVATION_HOURS" if purpose == TokenPurpose.ACTIVATION else "REHAB_RESET_HOURS"
        ],
        "back_url": back_url,
    }


# --- clinic administration ----------------------------------------------------------------


def _clinic_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.clinic_id != current_user.clinic_id:
        abort(404)
    return user


@bp.route("/admin/staff")
@admin_required
def staff():
    users = db.session.scalars(
        select(User)
        .where(User.clinic_id == current_user.clinic_id, User.role != Role.PATIENT)
        .order_by(User.full_name)
    ).all()
    return render_template("auth/staff.html", users=users, action_form=ConfirmForm())


@bp.route("/admin/staff/new", methods=["GET", "POST"])
@admin_required
def new_staff():
    form = StaffForm()
    if form.validate_on_submit():
        try:
            user = services.create_staff(
                current_user.clinic,
                full_name=form.full_name.data,
                email=form.email.data,
                role=Role(form.role.data),
                actor=current_user,
            )
        except services.EmailTaken:
            form.email.errors.append(_("Another account already uses this e-mail address."))
        else:
            token = services.issue_token(user, TokenPurpose.ACTIVATION, actor=current_user)
            db.session.commit()
            show_link_once(
                user=user,
                token=token,
                purpose=TokenPurpose.ACTIVATION,
                back_url=url_for("auth.staff"),
            )
            return redirect(url_for("auth.handover"))
    return render_template("auth/staff_form.html", form=form)


@bp.route("/admin/users/<int:user_id>/reset", methods=["POST"])
@admin_required
def reset_password(user_id: int):
    """The admin never learns a password: they hand the user a one-time reset link."""
    user = _clinic_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    purpose = TokenPurpose.RESET if user.has_password else TokenPurpose.ACTIVATION
    token = services.issue_token(user, purpose, actor=current_user)
    services.revoke_sessions(user)
    db.session.commit()
    back = url_for("auth.staff") if user.is_staff else url_for("patients.caseload")
    show_link_once(user=user, token=token, purpose=purpose, back_url=back)
    return redirect(url_for("auth.handover"))


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@admin_required
def set_active(user_id: int):
    user = _clinic_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        flash(_("You cannot disable your own account."), "warning")
        return redirect(url_for("auth.staff"))
    services.set_active(user, not user.active, actor=current_user)
    flash(
        _("Account enabled.") if user.active else _("Account disabled; its sessions ended."),
        "success",
    )
    return redirect(url_for("auth.staff") if user.is_staff else url_for("patients.caseload"))
