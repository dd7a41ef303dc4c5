"""`flask --app wsgi rehab worker`: the RQ worker that runs batch print jobs, and
`flask --app wsgi rehab tidy-print-jobs`: the periodic check of stalled and old jobs."""

from __future__ import annotations

import click
from flask import current_app

from rehab.cli import rehab_cli


@rehab_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run batch print jobs and send e-mail from the queues at REHAB_JOB_QUEUE_URL (Redis)."""
    from rq import Worker

    from rehab.mail.outbox import mail_queue
    from rehab.reports.batch import job_queue

    if not current_app.config.get("REHAB_JOB_QUEUE_URL"):
        raise click.ClickException(
            "REHAB_JOB_QUEUE_URL is not set (e.g. redis://127.0.0.1:6379/1): without a queue, "
            "batch printing runs in the web process and needs no worker."
        )
    from rehab.reports.job_watch import fail_stalled_jobs

    stalled = fail_stalled_jobs()  # jobs a previous worker left behind when it died
    if stalled:
        click.echo(f"{stalled} stalled print job(s) marked failed.")
    queue, mail = job_queue(), mail_queue()
    click.echo(f"Waiting for e-mail on {mail.name!r} and print jobs on {queue.name!r}.")
    # Mail first: a password link should not wait behind a clinic's batch print. The
    # scheduler runs the delayed retries of e-mail that could not be sent.
    Worker([mail, queue], connection=queue.connection).work(burst=burst, with_scheduler=True)


@rehab_cli.command("tidy-print-jobs")
def tidy_print_jobs_command() -> None:
    """Mark stalled print jobs failed and remove old ones (e.g. every few minutes from cron)."""
    from rehab.extensions import db
    from rehab.reports.batch import remove_old_jobs
    from rehab.reports.job_watch import fail_stalled_jobs

    stalled = fail_stalled_jobs()
    removed = remove_old_jobs()
    db.session.commit()
    click.echo(f"Print jobs: {stalled} stalled marked failed, {removed} old removed.")
