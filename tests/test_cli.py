"""`rehab …` and `flask rehab …` commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from rehab.auth.models import Clinic, User
from rehab.extensions import db
from rehab.patients.models import Patient
from tests.conftest import ON_POSTGRES

ADMIN = ["rehab", "create-admin", "--clinic", "Fysio Oost", "--name", "Bea Beheer"]


def test_create_admin_makes_a_clinic_and_an_admin_who_can_log_in(app, runner):
    result = runner.invoke(
        args=[*ADMIN, "--email", "Bea@Example.nl", "--password-file", "-"],
        input="een lang wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    # A scripted set-up reads the password from standard input without a warning.
    assert "echo" not in result.output.lower()
    user = db.session.scalar(select(User).where(User.email == "bea@example.nl"))
    assert user.role == "admin"
    assert db.session.get(Clinic, user.clinic_id).name == "Fysio Oost"
    client = app.test_client()
    response = client.post(
        "/login", data={"email": "bea@example.nl", "password": "een lang wachtwoord"}
    )
    assert response.status_code == 302


def test_create_admin_refuses_a_short_password_in_english(runner, tmp_path):
    # The clinic's default language is Dutch; the command line speaks English throughout.
    password_file = tmp_path / "password"
    password_file.write_text("short\n")
    result = runner.invoke(
        args=[*ADMIN, "--email", "y@example.nl", "--password-file", str(password_file)]
    )
    assert result.exit_code != 0
    assert "at least 8 characters" in result.output, result.output
    assert "tekens" not in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_admin_asks_for_the_password_twice_when_not_given_one(runner):
    result = runner.invoke(
        args=[*ADMIN, "--email", "z@example.nl"],
        input="een lang wachtwoord\neen lang wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password (at least 8 characters)" in result.output
    assert "Repeat for confirmation" in result.output


def test_create_admin_refuses_an_empty_password_file(runner, tmp_path):
    (tmp_path / "empty").write_text("")
    result = runner.invoke(
        args=[*ADMIN, "--email", "z@example.nl", "--password-file", str(tmp_path / "empty")]
    )
    assert result.exit_code != 0
    assert "empty" in result.output


def test_seed_demo_prints_logins_and_runs_once_with_if_empty(runner):
    first = runner.invoke(args=["rehab", "seed-demo", "--if-empty", "--any-database"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.rehab" in first.output
    assert "pieter@demo.rehab" in first.output
    patients = db.session.scalar(select(func.count(Patient.id)))
    assert patients >= 5
    second = runner.invoke(args=["rehab", "seed-demo", "--if-empty", "--any-database"])
    assert "already has users" in second.output
    assert db.session.scalar(select(func.count(Patient.id))) == patients


def test_demo_accounts_only_on_the_embedded_database_unless_asked_for(runner):
    """`make run` with DATABASE_URL pointing at a clinic's PostgreSQL must not add log-ins
    whose passwords are in the README."""
    result = runner.invoke(args=["rehab", "seed-demo", "--if-empty"])
    users = db.session.scalar(select(func.count(User.id)))
    if ON_POSTGRES:
        assert result.exit_code != 0
        assert "make demo" in result.output
        assert users == 0
    else:
        assert result.exit_code == 0, result.output
        assert users > 0


def test_the_console_script_works_from_any_directory(app, world, tmp_path):
    """cron runs `rehab scan-alerts` from its own working directory, configured by the
    environment alone."""
    script = Path(sys.executable).with_name("rehab")
    environment = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "console-script-test",
        "REHAB_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    clinic_id = world.clinic.id
    db.session.commit()
    db.session.remove()  # SQLite: let the other process write

    def rehab(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603  (our own console script)
            [str(script), *args], cwd=tmp_path, env=environment, capture_output=True, text=True
        )

    alerts = rehab("scan-alerts")
    assert alerts.returncode == 0, alerts.stderr
    assert "Alerts checked" in alerts.stdout
    migrations = rehab("db", "heads")
    assert migrations.returncode == 0, migrations.stderr
    assert "(head)" in migrations.stdout
    assert db.session.scalar(select(Clinic.alerts_scanned_on).where(Clinic.id == clinic_id))


def test_create_admin_refuses_a_malformed_address_in_english(runner):
    result = runner.invoke(
        args=[*ADMIN, "--email", "not an address", "--password-file", "-"],
        input="een lang wachtwoord\n",
    )
    assert result.exit_code == 2
    assert "Invalid value for '--email': not a valid e-mail address" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_admin_asks_again_for_an_empty_name(runner):
    result = runner.invoke(
        args=["rehab", "create-admin", "--clinic", "Fysio Oost", "--email", "q@example.nl"],
        input=" \nBea Beheer\neen lang wachtwoord\neen lang wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    assert "Error: must not be empty" in result.output
    assert db.session.scalar(select(User.full_name)) == "Bea Beheer"


def test_every_command_runs_in_english_whatever_the_clinics_language(app, runner):
    """A message that passes through the catalogue inside a command comes out in English,
    though the app's default language is Dutch."""
    import click

    from rehab.cli import rehab_cli
    from rehab.core.i18n import gettext

    assert app.config["BABEL_DEFAULT_LOCALE"] == "nl"

    @rehab_cli.command("say-saved")
    def say_saved() -> None:
        click.echo(gettext("Your session has been saved."))

    try:
        result = runner.invoke(args=["rehab", "say-saved"])
    finally:
        rehab_cli.commands.pop("say-saved")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Your session has been saved."
