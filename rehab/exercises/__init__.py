"""The exercise library and its progression ladders."""

from flask import Blueprint

bp = Blueprint("exercises", __name__, url_prefix="/exercises")

from rehab.exercises import models, views  # noqa: E402,F401  (routes register on import)
