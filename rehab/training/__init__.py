"""Patients' home sessions and daily check-ins."""

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training")

from rehab.training import models, views  # noqa: E402,F401  (routes register on import)
