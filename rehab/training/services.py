"""Operations on what patients log: the sessions logged against their plan (the plan
itself, what is due today, is rehab.training.plan).

Services take the acting user and plain values, write the audit entry and commit once per
user action. After a session or a check-in the patient's suggestions are recomputed and the
patient's alerts scanned, in the same transaction (``after_logging``). The morning check-in
is in rehab.training.check_ins, the therapist's decisions in rehab.training.decisions, and
what is open per patient (for lists of patients) in rehab.training.open_items.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import abort
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.patients.services import patient_for
from rehab.programmes import services as programme_services
from rehab.programmes.models import (
    Prescription,
    Programme,
)
from rehab.training.models import ExerciseLog, TrainingSession

SESSIONS_PER_PAGE = 20


class LoggingRefused(Exception):
    """The entry cannot be stored; ``message`` says why in the user's words."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- the programme ---------------------------------------------------------------------------


def active_programme(patient_id: int) -> Programme | None:
    """The patient's active programme with its phases and prescriptions loaded."""
    return programme_services.active_programme(patient_id)


def current_prescriptions(programme: Programme | None) -> list[Prescription]:
    """The current phase's prescriptions (archived ones are no longer done)."""
    phase = programme_services.current_phase(programme) if programme else None
    return programme_services.active_prescriptions(phase) if phase else []


def exercises_by_id(ids) -> dict[int, Exercise]:
    """The exercises by id; those this transaction already loaded are not asked for again
    (logging a session needs them for the plan, the form and the suggestions)."""
    found: dict[int, Exercise] = {}
    missing = set()
    for exercise_id in set(ids):  # look-ups in the session's identity map, not queries
        loaded = db.session.identity_map.get(db.session.identity_key(Exercise, exercise_id))
        if loaded is not None and not inspect(loaded).expired_attributes:
            found[exercise_id] = loaded
        else:
            missing.add(exercise_id)
    if missing:
        found.update(
            (e.id, e) for e in db.session.scalars(select(Exercise).where(Exercise.id.in_(missing)))
        )
    return found


def logged_on_day(timestamp: dt.datetime, clinic) -> dt.date:
    return timestamp.astimezone(ZoneInfo(clinic.timezone)).date()


def new_submission_key() -> str:
    """A fresh key for a rendered form: resending that form carries the same key."""
    return secrets.token_urlsafe(24)


# --- logging a session ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseEntry:
    """What the patient logged of one prescription (None = not entered)."""

    prescription_id: int
    as_prescribed: bool = False
    skipped: bool = False
    skip_reason: str | None = None
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    duration_seconds: int | None = None
    distance_m: int | None = None
    load_kg: Decimal | None = None
    pain_during: int | None = None
    effort: Decimal | None = None
    feel: str | None = None  # "too_hard" / "too_easy" (models.EXERCISE_FEELS)


@dataclass(frozen=True)
class SessionEntry:
    submission_key: str
    session_date: dt.date
    duration_minutes: int
    session_rpe: int
    pain_after: int | None = None
    note: str | None = None
    exercises: tuple[ExerciseEntry, ...] = ()


def session_by_key(key: str) -> TrainingSession | None:
    return db.session.scalar(select(TrainingSession).where(TrainingSession.submission_key == key))


def session_for(actor, session_id: int) -> TrainingSession:
    """A session of the logged-in patient, or of a patient the staff member may see; else 404."""
    session = db.session.get(
        TrainingSession, session_id, options=[selectinload(TrainingSession.exercises)]
    )
    if session is None:
        abort(404)
    patient_for(actor, session.patient_id, what="training_session")
    return session


def log_session(
    actor,
    patient: Patient,
    entry: SessionEntry,
    *,
    today: dt.date,
    programme: Programme | None = None,
    key_checked: bool = False,
) -> tuple[TrainingSession, bool]:
    """Store a session with its exercises; returns (session, created).

    The same submission key twice (double tap, resend, back button) returns the stored
    session: the unique index decides when two requests race. ``programme`` is the
    patient's active programme when the caller has just loaded it (the today page has);
    ``key_checked`` says the caller has just looked the key up and found no session (the
    race is still the index's to decide).
    """
    stored = None if key_checked else session_by_key(entry.submission_key)
    if stored is not None:
        return same_patient(stored, patient), False
    check_logged_date(entry.session_date, today)
    programme = programme or active_programme(patient.id)
    allowed = {p.id: p for p in current_prescriptions(programme)}
    _check_prescriptions(entry.exercises, allowed)
    calendar = _calendar(programme, allowed)
    _check_started(entry, programme, allowed, calendar)
    session = TrainingSession(
        patient_id=patient.id,
        programme_id=programme.id if programme else None,
        phase_id=programme.current_phase_id if programme else None,
        session_date=entry.session_date,
        duration_minutes=entry.duration_minutes,
        session_rpe=entry.session_rpe,
        pain_after=entry.pain_after,
        note=entry.note,
        submission_key=entry.submission_key,
    )
    for exercise in entry.exercises:
        prescription = allowed[exercise.prescription_id]
        log = ExerciseLog(prescription_id=prescription.id, exercise_id=prescription.exercise_id)
        version_id = calendar.version_on(prescription.id, entry.session_date)
        _fill_log(log, exercise, prescription, version_id)
        session.exercises.append(log)
    db.session.add(session)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request with the same key won the race: show what it stored.
        db.session.rollback()
        stored = session_by_key(entry.submission_key)
        if stored is None:
            raise
        return same_patient(stored, patient), False
    record(
        Action.CREATE,
        patient_id=patient.id,
        object_type="training_session",
        object_id=session.id,
        summary=Summary.of("session_logged", **_session_values(session)),
        actor=actor,
    )
    after_logging(patient, today=today, programme=programme)
    db.session.commit()
    return session, True


def correct_session(
    actor, patient: Patient, session: TrainingSession, entry: SessionEntry, *, today: dt.date
) -> TrainingSession:
    """Correct a session on the day it was logged; exercises left blank are removed."""
    if not can_correct(session, patient, today):
        raise LoggingRefused(_refusal("correct_closed"))
    check_logged_date(entry.session_date, today)
    logged = {log.prescription_id: log for log in session.exercises}
    programme = active_programme(patient.id)
    allowed = {p.id: p for p in current_prescriptions(programme)}
    current = dict(allowed)
    allowed.update(_prescriptions_by_id(set(logged) - set(allowed)))
    _check_prescriptions(entry.exercises, allowed)
    calendar = _calendar(programme, current)
    _check_started(entry, programme, current, calendar)
    session.session_date = entry.session_date
    session.duration_minutes = entry.duration_minutes
    session.session_rpe = entry.session_rpe
    session.pain_after = entry.pain_after
    session.note = entry.note
    kept = set()
    for exercise in entry.exercises:
        prescription = allowed[exercise.prescription_id]
        log = logged.get(prescription.id)
        if log is None:
            log = ExerciseLog(prescription_id=prescription.id, exercise_id=prescription.exercise_id)
            session.exercises.append(log)
        version_id = log.prescription_version_id
        if prescription.id in current:  # the day may have changed: the dose in effect then
            version_id = calendar.version_on(prescription.id, entry.session_date)
        _fill_log(log, exercise, prescription, version_id)
        kept.add(prescription.id)
    for prescription_id, log in logged.items():
        if prescription_id not in kept:
            session.exercises.remove(log)
    record(
        Action.UPDATE,
        patient_id=patient.id,
        object_type="training_session",
        object_id=session.id,
        summary=Summary.of("session_corrected", **_session_values(session)),
        actor=actor,
    )
    db.session.flush()
    after_logging(patient, today=today)
    db.session.commit()
    return session


def can_correct(session: TrainingSession, patient: Patient, today: dt.date) -> bool:
    """A session can be corrected on the calendar day it was logged (clinic time)."""
    return logged_on_day(session.created_at, patient.clinic) == today


def same_patient(stored: TrainingSession, patient: Patient) -> TrainingSession:
    """A stored session found by its key, if it is this patient's; another's is a 409."""
    if stored.patient_id != patient.id:
        abort(409)
    return stored


def check_logged_date(day: dt.date, today: dt.date) -> None:
    """A session or a check-in is logged for today or one of the last DAYS_BACK days."""
    from rehab.training.forms import DAYS_BACK

    if day > today:
        raise LoggingRefused(_refusal("future"), "session_date")
    if day < today - dt.timedelta(days=DAYS_BACK):
        raise LoggingRefused(_refusal("too_old"), "session_date")


def _calendar(programme: Programme | None, prescriptions: dict[int, Prescription]):
    from rehab.training.dose_days import dose_calendar

    phase = programme_services.current_phase(programme) if programme else None
    return dose_calendar(list(prescriptions.values()), programme, phase)


def _check_started(entry, programme, prescriptions: dict[int, Prescription], calendar) -> None:
    """No session before the programme started, nor an exercise before it began (issue 14)."""
    day = entry.session_date
    if programme is not None and programme.started_on and day < programme.started_on:
        raise LoggingRefused(_refusal("before_programme", day=programme.started_on), "session_date")
    for exercise in entry.exercises:
        start = calendar.start(exercise.prescription_id)
        if exercise.prescription_id in prescriptions and start is not None and day < start:
            raise LoggingRefused(_refusal("before_exercise", day=start), "session_date")


def _check_prescriptions(entries, allowed: dict[int, Prescription]) -> None:
    if not entries:
        raise LoggingRefused(_refusal("nothing"))
    ids = [entry.prescription_id for entry in entries]
    if len(set(ids)) != len(ids) or any(pid not in allowed for pid in ids):
        raise LoggingRefused(_refusal("not_yours"), "exercises")


def _refusal(code: str, day: dt.date | None = None) -> str:
    from rehab.core.i18n import format_date
    from rehab.core.i18n import gettext as _
    from rehab.training.forms import DAYS_BACK

    if code == "before_programme":
        return _(
            "Your programme started on %(date)s: log sessions from that day on.",
            date=format_date(day, "d MMMM yyyy"),
        )
    if code == "before_exercise":
        return _(
            "Some of these exercises are in your programme from %(date)s: log them from "
            "that day on, or tell your therapist what you did before.",
            date=format_date(day, "d MMMM yyyy"),
        )

    return {
        "future": _("This date lies in the future. Log what you have done."),
        "too_old": _(
            "You can log up to %(days)s days back. Tell your therapist about earlier days.",
            days=DAYS_BACK,
        ),
        "nothing": _("Tick at least one exercise as done (or skipped), or enter what you did."),
        "not_yours": _("This exercise is not in your programme."),
        "correct_closed": _("A session can only be corrected on the day you logged it."),
    }[code]


def _prescriptions_by_id(ids) -> dict[int, Prescription]:
    if not ids:
        return {}
    rows = db.session.scalars(select(Prescription).where(Prescription.id.in_(ids)))
    return {p.id: p for p in rows}


def _fill_log(
    log: ExerciseLog, entry: ExerciseEntry, prescription: Prescription, version_id: int
) -> None:
    """Copy one entry into a log; "done as prescribed" means the prescribed dose.

    A rep range counts as its bottom: progressing needs the top logged in so many words,
    so that one tap never claims more than the patient did. Nor does it claim the target
    effort for an exercise the patient called too hard.
    """
    log.prescription_version_id = version_id
    log.skipped = entry.skipped
    log.skip_reason = entry.skip_reason if entry.skipped else None
    log.pain_during = entry.pain_during
    log.feel = None if entry.skipped else entry.feel
    amounts = dict(
        sets_done=entry.sets,
        reps_done=entry.reps,
        hold_seconds_done=entry.hold_seconds,
        duration_seconds_done=entry.duration_seconds,
        distance_m_done=entry.distance_m,
        load_kg=entry.load_kg,
    )
    effort = entry.effort
    if entry.skipped:
        amounts = dict.fromkeys(amounts)
        effort = None
    elif entry.as_prescribed:
        amounts = prescribed_amounts(prescription)
        if effort is None and prescription.target_effort is not None and entry.feel != "too_hard":
            effort = prescription.target_effort
    for name, value in amounts.items():
        setattr(log, name, value)
    log.effort = effort


def prescribed_amounts(prescription: Prescription) -> dict:
    """The logged values that "done as prescribed" stands for."""
    p = prescription
    counted = p.dosage_type in ("reps", "hold")
    return dict(
        sets_done=p.sets,
        reps_done=p.reps_min if counted else None,
        hold_seconds_done=p.hold_seconds if p.dosage_type == "hold" else None,
        duration_seconds_done=p.duration_seconds if p.dosage_type == "time" else None,
        distance_m_done=p.distance_m if p.dosage_type == "distance" else None,
        load_kg=p.load_kg if p.load_kind == "kg" else None,
    )


def _session_values(session: TrainingSession) -> dict:
    """What the access log keeps of a logged session (rehab.audit.summaries words it)."""
    done = Counter("skipped" if log.skipped else "done" for log in session.exercises)
    return {
        "day": session.session_date,
        "minutes": session.duration_minutes,
        "rpe": session.session_rpe,
        "done": done["done"],
        "skipped": done["skipped"],
    }


def patient_sessions_statement(patient: Patient):
    """The patient's sessions, newest first, with their exercises (for a paginated list)."""
    return (
        select(TrainingSession)
        .where(TrainingSession.patient_id == patient.id)
        .options(selectinload(TrainingSession.exercises))
        .order_by(TrainingSession.session_date.desc(), TrainingSession.id.desc())
    )


def after_logging(patient: Patient, *, today: dt.date, programme: Programme | None = None) -> None:
    """Recompute the patient's suggestions and scan their alerts (caller commits).
    ``programme`` is the patient's active programme when the caller has loaded it."""
    from rehab.training.alerts import scan_alerts, scan_patient_alerts
    from rehab.training.suggestions import refresh_suggestions

    refresh_suggestions(patient, today=today, programme=programme)
    if programme is not None:
        scan_patient_alerts(patient, programme, today=today)
    else:
        scan_alerts(today=today, patient_ids=[patient.id])
