"""Printed documents: handouts, progress reports and exercise cards (WeasyPrint)."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from rehab.reports import models, views  # noqa: E402,F401  (routes register on import)


def _documents_panel(actor, patient) -> dict:
    """The "Documents" panel on the patient page: one query, whatever the data size."""
    from rehab.reports.services import has_active_programme

    return {"patient_id": patient.id, "has_programme": has_active_programme(patient.id)}


def _register_panels() -> None:
    from rehab.patients.panels import register_panel

    register_panel(90, "reports/_documents_panel.html", _documents_panel)


_register_panels()
