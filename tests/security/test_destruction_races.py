"""The destruction workflow raced by parallel requests: one request, one decision, one
destruction; the others are told, nobody gets a 500, and the access log agrees.

Eight clients, each with its own login and database connection; every request waits after
loading what it acts on until all eight have loaded it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.privacy import services
from rehab.privacy.models import DestructionRequest
from tests.factories import login_as
from tests.races import PARALLEL, hold_after, no_server_errors, race
from tests.security.factories import make_clinical_history

NO_LONGER_OPEN = "Dit verzoek staat niet meer open."
DESTROYED = (
    "Het dossier is vernietigd. Het account is geblokkeerd; het toegangslogboek blijft bewaard."
)
CANCELLED = "Het verzoek tot vernietiging is ingetrokken."


def _entries(**where) -> list[AuditEntry]:
    stmt = select(AuditEntry)
    for column, value in where.items():
        stmt = stmt.where(getattr(AuditEntry, column) == value)
    return list(db.session.scalars(stmt))


@pytest.fixture
def pending(world) -> DestructionRequest:
    make_clinical_history(world.patient, tag="MINE")
    request = DestructionRequest(
        clinic_id=world.clinic.id,
        patient_id=world.patient.id,
        reason="Schriftelijk verzoek van de patiënt",
        requested_by_id=world.therapist.id,
    )
    db.session.add(request)
    db.session.commit()
    return request


def test_parallel_requests_make_one_pending_request(app, world, monkeypatch):
    make_clinical_history(world.patient, tag="MINE")
    db.session.commit()
    clients = [login_as(app.test_client(), world.therapist) for _ in range(PARALLEL)]
    hold_after(monkeypatch, services, "pending_request")
    url = f"/patients/{world.patient.id}/destruction"

    outcomes = race(clients, lambda client, i: client.post(url, data={"reason": f"verzoek {i}"}))

    no_server_errors(outcomes)
    messages = sorted(m for o in outcomes for m in o.messages)
    assert (
        messages.count(
            "Vernietiging aangevraagd. Een andere therapeut of beheerder moet dit bevestigen."
        )
        == 1
    )
    assert messages.count("Voor deze patiënt wacht al een verzoek op bevestiging.") == PARALLEL - 1
    requests = db.session.scalars(select(DestructionRequest)).all()
    assert [r.status for r in requests] == ["pending"]
    assert len(_entries(object_type="destruction_request", action="create")) == 1


def test_parallel_confirmations_destroy_once(app, world, pending, monkeypatch):
    clients = [login_as(app.test_client(), world.admin) for _ in range(PARALLEL)]
    hold_after(monkeypatch, services, "request_for")
    patient_id = world.patient.id
    url = f"/patients/{patient_id}/destruction/{pending.id}/confirm"

    outcomes = race(clients, lambda client, _i: client.post(url))

    no_server_errors(outcomes)
    assert {o.status for o in outcomes} == {302}
    assert {o.location for o in outcomes} == {"/patients/"}
    messages = sorted(m for o in outcomes for m in o.messages)
    assert messages == sorted([DESTROYED] + [NO_LONGER_OPEN] * (PARALLEL - 1))
    db.session.expire_all()
    assert db.session.get(Patient, patient_id) is None
    request = db.session.get(DestructionRequest, pending.id)
    assert (request.status, request.confirmed_by_id) == ("completed", world.admin.id)
    assert len(_entries(object_type="patient_record", action="delete")) == 1


def test_confirm_and_cancel_at_once_end_in_one_decision(app, world, pending, monkeypatch):
    clients = [
        login_as(app.test_client(), world.admin if i % 2 else world.therapist)
        for i in range(PARALLEL)
    ]
    hold_after(monkeypatch, services, "request_for")
    patient_id = world.patient.id
    base = f"/patients/{patient_id}/destruction/{pending.id}"

    outcomes = race(
        clients, lambda client, i: client.post(f"{base}/confirm" if i % 2 else f"{base}/cancel")
    )

    no_server_errors(outcomes)
    messages = [m for o in outcomes for m in o.messages]
    assert messages.count(NO_LONGER_OPEN) == PARALLEL - 1
    db.session.expire_all()
    request = db.session.get(DestructionRequest, pending.id)
    destroyed = _entries(object_type="patient_record", action="delete")
    cancelled = _entries(object_type="destruction_request", action="update")
    if request.status == "completed":
        assert DESTROYED in messages and CANCELLED not in messages
        assert db.session.get(Patient, patient_id) is None
        assert (len(destroyed), len(cancelled)) == (1, 0)
        assert request.cancelled_by_id is None
    else:
        assert request.status == "cancelled"
        assert CANCELLED in messages and DESTROYED not in messages
        assert db.session.get(Patient, patient_id) is not None
        assert (len(destroyed), len(cancelled)) == (0, 1)
        assert request.confirmed_by_id is None
