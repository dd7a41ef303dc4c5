"""Destruction of a record on the patient's request (WGBO art. 7:455), by two people."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.auth.models import User
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.privacy.models import DestructionRequest
from tests.auth.factories import log_in
from tests.security.factories import make_clinical_history


def _count(table_name: str, **where) -> int:
    table = db.metadata.tables[table_name]
    stmt = select(sa.func.count()).select_from(table)
    for column, value in where.items():
        stmt = stmt.where(table.c[column] == value)
    return db.session.scalar(stmt)


def _ask(client, patient, reason="Schriftelijk verzoek van de patiënt, 3 maart"):
    return client.post(f"/patients/{patient.id}/destruction", data={"reason": reason})


def test_two_staff_members_destroy_a_record_and_the_log_stays(app, client_for, world):
    make_clinical_history(world.patient, tag="MINE")
    make_clinical_history(world.other_patient, tag="THEIRS")
    patient_id, account_id = world.patient.id, world.patient.user_id
    others_before = {
        name: _count(name, patient_id=world.other_patient.id)
        for name in ("programmes", "training_sessions", "check_ins", "alerts", "suggestions")
    }
    therapist, admin = client_for("therapist"), client_for("admin")
    patient_client = client_for("patient")

    assert _ask(therapist, world.patient).status_code == 302
    request = db.session.scalar(select(DestructionRequest))
    assert request.status == "pending" and request.requested_by_id == world.therapist.id
    page = therapist.get(f"/patients/{patient_id}/destruction").text
    assert "Een collega (een andere therapeut of beheerder) moet dit bevestigen." in page

    # The one who asked cannot confirm.
    refused = therapist.post(
        f"/patients/{patient_id}/destruction/{request.id}/confirm", follow_redirects=True
    )
    assert "een collega moet het bevestigen" in refused.text
    assert _count("patients", id=patient_id) == 1

    done = admin.post(f"/patients/{patient_id}/destruction/{request.id}/confirm")
    assert done.headers["Location"] == "/patients/"
    db.session.expire_all()
    assert db.session.get(Patient, patient_id) is None
    for name in ("programmes", "training_sessions", "check_ins", "alerts", "suggestions"):
        assert _count(name, patient_id=patient_id) == 0, name
        assert _count(name, patient_id=world.other_patient.id) == others_before[name], name
    assert _count("phases") == 2 and _count("exercise_logs") == 3  # the other patient's

    account = db.session.get(User, account_id)
    assert not account.active and account.password_hash is None
    assert account.email == f"destroyed-{account_id}@invalid" and account.full_name == "—"
    assert patient_client.get("/training/today").status_code == 302  # logged out at once
    assert log_in(app.test_client(), f"destroyed-{account_id}@invalid").status_code == 200

    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.patient_id == patient_id)
    ).all()
    actions = [(e.action, e.object_type) for e in entries]
    assert ("create", "destruction_request") in actions
    assert ("delete", "patient_record") in actions
    assert ("view", "patient") in actions  # what was there before stays
    destroyed = next(e for e in entries if e.action == "delete")
    assert destroyed.actor_id == world.admin.id and destroyed.summary_code == "record_destroyed"
    request = db.session.get(DestructionRequest, request.id)
    assert request.status == "completed" and request.confirmed_by_id == world.admin.id
    assert therapist.get(f"/patients/{patient_id}").status_code == 404


def test_a_request_can_be_cancelled(client_for, world):
    therapist = client_for("therapist")
    _ask(therapist, world.patient)
    request = db.session.scalar(select(DestructionRequest))
    assert (
        therapist.post(f"/patients/{world.patient.id}/destruction/{request.id}/cancel").status_code
        == 302
    )
    db.session.refresh(request)
    assert request.status == "cancelled" and request.cancelled_by_id == world.therapist.id
    client_for("admin").post(f"/patients/{world.patient.id}/destruction/{request.id}/confirm")
    assert db.session.get(Patient, world.patient.id) is not None
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.summary_code == "destruction_cancelled")
    )
    assert entry.patient_id == world.patient.id


def test_one_open_request_per_patient(client_for, world):
    _ask(client_for("therapist"), world.patient)
    response = _ask(client_for("admin"), world.patient)
    assert response.status_code == 302
    assert db.session.scalar(select(sa.func.count(DestructionRequest.id))) == 1


def test_a_reason_is_required(client_for, world):
    response = _ask(client_for("therapist"), world.patient, reason="  ")
    assert response.status_code == 200 and "is-invalid" in response.text
    assert db.session.scalar(select(DestructionRequest)) is None


def test_another_clinic_can_neither_ask_nor_confirm(client_for, world):
    assert _ask(client_for("other_therapist"), world.patient).status_code == 404
    _ask(client_for("therapist"), world.patient)
    request = db.session.scalar(select(DestructionRequest))
    url = f"/patients/{world.patient.id}/destruction/{request.id}/confirm"
    assert client_for("other_therapist").post(url).status_code == 404
    # A request id under another patient's number is not found either.
    wrong = f"/patients/{world.other_patient.id}/destruction/{request.id}/confirm"
    assert client_for("admin").post(wrong).status_code == 404
    assert db.session.get(Patient, world.patient.id) is not None


def test_the_database_refuses_a_self_confirmed_request(world):
    request = DestructionRequest(
        clinic_id=world.clinic.id, patient_id=world.patient.id, reason="x",
        requested_by_id=world.therapist.id, confirmed_by_id=world.therapist.id,
    )  # fmt: skip
    db.session.add(request)
    try:
        db.session.flush()
        raise AssertionError("the four-eyes constraint did not hold")
    except sa.exc.IntegrityError:
        db.session.rollback()


def test_the_patient_page_offers_export_and_destruction(client_for, world):
    html = client_for("therapist").get(f"/patients/{world.patient.id}").text
    assert f"/patients/{world.patient.id}/export" in html
    assert f"/patients/{world.patient.id}/destruction" in html
