"""The daily check-in: one per day, editable, up to 7 days back, never ahead."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.training.models import CheckIn
from tests.factories import DaysFromToday, on_the_day
from tests.training.factories import today

GOOD = {
    "morning_pain": "3",
    "stiffness_minutes": "20",
    "sleep_quality": "fair",
    "worse_than_yesterday": "no",
    "note": "Wat stijf bij het opstaan",
}


def post(client, **changes):
    data = {"check_date": today().isoformat(), **GOOD, **on_the_day(changes)}
    return client.post("/training/check-in", data=data)


def stored() -> int:
    return db.session.scalar(select(func.count(CheckIn.id)))


def test_a_patient_checks_in_and_corrects_it_the_same_day(client_for, world):
    client = client_for("patient")
    assert post(client).status_code == 302
    row = db.session.scalar(select(CheckIn))
    assert (row.morning_pain, row.stiffness_minutes, row.sleep_quality) == (3, 20, "fair")
    assert row.worse_than_yesterday is False and row.note == "Wat stijf bij het opstaan"
    # A second check-in for the same day updates the first: one per day.
    post(client, morning_pain="4", worse_than_yesterday="yes")
    assert stored() == 1
    db.session.refresh(row)
    assert (row.morning_pain, row.worse_than_yesterday) == (4, True)
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "check_in")
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["create", "update"]
    page = client.get("/training/check-in").text
    assert "al een check-in gedaan" in page and 'selected value="4"' in page


def test_an_earlier_day_can_be_checked_in_up_to_a_week_back(client_for):
    client = client_for("patient")
    assert post(client, check_date=(today() - dt.timedelta(days=7)).isoformat()).status_code == 302
    assert stored() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"morning_pain": "11"}, "Pijn is een getal van 0 tot 10."),
        ({"morning_pain": ""}, "Kies je pijn van vanochtend."),
        ({"stiffness_minutes": "-1"}, "Vul een aantal minuten in van 0 tot 1440."),
        ({"stiffness_minutes": "2000"}, "Vul een aantal minuten in van 0 tot 1440."),
        ({"sleep_quality": "great"}, "Kies hoe je hebt geslapen: goed, redelijk of slecht."),
        ({"worse_than_yesterday": ""}, "Kies ja of nee."),
        ({"check_date": DaysFromToday(1)}, "in de toekomst"),
        ({"check_date": DaysFromToday(-8)}, "7 dagen terug"),
        ({"check_date": "gisteren"}, "Vul een geldige datum in."),
        ({"check_date": "9999-12-31"}, "Vul een datum in tussen 1900 en 2199."),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(client_for, changes, message):
    response = post(client_for("patient"), **changes)
    assert response.status_code == 200
    assert message in response.text
    assert stored() == 0
