"""The patient's reminder page and the therapist's appointments and pause: bad input comes
back with a message and saves nothing; the database refuses a night-time reminder too."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
import time_machine
from sqlalchemy import func, select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.reminders.models import Appointment, ReminderSettings
from tests.factories import login_as, make_programme
from tests.reminders.factories import appointment

GOOD = {"exercise_enabled": "y", "weekdays": ["1", "3"], "remind_at": "18:00",
        "timezone": "Europe/Amsterdam", "appointments_enabled": "y"}  # fmt: skip


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weekdays": []}, "Kies minstens één dag, of zet de herinneringen uit."),
        ({"remind_at": "23:00"}, "Ongeldige keuze."),
        ({"remind_at": "06:45"}, "Ongeldige keuze."),
        ({"timezone": "Mars/Olympus_Mons"}, "Onbekende tijdzone"),
        ({"weekdays": ["8"]}, "is een ongeldige keuze"),
        ({"paused_until": "2100-01-01"}, "Kies een datum binnen een jaar."),
        ({"paused_until": "9999-12-31"}, "Vul een datum in tussen 1900 en 2199."),
        ({"paused_until": "31-12-2026"}, "Vul een geldige datum in."),
    ],
)
def test_bad_settings_come_back_with_a_message_and_nothing_is_saved(app, world, change, message):
    make_programme(world.patient)
    db.session.commit()
    client = login_as(app.test_client(), world.patient.user)
    response = client.post("/reminders/", data={**GOOD, **change})
    assert response.status_code == 200
    assert message.lower() in response.text.lower()
    assert _count(ReminderSettings) == 0


def test_saved_settings_are_in_the_access_log(app, world):
    client = login_as(app.test_client(), world.patient.user)
    assert client.post("/reminders/", data=GOOD).status_code == 302
    assert "Je instellingen voor herinneringen zijn opgeslagen." in client.get("/reminders/").text
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.object_type == "reminder_settings")
    )
    assert entry.patient_id == world.patient.id
    assert entry.summary_code == "reminder_settings_changed"
    assert entry.summary_values["settings"]["weekdays"] == "1,3"


def test_the_database_refuses_a_night_time_reminder(app, world):
    db.session.add(
        ReminderSettings(
            patient_id=world.patient.id,
            weekdays="1",
            remind_at=dt.time(23, 0),
            timezone="Europe/Amsterdam",
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


@time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), tick=False)
def test_a_therapist_plans_and_cancels_an_appointment_on_the_clinics_clock(app, world, client_for):
    client = client_for("therapist")
    form = {"kind": "reassessment", "day": "2026-12-15", "time": "10:30",
            "duration_minutes": "45", "remind": "y"}  # fmt: skip
    response = client.post(f"/patients/{world.patient.id}/appointments/new", data=form)
    assert response.headers["Location"] == f"/patients/{world.patient.id}"
    planned = db.session.scalar(select(Appointment))
    # 10:30 in Amsterdam in December is 09:30 UTC.
    assert planned.starts_at == dt.datetime(2026, 12, 15, 9, 30, tzinfo=dt.UTC)
    page = client.get(f"/patients/{world.patient.id}").text
    assert "Afspraken en herinneringen" in page and "Herbeoordeling" in page
    patient = login_as(app.test_client(), world.patient.user).get("/reminders/").text
    assert "Herbeoordeling" in patient

    cancel = client.post(f"/patients/{world.patient.id}/appointments/{planned.id}/cancel")
    assert cancel.status_code == 302
    assert _count(Appointment) == 0


@time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"day": "2026-12-06"}, "Deze datum is voorbij."),
        ({"day": "2029-01-01"}, "Kies een datum binnen twee jaar."),
        ({"day": ""}, "Vul een geldige datum in."),
        ({"time": "03:00"}, "Ongeldige keuze."),
        ({"duration_minutes": "600"}, "tussen 5 en 240"),
        ({"kind": "surgery"}, "Ongeldige keuze."),
    ],
)
def test_a_bad_appointment_comes_back_with_a_message(app, world, client_for, change, message):
    form = {"kind": "check_in", "day": "2026-12-15", "time": "10:30", "duration_minutes": "30",
            **change}  # fmt: skip
    response = client_for("therapist").post(
        f"/patients/{world.patient.id}/appointments/new", data=form
    )
    assert response.status_code == 200
    assert message.lower() in response.text.lower()
    assert _count(Appointment) == 0


def test_an_appointment_of_another_patient_cannot_be_cancelled_through_this_one(
    app, world, client_for
):
    other = appointment(world.other_patient, dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
                        by=world.therapist)  # fmt: skip
    response = client_for("therapist").post(
        f"/patients/{world.patient.id}/appointments/{other.id}/cancel"
    )
    assert response.status_code == 404
    assert _count(Appointment) == 1


def test_the_therapist_pauses_and_resumes_exercise_reminders(app, world, client_for):
    client = client_for("therapist")
    until = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    client.post(f"/patients/{world.patient.id}/reminders/pause", data={"paused_until": until})
    settings = db.session.scalar(select(ReminderSettings))
    assert settings.paused_until.isoformat() == until
    assert "Gepauzeerd tot en met" in client.get(f"/patients/{world.patient.id}").text
    client.post(f"/patients/{world.patient.id}/reminders/pause", data={"paused_until": ""})
    db.session.expire_all()
    assert db.session.scalar(select(ReminderSettings.paused_until)) is None
    bad = client.post(
        f"/patients/{world.patient.id}/reminders/pause", data={"paused_until": "2100-01-01"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Kies een datum binnen een jaar." in bad.text


def test_the_patient_page_does_not_ask_more_the_more_appointments(
    app, world, client_for, count_queries
):
    client = client_for("therapist")
    url = f"/patients/{world.patient.id}"
    appointment(world.patient, dt.datetime(2030, 1, 1, tzinfo=dt.UTC), by=world.therapist)
    client.get(url)
    with count_queries() as one:
        client.get(url)
    for day in range(2, 12):
        appointment(world.patient, dt.datetime(2030, 1, day, tzinfo=dt.UTC), by=world.therapist)
    with count_queries() as many:
        client.get(url)
    assert many.count == one.count
