"""The progress charts as pictures of their own: a page links to them, the browser keeps them.

A progress page holds up to a dozen charts. Embedded in the page as data: URIs they made it
half a megabyte of HTML and drew every chart inside the page's own request; now the page
carries each chart's sentence and numbers and an ``<img>`` whose address names the chart,
its window (weeks, last day) and a digest of what it is drawn from (rehab.reports
.chart_views.Drawing). The picture's own request rebuilds the metrics for that window and
draws the chart (or takes it from the process's chart cache). Because the digest changes
with the data, the language and the size, the browser may keep a picture for good
(private: it is behind a log-in); a new session or check-in gives new addresses.

Who may see a picture is who may see its page: staff of the patient's clinic for the
progress page, the patient themself for their history page. A picture of the progress
page is a read of the patient's record and goes into the access log as its page does
(object type ``chart``), a refusal too.
"""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import current_user

from rehab.auth.access import patient_required, staff_required
from rehab.core.clock import clinic_today
from rehab.patients.services import own_patient_record, patient_for
from rehab.reports import charts
from rehab.reports.chart_views import ChartView
from rehab.training import bp, services
from rehab.training.evidence import exercise_names
from rehab.training.metrics import patient_metrics
from rehab.training.pages import (
    DOSE_PREFIX,
    HISTORY_WEEKS,
    exercise_charts,
    first_data_day,
    fitted_weeks,
    metric_charts,
    progress_window,
)


def _picture(view: ChartView | None) -> Response:
    if view is None or not view.drawn:
        abort(404)
    response = Response(view.drawing.svg, mimetype="image/svg+xml")
    if request.args.get("v") == view.drawing.digest:
        # This address always gives this picture: the browser keeps it (private, behind a
        # log-in); rehab.core.security leaves a private, immutable answer its caching.
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/patients/<int:patient_id>/progress/charts/<name>.svg")
@staff_required
def progress_chart(patient_id: int, name: str):
    """One chart of the therapist's progress page (its window from ?weeks= and ?end=)."""
    patient = patient_for(current_user, patient_id, what="chart")
    _today, weeks, end = progress_window(patient, request.args)
    metrics = patient_metrics(patient, services.active_programme(patient.id), end=end,
                              weeks=weeks)  # fmt: skip
    if not name.startswith(DOSE_PREFIX):
        return _picture(metric_charts(metrics, width=charts.WIDE).get(name))
    exercise_id = name.removeprefix(DOSE_PREFIX)
    if not exercise_id.isdigit():
        abort(404)
    series = [s for s in metrics.exercises if s.exercise_id == int(exercise_id)]
    found = exercise_charts(metrics, exercise_names([int(exercise_id)]) if series else {},
                            width=charts.WIDE, only=series)  # fmt: skip
    return _picture(found[0][1] if found else None)


@bp.route("/history/charts/<name>.svg")
@patient_required
def history_chart(name: str):
    """One chart of the patient's own history page."""
    patient = own_patient_record(current_user)
    today = clinic_today(patient.clinic)
    weeks = fitted_weeks(first_data_day(patient.id), today, HISTORY_WEEKS)
    metrics = patient_metrics(patient, services.active_programme(patient.id), end=today,
                              weeks=weeks)  # fmt: skip
    return _picture(metric_charts(metrics, width=charts.NARROW).get(name))
