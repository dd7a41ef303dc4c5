"""Batch printing: every progress report of a therapist's caseload (or a whole clinic) for a
period, as one PDF with a cover page and a table of contents, or as a ZIP of PDFs.

A print may take minutes, so it runs as a job: on an RQ queue (Redis) when
REHAB_JOB_QUEUE_URL is set and `flask rehab worker` runs, else in a background thread of the
web process; tests run it inside the request (REHAB_JOBS_INLINE). Memory stays bounded
whatever the number of patients: reports are rendered one at a time and written to disk at
once; the single PDF is put together from those files at the end, page by page straight to
disk (rehab.reports.batch_file, rehab.reports.concatenate). A running job writes a heartbeat
with every report (rehab.reports.job_watch marks a silent one failed).
Every report printed, and every download, goes into the access log per patient.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import threading
from pathlib import Path

from flask import Flask, abort, current_app, has_app_context
from pypdf import PdfReader
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import Role, User
from rehab.core.concurrency import claim
from rehab.core.db import utcnow
from rehab.core.i18n import gettext
from rehab.extensions import db
from rehab.patients.models import Patient, PatientStatus
from rehab.reports import progress_report as reports
from rehab.reports.batch_file import PrintedReport, file_name, write_single_pdf, write_zip
from rehab.reports.models import PrintJob

log = logging.getLogger(__name__)

JOBS_PAGE_SIZE = 20
# The longest a job may wait on the queue and run there (RQ's job timeout), in seconds.
QUEUE_TIMEOUT = 6 * 3600
# Started threads, so that tests (and a graceful shutdown) can wait for them.
THREADS: list[threading.Thread] = []


class BatchRefused(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- where the files are --------------------------------------------------------------------


def jobs_folder() -> Path:
    configured = current_app.config.get("REHAB_PRINT_JOBS_DIR")
    folder = Path(configured) if configured else Path(current_app.instance_path) / "print_jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder.resolve()


def job_file(job: PrintJob) -> Path | None:
    """The finished file of ``job`` (None unless it exists inside the jobs folder)."""
    if job.status != "done" or not job.file_path:
        return None
    root = jobs_folder()
    path = (root / job.file_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


# --- who sees which job -----------------------------------------------------------------------


def visible_jobs_statement(actor: User):
    """An admin sees the clinic's jobs; a therapist their own; newest first."""
    stmt = (
        select(PrintJob)
        .where(PrintJob.clinic_id == actor.clinic_id)
        .order_by(PrintJob.created_at.desc(), PrintJob.id.desc())
    )
    if actor.role != Role.ADMIN:
        stmt = stmt.where(PrintJob.requested_by_id == actor.id)
    return stmt


def job_for(actor: User, job_id: int) -> PrintJob:
    """The job if ``actor`` may see it, else 404 (missing and foreign look the same)."""
    job = db.session.get(PrintJob, job_id)
    if job is None or job.clinic_id != actor.clinic_id:
        abort(404)
    if actor.role != Role.ADMIN and job.requested_by_id != actor.id:
        abort(404)
    return job


# --- starting a job ---------------------------------------------------------------------------


def patients_statement(clinic_id: int, therapist_id: int | None, period: reports.Period):
    """Patients treated in the period: active ones, and those discharged during it."""
    stmt = select(Patient.id).where(
        Patient.clinic_id == clinic_id,
        or_(
            Patient.status == PatientStatus.ACTIVE,
            Patient.discharged_on >= period.start,
        ),
    )
    if therapist_id is not None:
        stmt = stmt.where(Patient.therapist_id == therapist_id)
    return stmt.order_by(Patient.last_name, Patient.first_name, Patient.id)


def remove_old_jobs(now: dt.datetime | None = None) -> int:
    """Delete jobs (and their files) older than REHAB_PRINT_JOBS_KEEP_DAYS; their count."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=current_app.config["REHAB_PRINT_JOBS_KEEP_DAYS"])
    old = list(db.session.scalars(select(PrintJob).where(PrintJob.created_at < cutoff)))
    root = jobs_folder()
    for job in old:
        shutil.rmtree(root / str(job.id), ignore_errors=True)
        db.session.delete(job)
    return len(old)


def drop_jobs_with_patient(clinic_id: int, patient_id: int) -> list[Path]:
    """Delete the clinic's print jobs that hold ``patient_id``'s report (a destroyed record
    must not live on in a batch file); returns their folders, to remove after the commit."""
    jobs = db.session.scalars(select(PrintJob).where(PrintJob.clinic_id == clinic_id)).all()
    root = jobs_folder()
    folders = []
    for job in jobs:
        if patient_id in (job.patient_ids or []):
            folders.append(root / str(job.id))
            db.session.delete(job)
    return folders


def start_batch(
    actor: User,
    *,
    scope: str,
    period: reports.Period,
    file_format: str,
    language_choice: str,
) -> PrintJob:
    """Queue a batch print (old jobs are cleaned up first); the job runs in the background."""
    from rehab.reports.job_watch import fail_stalled_jobs

    fail_stalled_jobs()
    job = queue_job(
        actor,
        scope=scope,
        period=period,
        file_format=file_format,
        language_choice=language_choice,
    )
    db.session.commit()
    enqueue(job.id)
    return job


def queue_job(
    actor: User,
    *,
    scope: str,
    period: reports.Period,
    file_format: str,
    language_choice: str,
) -> PrintJob:
    """The new job's row and its access-log entry; the caller commits and enqueues."""
    if scope == "clinic" and actor.role != Role.ADMIN:
        raise BatchRefused(
            gettext("Only an administrator can print the reports of the whole clinic."), "scope"
        )
    therapist_id = None if scope == "clinic" else actor.id
    patient_ids = list(
        db.session.scalars(patients_statement(actor.clinic_id, therapist_id, period))
    )
    if not patient_ids:
        raise BatchRefused(gettext("There are no patients to print reports for."), "scope")
    remove_old_jobs()
    job = PrintJob(
        clinic_id=actor.clinic_id,
        requested_by_id=actor.id,
        scope=scope,
        period_start=period.start,
        period_end=period.end,
        file_format=file_format,
        language_choice=language_choice,
        status="queued",
        total_count=len(patient_ids),
        patient_ids=patient_ids,
    )
    db.session.add(job)
    db.session.flush()
    record(
        Action.PRINT,
        actor=actor,
        object_type="print_job",
        object_id=job.id,
        summary=Summary.of(
            "batch_print",
            count=len(patient_ids),
            start=period.start,
            end=period.end,
            format=file_format,
        ),
    )
    return job


def enqueue(job_id: int) -> None:
    """Run the job on the configured queue: RQ, a background thread, or right now (tests)."""
    config = current_app.config
    if config.get("REHAB_JOBS_INLINE"):
        run_job(job_id)
        return
    if config.get("REHAB_JOB_QUEUE_URL"):
        queue = job_queue()
        queue.enqueue(run_queued_job, job_id, job_timeout=QUEUE_TIMEOUT, result_ttl=3600)
        return
    app = current_app._get_current_object()
    thread = threading.Thread(
        target=_run_in_thread, args=(app, job_id), name=f"print-job-{job_id}", daemon=True
    )
    THREADS[:] = [t for t in THREADS if t.is_alive()]
    THREADS.append(thread)
    thread.start()


def job_queue(url: str | None = None, name: str | None = None):
    from redis import Redis
    from rq import Queue

    config = current_app.config
    connection = Redis.from_url(url or config["REHAB_JOB_QUEUE_URL"])
    return Queue(name or config["REHAB_JOB_QUEUE_NAME"], connection=connection)


def _run_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()


_PARENT_PID = os.getpid()


def run_queued_job(job_id: int) -> None:
    """The RQ entry point. The worker (`flask rehab worker`) runs inside the app context;
    its forked work horse must not reuse the parent's database connections."""
    if not has_app_context():  # a bare `rq worker`: build the app from the environment
        from rehab import create_app

        with create_app().app_context():
            run_job(job_id)
        return
    if os.getpid() != _PARENT_PID:
        db.engine.dispose(close=False)
    run_job(job_id)


# --- running a job ----------------------------------------------------------------------------


class JobAbandoned(Exception):
    """The job was marked failed (stalled) while it ran: it stops without writing more."""


def _advance(job_id: int, **values) -> None:
    """Write the running job's progress with a fresh heartbeat, and commit.

    Only while it is still running: a job that was judged stalled and marked failed (its
    heartbeat was late, e.g. during a database outage) stops instead of coming back to life.
    """
    result = db.session.execute(
        update(PrintJob)
        .where(PrintJob.id == job_id, PrintJob.status == "running")
        .values(heartbeat_at=utcnow(), **values)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise JobAbandoned(job_id)
    db.session.commit()


def run_job(job_id: int) -> None:
    """Print every report of the job, one at a time, then build the file; never raises.

    A failure marks the job failed. When even that cannot be written (the database is
    gone), the job's heartbeat stops and rehab.reports.job_watch marks it failed later.
    """
    try:
        folder = _claim(job_id)
    except Exception:  # the database is away already: the job stays queued for later
        log.exception("batch print job %s could not start", job_id)
        with contextlib.suppress(Exception):
            db.session.rollback()
        return
    if folder is None:
        return
    try:
        parts = folder / "parts"
        parts.mkdir(parents=True, exist_ok=True)
        printed = _print_reports(job_id, parts)
        _advance(job_id)  # alive: putting the file together comes next
        job = db.session.get(PrintJob, job_id)
        name = file_name(job)
        if job.file_format == "zip":
            write_zip(printed, folder / name)
        else:
            write_single_pdf(job, printed, folder / name)
        shutil.rmtree(parts, ignore_errors=True)
        _advance(job_id, status="done", finished_at=utcnow(), file_path=f"{job.id}/{name}")
    except JobAbandoned:
        log.warning("batch print job %s was marked stalled while it ran; stopped", job_id)
        shutil.rmtree(folder, ignore_errors=True)
    except Exception as error:
        log.exception("batch print job %s failed", job_id)
        shutil.rmtree(folder, ignore_errors=True)
        _record_failure(job_id, error)


def _claim(job_id: int) -> Path | None:
    """Take the queued job (its folder), or None when it is not there or not queued.

    One conditional write: a job queued twice (an RQ retry, a second worker) is printed once.
    """
    job = db.session.get(PrintJob, job_id)
    if job is None or job.status != "queued":
        return None
    folder = jobs_folder() / str(job.id)
    now = utcnow()
    if not claim(job, PrintJob.status == "queued", status="running", started_at=now,
                 heartbeat_at=now, done_count=0):  # fmt: skip
        db.session.rollback()
        return None
    db.session.commit()
    return folder


def _record_failure(job_id: int, error: Exception) -> None:
    try:
        db.session.rollback()
        _advance(job_id, status="failed", failure="error", finished_at=utcnow(),
                 error=str(error)[:2000])  # fmt: skip
    except JobAbandoned:
        pass
    except Exception:
        # The database is unreachable too: the job stays "running" without a heartbeat,
        # and the next look at it (its page, a new batch, the worker starting, the
        # periodic tidy-print-jobs) marks it failed once its timeout has passed.
        log.exception("batch print job %s: its failure could not be written either", job_id)
        with contextlib.suppress(Exception):
            db.session.rollback()


def _print_reports(job_id: int, parts: Path) -> list[PrintedReport]:
    """Render each patient's report to its own file and log it; only paths stay in memory."""
    job = db.session.get(PrintJob, job_id)
    period = reports.Period(job.period_start, job.period_end)
    actor = db.session.get(User, job.requested_by_id)
    language_choice, patient_ids = job.language_choice, list(job.patient_ids)
    printed = []
    for number, patient_id in enumerate(patient_ids, start=1):
        patient = db.session.get(Patient, patient_id, options=[joinedload(Patient.therapist)])
        if patient is None or patient.clinic_id != job.clinic_id:
            continue  # removed since the job was queued
        language = reports.report_language(patient, language_choice)
        pdf = reports.render_report(patient, period, language=language)
        path = parts / f"{number:05d}.pdf"
        path.write_bytes(pdf)
        printed.append(PrintedReport(patient.full_name, path, len(PdfReader(path).pages)))
        del pdf
        record(
            Action.PRINT,
            actor=actor,
            clinic_id=job.clinic_id,
            patient_id=patient.id,
            object_type="progress_report",
            object_id=patient.id,
            summary=Summary.of(
                "batch_print_report",
                job_id=job_id,
                start=period.start,
                end=period.end,
                language=language,
            ),
        )
        # The commit expires every loaded row; nothing refers to this patient's rows any
        # more, so the session's weak identity map lets them go before the next report.
        _advance(job_id, done_count=number)
        del patient
    return printed


# --- downloading ------------------------------------------------------------------------------


def record_download(actor: User, job: PrintJob) -> None:
    """One access-log entry per patient in the file, and one for the job."""
    record(Action.EXPORT, actor=actor, object_type="print_job", object_id=job.id,
           summary=Summary.of("batch_download", job_id=job.id))  # fmt: skip
    existing = set(
        db.session.scalars(select(Patient.id).where(Patient.id.in_(job.patient_ids or [])))
    )
    for patient_id in job.patient_ids or []:
        if patient_id in existing:
            record(
                Action.EXPORT,
                actor=actor,
                patient_id=patient_id,
                object_type="progress_report",
                object_id=patient_id,
                summary=Summary.of("batch_download", job_id=job.id),
            )
    db.session.commit()


def download_filename(job: PrintJob) -> str:
    return file_name(job)
