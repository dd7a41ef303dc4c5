"""Log in and out, set and change passwords, and the admin's staff pages."""

from __future__ import annotations

from functools import wraps
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
from flask_login import current_user
from sqlalchemy import select

from rehab.auth import bp, links, services, two_factor
from rehab.auth.access import admin_required, login_required, public, staff_required
from rehab.auth.devices import describe_device
from rehab.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ClinicSettingsForm,
    ConfirmForm,
    EnrolForm,
    LoginForm,
    ReauthForm,
    SecondStepForm,
    SetPasswordForm,
    StaffForm,
)
from rehab.auth.handover import keep_link, take_link
from rehab.auth.models import Role, TokenPurpose, User, UserSession
from rehab.auth.passwords import verify_password
from rehab.core.crypto import InvalidToken, decrypt, encrypt
from rehab.core.i18n import gettext as _
from rehab.core.urls import home_for, safe_next
from rehab.extensions import db, limiter


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _second_step_limit() -> str:
    return current_app.config["RATELIMIT_SECOND_STEP"]


def _same_failure_message() -> None:
    # One text for unknown, wrong, disabled and locked: it must not tell which.
    flash(_("The e-mail address or password is not correct."), "danger")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        next_url = safe_next(request.args.get("next"))
        if user is None:
            _same_failure_message()
        elif user.has_two_factor:
            db.session.commit()  # a rehashed password
            services.begin_second_step(user, next_url)
            return redirect(url_for("auth.login_verify"))
        else:
            services.start_session(user)
            if user.must_use_two_factor:
                return redirect(url_for("auth.two_factor_setup"))
            return redirect(next_url or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/login/verify", methods=["GET", "POST"])
@public
@limiter.limit(_second_step_limit, methods=["POST"])
def login_verify():
    """The second step: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    pending = services.pending_user()
    if pending is None:
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    user, next_url = pending
    form = SecondStepForm()
    if form.validate_on_submit():
        if services.is_locked(user):
            session.pop(services.PENDING_KEY, None)
            flash(_("Too many wrong codes. Wait a few minutes and log in again."), "danger")
            return redirect(url_for("auth.login"))
        method = services.check_second_factor(user, form.code.data)
        if method is None:
            services.record_failed_login(user.email, user=user, step="second step")
            form.code.errors.append(_("This code is not correct or was already used."))
        else:
            services.start_session(user, second_factor=method)
            if method == "recovery":
                flash(
                    _(
                        "You used a recovery code; it cannot be used again. Set up your "
                        "authenticator again or make new recovery codes on your account page."
                    ),
                    "warning",
                )
            return redirect(next_url or home_for(user))
    return render_template("auth/login_verify.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    services.end_session(current_user._get_current_object())
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


def recent_auth_required(view):
    """Changing e-mail, password or two-step settings needs a recent proof of identity."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not services.recently_authenticated():
            return redirect(url_for("auth.reauthenticate", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
@limiter.limit(_second_step_limit, methods=["POST"])
def reauthenticate():
    user = current_user._get_current_object()
    form = ReauthForm()
    if form.validate_on_submit():
        if services.reauthenticate(user, form.password.data, form.code.data):
            return redirect(safe_next(request.args.get("next")) or url_for("auth.account"))
        flash(_("That did not match. Check your password and code and try again."), "danger")
    return render_template("auth/reauthenticate.html", form=form, needs_code=user.has_two_factor)


@bp.route("/account")
@login_required
def account():
    user = current_user._get_current_object()
    return render_template(
        "auth/account.html",
        user=user,
        sessions=services.active_sessions(user),
        current_session_id=user.current_session.id,
        recovery_left=two_factor.unused_recovery_codes(user) if user.has_two_factor else 0,
        action_form=ConfirmForm(),
        describe_device=describe_device,
    )


@bp.route("/account/sessions/<int:session_id>/revoke", methods=["POST"])
@login_required
def revoke_session(session_id: int):
    user = current_user._get_current_object()
    login = db.session.get(UserSession, session_id)
    if login is None or login.user_id != user.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if login.id == user.current_session.id:
        services.end_session(user)
        flash(_("You have been logged out."), "info")
        return redirect(url_for("auth.login"))
    if login.revoked_at is None:
        services.revoke_session(user, login)
    flash(_("That session has been ended."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/sessions/revoke-others", methods=["POST"])
@login_required
def revoke_other_sessions():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = services.revoke_other_sessions(current_user._get_current_object())
    flash(_("Logged out on %(n)d other device(s).", n=count), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@recent_auth_required
def change_email():
    user = current_user._get_current_object()
    form = ChangeEmailForm()
    if form.validate_on_submit():
        from rehab.auth.by_email import SameAddress, request_email_change

        try:
            address = request_email_change(user, form.email.data)
        except services.EmailTaken:
            form.email.errors.append(_("Another account already uses this e-mail address."))
        except SameAddress:
            form.email.errors.append(_("This is already your e-mail address."))
        else:
            flash(
                _(
                    "We sent a link to %(email)s. Your address changes when you open it; "
                    "until then you log in with your current address.",
                    email=address,
                ),
                "info",
            )
            return redirect(url_for("auth.account"))
    return render_template("auth/change_email.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@recent_auth_required
def change_password():
    form = ChangePasswordForm()
    form.email_for_policy = current_user.email
    form.name_for_policy = current_user.full_name
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


# --- two-step verification ----------------------------------------------------------------

_ENROL_KEY = "totp_enrol"


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
@recent_auth_required
@limiter.limit(_second_step_limit, methods=["POST"])
def two_factor_setup():
    """Enrol an authenticator app: scan (or type) the secret, confirm with a code."""
    user = current_user._get_current_object()
    if user.has_two_factor:
        return redirect(url_for("auth.account"))
    secret = _enrolment_secret()
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = services.enable_two_factor(user, secret, form.code.data)
        except services.TwoFactorAlreadyOn:
            flash(_("Two-step verification is already on."), "info")
            return redirect(url_for("auth.account"))
        if codes is None:
            form.code.errors.append(
                _("This code does not match. Check the time on your phone and try again.")
            )
        else:
            session.pop(_ENROL_KEY, None)
            return render_template("auth/recovery_codes.html", codes=codes, first_time=True)
    uri = two_factor.provisioning_uri(secret, user)
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        qr=two_factor.qr_data_uri(uri),
        secret=two_factor.grouped(secret),
        required=user.must_use_two_factor,
    )


def _enrolment_secret() -> str:
    """The secret being enrolled, kept encrypted in the session until it is confirmed."""
    stored = session.get(_ENROL_KEY)
    if stored:
        try:
            return decrypt(stored, purpose="totp-enrolment")
        except InvalidToken:
            pass
    secret = two_factor.new_secret()
    session[_ENROL_KEY] = encrypt(secret, purpose="totp-enrolment")
    return secret


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
@recent_auth_required
def recovery_codes():
    user = current_user._get_current_object()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not user.has_two_factor:
        return redirect(url_for("auth.account"))
    codes = services.regenerate_recovery_codes(user)
    return render_template("auth/recovery_codes.html", codes=codes, first_time=False)


@bp.route("/account/two-factor/disable", methods=["POST"])
@login_required
@recent_auth_required
def two_factor_disable():
    user = current_user._get_current_object()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if user.must_use_two_factor:
        flash(_("Your clinic requires two-step verification for staff."), "warning")
        return redirect(url_for("auth.account"))
    if user.has_two_factor:
        services.remove_two_factor(user, actor=user)
        flash(_("Two-step verification is off."), "success")
    return redirect(url_for("auth.account"))


_TOKEN_MESSAGES = {
    links.TokenProblem.UNKNOWN: (
        404,
        lambda: _("This link is not valid. Ask your clinic for a new one."),
    ),
    links.TokenProblem.USED: (
        410,
        lambda: _(
            "This link has already been used. Log in with your password, or ask your "
            "clinic for a new link."
        ),
    ),
    links.TokenProblem.EXPIRED: (
        410,
        lambda: _("This link has expired. Ask your clinic for a new one."),
    ),
}


@bp.route("/activate/<token>", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def activate(token: str):
    check = links.check_token(token)
    if check.problem is not None:
        status, message = _TOKEN_MESSAGES[check.problem]
        return render_template("auth/link_problem.html", message=message()), status
    row = check.token
    form = SetPasswordForm()
    form.email_for_policy = row.user.email
    form.name_for_policy = row.user.full_name
    if form.validate_on_submit():
        try:
            user = links.redeem_token(row, form.new_password.data)
        except links.TokenSpent:  # the same link, sent twice at once: the first one counts
            status, message = _TOKEN_MESSAGES[links.TokenProblem.USED]
            return render_template("auth/link_problem.html", message=message()), status
        if current_user.is_authenticated:
            services.end_session(current_user._get_current_object())
        flash(_("Your password has been set. Welcome!"), "success")
        if user.has_two_factor:  # a new password does not skip the second step
            services.begin_second_step(user, None)
            return redirect(url_for("auth.login_verify"))
        services.start_session(user)
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
    link = take_link(current_user.current_session)
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
    """Keep the link for the hand-over page, on this login's own row (encrypted) until it
    is shown there once; the account token itself is stored only as its hash."""
    keep_link(
        current_user.current_session,
        {
            "name": user.full_name,
            "email": user.email,
            "url": url_for("auth.activate", token=token, _external=True),
            "purpose": str(purpose),
            "hours": current_app.config[
                "REHAB_ACTIVATION_HOURS"
                if purpose == TokenPurpose.ACTIVATION
                else "REHAB_RESET_HOURS"
            ],
            "back_url": back_url,
            # The page speaks to whoever hands the link over about the right person.
            "for_patient": user.role == Role.PATIENT,
        },
    )


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
            token = links.issue_token(user, TokenPurpose.ACTIVATION, actor=current_user)
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
    token = links.issue_token(user, purpose, actor=current_user)
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
    wanted = not user.active
    try:
        services.set_active(user, wanted, actor=current_user)
    except services.AccountUnchanged:  # another admin did the same a moment ago
        flash(_("This account was already enabled.") if wanted
              else _("This account was already disabled."), "info")  # fmt: skip
    else:
        flash(_("Account enabled.") if wanted else _("Account disabled; its sessions ended."),
              "success")  # fmt: skip
    return redirect(url_for("auth.staff") if user.is_staff else url_for("patients.caseload"))


@bp.route("/admin/users/<int:user_id>/two-factor/reset", methods=["POST"])
@admin_required
def reset_two_factor(user_id: int):
    """A lost phone: the user's second factor is removed and they enrol again."""
    user = _clinic_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        flash(_("Ask another administrator to reset your own two-step verification."), "warning")
    elif user.has_two_factor:
        services.remove_two_factor(user, actor=current_user._get_current_object())
        flash(
            _(
                "Two-step verification reset for %(name)s; they set it up again at their "
                "next log-in.",
                name=user.full_name,
            ),
            "success",
        )
    return redirect(url_for("auth.staff") if user.is_staff else url_for("patients.caseload"))


@bp.route("/admin/clinic", methods=["GET", "POST"])
@admin_required
def clinic_settings():
    clinic = current_user.clinic
    form = ClinicSettingsForm(obj=clinic)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in services.CLINIC_SETTINGS}
        values["name"] = values["name"].strip()
        values["phone"] = values["phone"] or None
        changed = services.update_clinic_settings(clinic, values, actor=current_user)
        flash(_("Settings saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("auth.clinic_settings"))
    return render_template("auth/clinic_settings.html", form=form)
