"""Account changes raced by parallel requests: one wins, the others are told, no 500, and
the access log holds one entry. Eight clients, each with its own login and connection."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from rehab.audit.models import AuditEntry
from rehab.auth import links, views
from rehab.auth.models import TokenPurpose, User
from rehab.auth.passwords import verify_password
from rehab.extensions import db
from tests.factories import login_as, make_patient
from tests.races import PARALLEL, hold_after, no_server_errors, race


def _account_entries(user_id: int, code: str, **values) -> list[AuditEntry]:
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.object_type == "user",
            AuditEntry.object_id == user_id,
            AuditEntry.summary_code == code,
        )
    )
    return [e for e in entries if values.items() <= (e.summary_values or {}).items()]


def test_one_link_sent_eight_times_at_once_sets_one_password(app, world, monkeypatch):
    patient = make_patient(world.clinic, world.therapist, password=None)
    token = links.issue_token(patient.user, TokenPurpose.ACTIVATION, actor=world.therapist)
    db.session.commit()
    user_id = patient.user_id
    hold_after(monkeypatch, links, "check_token")
    passwords = [f"fietsen langs de Amstel nummer {i}" for i in range(PARALLEL)]
    clients = [app.test_client() for _ in range(PARALLEL)]

    outcomes = race(
        clients,
        lambda client, i: client.post(
            f"/activate/{token}",
            data={"new_password": passwords[i], "confirm_password": passwords[i]},
        ),
    )

    no_server_errors(outcomes)
    winners = [i for i, o in enumerate(outcomes) if o.status == 302]
    assert len(winners) == 1
    assert all(
        o.status == 410 and "Deze link is al gebruikt" in o.text
        for o in outcomes
        if o.status != 302
    )
    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert verify_password(user.password_hash, passwords[winners[0]])
    assert len(_account_entries(user_id, "password_set_by_link", purpose="activation")) == 1


def test_two_admins_disabling_at_once_leave_the_account_disabled(app, world, monkeypatch):
    clients = [login_as(app.test_client(), world.admin) for _ in range(PARALLEL)]
    hold_after(monkeypatch, views, "_clinic_user_or_404")
    url = f"/admin/users/{world.therapist.id}/active"

    outcomes = race(clients, lambda client, _i: client.post(url))

    no_server_errors(outcomes)
    messages = sorted(m for o in outcomes for m in o.messages)
    assert messages == sorted(
        ["Account uitgeschakeld; alle sessies ervan zijn beëindigd."]
        + ["Dit account was al uitgeschakeld."] * (PARALLEL - 1)
    )
    db.session.expire_all()
    assert db.session.get(User, world.therapist.id).active is False
    assert len(_account_entries(world.therapist.id, "account_disabled")) == 1
    assert _account_entries(world.therapist.id, "account_enabled") == []


def test_two_tabs_confirming_two_step_verification_at_once_switch_it_on_once(
    app, world, monkeypatch
):
    import pyotp

    from rehab.auth.models import RecoveryCode
    from rehab.core.crypto import decrypt

    first = login_as(app.test_client(), world.therapist)
    first.get("/account/two-factor")  # the secret to enrol waits in the session
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    cookie = first.get_cookie(cookie_name).value
    stored = app.session_interface.get_signing_serializer(app).loads(cookie)[views._ENROL_KEY]
    code = pyotp.TOTP(decrypt(stored, purpose="totp-enrolment")).now()
    tabs = []
    for _ in range(PARALLEL):
        tab = app.test_client()
        tab.set_cookie(cookie_name, cookie)
        tabs.append(tab)
    hold_after(monkeypatch, views, "_enrolment_secret")

    outcomes = race(tabs, lambda tab, _i: tab.post("/account/two-factor", data={"code": code}))

    no_server_errors(outcomes)
    shown = [o for o in outcomes if o.status == 200 and "Herstelcodes" in o.text]
    assert len(shown) == 1
    others = [o for o in outcomes if o not in shown]
    assert all(o.messages == ["Tweestapsverificatie staat al aan."] for o in others)
    codes = re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", shown[0].text)
    assert len(codes) == 10
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count(RecoveryCode.id)).where(RecoveryCode.user_id == world.therapist.id)
        )
        == 10
    )
    assert len(_account_entries(world.therapist.id, "two_factor_enabled")) == 1
