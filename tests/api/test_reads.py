"""Reading through the API: the patient's data, stable cursors, ETags, the access log, and
a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.audit.services import Action
from rehab.extensions import db
from tests.api.conftest import bearer
from tests.training.factories import check_in, log_session, make_plan, today


def _sessions(patient, days: int, plan=None):
    plan = plan or make_plan(patient)
    made = [
        log_session(
            patient,
            today() - dt.timedelta(days=n),
            exercises=[(plan["squat"], {"sets_done": 3, "reps_done": 10, "pain_during": 2})],
        )
        for n in range(days)
    ]
    db.session.commit()
    return plan, made


def _walk(client, url: str, headers: dict, limit: int) -> list[dict]:
    items, cursor = [], None
    while True:
        page = client.get(url, query_string={"limit": limit, "cursor": cursor} if cursor else
                          {"limit": limit}, headers=headers)  # fmt: skip
        assert page.status_code == 200
        items += page.json["items"]
        cursor = page.json["next_cursor"]
        if cursor is None:
            return items


def test_sessions_come_newest_first_in_stable_pages(app, world, token_for):
    _plan, made = _sessions(world.patient, 5)
    headers = bearer(token_for(world.therapist))
    client = app.test_client()
    url = f"/api/v1/patients/{world.patient.id}/sessions"

    first = client.get(url, query_string={"limit": 2}, headers=headers).json
    assert [s["session_date"] for s in first["items"]] == [
        today().isoformat(),
        (today() - dt.timedelta(days=1)).isoformat(),
    ]
    assert first["items"][0]["exercises"][0]["pain_during"] == 2
    # A session logged meanwhile (today, newer) does not shift the next page.
    log_session(world.patient, today())
    db.session.commit()
    second = client.get(
        url, query_string={"limit": 2, "cursor": first["next_cursor"]}, headers=headers
    ).json
    assert [s["id"] for s in second["items"]] == [made[2].id, made[3].id]

    everything = _walk(client, url, headers, limit=2)
    assert len(everything) == 6 and len({s["id"] for s in everything}) == 6


def test_a_bad_cursor_is_a_400_problem(app, world, token_for):
    answer = app.test_client().get(
        f"/api/v1/patients/{world.patient.id}/sessions",
        query_string={"cursor": "bm90LWpzb24"},
        headers=bearer(token_for(world.therapist)),
    )
    assert answer.status_code == 400 and answer.mimetype == "application/problem+json"
    assert "cursor" in answer.json["detail"]


def test_an_unchanged_read_is_a_304(app, world, token_for):
    _sessions(world.patient, 2)
    headers = bearer(token_for(world.patient.user))
    client = app.test_client()
    url = f"/api/v1/patients/{world.patient.id}/sessions"
    first = client.get(url, headers=headers)
    etag = first.headers["ETag"]
    again = client.get(url, headers=headers | {"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    check_in(world.patient, today())  # another table: the sessions are unchanged
    log_session(world.patient, today())
    db.session.commit()
    changed = client.get(url, headers=headers | {"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_every_read_is_in_the_access_log_and_a_foreign_try_in_the_records_clinic(
    app, world, token_for
):
    _sessions(world.patient, 1)
    client = app.test_client()
    url = f"/api/v1/patients/{world.patient.id}/sessions"
    assert client.get(url, headers=bearer(token_for(world.therapist))).status_code == 200
    assert client.get(url, headers=bearer(token_for(world.other_therapist))).status_code == 404

    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.patient_id == world.patient.id)
    )
    seen = {(e.actor_id, e.action, e.object_type, e.clinic_id, e.summary_code) for e in entries}
    assert (
        world.therapist.id,
        Action.VIEW,
        "training_session",
        world.clinic.id,
        "read_through_api",
    ) in seen
    assert (
        world.other_therapist.id,
        Action.ACCESS_DENIED,
        "training_session",
        world.clinic.id,
        "read_through_api",
    ) in seen
    assert not any(clinic == world.other_clinic.id for *_rest, clinic, _s in seen)


def test_the_caseload_lists_the_clinic_and_logs_each_record_read(app, world, token_for):
    answer = app.test_client().get(
        "/api/v1/patients", query_string={"status": "all"}, headers=bearer(token_for(world.admin))
    )
    names = {p["first_name"] for p in answer.json["items"]}
    assert names == {"Sanne", "Tom"}, "never clinic B's Vera"
    logged = set(
        db.session.scalars(
            select(AuditEntry.patient_id).where(
                AuditEntry.actor_id == world.admin.id, AuditEntry.object_type == "patient"
            )
        )
    )
    assert logged == {world.patient.id, world.other_patient.id}


def test_the_programme_has_its_phases_and_prescriptions(app, world, token_for):
    plan = make_plan(world.patient)
    db.session.commit()
    programme = (
        app.test_client()
        .get(
            f"/api/v1/patients/{world.patient.id}/programme",
            headers=bearer(token_for(world.patient.user)),
        )
        .json
    )
    prescriptions = programme["phases"][0]["prescriptions"]
    squat = next(p for p in prescriptions if p["id"] == plan["squat"].id)
    assert squat["load_kg"] == 20.0 and squat["sets"] == 3 and squat["exercise_name"]
    assert programme["current_phase_id"] == programme["phases"][0]["id"]


def test_a_page_of_sessions_takes_the_same_queries_however_long_the_history(
    app, world, token_for, count_queries
):
    plan, _made = _sessions(world.patient, 3)
    headers = bearer(token_for(world.therapist))
    client = app.test_client()
    url = f"/api/v1/patients/{world.patient.id}/sessions?limit=50"
    client.get(url, headers=headers)  # the token's "last used" is written once a minute
    with count_queries() as few:
        client.get(url, headers=headers)
    _sessions(world.patient, 20, plan=plan)
    with count_queries() as many:
        client.get(url, headers=headers)
    assert many.count == few.count
