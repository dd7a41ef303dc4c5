"""Sending the outbox over real SMTP (aiosmtpd on a free port): the message as it arrives,
the queue (a thread, or RQ on Redis) after the commit and never in the request, retries with
back-off, refusals, and the log-only mode without a mail server."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import time

import pytest
from sqlalchemy import select

from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.mail import outbox as mail_outbox
from rehab.mail.delivery import claim, deliver, deliver_due, render, retry_delay
from rehab.mail.models import OutgoingEmail
from rehab.mail.outbox import queue_email
from tests.mail.helpers import links_in, outbox, send_outbox
from tests.mail.smtp_server import free_port
from tests.redis_queues import REDIS_URL, forget_queue, redis_connection


def _reminder_for(patient) -> OutgoingEmail:
    email = queue_email(patient.user, "exercise_reminder", params={"name": "Sanne"})
    db.session.commit()
    return email


def test_retry_waits_grow_fourfold_from_a_minute_to_four_hours_at_most():
    # Worked example: 60 s × 4^(n−1), capped at 4 h: 60, 240, 960, 3840, then 14400.
    assert [retry_delay(n) for n in range(1, 7)] == [60, 240, 960, 3840, 14400, 14400]


def test_a_message_arrives_over_smtp_as_text_and_html_with_the_clinics_name(
    app, world, smtp_server
):
    email_id = _reminder_for(world.patient).id
    assert send_outbox() == {"sent": 1}

    (received,) = smtp_server.to(world.patient.user.email)
    message = received.message
    assert message["Subject"] == "Tijd voor je oefeningen"  # the patient's language (nl)
    assert message["From"].addresses[0].display_name.startswith("Fysio Noord")
    assert message["Content-Language"] == "nl"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    assert "Fysio Noord" in received.text and "Fysio Noord" in received.html
    assert "http://rehab.test/training/today" in links_in(received.text)
    sent = db.session.get(OutgoingEmail, email_id)
    assert (sent.status, sent.attempts, sent.sent_at is not None) == ("sent", 1, True)


def test_an_english_speaking_patient_gets_english(app, world, smtp_server):
    world.patient.user.locale = "en"
    _reminder_for(world.patient)
    send_outbox()
    (received,) = smtp_server.received
    assert received.message["Subject"] == "Time for your exercises"
    assert "Hello" in received.text


def test_a_message_is_sent_once_however_many_workers_try(app, world, smtp_server):
    email = _reminder_for(world.patient)
    assert claim(email.id) is True
    assert claim(email.id) is False  # the second worker finds it taken
    assert deliver(email.id) is None
    db.session.expire_all()
    # A claim left by a worker that died is taken over after ten minutes.
    assert deliver(email.id, utcnow() + dt.timedelta(minutes=11)) == "sent"
    assert len(smtp_server.received) == 1
    assert deliver_due(utcnow() + dt.timedelta(hours=1)) == {}


def test_a_server_that_is_down_is_tried_again_later_until_the_last_attempt(app, world):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_SECURITY="none",
                      REHAB_MAIL_MAX_ATTEMPTS=3)  # fmt: skip
    email_id = _reminder_for(world.patient).id
    start = utcnow()
    assert deliver(email_id, start) == "queued"
    email = db.session.get(OutgoingEmail, email_id)
    assert (email.attempts, email.error_code) == (1, "connection")
    assert email.next_attempt_at == start + dt.timedelta(seconds=60)
    assert deliver_due(start + dt.timedelta(seconds=59)) == {}  # not yet
    assert deliver_due(start + dt.timedelta(seconds=61)) == {"queued": 1}
    db.session.expire_all()
    email = db.session.get(OutgoingEmail, email_id)
    assert email.next_attempt_at == start + dt.timedelta(seconds=61 + 240)
    assert deliver_due(start + dt.timedelta(hours=1)) == {"failed": 1}
    db.session.expire_all()
    assert db.session.get(OutgoingEmail, email_id).status == "failed"


def test_a_refused_address_is_not_tried_again_and_a_temporary_refusal_is(app, world, smtp_server):
    smtp_server.collector.rcpt_reply = "550 5.1.1 no such mailbox"
    refused = _reminder_for(world.patient).id
    assert deliver(refused) == "failed"
    assert db.session.get(OutgoingEmail, refused).error_code == "refused"

    smtp_server.collector.rcpt_reply = "451 4.3.0 try again later"
    later = _reminder_for(world.other_patient).id
    assert deliver(later) == "queued"
    smtp_server.collector.rcpt_reply = None
    assert deliver(later, utcnow() + dt.timedelta(minutes=2)) == "sent"
    assert len(smtp_server.received) == 1


def test_without_a_mail_server_the_message_goes_to_the_log_and_the_outbox(app, world, caplog):
    from rehab.auth.links import issue_token
    from rehab.auth.models import TokenPurpose

    token = issue_token(world.therapist, TokenPurpose.RESET, actor=None)
    queue_email(world.therapist, "password_reset", params={"name": "Pieter", "hours": 24},
                secret=token)  # fmt: skip
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="rehab.mail"):
        assert send_outbox() == {"logged": 1}
    assert f"/activate/{token}" in caplog.text  # the demo's log shows the link
    (email,) = outbox("password_reset")
    assert email.status == "logged"
    # Once delivered, the outbox no longer holds the link.
    assert email.secret_encrypted is None
    assert token not in render(email).text


def test_a_message_is_not_sent_when_its_transaction_rolls_back(app, world):
    queue_email(world.patient.user, "exercise_reminder", params={"name": "Sanne"})
    db.session.rollback()
    assert outbox() == []


def _join_threads() -> None:
    for thread in list(mail_outbox.THREADS):
        thread.join(timeout=30)


@pytest.mark.app_config(REHAB_MAIL_DISPATCH="auto")
def test_the_thread_queue_sends_after_the_commit_and_the_request_does_not_wait(
    app, world, client_for, smtp_server
):
    accept = smtp_server.collector.handle_DATA

    async def slow_server(server, session, envelope):  # a mail server that takes a second
        await asyncio.sleep(1.0)
        return await accept(server, session, envelope)

    smtp_server.collector.handle_DATA = slow_server
    started = time.perf_counter()
    response = client_for("anonymous").post(
        "/password/forgot", data={"email": world.therapist.email}
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert elapsed < 0.9, "the request waited for the mail server"
    _join_threads()
    assert len(smtp_server.received) == 1
    assert outbox("password_reset")[0].status == "sent"


@pytest.mark.app_config(REHAB_MAIL_DISPATCH="auto")
def test_the_rq_queue_sends_through_a_worker(app, world, client_for, smtp_server):
    from rq import SimpleWorker

    connection = redis_connection()
    queue_name = f"rehab-test-mail-{os.getpid()}-{id(app)}"
    app.config.update(REHAB_JOB_QUEUE_URL=REDIS_URL, REHAB_MAIL_QUEUE_NAME=queue_name)
    client_for("anonymous").post("/password/forgot", data={"email": world.therapist.email})
    queue = mail_outbox.mail_queue()
    try:
        assert queue.count == 1
        assert smtp_server.received == []  # nothing sent before the worker runs
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
    finally:
        # Nothing stays in Redis: the job, its result and the queue's registries.
        forget_queue(connection, queue_name)
        connection.close()
    assert len(smtp_server.to(world.therapist.email)) == 1
    assert outbox("password_reset")[0].status == "sent"


@pytest.mark.app_config(REHAB_MAIL_DISPATCH="auto", REHAB_JOB_QUEUE_URL="redis://127.0.0.1:1/0")
def test_with_the_queue_unreachable_the_message_waits_for_the_periodic_job(
    app, world, client_for, smtp_server
):
    response = client_for("anonymous").post(
        "/password/forgot", data={"email": world.therapist.email}
    )
    assert response.status_code == 302
    (email,) = outbox("password_reset")
    assert email.status == "queued"
    result = app.test_cli_runner().invoke(args=["rehab", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert len(smtp_server.received) == 1
    assert db.session.scalar(select(OutgoingEmail.status)) == "sent"


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_the_server_is_reached_over_starttls_or_tls_with_a_log_in(app, world, tmp_path, security):
    from tests.mail.smtp_server import running_tls_smtp_server, self_signed_certificate

    cert, key = self_signed_certificate(tmp_path)
    login = ("rehab", "mail-password")
    with running_tls_smtp_server(cert, key, implicit=security == "tls", login=login) as server:
        app.config.update(
            SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_SECURITY=security,
            SMTP_USERNAME="rehab", SMTP_PASSWORD="not it", SMTP_CA_FILE=cert,
        )  # fmt: skip
        email_id = _reminder_for(world.patient).id
        assert deliver(email_id) == "queued"  # a wrong password: tried again later
        assert db.session.get(OutgoingEmail, email_id).error_code == "login"
        app.config["SMTP_PASSWORD"] = "mail-password"
        assert deliver(email_id, utcnow() + dt.timedelta(minutes=2)) == "sent"
        assert len(server.received) == 1
        # Without trusting the server's certificate nothing is sent.
        app.config["SMTP_CA_FILE"] = None
        other = _reminder_for(world.other_patient).id
        assert deliver(other) == "queued"
        assert len(server.received) == 1
