"""Reminders, appointments, the calendar link and the e-mails of a patient belong to their
record: the export holds them (without the link's hash or a mail's secret), and a
destruction (WGBO art. 7:455) removes them."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import sqlalchemy as sa
from sqlalchemy import select

from rehab.extensions import db
from rehab.privacy.models import DestructionRequest
from rehab.reminders import services as reminders
from rehab.reminders.job import send_reminders
from tests.reminders.factories import MONDAY_EVENING, appointment, reminded

TABLES = ("reminder_settings", "reminder_deliveries", "appointments", "calendar_feeds",
          "outgoing_emails")  # fmt: skip


def _count(name: str) -> int:
    return db.session.scalar(select(sa.func.count()).select_from(db.metadata.tables[name]))


def _patient_with_reminders(world) -> None:
    reminded(world.patient)
    appointment(world.patient, MONDAY_EVENING + dt.timedelta(hours=16), by=world.therapist)
    reminders.new_calendar_link(world.patient.user, world.patient)
    send_reminders(MONDAY_EVENING)


def test_the_export_holds_them_without_secrets(app, world, client_for):
    _patient_with_reminders(world)
    response = client_for("therapist").get(f"/patients/{world.patient.id}/export")
    record = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("record.json"))
    tables = record.get("tables", record)
    for name in TABLES:
        assert tables[name], name
    assert "token_hash" not in tables["calendar_feeds"][0]
    assert "secret_encrypted" not in tables["outgoing_emails"][0]


def test_a_destroyed_record_takes_them_along(app, world, client_for):
    _patient_with_reminders(world)
    reminded(world.other_patient)
    before = {name: _count(name) for name in TABLES}
    client_for("therapist").post(
        f"/patients/{world.patient.id}/destruction", data={"reason": "Schriftelijk verzoek"}
    )
    request = db.session.scalar(select(DestructionRequest))
    client_for("admin").post(f"/patients/{world.patient.id}/destruction/{request.id}/confirm")
    after = {name: _count(name) for name in TABLES}
    assert after["reminder_settings"] == before["reminder_settings"] - 1 == 1
    for name in ("reminder_deliveries", "appointments", "calendar_feeds"):
        assert after[name] == 0, name
    assert after["outgoing_emails"] == before["outgoing_emails"] - 2  # reminder + appointment
