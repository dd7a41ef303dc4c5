"""The patient's reminder page, the calendar feed, one-click unsubscribe, and the
therapist's appointments and pause."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from rehab.auth.access import patient_required, public, staff_required
from rehab.auth.forms import ConfirmForm
from rehab.core.db import utcnow
from rehab.core.i18n import gettext as _
from rehab.extensions import csrf, db
from rehab.mail.links import external_url
from rehab.patients.models import Patient
from rehab.patients.services import own_patient_record, patient_for
from rehab.reminders import bp, rules, services
from rehab.reminders.calendar import PlannedAppointment, build_feed, feed_window
from rehab.reminders.forms import (
    APPOINTMENT_KIND_LABELS,
    AppointmentForm,
    PauseForm,
    ReminderSettingsForm,
    parse_time,
)
from rehab.training.schedule import parse_weekdays


def _settings_form(settings, formdata=None) -> ReminderSettingsForm:
    form = ReminderSettingsForm(formdata=formdata)
    if formdata is None:
        form.exercise_enabled.data = settings.exercise_enabled
        form.weekdays.data = [str(d) for d in parse_weekdays(settings.weekdays)]
        form.remind_at.data = settings.remind_at.strftime("%H:%M")
        form.timezone.data = settings.timezone
        form.paused_until.data = settings.paused_until
        form.appointments_enabled.data = settings.appointments_enabled
    return form


def _reminder_page(patient: Patient, form: ReminderSettingsForm, *, new_link: str | None = None):
    settings = services.settings_for(patient)
    return render_template(
        "reminders/settings.html",
        form=form,
        patient=patient,
        settings=settings,
        zone=ZoneInfo(settings.timezone),
        appointments=services.upcoming_appointments(patient),
        kind_labels=APPOINTMENT_KIND_LABELS,
        feed=services.live_feed(patient),
        new_link=new_link,
        has_programme=services.has_active_programme(patient),
        action_form=ConfirmForm(),
    )


@bp.route("/reminders/", methods=["GET", "POST"])
@patient_required
def settings():
    patient = own_patient_record(current_user)
    if request.method == "POST":
        form = _settings_form(None, formdata=request.form)
        if form.validate_on_submit():
            services.save_settings(current_user, patient, form.values())
            flash(_("Your reminder settings have been saved."), "success")
            return redirect(url_for("reminders.settings"))
    else:
        form = _settings_form(services.settings_for(patient))
    return _reminder_page(patient, form)


@bp.route("/reminders/calendar", methods=["POST"])
@patient_required
def calendar_on():
    """Make the private calendar link (again); it is shown on this one page only."""
    patient = own_patient_record(current_user)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        token = services.new_calendar_link(current_user, patient)
    except services.FeedConflict:
        flash(_("A calendar link was made at the same moment. Make a new one if needed."), "info")
        return redirect(url_for("reminders.settings"))
    link = external_url("reminders.calendar_feed", token=token)
    form = _settings_form(services.settings_for(patient))
    return _reminder_page(patient, form, new_link=link)


@bp.route("/reminders/calendar/off", methods=["POST"])
@patient_required
def calendar_off():
    patient = own_patient_record(current_user)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if services.revoke_calendar_link(current_user, patient):
        flash(_("Your calendar link is off. Calendars that used it no longer update."), "success")
    return redirect(url_for("reminders.settings"))


@bp.route("/calendar/<token>.ics")
@public
def calendar_feed(token: str):
    """The feed a calendar app subscribes to: the link's token is the only key."""
    feed = services.feed_for_token(token)
    if feed is None:
        abort(404)
    patient = db.session.get(Patient, feed.patient_id)
    settings = services.settings_for(patient)
    now = utcnow()
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    sessions = []
    if patient.is_active and services.has_active_programme(patient):
        first, last = feed_window(today)
        sessions = rules.planned_sessions(rules.SessionPlan.of(settings), first, last)
    appointments = [
        PlannedAppointment(a.id, a.starts_at, a.duration_minutes)
        for a in services.upcoming_appointments(patient, now - dt.timedelta(days=30))
    ]
    body = build_feed(
        feed_id=feed.id,
        language=patient.user.locale if patient.user and patient.user.locale else
        patient.preferred_language,
        clinic_name=patient.clinic.name,
        zone=settings.timezone,
        sessions=sessions,
        appointments=appointments,
        now=now,
    )  # fmt: skip
    services.record_feed_use(feed, patient)
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="rehab.ics"'
    return response


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # RFC 8058: the mail program posts here; the signed link is the proof
def unsubscribe(token: str):
    """GET asks (a link scanner must not unsubscribe anyone); POST switches the reminder
    off, from the page's button or as RFC 8058's one-click "List-Unsubscribe=One-Click"."""
    found = services.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    if request.method == "POST":
        patient = services.unsubscribe(found)
        if patient is None:
            abort(404)
        return render_template("reminders/unsubscribed.html", kind=found.kind)
    return render_template("reminders/unsubscribe.html", kind=found.kind)


# --- the therapist's side -------------------------------------------------------------------


def _clinic_today(patient: Patient) -> dt.date:
    return utcnow().astimezone(ZoneInfo(patient.clinic.timezone)).date()


@bp.route("/patients/<int:patient_id>/appointments/new", methods=["GET", "POST"])
@staff_required
def new_appointment(patient_id: int):
    patient = patient_for(current_user, patient_id, what="appointment")
    if not patient.is_active:
        flash(_("This patient has been discharged."), "warning")
        return redirect(url_for("patients.detail", patient_id=patient.id))
    form = AppointmentForm(today=_clinic_today(patient))
    if form.validate_on_submit():
        zone = ZoneInfo(patient.clinic.timezone)  # the time on the clinic's clock
        local = dt.datetime.combine(form.day.data, parse_time(form.time.data), tzinfo=zone)
        services.add_appointment(
            current_user,
            patient,
            kind=form.kind.data,
            starts_at=local.astimezone(dt.UTC),
            duration_minutes=form.duration_minutes.data,
            remind=bool(form.remind.data),
        )
        flash(_("The appointment has been planned."), "success")
        return redirect(url_for("patients.detail", patient_id=patient.id))
    return render_template("reminders/appointment_form.html", form=form, patient=patient)


@bp.route("/patients/<int:patient_id>/appointments/<int:appointment_id>/cancel", methods=["POST"])
@staff_required
def cancel_appointment(patient_id: int, appointment_id: int):
    patient = patient_for(current_user, patient_id, what="appointment")
    appointment = services.appointment_for(patient, appointment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.cancel_appointment(current_user, patient, appointment)
    flash(_("The appointment has been cancelled."), "success")
    return redirect(url_for("patients.detail", patient_id=patient.id))


@bp.route("/patients/<int:patient_id>/reminders/pause", methods=["POST"])
@staff_required
def pause(patient_id: int):
    patient = patient_for(current_user, patient_id, what="reminder_settings")
    form = PauseForm()
    if not form.validate_on_submit():
        for error in form.paused_until.errors:
            flash(error, "danger")
        return redirect(url_for("patients.detail", patient_id=patient.id))
    services.pause_reminders(current_user, patient, form.paused_until.data)
    if form.paused_until.data:
        flash(_("Exercise reminders rest up to and including the chosen day."), "success")
    else:
        flash(_("Exercise reminders go on as the patient chose."), "success")
    return redirect(url_for("patients.detail", patient_id=patient.id))
