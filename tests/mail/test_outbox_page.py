"""The clinic admin's outbox: what was sent or would have been, what failed (visible, and
sent again on request), without one-time links, only the clinic's own, reads logged."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.mail.delivery import deliver
from rehab.mail.models import OutgoingEmail
from tests.mail.helpers import outbox, send_outbox
from tests.mail.smtp_server import free_port


def test_without_smtp_the_admin_sees_what_would_have_been_sent(app, world, client_for):
    client_for("anonymous").post("/password/forgot", data={"email": world.therapist.email})
    send_outbox()
    admin = client_for("admin")
    page = admin.get("/admin/outbox/").text
    assert "Er is geen mailserver ingesteld" in page
    assert world.therapist.email in page and "Nieuw wachtwoord" in page
    (email,) = outbox()
    message = admin.get(f"/admin/outbox/{email.id}").text
    assert "Kies een nieuw wachtwoord voor Rehab" in message  # the subject, as sent
    assert "alleen in het bericht van de ontvanger" in message  # the link is left out
    assert "/activate/" not in message
    html = admin.get(f"/admin/outbox/{email.id}/html")
    assert html.headers["Content-Security-Policy"].endswith("sandbox")
    assert "/activate/" not in html.text


def test_failed_and_retrying_messages_are_listed_and_can_be_sent_again(
    app, world, client_for, smtp_server
):
    from rehab.mail.outbox import queue_email

    down = {"SMTP_PORT": free_port(), "REHAB_MAIL_MAX_ATTEMPTS": 1}
    working_port = app.config["SMTP_PORT"]
    app.config.update(down)
    failed = queue_email(world.patient.user, "exercise_reminder", params={"name": "Sanne"})
    db.session.commit()
    assert deliver(failed.id) == "failed"
    admin = client_for("admin")
    problems = admin.get("/admin/outbox/?show=problems").text
    assert "Niet verstuurd" in problems and "De mailserver was niet bereikbaar." in problems

    app.config["SMTP_PORT"] = working_port
    response = admin.post(f"/admin/outbox/{failed.id}/retry")
    assert response.status_code == 302
    assert "Het bericht wordt opnieuw verstuurd." in admin.get(response.headers["Location"]).text
    send_outbox()
    assert db.session.get(OutgoingEmail, failed.id).status == "sent"
    assert len(smtp_server.received) == 1
    # A second click finds nothing to send again.
    admin.post(f"/admin/outbox/{failed.id}/retry")
    assert db.session.get(OutgoingEmail, failed.id).status == "sent"


def test_another_clinics_messages_are_not_found(app, world, client_for):
    from rehab.mail.outbox import queue_email
    from tests.factories import make_user

    other_admin = make_user(world.other_clinic, "admin")
    email = queue_email(world.foreign_patient.user, "exercise_reminder", params={"name": "V"})
    db.session.commit()
    from tests.factories import login_as

    foreign = login_as(client_for("anonymous"), other_admin)
    assert foreign.get(f"/admin/outbox/{email.id}").status_code == 200
    assert client_for("admin").get(f"/admin/outbox/{email.id}").status_code == 404
    assert world.foreign_patient.user.email not in client_for("admin").get("/admin/outbox/").text


def test_reading_a_patients_message_is_in_the_access_log(app, world, client_for):
    from rehab.mail.outbox import queue_email

    email = queue_email(world.patient.user, "exercise_reminder", params={"name": "Sanne"})
    db.session.commit()
    client_for("admin").get(f"/admin/outbox/{email.id}")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "outgoing_email"))
    assert (entry.patient_id, entry.actor_id) == (world.patient.id, world.admin.id)


def test_old_messages_are_removed_after_the_keeping_period(app, world):
    from rehab.mail.delivery import remove_old
    from rehab.mail.outbox import queue_email

    queue_email(world.patient.user, "exercise_reminder", params={"name": "Sanne"})
    db.session.commit()
    send_outbox()
    assert remove_old(utcnow() + dt.timedelta(days=29)) == 0
    assert remove_old(utcnow() + dt.timedelta(days=31)) == 1
