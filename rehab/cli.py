"""Administration commands: `rehab …` (the console script) or `flask --app wsgi rehab …`.

The command line speaks English, prompts and errors alike: it is run by whoever installs the
server, in scripts and cron jobs, whatever language the clinic's pages use.
"""

from __future__ import annotations

import functools
import sys

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from flask_babel import force_locale
from sqlalchemy import func, select

from rehab.auth.models import Clinic, Role, User
from rehab.auth.passwords import MIN_LENGTH, hash_password, password_problems
from rehab.extensions import db


def _in_english(callback):
    """Run a command with English as the locale: whatever the clinic's default language,
    a message that passes through the catalogue (a service's error) reaches the console in
    English. Mail and PDFs made by a command still use their reader's language (they force
    it themselves)."""

    @functools.wraps(callback)
    def run(*args, **kwargs):
        with force_locale("en"):
            return callback(*args, **kwargs)

    return run


class _EnglishGroup(AppGroup):
    """An AppGroup whose commands run in the app context with the English locale."""

    def command(self, *args, **kwargs):
        wrap_for_ctx = kwargs.pop("with_appcontext", True)

        def decorator(callback):
            if wrap_for_ctx:
                callback = with_appcontext(_in_english(callback))
            return click.Group.command(self, *args, **kwargs)(callback)

        return decorator


rehab_cli = _EnglishGroup("rehab", help="Rehab administration commands.")


def _required_text(limit: int):
    def check(ctx, param, value: str | None) -> str | None:
        if value is None:
            return value
        value = value.strip()
        if not value:
            raise click.BadParameter("must not be empty")
        if len(value) > limit:
            raise click.BadParameter(f"at most {limit} characters")
        return value

    return check


def _email_address(ctx, param, value: str | None) -> str | None:
    """The address as the web forms accept it (no delivery check): else ask again."""
    from email_validator import EmailNotValidError, validate_email

    if value is None:
        return value
    try:
        validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise click.BadParameter(f"not a valid e-mail address ({error})") from None
    return value.strip()


def _password_from(source: click.File | None) -> str | None:
    if source is None:
        return None
    password = source.readline().rstrip("\r\n")
    if not password:
        raise click.UsageError("The password file is empty (its first line is the password).")
    return password


@rehab_cli.command("create-admin")
@click.option(
    "--clinic", "clinic_name", prompt="Clinic name", help="Creates it if new.",
    callback=_required_text(120),
)  # fmt: skip
@click.option("--name", "full_name", prompt="Your full name", callback=_required_text(120))
@click.option("--email", prompt="E-mail address", callback=_email_address)
@click.option(
    "--password-file",
    type=click.File("r"),
    help="Read the password from the first line of this file ('-' for standard input), "
    "for scripted set-ups; without it you are asked for it.",
)
def create_admin(clinic_name: str, full_name: str, email: str, password_file) -> None:
    """Create a clinic administrator (and the clinic) for a new installation."""
    from rehab.auth.services import EmailTaken, create_clinic, create_staff

    password = _password_from(password_file) or click.prompt(
        f"Password (at least {MIN_LENGTH} characters)", hide_input=True, confirmation_prompt=True
    )
    found = password_problems(password, email=email, name=full_name)
    problems = [str(problem) for problem in found]
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
@click.option(
    "--any-database",
    is_flag=True,
    help="Also on a database other than the embedded SQLite file (`make demo`).",
)
def seed_demo(if_empty: bool, any_database: bool) -> None:
    """Create a demo clinic with staff, patients and their data; print the log-ins."""
    from rehab.demo import seed

    # The demo accounts have published passwords: on a clinic's production database they
    # would be a way in. Only the embedded default gets them unless asked for explicitly.
    if db.engine.dialect.name != "sqlite" and not any_database:
        raise click.ClickException(
            "Not adding demo accounts (published passwords) to a "
            f"{db.engine.dialect.name} database. For a demo on it, run `make demo` "
            "(seed-demo --any-database)."
        )
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


@rehab_cli.command("build-static")
def build_static_command() -> None:
    """Fingerprint and compress the static files again (the app also does it when needed)."""
    from rehab.core.assets import build_static

    click.echo(f"Static files built in {build_static()}")


def _area_commands() -> None:
    """Areas add their own commands to the `rehab` group (e.g. the exercise library loader)."""
    import rehab.exercises.cli  # noqa: F401  (load-library)
    from rehab.audit import cli as audit_cli  # noqa: F401  (db-roles)
    from rehab.reminders import cli as reminders_cli  # noqa: F401  (send-reminders)
    from rehab.reports import cli as reports_cli  # noqa: F401  (worker)
    from rehab.training import cli as training_cli  # noqa: F401  (scan-alerts)


def init_app(app: Flask) -> None:
    _area_commands()
    app.cli.add_command(rehab_cli)


@click.command("serve", context_settings={"ignore_unknown_options": True})
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve(gunicorn_args: tuple[str, ...]) -> None:
    """Serve Rehab with gunicorn and its production settings (rehab/serving.py).

    Extra arguments go to gunicorn, e.g. `rehab serve --bind 0.0.0.0:8000`.
    """
    from gunicorn.app.wsgiapp import run

    sys.argv = ["rehab serve", "--config", "python:rehab.serving", *gunicorn_args, "rehab.wsgi:app"]
    run()


class _ConsoleGroup(FlaskGroup):
    """Only Rehab's own commands, at the top level (not Flask's or extensions' groups)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.commands.get(name)


def main() -> None:
    """The `rehab` console script: the same commands as `flask --app wsgi rehab …`, from any
    working directory (cron, systemd), configured by the environment alone."""
    from flask_migrate.cli import db as migrations

    from rehab import create_app

    _area_commands()
    cli = _ConsoleGroup(
        name="rehab",
        create_app=create_app,
        add_default_commands=False,
        load_dotenv=False,  # the environment is the configuration, not a file in the cwd
        help="Rehab administration: migrations, library, accounts, alerts, workers, serving.",
    )
    for name, command in rehab_cli.commands.items():
        cli.add_command(command, name)
    cli.add_command(migrations, "db")
    cli.add_command(serve)
    cli.main(prog_name="rehab")
