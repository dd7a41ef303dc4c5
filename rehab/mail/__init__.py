"""Outgoing e-mail: the outbox (a table), the queue that sends it over SMTP with retries,
the messages in both languages, and the clinic admin's outbox page."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")


def init_app(app: Flask) -> None:
    # Without SMTP the log is one of the two places a message goes (the outbox page is the
    # other), so the mail logger speaks at INFO unless the deployment configured it.
    logger = logging.getLogger("rehab.mail")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    if not logger.hasHandlers():  # nothing configured logging (`make run`): write to stderr
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)


from rehab.mail import views  # noqa: E402,F401  (routes register on import)
