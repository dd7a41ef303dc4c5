"""A patient with a bit of everything: programme, phases, criteria, prescriptions and their
versions, sessions with exercise logs, check-ins, alerts, suggestions, log-ins and links."""

from __future__ import annotations

import datetime as dt

from rehab.audit.services import record
from rehab.auth.models import AccountToken, UserSession
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.programmes.models import ExitCriterion, PhaseChange, PrescriptionVersion, Suggestion
from rehab.training.models import Alert, CheckIn, ExerciseLog, TrainingSession
from tests.factories import clinic_today, make_exercise, make_prescription, make_programme


def make_clinical_history(patient, exercise=None, *, tag: str = "") -> None:
    """Rows in every patient table; ``tag`` goes into free-text fields to find leaks."""
    exercise = exercise or make_exercise()
    therapist = patient.therapist
    programme = make_programme(patient, phases=2, conclusion=f"conclusion {tag}")
    phase = programme.phases[0]
    db.session.add(
        ExitCriterion(phase_id=phase.id, kind="therapist_check", comparison="==",
                      label=f"check {tag}")
    )  # fmt: skip
    prescription = make_prescription(phase, exercise, actor=therapist, notes=f"notes {tag}")
    version = db.session.query(PrescriptionVersion).filter_by(prescription_id=prescription.id).one()
    suggestion = Suggestion(
        prescription_id=prescription.id, patient_id=patient.id, action="hold",
        reasons=[{"code": "pain_amber", "values": {}}], based_on_version=1, note=f"note {tag}",
    )  # fmt: skip
    db.session.add(suggestion)
    db.session.add(
        PhaseChange(programme_id=programme.id, from_phase_id=phase.id,
                    to_phase_id=programme.phases[1].id, changed_by_id=therapist.id,
                    note=f"phase {tag}")
    )  # fmt: skip
    for day in range(3):
        session = TrainingSession(
            patient_id=patient.id, programme_id=programme.id, phase_id=phase.id,
            session_date=clinic_today() - dt.timedelta(days=day), duration_minutes=30,
            session_rpe=5, pain_after=2, note=f"session {tag}",
            submission_key=f"{patient.id}-{day}",
        )  # fmt: skip
        db.session.add(session)
        db.session.flush()
        db.session.add(
            ExerciseLog(session_id=session.id, prescription_id=prescription.id,
                        prescription_version_id=version.id, exercise_id=exercise.id,
                        sets_done=3, reps_done=10, pain_during=2)
        )  # fmt: skip
    check_in = CheckIn(patient_id=patient.id, check_date=clinic_today(), morning_pain=2,
                       stiffness_minutes=10, note=f"check-in {tag}")  # fmt: skip
    db.session.add(check_in)
    db.session.flush()
    db.session.add(
        Alert(clinic_id=patient.clinic_id, patient_id=patient.id, kind="pain_red",
              severity="alert", dedupe_key="d1", evidence={"pain": 7}, check_in_id=check_in.id,
              prescription_id=prescription.id)
    )  # fmt: skip
    db.session.add(UserSession(user_id=patient.user_id, token=f"secret-session-{patient.id}"))
    db.session.add(
        AccountToken(user_id=patient.user_id, purpose="reset", token_hash=f"{patient.id:064d}",
                     expires_at=utcnow() + dt.timedelta(hours=1), created_by_id=therapist.id)
    )  # fmt: skip
    record("view", patient_id=patient.id, object_type="patient", actor=therapist)
    record("login", object_type="user", object_id=patient.user_id, actor=patient.user)
    db.session.commit()
