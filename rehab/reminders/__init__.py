"""Exercise and appointment reminders by e-mail, the periodic job that sends them, the
therapist's appointments, and the patient's private calendar feed."""

from flask import Blueprint

bp = Blueprint("reminders", __name__)

from rehab.reminders import views  # noqa: E402,F401  (routes register on import)


def _register_panel() -> None:
    from rehab.patients.panels import register_panel
    from rehab.reminders.panel import panel

    # After training and progress (40); the appointments sit with the patient's plan.
    register_panel(45, "reminders/_panel.html", panel)


_register_panel()
