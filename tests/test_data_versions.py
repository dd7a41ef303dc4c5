"""The database raises a patient's change counter on every change to their rows, and a
clinic's on every change to the clinic, its staff's names and the exercise library.

The kept pages (rehab.core.fragments) are as fresh as these counters: a table that holds a
patient's data without a trigger would show a therapist yesterday's alerts. Each table is
changed here by plain SQL, as a migration or a bulk job would, not through the app.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from rehab import demo
from rehab.auth.models import User
from rehab.core.data_versions import LIBRARY_TABLES, PATIENT_TABLES
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.models import ExitCriterion, PhaseChange, PrescriptionVersion, Programme
from rehab.training.demo import seed as seed_training
from tests.factories import make_clinic
from tests.patients.factories import make_analysis
from tests.reminders.factories import appointment, reminded
from tests.training.demo_programmes import add_demo_programmes

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def demo_clinic(app, monkeypatch):
    """The demo's five patients with their programmes, sessions, check-ins, alerts and
    suggestions; the tables the demo leaves empty get one row here."""
    monkeypatch.setattr(
        demo,
        "_area_seeders",
        lambda: [add_demo_programmes, lambda d: seed_training(dataclasses.replace(d, today=TODAY))],
    )
    demo.seed()
    patient = db.session.scalars(sa.select(Patient).order_by(Patient.id)).first()
    programme = db.session.scalars(
        sa.select(Programme).where(Programme.patient_id == patient.id)
    ).first()
    phase = programme.phases[0]
    prescription = phase.prescriptions[0]
    make_analysis(patient, activities=[("Lopen", 6)],
                  extra_tests=[{"name": "Sit to stand", "unit": "s", "value": 9}])  # fmt: skip
    reminded(patient, programme=False)
    appointment(patient, dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC), by=patient.therapist)
    db.session.add_all([
        ExitCriterion(phase_id=phase.id, position=9, kind="therapist_check", comparison="==",
                      target=Decimal(1), label="Checked"),
        PhaseChange(programme_id=programme.id, to_phase_id=phase.id,
                    changed_by_id=patient.therapist_id),
        PrescriptionVersion(prescription_id=prescription.id, version=99,
                            exercise_id=prescription.exercise_id, dose={}, effective_on=TODAY),
    ])  # fmt: skip
    db.session.commit()


def _versions(table: str) -> dict[int, int]:
    return dict(db.session.execute(sa.text(f"SELECT id, data_version FROM {table}")).all())


def _owner(table: str, row_id: int) -> int | None:
    """The patient of a row, followed through the foreign keys (not the triggers' SQL)."""
    paths = {
        "exercise_logs": "SELECT s.patient_id FROM exercise_logs r "
        "JOIN training_sessions s ON s.id = r.session_id WHERE r.id = :id",
        "analysis_activities": "SELECT a.patient_id FROM analysis_activities r "
        "JOIN movement_analyses a ON a.id = r.analysis_id WHERE r.id = :id",
        "analysis_extra_tests": "SELECT a.patient_id FROM analysis_extra_tests r "
        "JOIN movement_analyses a ON a.id = r.analysis_id WHERE r.id = :id",
        "phases": "SELECT p.patient_id FROM phases r "
        "JOIN programmes p ON p.id = r.programme_id WHERE r.id = :id",
        "phase_changes": "SELECT p.patient_id FROM phase_changes r "
        "JOIN programmes p ON p.id = r.programme_id WHERE r.id = :id",
        "prescriptions": "SELECT p.patient_id FROM prescriptions r JOIN phases f "
        "ON f.id = r.phase_id JOIN programmes p ON p.id = f.programme_id WHERE r.id = :id",
        "exit_criteria": "SELECT p.patient_id FROM exit_criteria r JOIN phases f "
        "ON f.id = r.phase_id JOIN programmes p ON p.id = f.programme_id WHERE r.id = :id",
        "prescription_versions": "SELECT p.patient_id FROM prescription_versions r "
        "JOIN prescriptions x ON x.id = r.prescription_id JOIN phases f ON f.id = x.phase_id "
        "JOIN programmes p ON p.id = f.programme_id WHERE r.id = :id",
    }
    sql = paths.get(table, f"SELECT patient_id FROM {table} WHERE id = :id")
    return db.session.execute(sa.text(sql), {"id": row_id}).scalar()


def _a_patients_row(table: str) -> int:
    ids = db.session.execute(sa.text(f"SELECT id FROM {table} ORDER BY id")).scalars().all()
    owned = [row_id for row_id in ids if _owner(table, row_id) is not None]
    assert owned, f"the demo has no row of {table} that belongs to a patient"
    return owned[-1]  # the newest: a row nothing else refers to yet


@pytest.mark.parametrize("table", sorted(PATIENT_TABLES))
def test_a_change_to_a_patients_row_raises_their_counter_only(demo_clinic, table):
    row_id = _a_patients_row(table)
    patient_id = _owner(table, row_id)
    before = _versions("patients")

    db.session.execute(sa.text(f"UPDATE {table} SET id = id WHERE id = :id"), {"id": row_id})
    db.session.commit()
    after_update = _versions("patients")
    assert after_update[patient_id] > before[patient_id], f"UPDATE {table}"
    others = {k: v for k, v in after_update.items() if k != patient_id}
    assert others == {k: v for k, v in before.items() if k != patient_id}

    db.session.execute(sa.text(f"DELETE FROM {table} WHERE id = :id"), {"id": row_id})
    db.session.commit()
    assert _versions("patients")[patient_id] > after_update[patient_id], f"DELETE {table}"


@pytest.mark.parametrize("table", LIBRARY_TABLES)
def test_a_change_to_the_library_raises_every_clinics_counter(demo_clinic, table):
    make_clinic("Another practice")
    db.session.commit()
    before = _versions("clinics")
    key = "id" if table == "exercises" else "exercise_id"
    row_id = db.session.execute(sa.text(f"SELECT max({key}) FROM {table}")).scalar()
    if row_id is None:  # the demo's exercises name no equipment
        exercise = db.session.execute(sa.text("SELECT max(id) FROM exercises")).scalar()
        db.session.execute(sa.text(f"INSERT INTO {table} VALUES (:id, 'mat')"), {"id": exercise})
        db.session.commit()
        before, row_id = _versions("clinics"), exercise
    db.session.execute(
        sa.text(f"UPDATE {table} SET {key} = {key} WHERE {key} = :id"), {"id": row_id}
    )
    db.session.commit()
    after = _versions("clinics")
    assert len(after) == 2
    assert all(after[clinic] > before[clinic] for clinic in after)


def test_a_change_to_the_patient_or_clinic_row_raises_its_own_counter(demo_clinic):
    patient = db.session.scalars(sa.select(Patient).order_by(Patient.id)).first()
    patients, clinics = _versions("patients"), _versions("clinics")
    db.session.execute(
        sa.text("UPDATE patients SET goals = 'Run 10 km' WHERE id = :id"), {"id": patient.id}
    )
    db.session.execute(sa.text("UPDATE clinics SET phone = '010 123 45 67'"))
    db.session.commit()
    assert _versions("patients")[patient.id] == patients[patient.id] + 1
    assert all(_versions("clinics")[c] == clinics[c] + 1 for c in clinics)


def test_a_staff_name_raises_the_clinics_counter_and_a_login_does_not(demo_clinic):
    therapist = db.session.scalars(sa.select(User).where(User.role == "therapist")).first()
    before = _versions("clinics")[therapist.clinic_id]
    db.session.execute(
        sa.text("UPDATE users SET last_login_at = :now, failed_logins = 0 WHERE id = :id"),
        {"now": dt.datetime(2026, 11, 25, 8, 0), "id": therapist.id},
    )
    db.session.commit()
    assert _versions("clinics")[therapist.clinic_id] == before
    db.session.execute(
        sa.text("UPDATE users SET full_name = 'Pieter de Vries-Jansen' WHERE id = :id"),
        {"id": therapist.id},
    )
    db.session.commit()
    assert _versions("clinics")[therapist.clinic_id] > before


def test_a_bulk_insert_raises_each_patients_counter(demo_clinic):
    """One statement for many patients (as a migration would): each of them moves."""
    before = _versions("patients")
    db.session.execute(
        sa.text(
            "INSERT INTO check_ins (patient_id, check_date, morning_pain, stiffness_minutes, "
            "created_at) "
            "SELECT id, :day, 2, 5, :now FROM patients"
        ),
        {"day": TODAY + dt.timedelta(days=30), "now": dt.datetime(2026, 12, 25, 7, 0)},
    )
    db.session.commit()
    after = _versions("patients")
    assert all(after[p] > before[p] for p in before)
