"""Patients' rights: a complete export of their record (GDPR art. 15 and 20) and its
destruction on request (WGBO art. 7:455), confirmed by a second staff member."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/patients")


def _panel(actor, patient) -> dict:
    from rehab.auth.forms import ConfirmForm
    from rehab.privacy.services import pending_request

    return {"pending": pending_request(patient), "form": ConfirmForm()}


def _register_panel() -> None:
    from rehab.patients.panels import register_panel

    register_panel(900, "privacy/_panel.html", _panel)


_register_panel()

from rehab.privacy import views  # noqa: E402,F401  (routes register on import)
