"""Account links by e-mail, over real SMTP: "forgot password" (the same answer and the same
work whether or not the address has an account), the hand-over page's "send by e-mail", and
confirming a new e-mail address."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time

import pytest
import time_machine
from sqlalchemy import func, select

from rehab.audit.models import AuditEntry
from rehab.auth.models import AccountToken, TokenPurpose
from rehab.core.db import utcnow
from rehab.extensions import db
from tests.factories import login_as
from tests.mail.helpers import links_in, outbox, path_of, send_outbox

NEW_PASSWORD = "een nieuw lang wachtwoord"


def _link(received, fragment: str) -> str:
    (link,) = [url for url in links_in(received.text) if fragment in url]
    return path_of(link)


def _ask(client, email: str):
    return client.post("/password/forgot", data={"email": email})


# --- forgot password ---------------------------------------------------------------------------


def test_forgot_password_mails_a_one_time_link_that_sets_a_new_password(app, world, smtp_server):
    client = app.test_client()
    assert "Wachtwoord vergeten?" in client.get("/login").text
    response = _ask(client, world.therapist.email.upper())
    assert response.headers["Location"] == "/password/forgot/sent"
    assert "Als Rehab dit adres kent" in client.get("/password/forgot/sent").text
    send_outbox()

    (received,) = smtp_server.to(world.therapist.email)
    assert received.message["Subject"] == "Kies een nieuw wachtwoord voor Rehab"
    link = _link(received, "/activate/")
    assert received.text.count(link) == 1 and "24 uur" in received.text
    done = client.post(link, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.status_code == 302
    assert (
        app.test_client()
        .post("/login", data={"email": world.therapist.email, "password": NEW_PASSWORD})
        .headers["Location"]
        == "/patients/"
    )
    again = app.test_client().get(link)
    assert again.status_code == 410  # used once


def test_the_link_expires(app, world, smtp_server):
    _ask(app.test_client(), world.therapist.email)
    send_outbox()
    link = _link(smtp_server.received[0], "/activate/")
    with time_machine.travel(utcnow() + dt.timedelta(hours=25)):
        assert app.test_client().get(link).status_code == 410


def test_an_unknown_address_gets_the_same_answer_and_no_mail(app, world, smtp_server):
    client = app.test_client()
    known = _ask(client, world.therapist.email)
    unknown = _ask(client, "nobody@example.nl")
    disabled_user = world.other_patient.user
    disabled_user.active = False
    db.session.commit()
    disabled = _ask(client, disabled_user.email)
    assert known.status_code == unknown.status_code == disabled.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == disabled.headers["Location"]
    assert known.get_data() == unknown.get_data() == disabled.get_data()
    send_outbox()
    assert [r.rcpt_tos for r in smtp_server.received] == [[world.therapist.email]]
    # Both requests are in the access log (the unknown one with the address typed).
    values = db.session.scalars(
        select(AuditEntry.summary_values).where(AuditEntry.summary_code == "password_link_unknown")
    ).all()
    assert {"address": "nobody@example.nl"} in values


def _timed_ask(client, email: str) -> float:
    started = time.perf_counter()
    response = _ask(client, email)
    assert response.status_code == 302
    return time.perf_counter() - started


@pytest.mark.app_config(REHAB_MAIL_DISPATCH="auto")
def test_known_and_unknown_addresses_take_the_same_order_of_time(app, world, smtp_server):
    """The mail is sent by a thread after the response: the known address's request does a
    few more inserts, not the SMTP conversation. Known and unknown requests take turns and
    each waits for the previous request's mail thread, so both kinds meet the same machine
    (a mail thread still sending would slow whichever request came next, not tell addresses
    apart). Medians of nine runs, within a factor 5; the resend throttle is kept out of the
    way."""
    from rehab.auth import by_email
    from rehab.mail import outbox as mail_outbox

    def timed(email: str) -> float:
        for thread in list(mail_outbox.THREADS):
            thread.join(timeout=30)
        return _timed_ask(client, email)

    by_email_resend = by_email.RESEND_AFTER
    by_email.RESEND_AFTER = dt.timedelta(0)
    try:
        client = app.test_client()
        timed(world.therapist.email)  # warm up both paths
        timed("nobody@example.nl")
        known, unknown = [], []
        for n in range(9):
            known.append(timed(world.therapist.email))
            unknown.append(timed(f"nobody{n}@example.nl"))
    finally:
        by_email.RESEND_AFTER = by_email_resend
        for thread in list(mail_outbox.THREADS):
            thread.join(timeout=30)
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 0.2 < ratio < 5, (known, unknown)
    assert len(smtp_server.to(world.therapist.email)) == 10  # each known request mailed


def test_asking_again_within_two_minutes_sends_nothing_new(app, world, smtp_server):
    client = app.test_client()
    _ask(client, world.therapist.email)
    second = _ask(client, world.therapist.email)
    assert second.headers["Location"] == "/password/forgot/sent"
    assert len(outbox("password_reset")) == 1


def test_an_account_without_a_password_gets_its_activation_link(app, world, smtp_server):
    world.therapist.password_hash = None
    db.session.commit()
    _ask(app.test_client(), world.therapist.email)
    send_outbox()
    (received,) = smtp_server.received
    assert received.message["Subject"] == "Je Rehab-account bij Fysio Noord"
    token = db.session.scalar(
        select(AccountToken).where(AccountToken.user_id == world.therapist.id)
    )
    assert token.purpose == TokenPurpose.ACTIVATION and token.created_by_id is None


def test_a_forged_host_header_does_not_reach_the_link(app, world, smtp_server):
    _ask(app.test_client(), world.therapist.email).close()
    app.test_client().post(
        "/password/forgot",
        data={"email": world.patient.user.email},
        headers={"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"},
    )
    send_outbox()
    for received in smtp_server.received:
        assert "attacker" not in received.text + received.html
        assert all(url.startswith("http://rehab.test/") for url in links_in(received.text))


@pytest.mark.app_config(RATELIMIT_ENABLED=True, RATELIMIT_FORGOT_PASSWORD="3 per minute")
def test_forgot_password_is_rate_limited(app, world):
    client = app.test_client()
    statuses = [_ask(client, f"someone{n}@example.nl").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_an_empty_address_is_refused_with_a_message(app, world):
    response = app.test_client().post("/password/forgot", data={"email": "  "})
    assert response.status_code == 200
    assert "is-invalid" in response.text
    assert outbox() == []


# --- send by e-mail from the hand-over page ------------------------------------------------------


def _new_patient(client, therapist, language="en"):
    data = {"first_name": "Lotte", "last_name": "de Wit", "email": "lotte@example.nl",
            "preferred_language": language, "therapist_id": therapist.id}  # fmt: skip
    return client.post("/patients/new", data=data, follow_redirects=True)


def test_the_hand_over_link_goes_by_e_mail_in_the_patients_language(app, world, smtp_server):
    therapist = login_as(app.test_client(), world.therapist)
    page = _new_patient(therapist, world.therapist)
    shown = re.search(r'id="handover-url"[^>]*>(http[^<]+)<', page.text).group(1).strip()
    assert "Per e-mail versturen naar lotte@example.nl" in page.text
    response = therapist.post("/handover/email", data={"link": shown, "back": "/patients/"})
    assert response.headers["Location"] == "/patients/"
    send_outbox()

    (received,) = smtp_server.to("lotte@example.nl")
    assert received.message["Subject"] == "Your Rehab account at Fysio Noord"
    link = _link(received, "/activate/")
    assert shown.endswith(link)  # the same one-time link as on screen
    activated = app.test_client().post(
        link, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    )
    assert activated.headers["Location"] == "/training/today"


def test_a_link_of_another_clinic_or_no_link_is_refused(app, world, client_for):
    other = login_as(app.test_client(), world.other_therapist)
    page = _new_patient(other, world.other_therapist)
    shown = re.search(r'id="handover-url"[^>]*>(http[^<]+)<', page.text).group(1).strip()
    therapist = client_for("therapist")
    assert therapist.post("/handover/email", data={"link": shown}).status_code == 404
    assert therapist.post("/handover/email", data={"link": "/login"}).status_code == 404
    assert therapist.post("/handover/email", data={"back": "/x"}).status_code == 400
    assert outbox() == []


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_sending_by_e_mail_needs_the_forms_token(app, world, client_for):
    response = client_for("therapist").post("/handover/email", data={"link": "x"})
    assert response.status_code == 400
    assert outbox() == []


# --- confirming a new e-mail address -----------------------------------------------------------


def test_a_new_address_counts_once_confirmed_and_the_old_one_is_told(app, world, smtp_server):
    client = login_as(app.test_client(), world.patient.user)
    old = world.patient.user.email
    response = client.post("/account/email", data={"email": "sanne@nieuw.nl"})
    assert response.headers["Location"] == "/account"
    assert "We hebben een link gestuurd naar sanne@nieuw.nl" in client.get("/account").text
    send_outbox()
    (confirm,) = smtp_server.to("sanne@nieuw.nl")
    assert confirm.message["Subject"] == "Bevestig je nieuwe e-mailadres voor Rehab"
    link = _link(confirm, "/account/email/confirm/")

    # Opening the link (a mail scanner does too) changes nothing; the button does.
    page = app.test_client().get(link)
    assert "sanne@nieuw.nl" in page.text
    db.session.refresh(world.patient.user)
    assert world.patient.user.email == old
    # The link cannot set a password, and it works without logging in.
    as_password_link = link.replace("/account/email/confirm/", "/activate/")
    assert app.test_client().get(as_password_link).status_code == 404
    assert app.test_client().post(link).headers["Location"] == "/login"
    db.session.expire_all()
    assert world.patient.user.email == "sanne@nieuw.nl" == world.patient.email
    assert app.test_client().post(link).status_code == 410  # spent

    send_outbox()
    (notice,) = smtp_server.to(old)
    assert "sanne@nieuw.nl" in notice.text
    assert notice.message["Subject"] == "Je e-mailadres voor Rehab is gewijzigd"


def test_an_address_taken_in_the_meantime_is_refused_at_confirmation(app, world):
    from rehab.mail.delivery import render

    client = login_as(app.test_client(), world.patient.user)
    client.post("/account/email", data={"email": "gedeeld@example.nl"})
    world.therapist.email = "gedeeld@example.nl"
    db.session.commit()
    (message,) = outbox("email_change_confirm")
    (link,) = [url for url in links_in(render(message).text) if "/confirm/" in url]
    client.post(path_of(link))
    db.session.expire_all()
    assert world.patient.user.email != "gedeeld@example.nl"
    assert (
        db.session.scalar(
            select(func.count()).select_from(AccountToken).where(AccountToken.used_at.is_not(None))
        )
        == 0
    )


def test_the_same_address_is_refused_with_a_message(app, world):
    world.patient.user.email = "sanne@example.nl"
    db.session.commit()
    client = login_as(app.test_client(), world.patient.user)
    response = client.post("/account/email", data={"email": "Sanne@Example.nl"})
    assert "Dit is al je e-mailadres." in response.text
    assert outbox() == []
