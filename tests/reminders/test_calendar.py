"""The private calendar feed: it parses with icalendar, shows the week's planned sessions at
the patient's own wall-clock time across a daylight-saving change, carries no health
details, can be revoked, and every use is in the access log."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import time_machine
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.programmes.models import Programme
from rehab.reminders.models import CalendarFeed
from tests.factories import login_as, make_exercise, make_prescription
from tests.mail.helpers import path_of
from tests.reminders.factories import EVERY_DAY, appointment, reminded

AMS = ZoneInfo("Europe/Amsterdam")


def _turn_on(app, patient) -> str:
    client = login_as(app.test_client(), patient.user)
    page = client.post("/reminders/calendar")
    assert page.status_code == 200
    link = re.search(r'id="calendar-url"[^>]*>([^<]+)<', page.text).group(1).strip()
    assert link.startswith("http://rehab.test/calendar/") and link.endswith(".ics")
    return path_of(link)


def _events(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def test_the_week_with_the_october_clock_change_shows_sessions_at_18_00_local(app, world):
    """Sunday 25 October 2026 is the last Sunday of October: Amsterdam goes from CEST (UTC+2)
    to CET (UTC+1). Sessions on Monday, Wednesday, Friday and Sunday at 18:00."""
    reminded(world.patient, days="1,3,5,7", at=dt.time(18, 0))
    world.patient.main_complaint = "Lumbale hernia met uitstraling naar het linkerbeen"
    programme = db.session.scalar(select(Programme).where(Programme.patient_id == world.patient.id))
    make_prescription(programme.phases[0], make_exercise(world.clinic, name="Dode kever"))
    db.session.commit()
    path = _turn_on(app, world.patient)
    with time_machine.travel(dt.datetime(2026, 10, 21, 10, 0, tzinfo=dt.UTC), tick=False):
        response = app.test_client().get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = response.get_data()

    sessions = [e for e in _events(body) if str(e["summary"]) == "Oefeningen"]
    week = sorted(
        e.decoded("dtstart") for e in sessions
        if dt.date(2026, 10, 19) <= e.decoded("dtstart").date() <= dt.date(2026, 10, 25)
    )  # fmt: skip
    assert [s.date().day for s in week] == [19, 21, 23, 25]
    assert all(s.tzinfo is not None and s.astimezone(AMS).time() == dt.time(18, 0) for s in week)
    assert [s.astimezone(dt.UTC).hour for s in week] == [16, 16, 16, 17]
    assert b"TZID=Europe/Amsterdam" in body and b"BEGIN:VTIMEZONE" in body
    # No health details: neither the complaint, nor an exercise, nor the programme.
    text = body.decode()
    for private in ("hernia", "Dode kever", "Terug naar hardlopen", "pijn", "pain"):
        assert private.lower() not in text.lower()


def test_appointments_are_events_with_the_clinics_name_only(app, world):
    reminded(world.patient, days=EVERY_DAY)
    starts = dt.datetime(2026, 12, 8, 9, 30, tzinfo=dt.UTC)
    appointment(world.patient, starts, by=world.therapist, kind="reassessment")
    path = _turn_on(app, world.patient)
    with time_machine.travel(dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC), tick=False):
        body = app.test_client().get(path).get_data()
    (planned,) = [e for e in _events(body) if "Afspraak" in str(e["summary"])]
    assert str(planned["summary"]) == "Afspraak bij Fysio Noord"
    assert planned.decoded("dtstart") == starts
    assert planned.decoded("dtstart").astimezone(AMS).time() == dt.time(10, 30)
    assert planned.decoded("duration") == dt.timedelta(minutes=30)
    assert "herbeoordeling" not in body.decode().lower()


def test_every_use_of_the_link_is_in_the_access_log(app, world):
    reminded(world.patient)
    path = _turn_on(app, world.patient)
    for _ in range(2):
        assert app.test_client().get(path).status_code == 200
    uses = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.object_type == "calendar_feed", AuditEntry.action == "view"
        )
    ).all()
    assert len(uses) == 2
    assert {u.patient_id for u in uses} == {world.patient.id}
    assert db.session.scalar(select(CalendarFeed.last_used_at)) is not None


def test_the_link_is_a_long_random_token_stored_only_as_a_hash_and_revocable(app, world):
    reminded(world.patient)
    first = _turn_on(app, world.patient)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes
    feed = db.session.scalar(select(CalendarFeed))
    assert token not in feed.token_hash
    second = _turn_on(app, world.patient)  # a new link: the old one stops at once
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200
    client = login_as(app.test_client(), world.patient.user)
    assert client.post("/reminders/calendar/off").status_code == 302
    assert app.test_client().get(second).status_code == 404
    assert "Mijn agendalink aanzetten" in client.get("/reminders/").text


def test_after_discharge_the_feed_plans_no_more_sessions(app, world):
    reminded(world.patient)
    path = _turn_on(app, world.patient)
    world.patient.status = "discharged"
    db.session.commit()
    body = app.test_client().get(path).get_data()
    assert [e for e in _events(body) if str(e["summary"]) == "Oefeningen"] == []
