"""Creating through the API: the same rules and messages as the pages, one transaction,
the session's submission key as the idempotency key, CSRF only for cookie requests."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import func, select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.programmes.models import Suggestion
from rehab.training.models import CheckIn, TrainingSession
from tests.api.conftest import bearer
from tests.factories import DaysFromToday, on_the_day
from tests.role_matrix.training import extend_world as training_world
from tests.training.factories import make_plan, today


def _session_body(plan, **overrides) -> dict:
    return {
        "submission_key": secrets.token_urlsafe(24),
        "session_date": today().isoformat(),
        "duration_minutes": 35,
        "session_rpe": 6,
        "pain_after": 2,
        "exercises": [
            {"prescription_id": plan["squat"].id, "sets": 3, "reps": 10, "pain_during": 2}
        ],
    } | overrides


@pytest.fixture
def plan(world):
    made = make_plan(world.patient)
    db.session.commit()
    return made


def test_a_session_is_stored_once_per_submission_key(app, world, plan, token_for):
    client = app.test_client()
    headers = bearer(token_for(world.patient.user, write=True))
    url = f"/api/v1/patients/{world.patient.id}/sessions"
    body = _session_body(plan)
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 201
    assert first.json["exercises"][0]["reps_done"] == 10
    again = client.post(url, json=body, headers=headers)
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 1
    created = db.session.scalar(
        select(AuditEntry).where(AuditEntry.object_type == "training_session")
    )
    assert created.action == "create" and created.actor_id == world.patient.user.id


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"session_date": DaysFromToday(1)}, "session_date",
         "toekomst"),
        ({"exercises": [{"prescription_id": 999999, "as_prescribed": True}]}, "exercises",
         "niet in je programma"),
        ({"session_rpe": 11}, "session_rpe", "0 tot 10"),
    ],
)  # fmt: skip
def test_a_refused_session_says_why_per_field(app, world, plan, token_for, change, field, words):
    answer = app.test_client().post(
        f"/api/v1/patients/{world.patient.id}/sessions",
        json=_session_body(plan, **on_the_day(change)),
        headers=bearer(token_for(world.patient.user, write=True)),
    )
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert any(words in message for message in answer.json["errors"][field]), answer.json
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 0


def test_a_read_only_token_may_not_write(app, world, plan, token_for):
    answer = app.test_client().post(
        f"/api/v1/patients/{world.patient.id}/sessions",
        json=_session_body(plan),
        headers=bearer(token_for(world.patient.user)),
    )
    assert answer.status_code == 403 and "alleen lezen" in answer.json["detail"]


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_csrf_applies_to_the_cookie_not_to_the_token(app, world, plan, client_for, token_for):
    url = f"/api/v1/patients/{world.patient.id}/sessions"
    by_cookie = client_for("patient").post(url, json=_session_body(plan))
    assert by_cookie.status_code == 400 and by_cookie.mimetype == "application/problem+json"
    by_token = app.test_client().post(
        url, json=_session_body(plan), headers=bearer(token_for(world.patient.user, write=True))
    )
    assert by_token.status_code == 201


def test_a_check_in_per_day(app, world, plan, token_for):
    client = app.test_client()
    headers = bearer(token_for(world.patient.user, write=True))
    url = f"/api/v1/patients/{world.patient.id}/check-ins"
    body = {
        "check_date": today().isoformat(),
        "morning_pain": 3,
        "stiffness_minutes": 10,
        "sleep_quality": "fair",
        "worse_than_yesterday": False,
    }
    assert client.post(url, json=body, headers=headers).status_code == 201
    second = client.post(url, json=body | {"morning_pain": 4}, headers=headers)
    assert second.status_code == 200 and second.json["morning_pain"] == 4
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1


def test_a_therapist_creates_a_patient_in_their_clinic(app, world, token_for):
    client = app.test_client()
    headers = bearer(token_for(world.therapist, write=True))
    body = {"first_name": "Nina", "last_name": "Nieuw", "email": "nina@example.org"}
    made = client.post("/api/v1/patients", json=body, headers=headers)
    assert made.status_code == 201
    assert made.json["therapist"]["id"] == world.therapist.id
    assert made.json["preferred_language"] == "nl"
    taken = client.post("/api/v1/patients", json=body, headers=headers)
    assert taken.status_code == 422 and "e-mailadres" in taken.json["errors"]["email"][0]
    foreign = client.post(
        "/api/v1/patients",
        json=body | {"email": "x@example.org", "therapist_id": world.other_therapist.id},
        headers=headers,
    )
    assert foreign.status_code == 422 and "therapist_id" in foreign.json["errors"]


def test_a_suggestion_is_decided_once(app, world, token_for):
    training_world(world)
    client = app.test_client()
    url = f"/api/v1/patients/{world.patient.id}/suggestions/{world.suggestion.id}/decision"
    headers = bearer(token_for(world.therapist, write=True))
    accepted = client.post(url, json={"decision": "accept", "note": "goed"}, headers=headers)
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    assert accepted.json["decided_by_id"] == world.therapist.id
    again = client.post(url, json={"decision": "dismiss"}, headers=headers)
    assert again.status_code == 409 and "al besloten" in again.json["detail"]
    assert db.session.get(Suggestion, world.suggestion.id).status == "accepted"


def test_a_wrong_type_is_explained_in_the_users_language(app, world, plan, token_for):
    answer = app.test_client().post(
        f"/api/v1/patients/{world.patient.id}/sessions",
        json=_session_body(plan, session_rpe="veel", extra="x") | {"duration_minutes": None},
        headers=bearer(token_for(world.patient.user, write=True)),
    )
    assert answer.status_code == 422
    assert answer.json["errors"] == {
        "session_rpe": ["Geef een heel getal."],
        "extra": ["Dit veld hoort niet bij het verzoek."],
        "duration_minutes": ["Deze waarde mag niet leeg (null) zijn."],
    }
