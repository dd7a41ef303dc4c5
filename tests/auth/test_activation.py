"""Patients never register: a therapist creates them and hands over a one-time link."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from rehab.auth.models import AccountToken, User
from rehab.extensions import db
from tests.factories import login_as

NEW_PATIENT = {
    "first_name": "Lotte",
    "last_name": "de Wit",
    "email": "Lotte@Example.nl",
    "preferred_language": "nl",
    "date_of_birth": "1990-05-01",
}


def create_patient_and_get_link(client, world) -> str:
    data = dict(NEW_PATIENT, therapist_id=world.therapist.id)
    response = client.post("/patients/new", data=data, follow_redirects=True)
    assert response.status_code == 200, response.text
    match = re.search(r'id="handover-url"[^>]*>(http[^<]+)<', response.text)
    assert match, "the handover page shows the link"
    return match.group(1).strip()


def test_therapist_creates_patient_and_link_works_once(app, world):
    therapist = login_as(app.test_client(), world.therapist)
    url = create_patient_and_get_link(therapist, world)
    path = url.split("localhost", 1)[1]

    patient_browser = app.test_client()
    page = patient_browser.get(path)
    assert page.status_code == 200
    assert "lotte@example.nl" in page.text
    done = patient_browser.post(
        path,
        data={
            "new_password": "mijn eigen wachtwoord",
            "confirm_password": "mijn eigen wachtwoord",
        },
    )
    assert done.status_code == 302
    assert done.headers["Location"] == "/training/today"
    assert patient_browser.get("/training/today").status_code == 200

    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "Deze link is al gebruikt" in again.text


def test_the_link_is_shown_once_only(app, world):
    therapist = login_as(app.test_client(), world.therapist)
    create_patient_and_get_link(therapist, world)
    response = therapist.get("/handover", follow_redirects=True)
    assert "wordt niet meer getoond" in response.text


def test_expired_link_gets_a_clear_message(app, world):
    therapist = login_as(app.test_client(), world.therapist)
    url = create_patient_and_get_link(therapist, world)
    token = db.session.scalar(select(AccountToken))
    now = dt.datetime.now(dt.UTC)
    token.created_at = now - dt.timedelta(days=4)
    token.expires_at = now - dt.timedelta(minutes=1)
    db.session.commit()
    response = app.test_client().get(url.split("localhost", 1)[1])
    assert response.status_code == 410
    assert "Deze link is verlopen" in response.text


def test_wrong_link_gets_a_clear_message(client, world):
    response = client.get("/activate/abc")
    assert response.status_code == 404
    assert "Deze link is ongeldig" in response.text


def test_a_new_link_replaces_the_old_one(app, world):
    therapist = login_as(app.test_client(), world.therapist)
    first = create_patient_and_get_link(therapist, world).split("localhost", 1)[1]
    patient = db.session.scalar(select(User).where(User.email == "lotte@example.nl"))
    from rehab.patients.models import Patient

    record = db.session.scalar(select(Patient).where(Patient.user_id == patient.id))
    response = therapist.post(f"/patients/{record.id}/account-link", follow_redirects=True)
    assert response.status_code == 200
    assert app.test_client().get(first).status_code == 410


def test_password_rules_give_a_message_per_problem(app, world):
    therapist = login_as(app.test_client(), world.therapist)
    path = create_patient_and_get_link(therapist, world).split("localhost", 1)[1]
    browser = app.test_client()
    short = browser.post(path, data={"new_password": "kort", "confirm_password": "kort"})
    assert short.status_code == 200
    assert "Gebruik minimaal 8 tekens." in short.text
    different = browser.post(
        path,
        data={
            "new_password": "lang genoeg wachtwoord",
            "confirm_password": "iets anders",
        },
    )
    assert "De twee wachtwoorden komen niet overeen." in different.text
    same_as_email = browser.post(
        path,
        data={
            "new_password": "lotte@example.nl",
            "confirm_password": "lotte@example.nl",
        },
    )
    assert "Je wachtwoord mag niet je e-mailadres zijn." in same_as_email.text
    long_ok = "een heel lang wachtwoord " * 4
    assert (
        browser.post(
            path,
            data={
                "new_password": long_ok,
                "confirm_password": long_ok,
            },
        ).status_code
        == 302
    )


def test_patient_email_must_be_unique(app, world):
    therapist = login_as(app.test_client(), world.therapist)
    world.other_patient.user.email = "tom@example.nl"
    db.session.commit()
    data = dict(NEW_PATIENT, email="Tom@Example.nl", therapist_id=world.therapist.id)
    response = therapist.post("/patients/new", data=data)
    assert response.status_code == 200
    assert "Dit e-mailadres wordt al door een ander account gebruikt." in response.text


def test_admin_hands_a_reset_link_and_old_sessions_end(app, world, client_for):
    therapist = client_for("therapist")
    admin = client_for("admin")
    response = admin.post(f"/admin/users/{world.therapist.id}/reset", follow_redirects=True)
    assert response.status_code == 200
    url = re.search(r'id="handover-url"[^>]*>(http[^<]+)<', response.text).group(1)
    assert therapist.get("/patients/").status_code == 302
    path = url.strip().split("localhost", 1)[1]
    browser = app.test_client()
    assert browser.get(path).status_code == 200
    assert (
        browser.post(
            path,
            data={
                "new_password": "reset passphrase here",
                "confirm_password": "reset passphrase here",
            },
        ).status_code
        == 302
    )


def test_passwords_are_stored_as_argon2id(world):
    assert world.therapist.password_hash.startswith("$argon2id$")


def test_the_hand_over_page_speaks_about_the_right_person(app, world):
    """ "Laat de patiënt …" only when the link is a patient's; a colleague's link says so."""
    therapist = login_as(app.test_client(), world.therapist)
    data = dict(NEW_PATIENT, therapist_id=world.therapist.id)
    patient_page = therapist.post("/patients/new", data=data, follow_redirects=True).text
    assert "Laat de patiënt de QR-code scannen" in patient_page

    admin = login_as(app.test_client(), world.admin)
    staff_page = admin.post(
        "/admin/staff/new",
        data={"full_name": "Bas Collega", "email": "bas@example.nl", "role": "therapist"},
        follow_redirects=True,
    ).text
    assert 'id="handover-url"' in staff_page
    assert "patiënt" not in staff_page.split('id="handover-url"')[0].rsplit("<p", 2)[-2]
    assert "Laat je collega de QR-code scannen" in staff_page
