"""A batch job's sign of life, and what happens when it stops.

A running job writes its heartbeat with every report it prints (rehab.reports.batch). When
its process dies, or the database goes away so that not even its failure can be written,
the job would stay "running" for ever; here it is marked failed once it has shown no sign
of life for longer than REHAB_PRINT_JOB_TIMEOUT. That is checked by whoever looks next:
the job's page and the batch list, a new batch, the worker when it starts, and the
periodic ``flask rehab tidy-print-jobs``. A failed job can be started again, once.
"""

from __future__ import annotations

import datetime as dt
import shutil

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from rehab.auth.models import User
from rehab.core.concurrency import claim
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.reports import progress_report as reports
from rehab.reports.batch import QUEUE_TIMEOUT, enqueue, jobs_folder, queue_job
from rehab.reports.models import PrintJob


class AlreadyStartedAgain(Exception):
    """Someone started this failed job again already; ``job_id`` is the new job."""

    def __init__(self, job_id: int | None) -> None:
        super().__init__(job_id)
        self.job_id = job_id


def timeout() -> dt.timedelta:
    """How long a running job may go without a heartbeat."""
    return dt.timedelta(seconds=current_app.config["REHAB_PRINT_JOB_TIMEOUT"])


def _stalled(now: dt.datetime):
    last_sign = func.coalesce(PrintJob.heartbeat_at, PrintJob.started_at, PrintJob.created_at)
    return or_(
        and_(PrintJob.status == "running", last_sign < now - timeout()),
        # Waiting longer than the queue would ever keep it: nobody will pick it up.
        and_(
            PrintJob.status == "queued",
            PrintJob.created_at < now - dt.timedelta(seconds=QUEUE_TIMEOUT),
        ),
    )


def fail_stalled_jobs(now: dt.datetime | None = None, *, job_id: int | None = None) -> int:
    """Mark failed every job (or just ``job_id``) without a sign of life for too long, and
    remove what it had printed; commits, and returns how many were marked.

    One conditional UPDATE: a job that beats again meanwhile is left alone, and a job that
    comes back after being marked stops at its next heartbeat (it finds itself failed).
    """
    now = now or utcnow()
    condition = _stalled(now)
    if job_id is not None:
        condition = and_(condition, PrintJob.id == job_id)
    stalled = list(db.session.scalars(select(PrintJob.id).where(condition)))
    if not stalled:
        return 0
    result = db.session.execute(
        update(PrintJob)
        .where(PrintJob.id.in_(stalled), condition)
        .values(
            status="failed",
            failure="stalled",
            finished_at=now,
            error=f"no sign of life for more than {timeout()} (checked {now.isoformat()})",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    root = jobs_folder()
    for number in stalled:
        shutil.rmtree(root / str(number), ignore_errors=True)
    return result.rowcount


def start_again(actor: User, failed: PrintJob) -> PrintJob:
    """A new job with the failed one's choices, for the person who asked for it.

    The failed job points to its replacement, claimed with one conditional write: two
    clicks at once start one new job (AlreadyStartedAgain for the other).
    """
    if failed.retried_as_id is not None:
        raise AlreadyStartedAgain(failed.retried_as_id)
    job = queue_job(
        actor,
        scope=failed.scope,
        period=reports.Period(failed.period_start, failed.period_end),
        file_format=failed.file_format,
        language_choice=failed.language_choice,
    )
    if not claim(failed, PrintJob.status == "failed", PrintJob.retried_as_id.is_(None),
                 retried_as_id=job.id):  # fmt: skip
        db.session.rollback()
        db.session.refresh(failed)
        raise AlreadyStartedAgain(failed.retried_as_id)
    db.session.commit()
    enqueue(job.id)
    return job
