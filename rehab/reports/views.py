"""Printed documents: the exercise card, the programme handout and the progress report."""

from __future__ import annotations

from flask import current_app, make_response, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from rehab.auth.access import patient_required, staff_required
from rehab.core.errors import render_error
from rehab.patients.services import own_patient_record, patient_for
from rehab.reports import bp, services
from rehab.reports import progress_report as reports_service
from rehab.reports.forms import ProgressReportForm
from rehab.reports.pdf import download_name
from rehab.training.services import clinic_today

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def _pdf_response(pdf: bytes, filename: str):
    response = make_response(pdf)
    response.mimetype = "application/pdf"
    response.headers.set("Content-Disposition", "inline", filename=filename)
    return response


@bp.route("/exercises/<int:exercise_id>/card.pdf")
@staff_required
def exercise_card(exercise_id: int):
    exercise = services.visible_exercise(current_user, exercise_id)
    language = request.args.get("lang")
    if language not in current_app.config["REHAB_LANGUAGES"]:
        language = str(get_locale())
    pdf = services.print_exercise_card(current_user, exercise, language)
    word = "oefenkaart" if language == "nl" else "exercise-card"
    return _pdf_response(pdf, download_name(word, exercise.text("name", language)))


def _handout_response(patient):
    try:
        pdf = services.print_handout(current_user, patient)
    except services.NothingToPrint as nothing:
        return render_error(404, nothing.message)
    word = "oefenprogramma" if patient.preferred_language == "nl" else "exercise-programme"
    return _pdf_response(pdf, download_name(word, patient.full_name))


@bp.route("/patients/<int:patient_id>/handout.pdf")
@staff_required
def handout(patient_id: int):
    return _handout_response(patient_for(current_user, patient_id, what="handout"))


@bp.route("/my/handout.pdf")
@patient_required
def my_handout():
    return _handout_response(own_patient_record(current_user))


# --- the progress report ----------------------------------------------------------------


@bp.route("/patients/<int:patient_id>/progress-report", methods=["GET", "POST"])
@staff_required
def progress_report(patient_id: int):
    """GET: the export form (period, language, conclusion); POST: the PDF, or the form again
    with its errors (200)."""
    patient = patient_for(current_user, patient_id, what="progress_report")
    today = clinic_today(patient.clinic)
    form = ProgressReportForm()
    form.today = today
    if request.method == "GET":
        programme = reports_service.reported_programme(patient.id, today)
        period = reports_service.default_period(programme.started_on if programme else None, today)
        form.start.data, form.end.data = period.start, period.end
    elif form.validate_on_submit():
        period = reports_service.Period(form.start.data, form.end.data)
        pdf = reports_service.print_progress_report(
            current_user,
            patient,
            period,
            language_choice=form.language.data,
            conclusion=form.conclusion.data,
        )
        language = reports_service.report_language(patient, form.language.data)
        word = "voortgangsverslag" if language == "nl" else "progress-report"
        return _pdf_response(pdf, download_name(word, patient.full_name, period.end.isoformat()))
    return render_template(
        "reports/progress_report_form.html",
        patient=patient,
        form=form,
        language_names={
            "patient": LANGUAGE_NAMES.get(patient.preferred_language, ""),
            "clinic": LANGUAGE_NAMES.get(patient.clinic.default_locale, ""),
        },
    )
