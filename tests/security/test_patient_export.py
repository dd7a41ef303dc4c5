"""A patient's complete record for an access or portability request (GDPR art. 15, 20)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import sqlalchemy as sa
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.privacy import export
from rehab.privacy.export import patient_rows
from tests.security.factories import make_clinical_history


def _unzip(data: bytes) -> tuple[dict, dict[str, list[dict]], list[str]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    document = json.loads(archive.read("record.json"))
    tables = {}
    for name in archive.namelist():
        if name.startswith("csv/"):
            text = archive.read(name).decode("utf-8-sig")
            tables[name[4:-4]] = list(csv.DictReader(io.StringIO(text)))
    return document, tables, archive.namelist()


def test_export_holds_every_row_of_the_patient_and_nothing_of_anyone_else(client_for, world):
    make_clinical_history(world.patient, tag="MINE")
    make_clinical_history(world.other_patient, tag="THEIRS")
    patient_tables = [t for t in db.metadata.sorted_tables if "patient_id" in t.c]
    before = {
        t.name: set(db.session.scalars(select(t.c.id).where(t.c.patient_id == world.patient.id)))
        for t in patient_tables
    }
    response = client_for("therapist").get(f"/patients/{world.patient.id}/export")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    document, csv_tables, names = _unzip(response.data)
    tables = document["tables"]

    # Every table with a patient_id: all of the patient's rows, none of another's.
    for table in patient_tables:
        exported = tables.get(table.name, [])
        assert before[table.name] <= {row["id"] for row in exported}, table.name
        for row in exported:
            assert row["patient_id"] in (world.patient.id, None), table.name

    # The children: phases, criteria, prescriptions, versions, phase changes, logs.
    expected_counts = {
        "patients": 1, "users": 1, "programmes": 1, "phases": 2, "exit_criteria": 1,
        "prescriptions": 1, "prescription_versions": 1, "phase_changes": 1,
        "training_sessions": 3, "exercise_logs": 3, "check_ins": 1, "alerts": 1,
        "suggestions": 1, "user_sessions": 1, "account_tokens": 1,
    }  # fmt: skip
    for name, count in expected_counts.items():
        assert len(tables[name]) == count, name
        assert len(csv_tables[name]) == count, name
    assert tables["patients"][0]["id"] == world.patient.id
    assert tables["users"][0]["email"] == world.patient.user.email

    text = json.dumps(document)
    assert "MINE" in text and "THEIRS" not in text
    assert world.other_patient.full_name not in text
    # Credentials stay out.
    assert "password_hash" not in text and "token_hash" not in text
    assert "secret-session" not in text and "totp_secret" not in text
    assert "recovery_codes" not in tables
    assert "csv/patients.csv" in names


def test_the_export_includes_audit_entries_about_the_patient_and_their_own_logins(
    client_for, world
):
    make_clinical_history(world.patient, tag="MINE")
    make_clinical_history(world.other_patient, tag="THEIRS")
    document, _, _ = _unzip(client_for("admin").get(f"/patients/{world.patient.id}/export").data)
    entries = document["tables"]["audit_entries"]
    assert {e["action"] for e in entries} >= {"view", "login"}
    assert all(
        e["patient_id"] == world.patient.id or e["actor_id"] == world.patient.user_id
        for e in entries
    )


def test_the_export_is_logged(client_for, world):
    client_for("therapist").get(f"/patients/{world.patient.id}/export")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert entry.patient_id == world.patient.id and entry.actor_id == world.therapist.id


def test_another_clinic_cannot_export(client_for, world):
    response = client_for("other_therapist").get(f"/patients/{world.patient.id}/export")
    assert response.status_code == 404
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export")) is None


def test_other_areas_add_files_to_the_export(client_for, world, monkeypatch):
    monkeypatch.setattr(export, "ATTACHMENTS", [])
    export.register_attachment(lambda actor, patient: [(f"report-{patient.id}.pdf", b"%PDF-1.7")])
    _, _, names = _unzip(client_for("therapist").get(f"/patients/{world.patient.id}/export").data)
    assert f"files/report-{world.patient.id}.pdf" in names


def test_a_table_added_later_is_included_without_a_change(app, world):
    table = sa.Table(
        "test_notes",
        db.metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("programme_id", sa.ForeignKey("programmes.id")),
        sa.Column("text", sa.String(40)),
    )
    try:
        table.create(db.engine)
        make_clinical_history(world.patient, tag="MINE")
        make_clinical_history(world.other_patient, tag="THEIRS")
        ids = {
            p.patient_id: p.id for p in db.session.execute(select(db.metadata.tables["programmes"]))
        }
        db.session.execute(
            table.insert(),
            [{"programme_id": ids[world.patient.id], "text": "mine"},
             {"programme_id": ids[world.other_patient.id], "text": "theirs"}],
        )  # fmt: skip
        db.session.commit()
        rows = patient_rows(world.patient)
        assert [r["text"] for r in rows["test_notes"].values()] == ["mine"]
    finally:
        db.session.close()
        table.drop(db.engine)
        db.metadata.remove(table)
