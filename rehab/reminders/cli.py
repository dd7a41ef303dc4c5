"""`flask --app wsgi rehab send-reminders`: the periodic job (cron every 5–15 minutes)."""

from __future__ import annotations

import datetime as dt

import click

from rehab.cli import rehab_cli


@rehab_cli.command("send-reminders")
@click.option(
    "--at",
    "at",
    default=None,
    help="Act as if it were this moment (ISO 8601 with a zone, e.g. 2026-12-07T17:05+00:00).",
)
def send_reminders_command(at: str | None) -> None:
    """Send the reminders that are due, then every e-mail that is due (retries included)."""
    from rehab.reminders.job import run_periodic

    now = None
    if at:
        try:
            now = dt.datetime.fromisoformat(at)
        except ValueError as error:
            raise click.BadParameter("not an ISO 8601 moment", param_hint="--at") from error
        if now.tzinfo is None:
            raise click.BadParameter("give the time zone, e.g. +00:00", param_hint="--at")
    report = run_periodic(now)
    sent = ", ".join(f"{status} {count}" for status, count in sorted(report.mail.items()))
    click.echo(
        f"Reminders queued: exercise {report.exercise}, appointment {report.appointment}. "
        f"E-mail: {sent or 'nothing due'}."
    )
