"""Printed documents: handouts, progress reports and exercise cards (WeasyPrint)."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from rehab.reports import views  # noqa: E402,F401  (routes register on import)
