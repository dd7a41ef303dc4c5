"""Errors of the API as problem details (RFC 9457, ``application/problem+json``).

The app's error handlers (rehab.core.errors) hand every error of a request under /api/ to
``problem_response``: a client of the API gets JSON it can read, never an HTML error page.
The ``type`` is ``about:blank``, so ``title`` is the HTTP status phrase (RFC 9457 §4.2.1);
``detail`` is the explanation in the user's language.
"""

from __future__ import annotations

import http

from flask import Response, current_app, json, request
from werkzeug.exceptions import HTTPException

from rehab.core.i18n import gettext as _

API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def _details() -> dict[int, str]:
    return {
        400: _("The request was not understood. Check its parameters and body."),
        401: _(
            "Send a valid personal access token as 'Authorization: Bearer <token>'. Tokens "
            "are made on your account page; this one may be wrong, expired or revoked."
        ),
        403: _("Your account or this token may not do this."),
        404: _("This resource does not exist, or it is not part of your records."),
        405: _("This resource cannot be used with this method."),
        409: _("This was changed or decided meanwhile. Read it again and retry."),
        412: _("The resource changed since you read it."),
        413: _("What you sent is too large."),
        415: _("Send the body as JSON (Content-Type: application/json)."),
        422: _("Some values are not valid; see 'errors' for each field."),
        429: _("Too many requests. Please wait a minute before you try again."),
        500: _("Something went wrong. The error has been logged; nothing was saved half-way."),
    }


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    errors: dict | None = None,
    headers: dict | None = None,
) -> Response:
    try:
        title = http.HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail or _details().get(status, _details()[400]),
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    response = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="rehab"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _marshmallow_words() -> dict[str, str]:
    """marshmallow's fixed messages, in the user's language (ours are translated already)."""
    return {
        "Missing data for required field.": _("This value is required."),
        "Field may not be null.": _("This value may not be empty (null)."),
        "Unknown field.": _("This field is not part of the request."),
        "Not a valid integer.": _("Give a whole number."),
        "Not a valid number.": _("Give a number."),
        "Not a valid string.": _("Give text."),
        "Not a valid boolean.": _("Give true or false."),
        "Not a valid date.": _("Give a date as YYYY-MM-DD."),
        "Not a valid list.": _("Give a list."),
        "Invalid input type.": _("Give an object with the fields described."),
        "Invalid JSON body.": _("The body is not valid JSON."),
        "Must be one of: {choices}.": _("Choose one of the values described."),
    }


def _translated(errors):
    """Every message as a string in the user's language, keeping the fields' structure."""
    if isinstance(errors, dict):
        return {str(key): _translated(value) for key, value in errors.items()}
    if isinstance(errors, list | tuple):
        return [_translated(value) for value in errors]
    text = str(errors)
    words = _marshmallow_words()
    if text.startswith("Must be one of:"):
        return words["Must be one of: {choices}."]
    return words.get(text, text)


def problem_for(error: HTTPException) -> Response:
    """The problem response for an HTTP error raised in an API view (or by webargs)."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    if isinstance(errors, dict) and set(errors) <= {"json", "query", "headers", "path"}:
        # webargs nests the messages by location; a client wants the fields.
        flat: dict = {}
        for location_errors in errors.values():
            if isinstance(location_errors, dict):
                flat.update(location_errors)
            else:  # a body that is not JSON, or not an object
                flat.setdefault("_schema", []).extend(location_errors)
        errors = flat
    if errors:
        errors = _translated(errors)
    headers = dict(error.get_headers()) if error.code == 405 else {}
    headers.pop("Content-Type", None)
    detail = data.get("message")
    if detail is None and error.description != type(error).description:
        detail = error.description  # abort(403, description=...) with our own words
    return problem_response(error.code or 500, detail, errors=errors, headers=headers)
