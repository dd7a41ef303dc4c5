"""Discharging and re-opening raced by parallel requests: one changes the record, the
others are told it already happened; one access-log entry. Eight clients, each with its
own login and database connection."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.patients import services
from rehab.patients.models import Patient, PatientStatus
from tests.factories import login_as
from tests.races import PARALLEL, hold_after, no_server_errors, race


def _entries(patient_id: int, code: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.patient_id == patient_id, AuditEntry.summary_code == code
            )
        )
    )


def test_parallel_discharges_discharge_once(app, world, monkeypatch):
    clients = [login_as(app.test_client(), world.therapist) for _ in range(PARALLEL)]
    hold_after(monkeypatch, services, "patient_for")
    patient_id = world.patient.id
    yesterday = dt.date.today() - dt.timedelta(days=1)

    outcomes = race(
        clients,
        lambda client, i: client.post(
            f"/patients/{patient_id}/discharge",
            data={"discharged_on": yesterday.isoformat(), "note": f"klaar ({i})"},
        ),
    )

    no_server_errors(outcomes)
    already = [o for o in outcomes if any("al afgesloten" in m for m in o.messages)]
    assert len(already) == PARALLEL - 1
    winner = next(i for i, o in enumerate(outcomes) if o not in already)
    db.session.expire_all()
    patient = db.session.get(Patient, patient_id)
    assert patient.status == PatientStatus.DISCHARGED
    assert patient.discharge_note == f"klaar ({winner})"
    assert len(_entries(patient_id, "patient_discharged")) == 1


def test_parallel_reopens_reopen_once(app, world, monkeypatch):
    world.patient.status = PatientStatus.DISCHARGED
    world.patient.discharged_on = dt.date.today()
    db.session.commit()
    clients = [login_as(app.test_client(), world.therapist) for _ in range(PARALLEL)]
    hold_after(monkeypatch, services, "patient_for")
    url = f"/patients/{world.patient.id}/reopen"

    outcomes = race(clients, lambda client, _i: client.post(url))

    no_server_errors(outcomes)
    messages = [m for o in outcomes for m in o.messages]
    assert sum("weer in behandeling" in m for m in messages) == 1
    assert sum("al in behandeling" in m for m in messages) == PARALLEL - 1
    db.session.expire_all()
    assert db.session.get(Patient, world.patient.id).status == PatientStatus.ACTIVE
    assert len(_entries(world.patient.id, "patient_reopened")) == 1
