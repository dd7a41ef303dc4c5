"""The access log: model, the service that writes it, and the admin's view of it."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("audit", __name__, url_prefix="/audit")


def init_app(app: Flask) -> None:
    from rehab.audit.services import init_app as init_services

    init_services(app)


from rehab.audit import views  # noqa: E402,F401  (routes register on import)
