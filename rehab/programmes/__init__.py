"""Phased programmes: phases, prescriptions, progression rules and templates."""

from flask import Blueprint

bp = Blueprint("programmes", __name__, url_prefix="/programmes")

from rehab.patients.panels import register_panel  # noqa: E402
from rehab.programmes import (  # noqa: E402,F401  (routes register on import)
    builder_views,
    models,
    template_views,
    views,
)
from rehab.programmes.panel import patient_panel  # noqa: E402

register_panel(20, "programmes/_panel.html", patient_panel)
