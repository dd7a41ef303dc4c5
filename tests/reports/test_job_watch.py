"""A batch job that loses its database mid-print: it cannot even write its own failure, so
its heartbeat stops; once its timeout has passed it is marked failed, its page says so and
offers to start it again. Also: a job is printed once however often it is queued, a job
marked stalled does not come back to life, and two "start again" clicks start one job."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from rehab.extensions import db
from rehab.reports import batch, job_watch
from rehab.reports.models import PrintJob
from tests.factories import login_as, make_patient
from tests.races import PARALLEL, hold_after, no_server_errors, race
from tests.reports.factories import reportable_patient
from tests.training.factories import today

STALLED = "Afdrukken gestopt: de afdrukreeks gaf meer dan"
START_AGAIN = "Opnieuw starten"


def _form() -> dict:
    end = today()
    return {
        "start": (end - dt.timedelta(weeks=4)).isoformat(),
        "end": end.isoformat(),
        "scope": "mine",
        "language": "patient",
        "file_format": "zip",
    }


@pytest.fixture
def caseload(world):
    """Three patients of the therapist, one with four weeks of training."""
    reportable_patient(world.patient, weeks=4)
    make_patient(world.clinic, world.therapist, first_name="Ann", language="en")
    db.session.commit()


def _job(job_id: int) -> PrintJob:
    db.session.expire_all()
    return db.session.get(PrintJob, job_id)


def _silence(job_id: int, minutes: int) -> None:
    """The job's last sign of life was ``minutes`` ago (as if that much time had passed)."""
    ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)
    db.session.execute(
        update(PrintJob).where(PrintJob.id == job_id).values(heartbeat_at=ago, started_at=ago)
    )
    db.session.commit()


def _outage_during_the_second_report(monkeypatch) -> None:
    """From the second report on, every write of the job fails, its failure included."""
    render, advance = batch.reports.render_report, batch._advance
    down = threading.Event()
    calls = []

    def render_report(patient, period, *, language):
        calls.append(patient.id)
        if len(calls) == 2:
            down.set()
        return render(patient, period, language=language)

    def advance_unless_down(job_id, **values):
        if down.is_set():
            raise OperationalError("UPDATE print_jobs", {}, Exception("connection lost"))
        return advance(job_id, **values)

    monkeypatch.setattr(batch.reports, "render_report", render_report)
    monkeypatch.setattr(batch, "_advance", advance_unless_down)


def test_a_job_that_cannot_write_its_failure_is_marked_failed_after_its_timeout(
    app, client_for, world, caseload, monkeypatch
):
    therapist = client_for("therapist")
    _outage_during_the_second_report(monkeypatch)

    started = therapist.post("/reports/batch", data=_form())

    job_id = db.session.scalar(select(PrintJob.id))
    assert started.headers["Location"].endswith(f"/reports/batch/{job_id}")
    job = _job(job_id)
    assert (job.status, job.done_count) == ("running", 1)  # its failure was never written
    monkeypatch.undo()  # the database is back
    page = therapist.get(f"/reports/batch/{job_id}").text
    assert "Bezig: 1 van 3" in page and STALLED not in page  # within its timeout

    _silence(job_id, minutes=11)  # REHAB_PRINT_JOB_TIMEOUT is 10 minutes
    page = therapist.get(f"/reports/batch/{job_id}").text

    job = _job(job_id)
    assert (job.status, job.failure) == ("failed", "stalled")
    assert STALLED in page and "10 minuten" in page
    assert START_AGAIN in page
    assert 'http-equiv="refresh"' not in page

    again = therapist.post(f"/reports/batch/{job_id}/again")

    new_id = db.session.scalar(select(func.max(PrintJob.id)))
    assert new_id != job_id and again.headers["Location"].endswith(f"/reports/batch/{new_id}")
    new = _job(new_id)
    assert (new.status, new.done_count, new.scope, new.file_format) == ("done", 3, "mine", "zip")
    assert (new.period_start, new.period_end) == (job.period_start, job.period_end)
    old_page = therapist.get(f"/reports/batch/{job_id}").text
    assert f"/reports/batch/{new_id}" in old_page and START_AGAIN not in old_page
    twice = therapist.post(f"/reports/batch/{job_id}/again", follow_redirects=True)
    assert "Deze afdrukreeks is al opnieuw gestart." in twice.text
    assert db.session.scalar(select(func.count(PrintJob.id))) == 2


def test_only_the_requester_may_start_a_job_again_and_only_a_failed_one(
    client_for, world, caseload
):
    therapist, admin = client_for("therapist"), client_for("admin")
    therapist.post("/reports/batch", data=_form())
    job_id = db.session.scalar(select(PrintJob.id))
    assert _job(job_id).status == "done"
    not_failed = therapist.post(f"/reports/batch/{job_id}/again", follow_redirects=True)
    assert "Alleen een mislukte afdrukreeks kan opnieuw worden gestart." in not_failed.text
    db.session.execute(update(PrintJob).values(status="failed", failure="error"))
    db.session.commit()
    admin_page = admin.get(f"/reports/batch/{job_id}").text
    assert START_AGAIN not in admin_page and "kan de reeks opnieuw starten" in admin_page
    assert admin.post(f"/reports/batch/{job_id}/again").status_code == 403
    assert db.session.scalar(select(func.count(PrintJob.id))) == 1


def test_a_stalled_job_is_found_by_a_new_batch_and_by_the_periodic_command(
    app, client_for, world, caseload, runner
):
    stalled = [_queued_job(world, status="running") for _ in range(2)]
    waiting = _queued_job(world, status="queued")
    for job_id in stalled:
        _silence(job_id, minutes=11)

    assert runner.invoke(args=["rehab", "tidy-print-jobs"]).output.startswith(
        "Print jobs: 2 stalled marked failed"
    )
    assert [_job(j).failure for j in stalled] == ["stalled", "stalled"]
    assert _job(waiting).status == "queued"  # queued a moment ago: not stalled

    another = _queued_job(world, status="running")
    _silence(another, minutes=11)
    client_for("therapist").post("/reports/batch", data=_form())
    assert _job(another).failure == "stalled"


def test_a_job_waiting_longer_than_the_queue_keeps_it_is_failed(world, caseload):
    job_id = _queued_job(world, status="queued")
    db.session.execute(
        update(PrintJob).values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=7))
    )
    db.session.commit()
    assert job_watch.fail_stalled_jobs() == 1
    assert (_job(job_id).status, _job(job_id).failure) == ("failed", "stalled")


def test_a_job_marked_stalled_while_it_prints_stops_instead_of_finishing(
    app, world, caseload, monkeypatch
):
    """It was only slow: the watcher marked it failed; it must not come back as "done"."""
    job_id = _queued_job(world, status="queued")
    render = batch.reports.render_report

    def slow_render(patient, period, *, language):
        _silence(job_id, minutes=11)
        job_watch.fail_stalled_jobs()
        return render(patient, period, language=language)

    monkeypatch.setattr(batch.reports, "render_report", slow_render)
    batch.run_job(job_id)

    job = _job(job_id)
    assert (job.status, job.failure, job.done_count, job.file_path) == (
        "failed", "stalled", 0, None
    )  # fmt: skip
    assert not (batch.jobs_folder() / str(job_id)).exists()


def test_a_job_queued_twice_is_printed_once(app, world, caseload, monkeypatch):
    job_id = _queued_job(world, status="queued")
    printed = []
    hold_after(monkeypatch, batch, "jobs_folder")  # every runner read the job as queued
    monkeypatch.setattr(batch, "_print_reports", lambda jid, parts: printed.append(jid) or [])

    def run(_):
        with app.app_context():
            try:
                batch.run_job(job_id)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert printed == [job_id]
    assert _job(job_id).status == "done"


def test_two_start_again_clicks_start_one_job(app, world, caseload, monkeypatch):
    failed = _queued_job(world, status="failed")
    clients = [login_as(app.test_client(), world.therapist) for _ in range(PARALLEL)]
    hold_after(monkeypatch, batch, "job_for")

    outcomes = race(clients, lambda client, _i: client.post(f"/reports/batch/{failed}/again"))

    no_server_errors(outcomes)
    assert db.session.scalar(select(func.count(PrintJob.id))) == 2
    new_id = _job(failed).retried_as_id
    assert {o.location for o in outcomes} == {f"/reports/batch/{new_id}"}
    messages = [m for o in outcomes for m in o.messages]
    assert messages == ["Deze afdrukreeks is al opnieuw gestart."] * (PARALLEL - 1)


def _queued_job(world, *, status: str) -> int:
    end = today()
    job = PrintJob(
        clinic_id=world.clinic.id,
        requested_by_id=world.therapist.id,
        scope="mine",
        period_start=end - dt.timedelta(weeks=4),
        period_end=end,
        file_format="zip",
        language_choice="patient",
        status=status,
        failure="error" if status == "failed" else None,
        total_count=3,
        patient_ids=[world.patient.id],
        started_at=None if status == "queued" else dt.datetime.now(dt.UTC),
    )
    db.session.add(job)
    db.session.commit()
    return job.id


# --- the real thing: PostgreSQL goes away while a job prints in its own thread ----------------


@pytest.mark.postgres_only
@pytest.mark.app_config(REHAB_JOBS_INLINE=False, REHAB_PRINT_JOB_TIMEOUT=3)
def test_a_database_outage_during_a_batch_print_ends_in_a_failed_job(
    app, client_for, world, caseload, monkeypatch
):
    """The job's database connections are cut (pg_terminate_backend) and the database
    refuses new ones while the second report prints, so the job can write neither its
    progress nor its failure. Once the database is back, the job is marked failed within
    its timeout (3 s here) and its page offers to start it again."""
    database = make_url(db.engine.url).database
    admin = sa.create_engine(db.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    printing, cut = threading.Event(), threading.Event()
    render = batch.reports.render_report
    calls = []

    def render_report(patient, period, *, language):
        calls.append(patient.id)
        if len(calls) == 2:
            printing.set()
            cut.wait(timeout=30)
        return render(patient, period, language=language)

    monkeypatch.setattr(batch.reports, "render_report", render_report)
    therapist = client_for("therapist")
    therapist.post("/reports/batch", data=_form())
    job_id = db.session.scalar(select(PrintJob.id))
    db.session.remove()  # the test's own connection goes down with the others
    assert printing.wait(timeout=60), "the job did not reach its second report"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false'))
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": database},
            )
        cut.set()
        for thread in list(batch.THREADS):
            thread.join(timeout=60)
            assert not thread.is_alive()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    back_at = time.monotonic()
    db.engine.dispose()

    job = _job(job_id)
    assert (job.status, job.done_count) == ("running", 1)  # nothing could be written
    page = therapist.get(f"/reports/batch/{job_id}").text
    while STALLED not in page and time.monotonic() - back_at < 10:
        time.sleep(0.5)
        page = therapist.get(f"/reports/batch/{job_id}").text

    assert STALLED in page and START_AGAIN in page
    assert time.monotonic() - back_at <= 3 + 2  # its timeout, and a page load or two
    job = _job(job_id)
    assert (job.status, job.failure) == ("failed", "stalled")


def test_the_worker_marks_what_a_dead_worker_left_behind_when_it_starts(app, world, runner):
    from tests.redis_queues import REDIS_URL, forget_queue, keys_of, redis_connection

    connection = redis_connection()
    stalled = _queued_job(world, status="running")
    _silence(stalled, minutes=11)
    queues = (f"rehab-test-print-{id(app)}", f"rehab-test-mail-{id(app)}")
    app.config.update(
        REHAB_JOB_QUEUE_URL=REDIS_URL, REHAB_JOB_QUEUE_NAME=queues[0],
        REHAB_MAIL_QUEUE_NAME=queues[1],
    )  # fmt: skip
    try:
        result = runner.invoke(args=["rehab", "worker", "--burst"])
    finally:
        for name in queues:
            forget_queue(connection, name)
        left = [key for name in queues for key in keys_of(connection, name)]
        connection.close()
    assert not left, f"the worker left keys in Redis: {left}"

    assert result.exit_code == 0, result.output
    assert "1 stalled print job(s) marked failed." in result.output
    assert (_job(stalled).status, _job(stalled).failure) == ("failed", "stalled")
