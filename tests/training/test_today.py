"""The today page follows the phase's schedule: per week, fixed weekdays, or a rotation."""

from __future__ import annotations

import datetime as dt

from rehab.extensions import db
from rehab.training.schedule import (
    Schedule,
    is_session_day,
    next_rotation_label,
    next_session_day,
    parse_rotation,
    parse_weekdays,
    session_label_of,
)
from tests.training.factories import log_session, make_plan, today

WEDNESDAY = dt.date(2024, 1, 3)


def test_schedule_rules_on_plain_values():
    assert parse_weekdays("1, 3,5,9,x") == (1, 3, 5)
    assert parse_rotation(" A,B ,,C") == ("A", "B", "C")
    fixed = Schedule("weekdays", weekdays=(1, 3, 5))
    assert is_session_day(fixed, WEDNESDAY)
    assert not is_session_day(fixed, WEDNESDAY + dt.timedelta(days=1))
    assert next_session_day(fixed, WEDNESDAY) == WEDNESDAY + dt.timedelta(days=2)  # Friday
    assert next_session_day(fixed, WEDNESDAY + dt.timedelta(days=2)) == dt.date(2024, 1, 8)
    assert fixed.sessions_prescribed_per_week == 3
    assert is_session_day(Schedule("per_week", sessions_per_week=3), WEDNESDAY)
    assert next_rotation_label(("A", "B"), None) == "A"
    assert next_rotation_label(("A", "B"), "A") == "B"
    assert next_rotation_label(("A", "B"), "B") == "A"
    assert next_rotation_label(("A", "B", "C"), "Z") == "A"
    assert session_label_of(["B", None, "B", "A"], ("A", "B")) == "B"
    assert session_label_of([None], ("A", "B")) is None


def test_per_week_shows_every_exercise_and_the_count(client_for, world):
    plan = make_plan(world.patient, sessions_per_week=4)
    log_session(world.patient, today())
    db.session.commit()
    html = client_for("patient").get("/training/today").text
    for name in ("Goblet squat", "Side plank", "Brisk walk"):
        assert name in html
    assert "1 van 4 sessies deze week" in html
    assert "Je hebt vandaag een sessie ingevuld" in html
    # Logged today: the form is still there, folded away, for a session missed earlier.
    assert "Toch een sessie invullen" in html
    assert plan["phase"].sessions_per_week == 4


def test_fixed_weekdays_make_other_days_rest_days(client_for, world):
    tomorrow = today() + dt.timedelta(days=1)
    plan = make_plan(world.patient, schedule_kind="weekdays", weekdays=str(tomorrow.isoweekday()))
    db.session.commit()
    html = client_for("patient").get("/training/today").text
    assert "Vandaag is een rustdag." in html
    assert "Je volgende sessie is op" in html
    assert "Toch een sessie invullen" in html  # a missed session can still be logged
    plan["phase"].weekdays = str(today().isoweekday())
    db.session.commit()
    html = client_for("patient").get("/training/today").text
    assert "rustdag" not in html and "Goblet squat" in html


def test_a_rotation_shows_the_label_after_the_last_session(client_for, world):
    plan = make_plan(world.patient, schedule_kind="rotation", rotation="A,B")
    db.session.commit()
    html = client_for("patient").get("/training/today").text
    # A: the squat (label A) and the walk (no label: every session); not the plank (B).
    assert "Vandaag: sessie A" in html
    assert "Goblet squat" in html and "Brisk walk" in html and "Side plank" not in html
    yesterday = today() - dt.timedelta(days=1)
    squat = (plan["squat"], {"sets_done": 3, "reps_done": 8})
    session = log_session(world.patient, yesterday, exercises=[squat])
    session.phase_id = plan["phase"].id
    db.session.commit()
    html = client_for("patient").get("/training/today").text
    assert "Vandaag: sessie B" in html
    assert "Side plank" in html and "Goblet squat" not in html


def test_without_a_programme_the_page_says_so(client_for):
    html = client_for("other_patient").get("/training/today").text
    assert "nog geen oefenprogramma" in html
