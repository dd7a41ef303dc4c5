"""Patient records, the caseload and movement analyses."""

from flask import Blueprint

bp = Blueprint("patients", __name__, url_prefix="/patients")

from rehab.patients import views  # noqa: E402,F401  (routes register on import)
