"""Factories for the training area: a programme with a few exercises, logged rows."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from rehab.extensions import db
from rehab.programmes.dosing import as_dose
from rehab.training.models import CheckIn, ExerciseLog, TrainingSession
from tests.factories import clinic_today, make_exercise, make_prescription, make_programme


def today() -> dt.date:
    """Today in the test clinics' zone (Europe/Amsterdam), as the pages see it."""
    return clinic_today()


def make_plan(
    patient, *, schedule_kind="per_week", started_on=None, programme=None, **phase_fields
):
    """An active programme whose current phase has three exercises:

    - squat: 3 × 8–12 reps with 20 kg, double progression (+2 kg), RPE target 7;
    - side plank: 3 × 3 holds of 20 s, hold progression (+5 s a week up to 40 s), on a
      ladder (side plank on knees ← side plank → side plank with leg lift);
    - walk: 1 × 20 min, therapist decides.
    Returns a dict with the programme, the phase, the prescriptions and exercises. With
    ``programme`` (the patient's active one) the exercises join its current phase.
    """
    started_on = started_on or today() - dt.timedelta(days=60)
    if programme is None:
        programme = make_programme(patient, started_on=started_on)
    phase = next(
        (p for p in programme.phases if p.id == programme.current_phase_id), programme.phases[0]
    )
    phase.schedule_kind = schedule_kind
    for name, value in phase_fields.items():
        setattr(phase, name, value)
    squat = make_exercise(name="Goblet squat", dosage_type="reps", category="strength")
    easier_plank = make_exercise(name="Side plank on the knees", dosage_type="hold")
    harder_plank = make_exercise(name="Side plank with leg lift", dosage_type="hold")
    plank = make_exercise(
        name="Side plank",
        dosage_type="hold",
        hold_seconds=20,
        progression_id=harder_plank.id,
        regression_id=easier_plank.id,
    )
    walk = make_exercise(name="Brisk walk", dosage_type="time", category="endurance")
    since = started_on
    squat_rx = make_prescription(
        phase, squat, load_kind="kg", load_kg=Decimal("20"), rule_kind="double_progression",
        load_increment_kg=Decimal("2"), dose_since=since,
    )  # fmt: skip
    plank_rx = make_prescription(
        phase, plank, dosage_type="hold", reps_min=3, reps_max=3, hold_seconds=20,
        rule_kind="hold_progression", seconds_per_week=5, max_hold_seconds=40, dose_since=since,
        session_label="B",
    )  # fmt: skip
    walk_rx = make_prescription(
        phase, walk, sets=1, dosage_type="time", reps_min=None, reps_max=None,
        duration_seconds=1200, target_effort=None, dose_since=since,
    )  # fmt: skip
    squat_rx.session_label = "A"
    db.session.flush()
    return {
        "programme": programme,
        "phase": phase,
        "squat": squat_rx,
        "plank": plank_rx,
        "walk": walk_rx,
        "exercises": {"squat": squat, "plank": plank, "easier_plank": easier_plank,
                      "harder_plank": harder_plank, "walk": walk},
    }  # fmt: skip


def logged_at(day: dt.date) -> dt.datetime:
    """When a row for ``day`` was entered: that day, at noon UTC (as patients usually do)."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def log_session(patient, day, *, rpe=5, minutes=30, pain_after=None, exercises=(), note=None):
    """Store a session directly; ``exercises`` are (prescription, {log fields}) pairs."""
    session = TrainingSession(
        created_at=logged_at(day),
        patient_id=patient.id,
        session_date=day,
        duration_minutes=minutes,
        session_rpe=rpe,
        pain_after=pain_after,
        note=note,
        submission_key=secrets.token_urlsafe(24),
    )
    for prescription, values in exercises:
        version = prescription.versions[-1]
        session.exercises.append(
            ExerciseLog(
                prescription_id=prescription.id,
                prescription_version_id=version.id,
                exercise_id=prescription.exercise_id,
                **values,
            )
        )
    db.session.add(session)
    db.session.flush()
    return session


def top_of_range(prescription, *, pain=2, effort=6) -> dict:
    """Log values that reach the top of the prescription's dose."""
    dose = as_dose(prescription)
    values = {"sets_done": dose.sets, "pain_during": pain, "effort": Decimal(effort)}
    if dose.reps_max is not None:
        values["reps_done"] = dose.reps_max
    if dose.hold_seconds is not None:
        values["hold_seconds_done"] = dose.hold_seconds
    if dose.duration_seconds is not None:
        values["duration_seconds_done"] = dose.duration_seconds
    if dose.load_kg is not None:
        values["load_kg"] = dose.load_kg
    return values


def check_in(patient, day, pain=2, *, stiffness=5, sleep="good", worse=False):
    row = CheckIn(
        created_at=logged_at(day),
        patient_id=patient.id,
        check_date=day,
        morning_pain=pain,
        stiffness_minutes=stiffness,
        sleep_quality=sleep,
        worse_than_yesterday=worse,
    )
    db.session.add(row)
    db.session.flush()
    return row


def session_form(plan, prescriptions, *, day=None, key=None, **session) -> dict:
    """POST data for the today page: ``prescriptions`` maps a plan key to entry fields."""
    data = {
        "submission_key": key or secrets.token_urlsafe(24),
        "session_date": (day or today()).isoformat(),
        "duration_minutes": session.pop("duration_minutes", 30),
        "session_rpe": session.pop("session_rpe", 5),
        "pain_during": session.pop("pain_during", 2),
        "pain_after": session.pop("pain_after", ""),
        "note": session.pop("note", ""),
    }
    for index, (name, fields) in enumerate(prescriptions.items()):
        prescription = plan[name] if isinstance(name, str) else name
        data[f"exercises-{index}-prescription_id"] = str(prescription.id)
        for field, value in fields.items():
            data[f"exercises-{index}-{field}"] = value
    return data


def bulk_caseload(clinic, therapist, patients: int, *, days: int, end: dt.date) -> list[int]:
    """``patients`` patients with an active programme and ``days`` days of history up to
    ``end`` (sessions Mon/Wed/Fri with one exercise each, a check-in every day), written
    with bulk INSERTs so that hundreds of patients with a year of logs stay quick to make.
    Returns the patients' ids.
    """
    from sqlalchemy import insert, select

    from rehab.auth.models import User
    from rehab.patients.models import Patient
    from rehab.programmes.models import Phase, Prescription, PrescriptionVersion, Programme

    def ids_of(model, column, values):
        rows = db.session.execute(select(model.id, column).where(column.in_(values))).all()
        by_value = dict((value, row_id) for row_id, value in rows)
        return [by_value[v] for v in values]

    tag = secrets.token_hex(4)
    emails = [f"bulk-{tag}-{n}@example.test" for n in range(patients)]
    db.session.execute(insert(User), [
        {"clinic_id": clinic.id, "email": e, "full_name": f"Bulk {n}", "role": "patient",
         "locale": "nl", "active": True} for n, e in enumerate(emails)
    ])  # fmt: skip
    user_ids = ids_of(User, User.email, emails)
    db.session.execute(insert(Patient), [
        {"clinic_id": clinic.id, "therapist_id": therapist.id, "user_id": uid,
         "first_name": "Bulk", "last_name": f"{tag}-{n:04d}", "email": emails[n],
         "preferred_language": "nl", "status": "active"} for n, uid in enumerate(user_ids)
    ])  # fmt: skip
    patient_ids = ids_of(Patient, Patient.user_id, user_ids)
    start = end - dt.timedelta(days=days - 1)
    titles = [f"bulk-{tag}-{pid}" for pid in patient_ids]
    db.session.execute(insert(Programme), [
        {"clinic_id": clinic.id, "patient_id": pid, "title": title, "status": "active",
         "language": "nl", "created_by_id": therapist.id, "started_on": start, "version": 1}
        for pid, title in zip(patient_ids, titles, strict=True)
    ])  # fmt: skip
    programme_ids = ids_of(Programme, Programme.title, titles)
    db.session.execute(insert(Phase), [
        {"programme_id": prog, "position": 1, "name": "Fase 1", "schedule_kind": "per_week",
         "sessions_per_week": 3} for prog in programme_ids
    ])  # fmt: skip
    phase_ids = ids_of(Phase, Phase.programme_id, programme_ids)
    for prog, phase in zip(programme_ids, phase_ids, strict=True):
        db.session.execute(
            Programme.__table__.update().where(Programme.id == prog).values(current_phase_id=phase)
        )
    exercise = make_exercise(name=f"Bulk squat {tag}")
    db.session.execute(insert(Prescription), [
        {"phase_id": phase, "exercise_id": exercise.id, "position": 1, "sets": 3,
         "dosage_type": "reps", "reps_min": 8, "reps_max": 12, "load_kind": "bodyweight",
         "effort_kind": "rpe", "mode": "pain_contingent", "rule_kind": "therapist_decides",
         "sides": "both", "current_version": 1, "dose_since": start, "paused": False}
        for phase in phase_ids
    ])  # fmt: skip
    prescription_ids = ids_of(Prescription, Prescription.phase_id, phase_ids)
    db.session.execute(insert(PrescriptionVersion), [
        {"prescription_id": rx, "version": 1, "exercise_id": exercise.id, "dose": {},
         "effective_on": start}
        for rx in prescription_ids
    ])  # fmt: skip
    version_ids = ids_of(PrescriptionVersion, PrescriptionVersion.prescription_id, prescription_ids)
    calendar = [start + dt.timedelta(days=n) for n in range(days)]
    session_days = [d for d in calendar if d.weekday() in (0, 2, 4)]
    keys, session_rows = [], []
    for pid in patient_ids:
        for d in session_days:
            key = f"{tag}-{pid}-{d.isoformat()}"
            keys.append((pid, key))
            session_rows.append({
                "patient_id": pid, "session_date": d, "duration_minutes": 30 + d.day % 10,
                "session_rpe": 5, "pain_after": 2, "submission_key": key,
            })  # fmt: skip
    db.session.execute(insert(TrainingSession), session_rows)
    session_ids = dict(
        db.session.execute(
            select(TrainingSession.submission_key, TrainingSession.id).where(
                TrainingSession.patient_id.in_(patient_ids)
            )
        ).all()
    )
    rx_of = dict(zip(patient_ids, zip(prescription_ids, version_ids, strict=True), strict=True))
    db.session.execute(insert(ExerciseLog), [
        {"session_id": session_ids[key], "prescription_id": rx_of[pid][0],
         "prescription_version_id": rx_of[pid][1], "exercise_id": exercise.id, "skipped": False,
         "sets_done": 3, "reps_done": 10, "pain_during": 2}
        for pid, key in keys
    ])  # fmt: skip
    db.session.execute(insert(CheckIn), [
        {"patient_id": pid, "check_date": d, "morning_pain": 2, "stiffness_minutes": 10,
         "sleep_quality": "good", "worse_than_yesterday": False}
        for pid in patient_ids for d in calendar
    ])  # fmt: skip
    db.session.commit()
    return patient_ids
