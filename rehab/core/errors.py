"""Error pages in the user's language; a developer gets the log line with context."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

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
    return render_error(error.code)


def handle_csrf_error(error: CSRFError):
    return render_error(
        400, _("This form has expired or was sent from elsewhere. Reload the page and try again.")
    )


def handle_unexpected(error: Exception):
    from flask import current_app

    from rehab.extensions import db

    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
