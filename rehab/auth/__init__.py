"""Accounts, roles, login sessions, activation links and access policies."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user

from rehab.core.db import utcnow
from rehab.core.i18n import gettext as _
from rehab.core.i18n import lazy_gettext as _l
from rehab.extensions import login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def _load_user(token: str):
    from rehab.auth.services import load_session_user

    return load_session_user(token)


def _idle_limit(user) -> int:
    key = "REHAB_IDLE_TIMEOUT_STAFF" if user.is_staff else "REHAB_IDLE_TIMEOUT_PATIENT"
    return current_app.config[key]


def enforce_idle_timeout():
    """End a login that has been idle too long (ASVS 3.3.2); the server-side row is revoked."""
    if request.endpoint in {"static", "bootstrap.static"} or not current_user.is_authenticated:
        return None
    now = utcnow().timestamp()
    seen = session.get("seen_at", 0)
    if now - seen > _idle_limit(current_user):
        from rehab.auth.services import end_session

        end_session(current_user._get_current_object())
        flash(
            _("You were logged out after a period of inactivity. Please log in again."), "warning"
        )
        return redirect(
            url_for("auth.login", next=request.full_path if request.method == "GET" else None)
        )
    session["seen_at"] = now
    return None


# What a staff member may still do before their required second factor is set up.
_OPEN_BEFORE_SECOND_FACTOR = {
    "auth.two_factor_setup",
    "auth.reauthenticate",
    "auth.logout",
    "main.set_language",
    "main.health",
    "static",
    "bootstrap.static",
}


def enforce_second_factor():
    """Staff of a clinic that requires two-step verification can do nothing else until this
    login has passed it (after the password step, or when the clinic switches it on)."""
    if request.endpoint in _OPEN_BEFORE_SECOND_FACTOR or not current_user.is_authenticated:
        return None
    user = current_user._get_current_object()
    if not user.must_use_two_factor or user.current_session.second_factor is not None:
        return None
    if user.has_two_factor:
        # Enrolled, yet this login skipped the code (it began before they enrolled elsewhere).
        from rehab.auth.services import end_session

        end_session(user)
        flash(_("Please log in again with your authenticator code."), "info")
        return redirect(url_for("auth.login"))
    flash(
        _(
            "Your clinic requires two-step verification for staff. Set it up to continue: "
            "it takes a minute."
        ),
        "info",
    )
    return redirect(url_for("auth.two_factor_setup"))


def init_app(app: Flask) -> None:
    from rehab.core.urls import IdConverter

    # Before the first blueprint registers its routes (this one): every <int:id> is bounded.
    app.url_map.converters["int"] = IdConverter
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(enforce_idle_timeout)
    app.before_request(enforce_second_factor)
    app.register_blueprint(bp)


from rehab.auth import email_views, views  # noqa: E402,F401  (routes register on import)
