"""Property tests: whatever a patient (or a broken client) sends, the logging and check-in
forms either store values within the database's bounds or store nothing — never a 500."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from rehab.extensions import db
from rehab.training.models import CheckIn, ExerciseLog, TrainingSession
from tests.training.factories import make_plan, today

PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

numbers = st.one_of(
    st.integers(min_value=0, max_value=12).map(str),  # mostly plausible values…
    st.integers(min_value=-20_000, max_value=20_000).map(str),  # …and anything else
    st.sampled_from(["", " ", "abc", "1e3", "3.5", "0", "10", "11", "-1", "100000000000"]),
)
days = st.integers(min_value=-10, max_value=3).map(
    lambda n: (today() + dt.timedelta(days=n)).isoformat()
)
flags = st.sampled_from(["", "y"])


@pytest.fixture
def plan(world):
    plan = make_plan(world.patient)
    db.session.commit()
    return plan


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


@PROPERTY_SETTINGS
@given(
    session=st.fixed_dictionaries(
        {
            "session_date": days,
            "duration_minutes": numbers,
            "session_rpe": numbers,
            "pain_after": numbers,
        }
    ),
    exercise=st.fixed_dictionaries(
        {
            "sets": numbers,
            "reps": numbers,
            "load_kg": numbers,
            "pain_during": numbers,
            "effort": numbers,
            "as_prescribed": flags,
            "skipped": flags,
            "skip_reason": st.sampled_from(["", "time", "pain", "nonsense"]),
        }
    ),
)
def test_the_logging_form_stores_valid_values_or_nothing(client_for, plan, session, exercise):
    client = client_for("patient")
    before = count(TrainingSession)
    data = {"submission_key": secrets.token_urlsafe(24), "note": "", **session}
    data["exercises-0-prescription_id"] = str(plan["squat"].id)
    data.update({f"exercises-0-{name}": value for name, value in exercise.items() if value})
    response = client.post("/training/today", data=data)
    assert response.status_code in (200, 302)
    event(f"status {response.status_code}")
    stored = count(TrainingSession) - before
    if response.status_code == 200:
        assert stored == 0
        return
    assert stored == 1
    session_row = db.session.scalar(
        select(TrainingSession).where(TrainingSession.submission_key == data["submission_key"])
    )
    assert 1 <= session_row.duration_minutes <= 600 and 0 <= session_row.session_rpe <= 10
    assert today() - dt.timedelta(days=7) <= session_row.session_date <= today()
    (log,) = db.session.scalars(select(ExerciseLog).where(ExerciseLog.session_id == session_row.id))
    for value, top in ((log.sets_done, 20), (log.reps_done, 100), (log.pain_during, 10)):
        assert value is None or 0 <= value <= top
    assert log.skipped or log.sets_done is not None


@PROPERTY_SETTINGS
@given(
    values=st.fixed_dictionaries(
        {
            "check_date": days,
            "morning_pain": numbers,
            "stiffness_minutes": numbers,
            "sleep_quality": st.sampled_from(["", "good", "fair", "poor", "great"]),
            "worse_than_yesterday": st.sampled_from(["", "yes", "no", "maybe"]),
        }
    )
)
def test_the_check_in_form_stores_valid_values_or_nothing(client_for, plan, values):
    before = count(CheckIn)
    day = dt.date.fromisoformat(values["check_date"])
    existing = db.session.scalar(select(func.count(CheckIn.id)).where(CheckIn.check_date == day))
    response = client_for("patient").post("/training/check-in", data=values)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert count(CheckIn) == before
        return
    assert count(CheckIn) == before + (0 if existing else 1)
    row = db.session.scalar(select(CheckIn).where(CheckIn.check_date == day))
    db.session.refresh(row)
    assert 0 <= row.morning_pain <= 10 and 0 <= row.stiffness_minutes <= 1440
    assert row.sleep_quality in ("good", "fair", "poor")
