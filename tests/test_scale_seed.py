"""`flask rehab seed-scale`: a tiny run from the command line, and its refusal to mix."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.training.models import ExerciseLog


def test_seed_scale_writes_a_tiny_practice_and_then_refuses(runner):
    result = runner.invoke(
        args=["rehab", "seed-scale", "--therapists", "2", "--patients", "4", "--weeks", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "exercise_logs" in result.output
    assert db.session.scalar(select(func.count(Patient.id))) == 4
    assert db.session.scalar(select(func.count(ExerciseLog.id))) > 0
    # The sets inside the exercise logs are counted and reported too.
    sets = db.session.scalar(select(func.sum(ExerciseLog.sets_done)))
    assert sets > 0
    assert re.search(rf"\(sets in exercise_logs\) +{sets}\n", result.output), result.output

    again = runner.invoke(args=["rehab", "seed-scale", "--patients", "4"])
    assert again.exit_code != 0
    assert "already has patients" in again.output
    assert db.session.scalar(select(func.count(Patient.id))) == 4


def test_the_same_seed_gives_the_same_data(runner):
    args = ["rehab", "seed-scale", "--therapists", "1", "--patients", "3", "--weeks", "4"]
    for extra in ([], ["--force"]):
        result = runner.invoke(args=[*args, "--seed", "7", *extra])
        assert result.exit_code == 0, result.output
    from rehab.training.models import TrainingSession

    per_clinic = db.session.execute(
        select(
            func.count(ExerciseLog.id),
            func.sum(ExerciseLog.reps_done),
            func.sum(ExerciseLog.pain_during),
        )
        .join(TrainingSession, TrainingSession.id == ExerciseLog.session_id)
        .join(Patient, Patient.id == TrainingSession.patient_id)
        .group_by(Patient.clinic_id)
        .order_by(Patient.clinic_id)
    ).all()
    assert len(per_clinic) == 2
    assert per_clinic[0] == per_clinic[1]
