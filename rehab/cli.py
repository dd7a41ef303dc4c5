"""`flask --app wsgi rehab …` commands."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from rehab.auth.models import Clinic, Role, User
from rehab.auth.passwords import hash_password, password_problems
from rehab.extensions import db

rehab_cli = AppGroup("rehab", help="Rehab administration commands.")


@rehab_cli.command("create-admin")
@click.option("--clinic", "clinic_name", prompt="Clinic name", help="Creates it if new.")
@click.option("--name", "full_name", prompt="Your full name")
@click.option("--email", prompt="E-mail address")
@click.password_option("--password", prompt="Password", help="At least 8 characters.")
def create_admin(clinic_name: str, full_name: str, email: str, password: str) -> None:
    """Create a clinic administrator (and the clinic) for a new installation."""
    from rehab.auth.services import EmailTaken, create_clinic, create_staff

    problems = password_problems(password, email=email, name=full_name)
    if problems:
        raise click.ClickException(" ".join(problems))
    clinic = db.session.scalar(select(Clinic).where(Clinic.name == clinic_name.strip()))
    if clinic is None:
        clinic = create_clinic(clinic_name.strip())
    try:
        user = create_staff(clinic, full_name=full_name, email=email, role=Role.ADMIN, actor=None)
    except EmailTaken as exc:
        raise click.ClickException(f"An account with {email} already exists.") from exc
    user.password_hash = hash_password(password)
    db.session.commit()
    click.echo(f"Administrator {user.email} created for clinic '{clinic.name}'.")


@rehab_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has users.")
def seed_demo(if_empty: bool) -> None:
    """Create a demo clinic with staff, patients and their data; print the log-ins."""
    from rehab.demo import seed

    if if_empty and db.session.scalar(select(func.count(User.id))):
        click.echo("The database already has users; demo data not added.")
        return
    logins = seed()
    click.echo(
        "The demo clinic does not require two-step verification for staff "
        "(turn it on under Clinic settings); new clinics do."
    )
    click.echo("Demo log-ins (change these passwords before real use):")
    for role, email, password in logins:
        click.echo(f"  {role:<10} {email:<34} {password}")


@rehab_cli.command("seed-scale")
@click.option("--therapists", default=100, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--patients", default=5000, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--weeks", default=26, show_default=True, type=click.IntRange(2, 260))
@click.option("--seed", default=2026, show_default=True, help="The same seed, the same data.")
@click.option("--force", is_flag=True, help="Add to a database that already has patients.")
def seed_scale_command(therapists: int, patients: int, weeks: int, seed: int, force: bool) -> None:
    """Benchmark data: clinics, patients, programmes, analyses, weeks of logged sessions."""
    import time

    from rehab.scale import DatabaseNotEmpty, ScaleSize, seed_scale

    started = time.perf_counter()
    size = ScaleSize(therapists=therapists, patients=patients, weeks=weeks, seed=seed)
    try:
        report = seed_scale(size, force=force, progress=click.echo)
    except DatabaseNotEmpty as exc:
        raise click.ClickException(
            "The database already has patients; seed-scale writes benchmark data into an "
            "empty database (use --force to add to this one anyway)."
        ) from exc
    click.echo(f"{report.clinics} clinics; rows written:")
    for table, count in report.counts.items():
        click.echo(f"  {table:<24} {count:>10}")
    click.echo(f"  {'(sets in exercise_logs)':<24} {report.sets:>10}")
    click.echo(
        f"Time: rows {report.seconds_rows:.1f} s, alerts {report.seconds_alerts:.1f} s, "
        f"suggestions {report.seconds_suggestions:.1f} s, "
        f"total {time.perf_counter() - started:.1f} s"
    )
    click.echo(
        f"Log in as {report.first_therapist_email} (therapist) or {report.first_patient_email} "
        "(patient); the passwords are in rehab/scale.py (SCALE_PASSWORD)."
    )


def _area_commands() -> None:
    """Areas add their own commands to the `rehab` group (e.g. the exercise library loader)."""
    import rehab.exercises.cli  # noqa: F401  (load-library)
    from rehab.audit import cli as audit_cli  # noqa: F401  (db-roles)
    from rehab.reports import cli as reports_cli  # noqa: F401  (worker)
    from rehab.training import cli as training_cli  # noqa: F401  (scan-alerts)


def init_app(app: Flask) -> None:
    _area_commands()
    app.cli.add_command(rehab_cli)
