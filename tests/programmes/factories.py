"""Factories for programme tests: the library, programmes of any size, form data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rehab.extensions import db
from rehab.programmes.models import ExitCriterion
from rehab.training.models import CheckIn, ExerciseLog, TrainingSession
from tests.factories import make_exercise, make_prescription, make_programme


def load_library() -> None:
    """The built-in exercise library from its files (the exercises area's loader)."""
    from rehab.exercises.services import load_library as load

    load()


def build_programme(patient, *, phases: int = 1, exercises: int = 2, status="draft", **fields):
    """A programme with ``phases`` phases of ``exercises`` prescriptions and 3 criteria each."""
    programme = make_programme(patient, status=status, phases=phases, **fields)
    if status != "active":
        programme.current_phase_id = None
    hold_exercise = make_exercise(name="Side bridge", dosage_type="hold", hold_seconds=10)
    for phase in programme.phases:
        made = []
        for number in range(exercises):
            if number == 0:
                rx = make_prescription(
                    phase, hold_exercise, dosage_type="hold", reps_min=5, reps_max=5,
                    hold_seconds=10, position=1,
                )  # fmt: skip
            else:
                rx = make_prescription(
                    phase,
                    make_exercise(name=f"Exercise {phase.position}.{number}"),
                    position=number + 1,
                )
            made.append(rx)
        db.session.flush()
        db.session.add_all(
            [
                ExitCriterion(phase_id=phase.id, position=1, kind="pain_during_max",
                              comparison="<=", target=Decimal(3), window_weeks=2,
                              label="Pain ≤ 3", is_default=True),
                ExitCriterion(phase_id=phase.id, position=2, kind="therapist_check",
                              comparison="==", target=Decimal(1), label="No red flags"),
                ExitCriterion(phase_id=phase.id, position=3, kind="hold_time",
                              comparison=">=", target=Decimal(10), window_weeks=1,
                              prescription_id=made[0].id, label="Hold 10 s"),
            ]
        )  # fmt: skip
    if status == "active":
        programme.phases[0].started_on = programme.started_on
    db.session.commit()
    return programme


def log_session(patient, day: dt.date, prescription=None, *, key=None, **done):
    """A logged session on ``day``; with a prescription, one exercise log for it."""
    session = TrainingSession(
        patient_id=patient.id,
        session_date=day,
        duration_minutes=30,
        session_rpe=5,
        submission_key=key
        or f"{patient.id}-{day.isoformat()}-{id(done)}-{prescription and prescription.id}",
    )
    db.session.add(session)
    db.session.flush()
    if prescription is not None:
        db.session.add(
            ExerciseLog(
                session_id=session.id,
                prescription_id=prescription.id,
                prescription_version_id=prescription.versions[-1].id,
                exercise_id=prescription.exercise_id,
                **done,
            )
        )
    db.session.flush()
    return session


def check_in(patient, day: dt.date, morning_pain: int):
    db.session.add(
        CheckIn(patient_id=patient.id, check_date=day, morning_pain=morning_pain,
                stiffness_minutes=5)
    )  # fmt: skip
    db.session.flush()


def dose_form(version: int, **overrides) -> dict:
    """Form data for a prescription: 3 × 8–12 reps at 12 kg, double progression +2 kg."""
    data = {
        "version": version,
        "sets": 3,
        "dosage_type": "reps",
        "reps_min": 8,
        "reps_max": 12,
        "load_kind": "kg",
        "load_kg": "12",
        "effort_kind": "rpe",
        "target_effort": "7",
        "rest_seconds": 60,
        "sides": "both",
        "mode": "pain_contingent",
        "rule_kind": "double_progression",
        "load_increment_kg": "2",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
