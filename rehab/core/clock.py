"""Today's date where the clinic is.

Dates a clinic works with (a session's day, an assessment, a discharge) are calendar dates in
the clinic's time zone, not the server's: at 00:30 in Amsterdam the server (on UTC) still
says yesterday, and a patient logging that session must not be told it lies in the future.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context, has_request_context


def clinic_today(clinic) -> dt.date:
    """Today's date in the clinic's time zone."""
    return dt.datetime.now(ZoneInfo(clinic.timezone)).date()


def local_today() -> dt.date:
    """Today for the person asking: their clinic's date, else the configured time zone's."""
    if has_request_context():
        from flask_login import current_user

        clinic = getattr(current_user, "clinic", None)
        if clinic is not None:
            return clinic_today(clinic)
    zone = current_app.config["REHAB_TIMEZONE"] if has_app_context() else "Europe/Amsterdam"
    return dt.datetime.now(ZoneInfo(zone)).date()
