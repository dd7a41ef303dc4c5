"""The access log records every programme change (who, which patient, what) and every read
of a patient's programme."""

from __future__ import annotations

from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from tests.programmes.factories import build_programme, dose_form


def _entries():
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()


def test_changes_and_reads_are_in_the_access_log(world, client_for):
    programme = build_programme(world.patient)
    therapist = client_for("therapist")
    rx = programme.phases[0].prescriptions[1]
    therapist.get(f"/programmes/{programme.id}")
    therapist.post(
        f"/programmes/{programme.id}/prescriptions/{rx.id}/edit",
        data=dose_form(programme.version, load_kg="14", reason="sterker"),
    )
    entries = _entries()
    read = next(e for e in entries if e.action == "view" and e.object_type == "programme")
    assert (read.patient_id, read.actor_id) == (world.patient.id, world.therapist.id)
    change = next(e for e in entries if e.object_type == "prescription")
    assert change.action == "update"
    assert change.patient_id == world.patient.id and change.object_id == rx.id
    assert change.summary_code == "dose_changed" and change.summary_values["reason"] == "sterker"


def test_another_clinics_attempt_is_logged_as_refused(world, client_for):
    programme = build_programme(world.patient)
    assert client_for("other_therapist").get(f"/programmes/{programme.id}").status_code == 404
    refused = [e for e in _entries() if e.action == "access_denied"]
    assert refused and refused[-1].patient_id == world.patient.id
    assert refused[-1].actor_id == world.other_therapist.id
