"""Printed documents: the exercise card, the programme handout and the progress report."""

from __future__ import annotations

import datetime as dt

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user

from rehab.auth.access import patient_required, staff_required
from rehab.auth.forms import ConfirmForm
from rehab.auth.models import Role
from rehab.core.clock import clinic_today
from rehab.core.errors import render_error
from rehab.core.i18n import gettext as _
from rehab.core.pages import page_arg
from rehab.extensions import db
from rehab.patients.services import own_patient_record, patient_for
from rehab.reports import batch as batch_service
from rehab.reports import bp, job_watch, services
from rehab.reports import progress_report as reports_service
from rehab.reports.forms import BatchPrintForm, ProgressReportForm
from rehab.reports.pdf import download_name

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


# --- batch printing -----------------------------------------------------------------------


@bp.route("/batch", methods=["GET", "POST"])
@staff_required
def batch():
    """The batch-print form and the jobs this user may see (an admin: the clinic's)."""
    today = clinic_today(current_user.clinic)
    form = BatchPrintForm()
    form.today = today
    if current_user.role != Role.ADMIN:
        form.scope.choices = [c for c in form.scope.choices if c.value == "mine"]
    if request.method == "GET":
        form.start.data = today - dt.timedelta(weeks=12) + dt.timedelta(days=1)
        form.end.data = today
    elif form.validate_on_submit():
        try:
            job = batch_service.start_batch(
                current_user,
                scope=form.scope.data,
                period=reports_service.Period(form.start.data, form.end.data),
                file_format=form.file_format.data,
                language_choice=form.language.data,
            )
        except batch_service.BatchRefused as refused:
            getattr(form, refused.field or "scope").errors.append(refused.message)
        else:
            return redirect(url_for("reports.batch_job", job_id=job.id))
    job_watch.fail_stalled_jobs()  # the list shows no job "printing" that stopped long ago
    pagination = db.paginate(
        batch_service.visible_jobs_statement(current_user),
        page=page_arg(),
        per_page=batch_service.JOBS_PAGE_SIZE,
        error_out=False,
    )
    return render_template("reports/batch.html", form=form, pagination=pagination)


@bp.route("/batch/<int:job_id>")
@staff_required
def batch_job(job_id: int):
    """The job's progress; while it runs, static/js/batch_job.js fetches the page again every
    ``refresh_seconds`` and brings its progress up to date (a link without script)."""
    job = batch_service.job_for(current_user, job_id)
    if not job.finished and job_watch.fail_stalled_jobs(job_id=job.id):
        job = batch_service.job_for(current_user, job_id)
    return render_template(
        "reports/batch_job.html",
        job=job,
        ready=batch_service.job_file(job) is not None,
        refresh_seconds=None if job.finished else 3,
        timeout_minutes=max(1, round(job_watch.timeout().total_seconds() / 60)),
        again_form=ConfirmForm() if job.status == "failed" else None,
    )


@bp.route("/batch/<int:job_id>/again", methods=["POST"])
@staff_required
def batch_again(job_id: int):
    """A failed job started again with the same choices, by the person who asked for it."""
    job = batch_service.job_for(current_user, job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if job.requested_by_id != current_user.id:
        abort(403)  # an admin sees a colleague's job, but starts their own batches
    if job.status != "failed":
        flash(_("Only a batch that failed can be started again."), "warning")
        return redirect(url_for("reports.batch_job", job_id=job.id))
    try:
        new = job_watch.start_again(current_user, job)
    except job_watch.AlreadyStartedAgain as started:
        flash(_("This batch was already started again."), "info")
        return redirect(url_for("reports.batch_job", job_id=started.job_id or job.id))
    except batch_service.BatchRefused as refused:
        flash(refused.message, "warning")
        return redirect(url_for("reports.batch_job", job_id=job.id))
    return redirect(url_for("reports.batch_job", job_id=new.id))


@bp.route("/batch/<int:job_id>/download")
@staff_required
def batch_download(job_id: int):
    job = batch_service.job_for(current_user, job_id)
    path = batch_service.job_file(job)
    if path is None:
        abort(404)
    batch_service.record_download(current_user, job)
    mimetype = "application/zip" if job.file_format == "zip" else "application/pdf"
    return send_file(
        path,
        mimetype=mimetype,
        as_attachment=True,
        download_name=batch_service.download_filename(job),
        max_age=0,
    )
