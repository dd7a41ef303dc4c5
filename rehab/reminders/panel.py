"""The reminders section of a patient's page: planned appointments, whether the patient gets
reminders, and the therapist's pause. Two queries, whatever the number of appointments."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from rehab.auth.forms import ConfirmForm
from rehab.extensions import db
from rehab.reminders import services
from rehab.reminders.forms import APPOINTMENT_KIND_LABELS, PauseForm
from rehab.reminders.models import ReminderSettings


def panel(actor, patient) -> dict:
    saved = db.session.scalar(
        select(ReminderSettings).where(ReminderSettings.patient_id == patient.id)
    )
    paused_until = saved.paused_until if saved is not None else None
    zone = ZoneInfo(saved.timezone if saved is not None else patient.clinic.timezone)
    form = PauseForm(formdata=None)
    form.paused_until.data = paused_until
    today = dt.datetime.now(zone).date()
    return {
        "patient": patient,
        "exercise_enabled": saved is not None and saved.exercise_enabled,
        "paused_until": paused_until,
        "paused": paused_until is not None and paused_until >= today,
        "appointments": services.upcoming_appointments(patient),
        "kind_labels": APPOINTMENT_KIND_LABELS,
        "pause_form": form,
        "action_form": ConfirmForm(),
    }
