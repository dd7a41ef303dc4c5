"""Per-account back-off on top of the address rate limit, without telling whether an
account exists."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.auth import services
from rehab.auth.services import LOCK_AFTER, lock_seconds
from rehab.core.db import utcnow
from rehab.extensions import db
from tests.auth.factories import log_in

MESSAGE = "Het e-mailadres of het wachtwoord is onjuist."


def _answer(response, email: str) -> tuple[int, str]:
    """What the person sees: the status and the page, with the address they typed masked."""
    body = response.text.split("<main", 1)[1].split("</main>", 1)[0]
    return response.status_code, body.replace(email, "…")


@pytest.mark.parametrize(
    ("failures", "seconds"),
    [(0, 0), (4, 0), (5, 60), (6, 120), (7, 240), (10, 1920), (11, 3600), (40, 3600)],
)
def test_lock_doubles_from_one_minute_to_an_hour(failures, seconds):
    assert lock_seconds(failures) == seconds


def test_five_wrong_passwords_lock_the_account_and_the_answer_stays_the_same(app, world):
    client = app.test_client()
    for _ in range(LOCK_AFTER):
        assert log_in(client, world.therapist.email, "wrong password").status_code == 200
    db.session.refresh(world.therapist)
    assert world.therapist.failed_logins == LOCK_AFTER
    assert world.therapist.locked_until > utcnow() + dt.timedelta(seconds=50)

    locked = log_in(app.test_client(), world.therapist.email)  # the right password
    wrong = log_in(app.test_client(), world.admin.email, "wrong password")
    unknown = log_in(app.test_client(), "nobody@example.test", "wrong password")
    world.other_therapist.active = False
    db.session.commit()
    disabled = log_in(app.test_client(), world.other_therapist.email)
    answers = {
        _answer(response, email)
        for response, email in [
            (locked, world.therapist.email),
            (wrong, world.admin.email),
            (unknown, "nobody@example.test"),
            (disabled, world.other_therapist.email),
        ]
    }
    assert len(answers) == 1
    status, body = answers.pop()
    assert status == 200 and MESSAGE in body

    # Attempts while locked do not extend the lock.
    db.session.refresh(world.therapist)
    assert world.therapist.failed_logins == LOCK_AFTER
    values = db.session.scalars(
        select(AuditEntry.summary_values).where(AuditEntry.action == "login_failed")
    ).all()
    assert any(v.get("locked_seconds") == 60 for v in values)
    assert any(v.get("account_locked") for v in values)


def test_after_the_lock_the_right_password_works_and_resets_the_count(app, world):
    client = app.test_client()
    for _ in range(LOCK_AFTER):
        log_in(client, world.therapist.email, "wrong password")
    world.therapist.locked_until = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    assert log_in(client, world.therapist.email).status_code == 302
    db.session.refresh(world.therapist)
    assert world.therapist.failed_logins == 0
    assert world.therapist.locked_until is None


def test_a_failure_after_the_lock_locks_for_twice_as_long(app, world):
    world.therapist.failed_logins = LOCK_AFTER
    world.therapist.locked_until = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    log_in(app.test_client(), world.therapist.email, "wrong password")
    db.session.refresh(world.therapist)
    remaining = world.therapist.locked_until - utcnow()
    assert dt.timedelta(seconds=110) < remaining <= dt.timedelta(seconds=120)


def test_unknown_and_locked_accounts_cost_one_password_hash(app, world, monkeypatch):
    """Same work either way: the dummy hash runs when there is nothing to check against."""
    calls = []
    real = services.verify_password
    monkeypatch.setattr(services, "verify_password", lambda h, p: calls.append(h) or real(h, p))
    world.therapist.locked_until = utcnow() + dt.timedelta(minutes=5)
    db.session.commit()
    for email in ("nobody@example.test", world.therapist.email, world.admin.email):
        with app.test_request_context():
            services.authenticate(email, "wrong password")
    assert len(calls) == 3
    assert calls[:2] == [None, None] and calls[2] is not None


def test_failed_logins_of_known_accounts_show_in_their_clinics_log(app, client_for, world):
    log_in(app.test_client(), world.therapist.email, "wrong password")
    log_in(app.test_client(), "nobody@example.test", "wrong password")
    html = client_for("admin").get("/audit/?action=login_failed").text
    assert world.therapist.email in html
    assert "nobody@example.test" not in html  # no clinic to show it to
