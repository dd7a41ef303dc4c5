"""`flask rehab …` commands."""

from __future__ import annotations

from sqlalchemy import func, select

from rehab.auth.models import Clinic, User
from rehab.extensions import db
from rehab.patients.models import Patient


def test_create_admin_makes_a_clinic_and_an_admin_who_can_log_in(app, runner):
    result = runner.invoke(
        args=[
            "rehab",
            "create-admin",
            "--clinic",
            "Fysio Oost",
            "--name",
            "Bea Beheer",
            "--email",
            "Bea@Example.nl",
            "--password",
            "een lang wachtwoord",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "bea@example.nl"))
    assert user.role == "admin"
    assert db.session.get(Clinic, user.clinic_id).name == "Fysio Oost"
    client = app.test_client()
    response = client.post(
        "/login", data={"email": "bea@example.nl", "password": "een lang wachtwoord"}
    )
    assert response.status_code == 302


def test_create_admin_refuses_a_short_password(runner):
    result = runner.invoke(
        args=[
            "rehab",
            "create-admin",
            "--clinic",
            "X",
            "--name",
            "Y",
            "--email",
            "y@example.nl",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0
    assert "8" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_seed_demo_prints_logins_and_runs_once_with_if_empty(runner):
    first = runner.invoke(args=["rehab", "seed-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.rehab" in first.output
    assert "pieter@demo.rehab" in first.output
    patients = db.session.scalar(select(func.count(Patient.id)))
    assert patients >= 5
    second = runner.invoke(args=["rehab", "seed-demo", "--if-empty"])
    assert "already has users" in second.output
    assert db.session.scalar(select(func.count(Patient.id))) == patients
