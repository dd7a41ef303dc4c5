"""Personal access tokens: made on the account page, shown once, stored hashed, scoped,
expiring, revocable, listed with their last use; errors as problem details."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from sqlalchemy import select

from rehab.api.models import ApiToken
from rehab.audit.models import AuditEntry
from rehab.core.db import utcnow
from rehab.extensions import db
from tests.api.conftest import bearer


def _make_on_account_page(client, **fields) -> str:
    page = client.post(
        "/account/api-tokens", data={"name": "PMS link", "scope": "read", "days": "30"} | fields
    )
    assert page.status_code == 200
    found = re.search(r'id="new-token">(rhb_[^<]+)<', page.get_data(as_text=True))
    assert found, "the new token is on the page"
    return found.group(1)


def test_a_token_is_shown_once_stored_hashed_and_acts_as_its_owner(client_for, world):
    client = client_for("therapist")
    secret = _make_on_account_page(client)

    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash != secret and secret not in stored.token_hash
    assert stored.user_id == world.therapist.id and stored.scope == "read"
    listing = client.get("/account/api-tokens").get_data(as_text=True)
    assert secret not in listing, "never shown again"
    assert stored.prefix in listing and "PMS link" in listing
    assert "nooit gebruikt" in listing

    anonymous = client_for("anonymous")
    me = anonymous.get("/api/v1/me", headers=bearer(secret))
    assert me.status_code == 200
    assert me.json["id"] == world.therapist.id and me.json["token_scope"] == "read"
    assert "laatst gebruikt" in client.get("/account/api-tokens").get_data(as_text=True)
    made = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "api_token"))
    assert made.actor_id == world.therapist.id and made.summary_code == "api_token_created"


def test_a_revoked_token_stops_working(client_for, world, token_for):
    secret = token_for(world.patient.user)
    client = client_for("patient")
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/account/api-tokens/{token.id}/revoke").status_code == 302
    answer = client_for("anonymous").get("/api/v1/me", headers=bearer(secret))
    assert answer.status_code == 401
    assert answer.mimetype == "application/problem+json"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.json["status"] == 401 and answer.json["title"] == "Unauthorized"
    assert "Bearer" in answer.json["detail"]


def test_someone_elses_token_cannot_be_revoked(client_for, world, token_for):
    token_for(world.therapist)
    token = db.session.scalar(select(ApiToken))
    assert client_for("admin").post(f"/account/api-tokens/{token.id}/revoke").status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_a_token_expires(client_for, world, token_for):
    secret = token_for(world.therapist, days=7)
    client = client_for("anonymous")
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    with time_machine.travel(utcnow() + dt.timedelta(days=7, minutes=1)):
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_a_deactivated_account_s_tokens_stop_working(client_for, world, token_for):
    secret = token_for(world.therapist)
    world.therapist.active = False
    db.session.commit()
    assert client_for("anonymous").get("/api/v1/me", headers=bearer(secret)).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer rhb_not-a-token", "Basic dXNlcjpwYXNz", "Token abc"]
)
def test_a_malformed_or_unknown_token_is_a_401(client_for, header):
    answer = client_for("anonymous").get("/api/v1/me", headers={"Authorization": header})
    assert answer.status_code == 401
    assert answer.mimetype == "application/problem+json"


def test_a_token_in_the_header_wins_over_the_cookie(client_for, world, token_for):
    secret = token_for(world.patient.user)
    me = client_for("therapist").get("/api/v1/me", headers=bearer(secret))
    assert me.json["id"] == world.patient.user.id and me.json["patient_id"] == world.patient.id


def test_the_token_form_says_what_is_wrong(client_for):
    page = client_for("therapist").post(
        "/account/api-tokens", data={"name": "", "scope": "admin", "days": "9999"}
    )
    assert page.status_code == 422
    assert db.session.scalar(select(ApiToken)) is None


@pytest.mark.app_config(RATELIMIT_ENABLED=True, RATELIMIT_API="3 per minute")
def test_the_api_is_rate_limited_per_token(client_for, world, token_for):
    secret = token_for(world.therapist)
    other = token_for(world.admin)
    client = client_for("anonymous")
    statuses = [client.get("/api/v1/me", headers=bearer(secret)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/me", headers=bearer(secret))
    assert refused.mimetype == "application/problem+json" and refused.json["status"] == 429
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200


def test_an_unknown_api_path_is_a_problem_not_a_page(client_for):
    answer = client_for("therapist").get("/api/v1/nothing-here")
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
    assert answer.json["instance"] == "/api/v1/nothing-here"
