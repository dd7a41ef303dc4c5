"""The JSON API, version 1 (``/api/v1/``), and its OpenAPI 3.1 document.

Built with **flask-smorest** rather than APIFlask. Both generate the OpenAPI document from
the code with apispec and marshmallow; the difference that decides it is how they attach to
an app. APIFlask documents only routes of an ``APIFlask`` application object, so Rehab's
``Flask`` app would have to become one, and APIFlask then answers *every* error of the whole
site as JSON unless told otherwise. flask-smorest is an extension on a plain Flask app: only
the blueprints registered with its ``Api`` are documented, the HTML pages keep their own
error pages, and webargs (also from the marshmallow project) parses and validates the
arguments. Both are well kept; flask-smorest changes nothing outside /api/.

Who may call what: every view carries ``access`` like the pages (rehab.api.access); the same
loaders as the pages decide which patient records a user sees and write the access log.
"""

from __future__ import annotations

import http

from flask import Flask, current_app
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint
from flask_smorest.spec import prepare_response

from rehab.api.problems import PROBLEM_JSON

API_VERSION = "1.0.0"
OPENAPI_VERSION = "3.1.0"


class Api(SmorestApi):
    """flask-smorest's Api, with errors documented (and sent) as problem details.

    Its own error handler is not installed: rehab.core.errors answers errors under /api/
    with ``application/problem+json`` and the HTML pages with their error page.
    """

    def _register_error_handlers(self) -> None:
        pass

    def _register_responses(self) -> None:
        from rehab.api.schemas import ProblemSchema

        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if status >= 400:
                response["schema"] = ProblemSchema
                prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error (problem details, RFC 9457)", "schema": ProblemSchema}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


api = Api()
bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Rehab's JSON API: read a clinic's records, log sessions, decide suggestions.",
)


def _api_rate_limit() -> str:
    return current_app.config["RATELIMIT_API"]


def init_app(app: Flask) -> None:
    from rehab.api import (  # noqa: F401  (routes register on import)
        access,
        creates,
        docs,
        paging,
        patient_resources,
        resources,
        token_views,
    )
    from rehab.extensions import csrf, limiter

    app.config.setdefault("API_TITLE", "Rehab API")
    app.config.setdefault("API_VERSION", API_VERSION)
    app.config.setdefault("OPENAPI_VERSION", OPENAPI_VERSION)
    # The document and its page are served by rehab.api.docs (access declared, no CDN).
    app.config.setdefault("OPENAPI_URL_PREFIX", None)
    # Token requests carry no cookie a browser would add by itself, so they need no CSRF
    # token; requests that use the login cookie are checked in rehab.api.access instead.
    csrf.exempt(bp)
    limiter.limit(_api_rate_limit, key_func=access.rate_limit_key)(bp)
    api.init_app(
        app,
        spec_kwargs={
            "servers": [{"url": "/"}],
            "info": {
                "description": (
                    "Authenticate with a personal access token (account page) sent as "
                    "`Authorization: Bearer <token>`. Errors are problem details (RFC 9457)."
                )
            },
        },
    )
    api.spec.components.security_scheme(
        "bearerToken", {"type": "http", "scheme": "bearer", "description": "Personal access token"}
    )
    api.spec.options["security"] = [{"bearerToken": []}]
    api.register_blueprint(bp)
    from rehab.interop.fhir import register_export
    from rehab.interop.views import bp as exports_bp

    register_export()
    app.register_blueprint(exports_bp)
    app.register_blueprint(token_views.bp)
    app.register_blueprint(docs.bp)
