"""Error pages in the user's language; a developer gets the log line with context."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from rehab.api.problems import is_api_request, problem_for, problem_response
from rehab.core.i18n import gettext as _


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Something in the request was not right"),
            _("Please go back, check what you entered and try again."),
        ),
        403: (_("No access"), _("Your account may not open this page.")),
        404: (_("Not found"), _("This page does not exist, or it is not part of your records.")),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        410: (_("No longer available"), _("This link has expired or was already used.")),
        413: (_("Too large"), _("What you sent is too large.")),
        429: (_("Too many attempts"), _("Please wait a minute before you try again.")),
        500: (
            _("Something went wrong"),
            _("The error has been logged. Please try again; nothing was saved half-way."),
        ),
    }


def render_error(status: int, detail: str | None = None):
    title, message = _messages().get(status, _messages()[400])
    return render_template(
        "errors/error.html", status=status, title=title, message=detail or message
    ), status


def handle_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if is_api_request():
        return problem_for(error)
    return render_error(error.code)


def handle_csrf_error(error: CSRFError):
    if is_api_request():
        return problem_response(400, _csrf_reason())
    return render_error(400, _csrf_reason())


def _csrf_reason() -> str:
    """Say why the form was refused. Without the session cookie the token cannot match, and
    the cause is the browser, not the form: most often Rehab opened over plain http at a
    network address, where the browser holds back a cookie marked Secure."""
    from flask import current_app

    if request.cookies.get(current_app.config["SESSION_COOKIE_NAME"]) is None:
        if current_app.config["SESSION_COOKIE_SECURE"] and not request.is_secure:
            return _(
                "Your browser did not send Rehab's session cookie, because this page was "
                "opened over plain http (%(address)s). Browsers keep a secure cookie back "
                "on such a connection. Open Rehab over https; your IT contact can set that "
                "up (see docs/deployment.md).",
                address=request.host,
            )
        return _(
            "Your browser did not send Rehab's session cookie. Allow cookies for this site "
            "and try again."
        )
    return _("This form has expired or was sent from elsewhere. Reload the page and try again.")


def handle_unexpected(error: Exception):
    from flask import current_app

    from rehab.extensions import db

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    if is_api_request():
        return problem_response(500)
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
