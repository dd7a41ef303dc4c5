"""Demo data: six weeks of home sessions and check-ins for the demo patients.

Runs after the programmes seeder and logs against whatever active programmes it made, so
the dashboard shows alerts and suggestions at once. Each demo patient tells one story:
1. a gradual load increase with green pain, reaching the top of the range (progress);
2. a steady start, then a load spike this week (week-on-week and session spike alerts);
3. a red pain response in her last session (pain alert, regress suggestion);
4. a gap: nothing logged for the last ten days (no-logs alert, a gap in the charts);
5. steady training, but long morning stiffness and worse sleep (warning signs to review).
Values vary by a fixed pattern, not at random, so the demo looks the same every time.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from rehab.extensions import db
from rehab.programmes.models import Phase, Prescription, PrescriptionVersion
from rehab.training.alerts import scan_alerts
from rehab.training.models import CheckIn, ExerciseLog, TrainingSession
from rehab.training.schedule import monday_of
from rehab.training.services import active_programme, current_prescriptions
from rehab.training.suggestions import refresh_suggestions

WEEKS = 6
SESSION_WEEKDAYS = (0, 2, 4)  # Monday, Wednesday, Friday
STORIES = ("gradual", "spike", "red", "gap", "warning_signs")


def seed(demo) -> None:
    """Log sessions and check-ins for every demo patient with an active programme."""
    today = demo.today
    for index, patient in enumerate(demo.patients):
        programme = active_programme(patient.id)
        prescriptions = current_prescriptions(programme)
        if not prescriptions:
            continue
        story = STORIES[index % len(STORIES)]
        start = monday_of(today) - dt.timedelta(weeks=WEEKS - 1)
        _backdate(programme, prescriptions, start)
        versions = _version_ids(prescriptions)
        _log_story(story, patient, programme, prescriptions, versions, start, today)
        db.session.flush()
        refresh_suggestions(patient, today=today)
    scan_alerts(today=today, clinic_ids=[demo.clinic.id])


def _backdate(programme, prescriptions, start: dt.date) -> None:
    # The demo programme "started" six weeks ago, so its logs count at the current dose.
    programme.started_on = min(programme.started_on or start, start)
    phase = db.session.get(Phase, programme.current_phase_id)
    if phase is not None:
        phase.started_on = min(phase.started_on or start, start)
    for prescription in prescriptions:
        prescription.dose_since = start


def _version_ids(prescriptions: list[Prescription]) -> dict[int, int]:
    rows = db.session.execute(
        db.select(PrescriptionVersion.prescription_id, PrescriptionVersion.id).where(
            PrescriptionVersion.prescription_id.in_([p.id for p in prescriptions])
        )
    ).all()
    return dict(rows)


def _log_story(story, patient, programme, prescriptions, versions, start, today) -> None:
    # The red story turns on the last regular session day at least two days ago: that
    # session hurts, the next morning is above baseline, and nothing is logged after it.
    red_day = max(
        today - dt.timedelta(days=n)
        for n in range(2, 9)
        if (today - dt.timedelta(days=n)).weekday() in SESSION_WEEKDAYS
    )
    for offset in range((today - start).days + 1):
        day = start + dt.timedelta(days=offset)
        ago = (today - day).days
        if story == "gap" and ago < 10:
            continue
        _check_in(patient, day, story, today, red_day)
        if not _is_session_day(story, day, today) or (story == "red" and day > red_day):
            continue
        minutes, rpe = _session_size(story, offset // 7, day, today)
        pain = 1 + day.toordinal() % 2
        top = story == "gradual" and ago <= 6
        session = TrainingSession(
            created_at=_entered(day),
            patient_id=patient.id,
            programme_id=programme.id,
            phase_id=programme.current_phase_id,
            session_date=day,
            duration_minutes=minutes,
            session_rpe=rpe,
            pain_after=min(pain + 1, 10),
            submission_key=secrets.token_urlsafe(24),
        )
        for n, prescription in enumerate(prescriptions):
            if prescription.id in versions:
                skipped = story == "warning_signs" and (offset + n) % 9 == 0
                # The red story: the first exercise hurt (7/10).
                hurt = 7 if story == "red" and day == red_day and n == 0 else pain
                session.exercises.append(
                    _exercise_log(prescription, versions[prescription.id], hurt, skipped, top)
                )
        db.session.add(session)


def _is_session_day(story: str, day: dt.date, today: dt.date) -> bool:
    ago = (today - day).days
    if ago == 0:
        return False  # today's session is the patient's to log
    if (story == "red" and ago == 2) or (story == "spike" and ago == 1):
        return True  # the day the story turns
    return day.weekday() in SESSION_WEEKDAYS


def _session_size(story: str, week: int, day: dt.date, today: dt.date) -> tuple[int, int]:
    """Minutes and session RPE: a slow rise, and for the spike story a jump lately."""
    wobble = day.toordinal() % 3
    minutes, rpe = 30 + week + wobble, 5
    ago = (today - day).days
    if story == "spike" and ago == 1:
        return 80, 8
    if story == "spike" and ago <= 9:
        return 55 + wobble, 7
    return minutes, rpe


def _check_in(patient, day: dt.date, story: str, today: dt.date, red_day: dt.date) -> None:
    """A steady morning pain of 2 (the baseline), with each story's own deviations."""
    ago = (today - day).days
    after_red = story == "red" and day == red_day + dt.timedelta(days=1)
    morning = 5 if after_red else 2
    stiffness = 10 + day.toordinal() % 3 * 5
    sleep = "good" if day.toordinal() % 4 else "fair"
    if story == "warning_signs":
        if ago <= 2:
            stiffness = 45
        last_monday = monday_of(today) - dt.timedelta(weeks=1)
        if last_monday <= day < monday_of(today):
            sleep = "poor"
    db.session.add(
        CheckIn(
            created_at=_entered(day),
            patient_id=patient.id,
            check_date=day,
            morning_pain=morning,
            stiffness_minutes=stiffness,
            sleep_quality=sleep,
            worse_than_yesterday=after_red,
        )
    )


def _entered(day: dt.date) -> dt.datetime:
    """Demo rows were filled in on their own day (so a gap in the demo looks like one)."""
    return dt.datetime.combine(day, dt.time(19), tzinfo=dt.UTC)


def _exercise_log(prescription, version_id, pain, skipped, top) -> ExerciseLog:
    p = prescription
    log = ExerciseLog(
        prescription_id=p.id,
        prescription_version_id=version_id,
        exercise_id=p.exercise_id,
        skipped=skipped,
        skip_reason="time" if skipped else None,
    )
    if skipped:
        return log
    log.sets_done = p.sets
    if p.dosage_type in ("reps", "hold"):
        log.reps_done = (p.reps_max if top else p.reps_min) or p.reps_max
    if p.dosage_type == "hold":
        log.hold_seconds_done = p.hold_seconds
    if p.dosage_type == "time":
        log.duration_seconds_done = p.duration_seconds
    if p.dosage_type == "distance":
        log.distance_m_done = p.distance_m
    if p.load_kind == "kg":
        log.load_kg = p.load_kg
    log.pain_during = pain
    if p.target_effort is not None:
        log.effort = max(Decimal(0), p.target_effort - (1 if top else 0))
    return log
