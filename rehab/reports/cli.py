"""`flask --app wsgi rehab worker`: the RQ worker that runs batch print jobs."""

from __future__ import annotations

import click
from flask import current_app

from rehab.cli import rehab_cli


@rehab_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run batch print jobs from the queue at REHAB_JOB_QUEUE_URL (Redis)."""
    from rq import Worker

    from rehab.reports.batch import job_queue

    if not current_app.config.get("REHAB_JOB_QUEUE_URL"):
        raise click.ClickException(
            "REHAB_JOB_QUEUE_URL is not set (e.g. redis://127.0.0.1:6379/1): without a queue, "
            "batch printing runs in the web process and needs no worker."
        )
    queue = job_queue()
    click.echo(f"Waiting for print jobs on {queue.name!r}.")
    Worker([queue], connection=queue.connection).work(burst=burst)
