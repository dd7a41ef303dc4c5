"""Home, language switch and health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from rehab.auth.access import public
from rehab.core.urls import home_for, safe_next
from rehab.extensions import db

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_for(current_user))


@bp.route("/language", methods=["POST"])
@public
def set_language():
    """Switch the interface language; a logged-in user keeps it as their setting."""
    language = request.form.get("language", "")
    if language not in current_app.config["REHAB_LANGUAGES"]:
        abort(400)
    session["locale"] = language
    if current_user.is_authenticated:
        current_user.locale = language
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


@bp.route("/healthz")
@public
def health():
    db.session.execute(db.select(1))
    return {"status": "ok"}


@bp.route("/robots.txt")
@public
def robots():
    """Nothing here is for search engines: the log-in page included."""
    return current_app.response_class("User-agent: *\nDisallow: /\n", mimetype="text/plain")
