"""The reminder job run at the same moment on several machines (threads with their own
database connections here) sends each reminder once: the unique (patient, day, kind) key
decides, not a check before the write. PostgreSQL only (SQLite has one writer at a time)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
import time_machine
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.mail.models import OutgoingEmail
from rehab.reminders.job import run_periodic
from rehab.reminders.models import Appointment, CalendarFeed
from tests.factories import login_as, make_patient
from tests.reminders.factories import MONDAY_EVENING, appointment, reminded

RUNS = 4


@pytest.fixture
def monday_evening():
    """The clock just before the reminders' moment: the messages are queued at the clock's
    time, and a message queued after the run's moment is not due in that run (on any later
    day the test would find nothing delivered)."""
    with time_machine.travel(MONDAY_EVENING - dt.timedelta(minutes=1), tick=True):
        yield


@pytest.mark.postgres_only
def test_runs_at_the_same_moment_send_each_reminder_once(app, world, smtp_server, monday_evening):
    patients = [world.patient, world.other_patient]
    patients += [make_patient(world.clinic, world.therapist, first_name=f"P{n}") for n in range(6)]
    for patient in patients:
        reminded(patient)
    db.session.commit()
    start = threading.Barrier(RUNS)
    reports, errors = [], []

    def run() -> None:
        with app.app_context():
            try:
                start.wait(timeout=10)
                reports.append(run_periodic(MONDAY_EVENING))
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(report.exercise for report in reports) == len(patients)
    db.session.expire_all()
    per_user = Counter(db.session.scalars(select(OutgoingEmail.user_id)))
    assert sorted(per_user.values()) == [1] * len(patients)
    received = Counter(r.rcpt_tos[0] for r in smtp_server.received)
    assert sorted(received.values()) == [1] * len(patients)


def _at_once(clients, send) -> list[int]:
    """``send(client)`` from every client's own thread at the same moment; the statuses."""
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def run(client) -> None:
        start.wait(timeout=10)
        statuses.append(send(client))

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


PARALLEL = 8


@pytest.mark.postgres_only
def test_parallel_cancellations_remove_and_log_an_appointment_once(app, world):
    planned_id = appointment(world.patient, MONDAY_EVENING, by=world.therapist).id
    url = f"/patients/{world.patient.id}/appointments/{planned_id}/cancel"
    clients = [login_as(app.test_client(), world.therapist) for _ in range(PARALLEL)]
    statuses = _at_once(clients, lambda client: client.post(url).status_code)
    assert 500 not in statuses and statuses.count(302) >= 1
    db.session.expire_all()
    logged = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.object_type == "appointment", AuditEntry.action == "delete"
        )
    ).all()
    assert len(logged) == 1 and db.session.get(Appointment, planned_id) is None


@pytest.mark.postgres_only
def test_parallel_calendar_links_leave_one_live_link(app, world):
    clients = [login_as(app.test_client(), world.patient.user) for _ in range(PARALLEL)]
    statuses = _at_once(clients, lambda client: client.post("/reminders/calendar").status_code)
    assert 500 not in statuses
    db.session.expire_all()
    live = db.session.scalars(select(CalendarFeed).where(CalendarFeed.revoked_at.is_(None)))
    assert len(live.all()) == 1
