"""Patient records, the caseload and movement analyses."""

from flask import Blueprint

bp = Blueprint("patients", __name__, url_prefix="/patients")

from rehab.patients import analysis_views, services, views  # noqa: E402,F401  (routes register)
from rehab.patients.panels import register_panel  # noqa: E402

register_panel(10, "patients/_analyses_panel.html", services.analyses_panel)
