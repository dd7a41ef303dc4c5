"""Rows for e-mail (forgot password, e-mail change confirmation, hand-over by e-mail, the
admin's outbox) and reminders (settings, calendar link and feed, unsubscribe, appointments)."""

import datetime as dt

from rehab.auth.links import issue_token
from rehab.auth.models import TokenPurpose
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.mail.messages import unsubscribe_url
from rehab.mail.outbox import queue_email
from rehab.reminders import services as reminders
from rehab.reminders.models import Appointment
from tests.role_matrix import (
    ADMIN_PAGE,
    PATIENT_PAGE,
    PUBLIC_PAGE,
    STAFF_OBJECT,
    Case,
    expect,
)

ANONYMOUS_ONLY = expect(200, 302, 302, 302, 302, 302)  # logged in: sent to their home page
PUBLIC_404 = expect(404, 404, 404, 404, 404, 404)
OWN_CLINIC_ADMIN = expect(302, 403, 403, 403, 403, 200)


def extend_world(world) -> None:
    """A failed e-mail to patient P; an e-mail change link of P; an appointment of P; P's
    calendar link and an unsubscribe link for P's reminders."""
    from flask import current_app

    email = queue_email(world.patient.user, "exercise_reminder", params={"name": "Sanne"})
    email.status, email.attempts, email.error_code = "failed", 6, "connection"
    change = issue_token(
        world.patient.user, TokenPurpose.EMAIL_CHANGE, actor=world.patient.user,
        new_email="sanne.nieuw@example.test",
    )  # fmt: skip
    appointment = Appointment(
        patient_id=world.patient.id, kind="check_in", starts_at=utcnow() + dt.timedelta(days=3),
        duration_minutes=30, remind=True, created_by_id=world.therapist.id,
    )  # fmt: skip
    db.session.add(appointment)
    db.session.commit()
    feed_token = reminders.new_calendar_link(world.patient.user, world.patient)
    with current_app.test_request_context():
        unsubscribe = unsubscribe_url(world.patient.user_id, "exercise").rsplit("/", 1)[1]
    # Ids, not objects: a row a case deletes must not break the next case's parameters.
    world.extra.update(
        failed_email_id=email.id, change_token=change, appointment_id=appointment.id,
        feed_token=feed_token, unsubscribe_token=unsubscribe,
    )  # fmt: skip


CASES = [
    Case("auth.forgot_password", ANONYMOUS_ONLY),
    # An empty form comes back with its message; a logged-in user is sent home.
    Case("auth.forgot_password", ANONYMOUS_ONLY, method="POST"),
    Case("auth.forgot_password_sent", PUBLIC_PAGE),
    # The link itself is the key: anyone holding it sees the question.
    Case(
        "auth.confirm_email_change",
        PUBLIC_PAGE,
        params=lambda w: {"token": w.change_token},
    ),
    Case(
        "auth.confirm_email_change",
        PUBLIC_404,
        method="POST",
        params=lambda w: {"token": "not-a-token"},
    ),
    # Staff only; without the link from the hand-over page the request is refused (400).
    Case("auth.send_handover_link", expect(302, 403, 403, 400, 400, 400), method="POST"),
    Case("mail.index", ADMIN_PAGE),
    Case("mail.message", OWN_CLINIC_ADMIN, params=lambda w: {"email_id": w.failed_email_id}),
    Case("mail.message_html", OWN_CLINIC_ADMIN, params=lambda w: {"email_id": w.failed_email_id}),
    Case(
        "mail.retry",
        expect(302, 403, 403, 403, 403, 302),
        method="POST",
        params=lambda w: {"email_id": w.failed_email_id},
    ),
    Case("reminders.settings", PATIENT_PAGE),
    # An empty form comes back with its messages.
    Case("reminders.settings", PATIENT_PAGE, method="POST"),
    # The page with the new link on it.
    Case("reminders.calendar_on", PATIENT_PAGE, method="POST"),
    Case("reminders.calendar_off", expect(302, 302, 302, 403, 403, 403), method="POST"),
    Case("reminders.calendar_feed", PUBLIC_PAGE, params=lambda w: {"token": w.feed_token}),
    Case("reminders.unsubscribe", PUBLIC_PAGE, params=lambda w: {"token": w.unsubscribe_token}),
    Case(
        "reminders.unsubscribe",
        PUBLIC_PAGE,
        method="POST",
        params=lambda w: {"token": w.unsubscribe_token},
    ),
    Case("reminders.new_appointment", STAFF_OBJECT, params=lambda w: {"patient_id": w.patient.id}),
    # An empty form comes back with its messages.
    Case(
        "reminders.new_appointment",
        STAFF_OBJECT,
        method="POST",
        params=lambda w: {"patient_id": w.patient.id},
    ),
    # The therapist cancels it; after that the admin finds it gone (404).
    Case(
        "reminders.cancel_appointment",
        expect(302, 403, 403, 302, 404, 404),
        method="POST",
        params=lambda w: {"patient_id": w.patient.id, "appointment_id": w.appointment_id},
    ),
    Case(
        "reminders.pause",
        expect(302, 403, 403, 302, 404, 302),
        method="POST",
        params=lambda w: {"patient_id": w.patient.id},
    ),
]
