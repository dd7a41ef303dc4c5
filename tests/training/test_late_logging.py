"""Sessions logged late and sessions before the start (issue 14): a late red session is judged
like any other; nothing is accepted for a programme before it, or an exercise, began."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from rehab.extensions import db
from rehab.programmes.dosing import change_dose
from rehab.programmes.models import Suggestion
from rehab.training.models import Alert, ExerciseLog, TrainingSession
from rehab.training.wording import describe
from tests.factories import make_exercise, make_prescription
from tests.training.factories import check_in, make_plan, session_form, today


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def sessions_stored() -> int:
    return db.session.scalar(select(func.count(TrainingSession.id)))


@pytest.fixture
def plan(world):
    plan = make_plan(world.patient, started_on=days_ago(40))
    for n in range(1, 20):  # a baseline of 2 every morning up to yesterday
        check_in(world.patient, days_ago(n), pain=2)
    db.session.commit()
    return plan


def test_a_red_session_logged_late_after_the_dose_went_up_raises_its_suggestion_and_alert(
    client_for, world, plan
):
    # The squat went from 20 to 22 kg two days ago. Today the patient logs the session of
    # three days ago (at 20 kg): pain during 7/10. The alert comes — and so does the regress,
    # instead of "no sessions at this dose since …".
    squat = plan["squat"]
    old_version = squat.versions[-1].id
    change_dose(squat, {"load_kg": Decimal("22")}, actor=world.therapist,
                reason="Progressie", today=days_ago(2))  # fmt: skip
    db.session.commit()
    data = session_form(
        plan, {"squat": {"sets": "3", "reps": "10", "load_kg": "20", "pain_during": "7"}},
        day=days_ago(3),
    )  # fmt: skip
    response = client_for("patient").post("/training/today", data=data)
    assert response.status_code == 302
    log = db.session.scalar(select(ExerciseLog))
    assert log.prescription_version_id == old_version  # the dose of that day: 20 kg
    (alert,) = db.session.scalars(select(Alert).where(Alert.kind == "pain_red")).all()
    assert alert.evidence["day"] == days_ago(3).isoformat()
    (suggestion,) = db.session.scalars(select(Suggestion).where(Suggestion.status == "open"))
    assert (suggestion.prescription_id, suggestion.action) == (squat.id, "regress")
    with force_locale("en"):
        words = [describe(reason) for reason in suggestion.reasons]
    assert words[0] == "Pain during exercise 7/10 is above 5."
    assert words[1].startswith("Logged late, for ")
    assert not any("No sessions logged at this dose" in w for w in words)


def test_a_red_session_logged_before_the_dose_changed_does_not_regress_twice(world, plan):
    # Logged on time, the red session led to the regress the therapist accepted; once the
    # dose changed it counts no more.
    from rehab.training.suggestions import refresh_suggestions
    from tests.training.factories import log_session

    squat = plan["squat"]
    log_session(world.patient, days_ago(3), exercises=[
        (squat, {"sets_done": 3, "reps_done": 10, "load_kg": Decimal(20), "pain_during": 7}),
    ])  # fmt: skip
    db.session.commit()
    (regress,) = refresh_suggestions(world.patient, today=today())
    assert regress.action == "regress"
    change_dose(squat, {"load_kg": Decimal("18")}, actor=world.therapist, reason="Terug",
                today=days_ago(1))  # fmt: skip
    db.session.commit()
    assert refresh_suggestions(world.patient, today=today()) == []


def test_no_session_before_the_programme_started_is_accepted(client_for, world):
    plan = make_plan(world.patient, started_on=days_ago(2))
    db.session.commit()
    data = session_form(plan, {"squat": {"as_prescribed": "y"}}, day=days_ago(3))
    response = client_for("patient").post("/training/today", data=data)
    assert response.status_code == 200
    assert "Je programma is begonnen op" in response.text
    assert "Er is nog niets opgeslagen" in response.text
    assert sessions_stored() == 0
    # From the first day on it is accepted.
    data = session_form(plan, {"squat": {"as_prescribed": "y"}}, day=days_ago(2))
    assert client_for("patient").post("/training/today", data=data).status_code == 302


def test_an_exercise_added_today_cannot_be_logged_for_yesterday(client_for, world, plan):
    bridge = make_exercise(name="Glute bridge")
    added = make_prescription(plan["phase"], bridge, dose_since=today())
    db.session.commit()
    data = session_form(plan, {added: {"as_prescribed": "y"}}, day=days_ago(1))
    response = client_for("patient").post("/training/today", data=data)
    assert response.status_code == 200
    assert "in je programma vanaf" in response.text
    assert sessions_stored() == 0
    data = session_form(plan, {added: {"as_prescribed": "y"}}, day=today())
    assert client_for("patient").post("/training/today", data=data).status_code == 302


def test_a_phase_that_starts_today_starts_its_doses_today(client_for, world):
    # Built weeks ago, the phase starts now: walking "5 minutes longer every week" counts
    # from today, not from the day the programme was built.
    from rehab.programmes import lifecycle
    from tests.factories import make_programme

    programme = make_programme(world.patient, status="draft", phases=1)
    walk = make_exercise(name="Walk", dosage_type="time", duration_seconds=1200)
    rx = make_prescription(programme.phases[0], walk, sets=1, dosage_type="time",
                           reps_min=None, reps_max=None, duration_seconds=1200,
                           mode="time_contingent", rule_kind="duration_progression",
                           minutes_per_week=5, target_duration_seconds=2400,
                           dose_since=days_ago(30))  # fmt: skip
    db.session.commit()
    lifecycle.activate(world.therapist, programme, programme.version)
    db.session.refresh(rx)
    assert rx.dose_since == today()
