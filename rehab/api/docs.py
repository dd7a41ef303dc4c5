"""The OpenAPI document and its documentation page (Swagger UI, served from this site)."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from rehab.api import api
from rehab.auth.access import public

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@bp.route("/openapi.json")
@public
def openapi_json():
    """The API's OpenAPI 3.1 document, generated from the code (no patient data in it)."""
    return jsonify(api.spec.to_dict())


@bp.route("/docs")
@public
def docs_page():
    return render_template("api/docs.html")
