"""Phased programmes: phases, prescriptions, progression rules and templates."""

from flask import Blueprint

bp = Blueprint("programmes", __name__, url_prefix="/programmes")

from rehab.programmes import models, views  # noqa: E402,F401  (routes register on import)
