"""Download routes for the therapist's CSV exports (staff of the patient's clinic)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, request
from flask_login import current_user

from rehab.auth.access import staff_required
from rehab.core.clock import clinic_today
from rehab.core.errors import render_error
from rehab.core.i18n import gettext as _
from rehab.interop import exports
from rehab.patients.services import patient_for
from rehab.training.schedule import monday_of

bp = Blueprint("exports", __name__, url_prefix="/exports")

DEFAULT_WEEKS = 4
EARLIEST = dt.date(2000, 1, 3)  # a Monday


class BadPeriod(ValueError):
    pass


def _period(today: dt.date, *, whole_history: bool = False) -> exports.Period:
    """?start=&end= (ISO dates), widened to whole calendar weeks. Without a start: the last
    4 weeks, or (``whole_history``, a single patient's sessions) everything up to the end."""
    try:
        end = dt.date.fromisoformat(request.args.get("end") or today.isoformat())
        start_arg = request.args.get("start")
        if start_arg:
            start = dt.date.fromisoformat(start_arg)
        elif whole_history:
            start = EARLIEST
        else:
            start = end - dt.timedelta(weeks=DEFAULT_WEEKS) + dt.timedelta(days=1)
    except (ValueError, OverflowError):
        raise BadPeriod(_("Give the dates as YYYY-MM-DD.")) from None
    if start > end:
        raise BadPeriod(_("The start of the period lies after its end."))
    if start < EARLIEST or end > today + dt.timedelta(days=366):
        raise BadPeriod(_("Choose dates between 2000 and next year."))
    if not whole_history and (end - start).days > exports.MAX_DAYS:
        raise BadPeriod(_("Choose a period of at most a year."))
    return exports.Period(monday_of(start), monday_of(end) + dt.timedelta(days=6))


def _download(content: bytes, name: str) -> Response:
    return Response(
        content,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/patients/<int:patient_id>/sessions.csv")
@staff_required
def patient_sessions(patient_id: int):
    """A patient's logged sessions in a period, one row per session."""
    patient = patient_for(current_user, patient_id, what="training_session")
    try:
        period = _period(clinic_today(patient.clinic), whole_history=True)
    except BadPeriod as bad:
        return render_error(400, str(bad))
    content = exports.sessions_csv(current_user._get_current_object(), patient, period)
    return _download(content, f"sessions-{patient.id}-{period.start}-{period.end}.csv")


@bp.route("/caseload.csv")
@staff_required
def caseload():
    """The caseload's adherence and alerts for a period (``scope=mine`` or ``clinic``)."""
    clinic = current_user.clinic
    try:
        period = _period(clinic_today(clinic))
    except BadPeriod as bad:
        return render_error(400, str(bad))
    scope = "mine" if request.args.get("scope") == "mine" else "clinic"
    content = exports.caseload_csv(
        current_user._get_current_object(),
        period,
        scope=scope,
        clinic_zone=ZoneInfo(clinic.timezone),
    )
    return _download(content, f"caseload-{period.start}-{period.end}.csv")
