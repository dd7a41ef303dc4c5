"""The access log records reads, changes and refusals, and cannot be altered."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.audit.services import record
from rehab.extensions import db


def entries(**where):
    stmt = select(AuditEntry).order_by(AuditEntry.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEntry, key) == value)
    db.session.expire_all()
    return db.session.scalars(stmt).all()


def test_viewing_a_patient_record_is_logged_with_who_what_when_where(client_for, world):
    client_for("therapist").get(f"/patients/{world.patient.id}")
    [entry] = entries(action="view", patient_id=world.patient.id)
    assert entry.actor_id == world.therapist.id
    assert entry.actor_name == world.therapist.full_name
    assert entry.clinic_id == world.clinic.id
    assert entry.object_type == "patient"
    assert entry.ip_address == "127.0.0.1"
    assert entry.at.tzinfo is not None


def test_a_refused_look_at_another_clinics_patient_is_logged(client_for, world):
    response = client_for("other_therapist").get(f"/patients/{world.patient.id}")
    assert response.status_code == 404
    [entry] = entries(action="access_denied")
    assert entry.actor_id == world.other_therapist.id
    assert entry.patient_id == world.patient.id
    assert entry.clinic_id == world.clinic.id  # the record's clinic, not the prober's
    assert entries(action="view") == []


def test_creating_a_patient_is_logged_in_the_same_transaction(client_for, world):
    client_for("therapist").post(
        "/patients/new",
        data={
            "first_name": "Iris",
            "last_name": "Mulder",
            "email": "iris@example.nl",
            "preferred_language": "nl",
            "therapist_id": world.therapist.id,
        },
    )
    [entry] = entries(action="create")
    assert entry.object_type == "patient"
    assert entry.actor_id == world.therapist.id


def test_a_failed_form_writes_nothing_but_the_read(client_for, world):
    before = len(entries())
    client_for("therapist").post("/patients/new", data={"first_name": ""})
    assert len(entries()) == before


@pytest.mark.parametrize(
    "statement",
    [
        sa.update(AuditEntry).values(action="changed"),
        sa.delete(AuditEntry),
    ],
)
def test_audit_rows_cannot_be_updated_or_deleted(app, world, statement):
    record("view", patient_id=world.patient.id, object_type="patient", actor=world.therapist)
    db.session.commit()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        db.session.execute(statement)
        db.session.flush()
    db.session.rollback()
    assert len(entries()) == 1


def test_admin_filters_the_log_by_patient(client_for, world):
    client_for("therapist").get(f"/patients/{world.patient.id}")
    client_for("therapist").get(f"/patients/{world.other_patient.id}")
    html = client_for("admin").get(f"/audit/?patient_id={world.patient.id}&action=view").text
    assert html.count("<tr>") == 2  # header + one entry


def test_admin_sees_only_their_own_clinics_entries(client_for, world):
    client_for("other_therapist").get(f"/patients/{world.foreign_patient.id}")
    html = client_for("admin").get("/audit/?action=view").text
    assert world.other_therapist.full_name not in html


def test_a_read_after_a_view_that_committed_names_its_actor(client_for, world):
    """The CSV export commits its own entry, which expires the administrator's row; the read
    noted for the page is written after the view and still says who read."""
    response = client_for("admin").get(f"/exports/patients/{world.patient.id}/sessions.csv")
    assert response.status_code == 200
    reads = entries(action="view", patient_id=world.patient.id)
    assert reads
    assert {(e.actor_id, e.actor_name) for e in reads} == {(world.admin.id, world.admin.full_name)}
