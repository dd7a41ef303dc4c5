"""The account page: details, two-step status, live sessions and their revocation, and
changes that need a recent log-in."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.auth.models import UserSession
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.mail.delivery import render
from tests.auth.factories import code, enrol, log_in
from tests.factories import PASSWORD, login_as
from tests.mail.helpers import links_in, outbox, path_of

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def test_account_page_shows_details_and_every_live_session(app, world, count_queries):
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, world.therapist.email, headers={"User-Agent": FIREFOX})
    log_in(phone, world.therapist.email, headers={"User-Agent": IPHONE})
    page = laptop.get("/account").text
    assert world.therapist.full_name in page and world.therapist.email in page
    assert "Firefox op Windows" in page and "Safari op iOS" in page
    assert page.count("Dit apparaat") == 1
    assert "Tweestapsverificatie instellen" in page

    with count_queries() as few:
        laptop.get("/account")
    for n in range(8):
        db.session.add(UserSession(user_id=world.therapist.id, token=f"extra-{n}"))
    db.session.commit()
    with count_queries() as many:
        laptop.get("/account")
    assert many.count == few.count


def test_log_out_other_sessions_keeps_this_one(app, world):
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, world.therapist.email)
    log_in(phone, world.therapist.email)
    response = laptop.post("/account/sessions/revoke-others", follow_redirects=True)
    assert "Uitgelogd op 1 ander(e) apparaat/apparaten." in response.text
    assert laptop.get("/patients/").status_code == 200
    assert phone.get("/patients/").status_code == 302


def test_revoke_one_session_and_the_cookie_stops_working(app, world):
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, world.therapist.email)
    log_in(phone, world.therapist.email)
    phone_cookie = phone.get_cookie("rehab_session").value
    phone_login = db.session.scalars(select(UserSession).order_by(UserSession.id)).all()[-1]
    assert laptop.post(f"/account/sessions/{phone_login.id}/revoke").status_code == 302
    thief = app.test_client()
    thief.set_cookie("rehab_session", phone_cookie)
    assert thief.get("/patients/").status_code == 302
    assert laptop.get("/patients/").status_code == 200


def test_revoking_your_current_session_logs_you_out(client_for, world):
    client = client_for("patient")
    login = db.session.scalar(
        select(UserSession).where(UserSession.user_id == world.patient.user_id)
    )
    response = client.post(f"/account/sessions/{login.id}/revoke")
    assert response.headers["Location"] == "/login"
    assert client.get("/training/today").status_code == 302


def test_last_seen_is_written_at_most_once_a_minute(client_for, world, count_queries):
    client = client_for("therapist")
    login = db.session.scalar(select(UserSession).where(UserSession.user_id == world.therapist.id))
    first_seen = login.last_seen_at
    with count_queries() as q:
        client.get("/account")
    assert not any(s.lstrip().upper().startswith("UPDATE") for s in q.statements)
    db.session.refresh(login)
    assert login.last_seen_at == first_seen

    login.last_seen_at = utcnow() - dt.timedelta(seconds=90)
    db.session.commit()
    client.get("/account")
    db.session.refresh(login)
    assert utcnow() - login.last_seen_at < dt.timedelta(seconds=5)


def test_a_session_idle_on_the_server_ends_even_with_a_fresh_cookie(app, client_for, world):
    client = client_for("therapist")
    login = db.session.scalar(select(UserSession).where(UserSession.user_id == world.therapist.id))
    login.last_seen_at = utcnow() - dt.timedelta(
        seconds=app.config["REHAB_IDLE_TIMEOUT_STAFF"] + 61
    )
    db.session.commit()
    assert client.get("/patients/").status_code == 302


def test_patients_have_a_longer_idle_limit_than_staff(app, client_for, world):
    client = client_for("patient")
    with client.session_transaction() as session:
        session["seen_at"] -= app.config["REHAB_IDLE_TIMEOUT_STAFF"] + 1
    assert client.get("/training/today").status_code == 200
    with client.session_transaction() as session:
        session["seen_at"] -= app.config["REHAB_IDLE_TIMEOUT_PATIENT"] + 1
    assert client.get("/training/today").status_code == 302


def _age_login(app, client) -> None:
    with client.session_transaction() as session:
        session["auth_at"] -= app.config["REHAB_REAUTH_SECONDS"] + 1


def test_changing_the_email_address_needs_a_recent_log_in(app, client_for, world):
    world.therapist.email = "pieter@example.nl"
    db.session.commit()
    client = client_for("patient")
    _age_login(app, client)
    response = client.get("/account/email")
    assert response.headers["Location"] == "/account/confirm?next=/account/email?"
    assert client.post("/account/email", data={"email": "new@example.nl"}).status_code == 302
    db.session.refresh(world.patient.user)
    assert world.patient.user.email != "new@example.nl"

    wrong = client.post("/account/confirm", data={"password": "not it"})
    assert "Dat klopt niet." in wrong.text
    db.session.refresh(world.patient.user)
    assert world.patient.user.failed_logins == 1

    ok = client.post("/account/confirm?next=/account/email", data={"password": PASSWORD})
    assert ok.headers["Location"] == "/account/email"
    taken = client.post("/account/email", data={"email": world.therapist.email.upper()})
    assert "Dit e-mailadres wordt al door een ander account gebruikt." in taken.text
    done = client.post("/account/email", data={"email": " New@Example.nl "})
    assert done.headers["Location"] == "/account"
    db.session.refresh(world.patient.user)
    assert world.patient.user.email != "new@example.nl"  # not before the new address confirms
    (message,) = outbox("email_change_confirm")
    assert message.to_address == "new@example.nl"
    (link,) = [url for url in links_in(render(message).text) if "/confirm/" in url]
    assert client.post(path_of(link)).status_code == 302
    db.session.refresh(world.patient)
    assert world.patient.user.email == "new@example.nl"
    assert world.patient.email == "new@example.nl"  # the record follows the account
    assert log_in(app.test_client(), "new@example.nl").status_code == 302
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.summary_code == "email_changed"))
    assert entry.actor_id == world.patient.user_id


def test_reauthentication_asks_for_the_second_factor_when_enrolled(app, world):
    secret, _ = enrol(world.therapist)
    client = login_as(app.test_client(), world.therapist)
    _age_login(app, client)
    assert "Code uit je authenticator-app" in client.get("/account/confirm").text
    no_code = client.post("/account/confirm", data={"password": PASSWORD})
    assert no_code.status_code == 200
    with_code = client.post("/account/confirm", data={"password": PASSWORD, "code": code(secret)})
    assert with_code.status_code == 302
    assert client.get("/account/email").status_code == 200


def test_changing_the_password_needs_a_recent_log_in(app, client_for):
    client = client_for("therapist")
    _age_login(app, client)
    response = client.get("/account/password")
    assert response.headers["Location"].startswith("/account/confirm")


def test_password_change_keeps_this_logins_second_factor(app, world):
    world.clinic.require_staff_2fa = True
    db.session.commit()
    secret, _ = enrol(world.therapist)
    client = app.test_client()
    log_in(client, world.therapist.email)
    client.post("/login/verify", data={"code": code(secret)})
    new = "een heel ander wachtwoord"
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": new, "confirm_password": new},
    )
    assert response.status_code == 302
    assert client.get("/patients/").status_code == 200
