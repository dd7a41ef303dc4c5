"""Two-step verification (TOTP, RFC 6238): enrolment, the second log-in step, single-use
codes, recovery codes, and the lost-phone reset."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.auth import two_factor
from rehab.auth.models import RecoveryCode, UserSession
from rehab.auth.services import PENDING_KEY
from rehab.extensions import db
from tests.auth.factories import code, enrol, log_in, verify
from tests.factories import login_as


def audit(code: str, **values) -> list[AuditEntry]:
    """The entries with this summary code (and these among their values)."""
    db.session.expire_all()
    return [
        e
        for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        if e.summary_code == code and values.items() <= (e.summary_values or {}).items()
    ]


@pytest.fixture
def strict_clinic(world):
    world.clinic.require_staff_2fa = True
    db.session.commit()
    return world.clinic


def test_staff_without_two_factor_must_enrol_before_anything_else(client, world, strict_clinic):
    response = log_in(client, world.therapist.email)
    assert response.headers["Location"] == "/account/two-factor"
    for path in ("/patients/", f"/patients/{world.patient.id}", "/admin/staff", "/account"):
        blocked = client.get(path)
        assert blocked.status_code == 302
        assert blocked.headers["Location"] == "/account/two-factor", path

    page = client.get("/account/two-factor")
    assert page.status_code == 200
    assert "Je praktijk vereist dit" in page.text
    assert 'src="data:image/svg+xml' in page.text  # the QR code is made locally
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page.text).group(1)
    secret = secret.replace(" ", "")
    assert len(secret) == 32

    wrong = client.post("/account/two-factor", data={"code": "000000"})
    assert wrong.status_code == 200
    assert "Deze code klopt niet" in wrong.text

    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li class=\"col\">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</li>", done.text)
    assert len(codes) == len(set(codes)) == 10
    assert client.get("/patients/").status_code == 200

    db.session.refresh(world.therapist)
    assert world.therapist.has_two_factor
    assert secret not in world.therapist.totp_secret_encrypted  # encrypted at rest
    assert two_factor.user_secret(world.therapist) == secret
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(stored) & {c.replace("-", "") for c in codes}
    assert audit("two_factor_enabled")


def test_the_confirmation_code_cannot_also_log_in(client, world, strict_clinic):
    log_in(client, world.therapist.email)
    page = client.get("/account/two-factor").text
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    used = pyotp.TOTP(secret).now()
    client.post("/account/two-factor", data={"code": used})
    other = client.application.test_client()
    log_in(other, world.therapist.email)
    assert verify(other, used).status_code == 200


def test_enrolled_user_passes_a_second_step_before_being_logged_in(client, world):
    secret, _ = enrol(world.therapist)
    response = log_in(client, world.therapist.email, query_string={"next": "/patients/new"})
    assert response.headers["Location"] == "/login/verify"
    assert client.get("/patients/").status_code == 302  # not logged in yet
    assert db.session.scalar(select(UserSession)) is None

    page = client.get("/login/verify")
    assert "Tweestapsverificatie" in page.text
    wrong = verify(client, "123456")
    assert wrong.status_code == 200
    assert "Deze code klopt niet of is al gebruikt." in wrong.text

    ok = verify(client, code(secret))
    assert ok.headers["Location"] == "/patients/new"
    assert client.get("/patients/").status_code == 200
    login = db.session.scalar(select(UserSession))
    assert login.second_factor == "totp"


def test_a_code_works_once(app, world):
    secret, _ = enrol(world.therapist)
    first, second = app.test_client(), app.test_client()
    now = code(secret)
    log_in(first, world.therapist.email)
    assert verify(first, now).status_code == 302
    log_in(second, world.therapist.email)
    replay = verify(second, now)
    assert replay.status_code == 200
    assert second.get("/patients/").status_code == 302
    # The next time step's code is fine.
    assert verify(second, code(secret, steps_ahead=1)).status_code == 302


def test_an_older_code_is_refused_after_a_newer_one(app, world):
    secret, _ = enrol(world.therapist)
    client = app.test_client()
    log_in(client, world.therapist.email)
    assert verify(client, code(secret, steps_ahead=1)).status_code == 302
    other = app.test_client()
    log_in(other, world.therapist.email)
    assert verify(other, code(secret)).status_code == 200


def test_recovery_code_works_once(app, world):
    _, codes = enrol(world.patient.user)
    first = app.test_client()
    log_in(first, world.patient.user.email)
    response = verify(first, codes[3].lower().replace("-", " "), follow_redirects=True)
    assert response.request.path == "/training/today"
    assert "herstelcode gebruikt" in response.text
    assert db.session.scalar(select(UserSession)).second_factor == "recovery"
    assert audit("recovery_code_used", left=9)

    second = app.test_client()
    log_in(second, world.patient.user.email)
    assert verify(second, codes[3]).status_code == 200
    assert verify(second, codes[4]).status_code == 302


def test_wrong_codes_lock_the_account(app, world):
    enrol(world.therapist)
    client = app.test_client()
    log_in(client, world.therapist.email)
    for _ in range(5):
        assert verify(client, "000000").status_code == 200
    db.session.refresh(world.therapist)
    assert world.therapist.locked_until is not None
    response = verify(client, "000000")
    assert response.headers["Location"] == "/login"
    # While locked even the right password gets the usual answer.
    again = log_in(app.test_client(), world.therapist.email)
    assert again.status_code == 200
    failed = audit("login_failed", step="second step")
    assert len(failed) == 5


@pytest.mark.app_config(RATELIMIT_ENABLED=True, RATELIMIT_SECOND_STEP="3 per minute")
def test_the_second_step_is_rate_limited(client, world):
    enrol(world.therapist)
    log_in(client, world.therapist.email)
    statuses = [verify(client, "000000").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_second_step_expires(client, world):
    secret, _ = enrol(world.therapist)
    log_in(client, world.therapist.email)
    with client.session_transaction() as session:
        session[PENDING_KEY] = {**session[PENDING_KEY], "at": session[PENDING_KEY]["at"] - 301}
    response = verify(client, code(secret))
    assert response.headers["Location"] == "/login"
    assert client.get("/patients/").status_code == 302


def test_a_reset_link_does_not_skip_the_second_step(app, client, world):
    from rehab.auth.links import issue_token
    from rehab.auth.models import TokenPurpose

    enrol(world.therapist)
    token = issue_token(world.therapist, TokenPurpose.RESET, actor=world.admin)
    db.session.commit()
    response = client.post(
        f"/activate/{token}",
        data={
            "new_password": "een nieuwe zin als wachtwoord",
            "confirm_password": "een nieuwe zin als wachtwoord",
        },
    )
    assert response.headers["Location"] == "/login/verify"
    assert client.get("/patients/").status_code == 302


def test_admin_resets_a_lost_phone_and_the_user_enrols_again(app, world, client_for, strict_clinic):
    enrol(world.therapist)
    therapist = client_for("therapist")
    assert therapist.get("/patients/").status_code == 200
    staff_page = client_for("admin").get("/admin/staff").text
    assert f"/admin/users/{world.therapist.id}/two-factor/reset" in staff_page

    assert (
        client_for("admin").post(f"/admin/users/{world.therapist.id}/two-factor/reset").status_code
        == 302
    )
    db.session.refresh(world.therapist)
    assert not world.therapist.has_two_factor
    assert db.session.scalar(select(RecoveryCode)) is None
    assert therapist.get("/patients/").status_code == 302  # their sessions ended
    [entry] = audit("two_factor_reset_by_admin")
    assert entry.actor_id == world.admin.id and entry.object_id == world.therapist.id

    again = log_in(app.test_client(), world.therapist.email)
    assert again.headers["Location"] == "/account/two-factor"


def test_admin_cannot_reset_another_clinics_user(client_for, world):
    enrol(world.other_therapist)
    response = client_for("admin").post(f"/admin/users/{world.other_therapist.id}/two-factor/reset")
    assert response.status_code == 404
    db.session.refresh(world.other_therapist)
    assert world.other_therapist.has_two_factor


def test_patient_may_opt_in_and_then_logs_in_with_a_code(app, world):
    patient = login_as(app.test_client(), world.patient.user)
    account = patient.get("/account").text
    assert "Tweestapsverificatie instellen" in account
    page = patient.get("/account/two-factor").text
    assert "Je praktijk vereist dit" not in page
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert (
        patient.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()}).status_code
        == 200
    )

    fresh = app.test_client()
    assert log_in(fresh, world.patient.user.email).headers["Location"] == "/login/verify"
    assert verify(fresh, code(secret, steps_ahead=1)).headers["Location"] == "/training/today"


def test_patient_may_switch_it_off_but_required_staff_may_not(client_for, world, strict_clinic):
    enrol(world.patient.user)
    enrol(world.therapist)
    assert client_for("patient").post("/account/two-factor/disable").status_code == 302
    db.session.refresh(world.patient.user)
    assert not world.patient.user.has_two_factor
    client_for("therapist").post("/account/two-factor/disable")
    db.session.refresh(world.therapist)
    assert world.therapist.has_two_factor


def test_new_recovery_codes_need_a_recent_log_in_and_replace_the_old(app, client_for, world):
    secret, old_codes = enrol(world.therapist)
    client = client_for("therapist")
    with client.session_transaction() as session:
        session["auth_at"] -= app.config["REHAB_REAUTH_SECONDS"] + 1
    response = client.post("/account/two-factor/recovery-codes")
    assert response.headers["Location"].startswith("/account/confirm")

    refused = client.post(
        "/account/confirm", data={"password": "correct horse battery staple", "code": "000000"}
    )
    assert refused.status_code == 200
    confirmed = client.post(
        "/account/confirm?next=/account",
        data={"password": "correct horse battery staple", "code": code(secret)},
    )
    assert confirmed.headers["Location"] == "/account"
    page = client.post("/account/two-factor/recovery-codes")
    new_codes = re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", page.text)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    other = app.test_client()
    log_in(other, world.therapist.email)
    assert verify(other, old_codes[0]).status_code == 200
    assert verify(other, new_codes[0]).status_code == 302


def test_a_changed_secret_key_leaves_the_user_able_to_recover(app, world):
    _, codes = enrol(world.therapist)
    app.config["SECRET_KEY"] = "another key entirely"
    assert two_factor.user_secret(world.therapist) is None
    client = app.test_client()
    log_in(client, world.therapist.email)
    assert verify(client, codes[0]).status_code == 302


def test_codes_outside_the_drift_window_are_refused():
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = 1_800_000_000
    step = totp.timecode(now)
    assert two_factor.matching_step(secret, totp.at(now), after=None, now=now) == step
    assert two_factor.matching_step(secret, totp.at(now - 30), after=None, now=now) == step - 1
    assert two_factor.matching_step(secret, totp.at(now + 30), after=None, now=now) == step + 1
    assert two_factor.matching_step(secret, totp.at(now - 90), after=None, now=now) is None
    assert two_factor.matching_step(secret, totp.at(now), after=step, now=now) is None
    for junk in ("", "12345", "1234567", "abcdef", "12 34 5x", "１２３４５６"):
        assert two_factor.matching_step(secret, junk, after=None, now=now) is None


def test_admin_resets_a_patients_lost_phone_from_the_patient_page(client_for, world):
    enrol(world.patient.user)
    url = f"/admin/users/{world.patient.user_id}/two-factor/reset"
    assert url in client_for("admin").get(f"/patients/{world.patient.id}").text
    assert url not in client_for("therapist").get(f"/patients/{world.patient.id}").text
    response = client_for("admin").post(url)
    assert response.headers["Location"] == "/patients/"
    db.session.refresh(world.patient.user)
    assert not world.patient.user.has_two_factor
