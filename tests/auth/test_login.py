"""Logging in and out, and sessions the server can end."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.auth.models import UserSession
from rehab.extensions import db
from tests.factories import PASSWORD, login_as


def log_in(client, email, password=PASSWORD, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def test_therapist_logs_in_and_lands_on_the_caseload(client, world):
    response = log_in(client, world.therapist.email, follow_redirects=True)
    assert response.request.path == "/patients/"
    assert "Caseload" in response.text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login"))
    assert entry.actor_id == world.therapist.id


def test_patient_logs_in_and_lands_on_today(client, world):
    response = log_in(client, world.patient.user.email, follow_redirects=True)
    assert response.request.path == "/training/today"


def test_email_is_matched_case_insensitively(client, world):
    response = log_in(client, "  " + world.therapist.email.upper() + " ")
    assert response.status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_message(client, world):
    wrong = log_in(client, world.therapist.email, "not the password")
    unknown = log_in(client, "nobody@example.test", "not the password")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Het e-mailadres of het wachtwoord is onjuist." in response.text
    failed = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed")).all()
    assert [e.summary_code for e in failed] == ["login_failed", "login_failed"]
    assert [e.summary_values["address"] for e in failed] == [
        world.therapist.email,
        "nobody@example.test",
    ]


def test_disabled_account_cannot_log_in(client, world):
    world.therapist.active = False
    db.session.commit()
    assert log_in(client, world.therapist.email).status_code == 200


def test_next_parameter_only_leads_to_this_site(client, world):
    evil = log_in(client, world.therapist.email, query_string={"next": "//evil.example/x"})
    assert evil.headers["Location"] == "/patients/"
    client2 = client.application.test_client()
    ok = log_in(client2, world.therapist.email, query_string={"next": "/patients/new"})
    assert ok.headers["Location"] == "/patients/new"


def test_logout_ends_the_session_even_when_the_cookie_is_replayed(app, world):
    client = app.test_client()
    log_in(client, world.therapist.email)
    assert client.get("/patients/").status_code == 200
    stolen = client.get_cookie("rehab_session").value

    assert client.post("/logout").status_code == 302
    assert client.get("/patients/").status_code == 302

    thief = app.test_client()
    thief.set_cookie("rehab_session", stolen)
    response = thief.get("/patients/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_password_change_ends_other_sessions_and_keeps_this_one(app, world):
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, world.therapist.email)
    log_in(phone, world.therapist.email)
    old_laptop_cookie = laptop.get_cookie("rehab_session").value

    response = laptop.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/patients/").status_code == 200
    assert phone.get("/patients/").status_code == 302

    replay = app.test_client()
    replay.set_cookie("rehab_session", old_laptop_cookie)
    assert replay.get("/patients/").status_code == 302
    assert (
        log_in(app.test_client(), world.therapist.email, "a brand new passphrase").status_code
        == 302
    )


def test_password_change_needs_the_current_password(client, world):
    login_as(client, world.therapist)
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong",
            "new_password": "another passphrase",
            "confirm_password": "another passphrase",
        },
    )
    assert response.status_code == 200
    assert "Dit is niet je huidige wachtwoord." in response.text


def test_idle_session_is_ended(app, client, world):
    login_as(client, world.therapist)
    with client.session_transaction() as session:
        session["seen_at"] -= app.config["REHAB_IDLE_TIMEOUT_STAFF"] + 1
    response = client.get("/patients/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.get("/patients/").status_code == 302
    revoked = db.session.scalars(select(UserSession.revoked_at)).all()
    assert all(revoked)


def test_session_older_than_the_absolute_limit_is_refused(app, client, world):
    login_as(client, world.therapist)
    login = db.session.scalar(select(UserSession))
    login.created_at -= dt.timedelta(seconds=app.config["REHAB_ABSOLUTE_TIMEOUT"] + 1)
    db.session.commit()
    assert client.get("/patients/").status_code == 302


def test_disabling_an_account_ends_its_sessions_at_once(app, world, client_for):
    therapist = client_for("therapist")
    admin = client_for("admin")
    assert therapist.get("/patients/").status_code == 200
    assert admin.post(f"/admin/users/{world.therapist.id}/active").status_code == 302
    assert therapist.get("/patients/").status_code == 302
