"""Patients' home sessions and daily check-ins, load and pain metrics, suggestions and alerts."""

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training")

from rehab.training import chart_images, models, views  # noqa: E402,F401  (routes register on import)


def _register_panel() -> None:
    from rehab.patients.panels import register_panel
    from rehab.training.pages import panel

    # After the record itself and the programme; before reports.
    register_panel(40, "training/_panel.html", panel)


_register_panel()
