"""Printed documents: the exercise card and the programme handout, served inline as PDF."""

from __future__ import annotations

from flask import current_app, make_response, request
from flask_babel import get_locale
from flask_login import current_user

from rehab.auth.access import patient_required, staff_required
from rehab.core.errors import render_error
from rehab.patients.services import own_patient_record, patient_for
from rehab.reports import bp, services
from rehab.reports.pdf import download_name


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
