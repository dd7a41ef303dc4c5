"""The logging form as the patient meets it: today's exercises ticked "as prescribed", the day
to choose first, the minutes estimated, and what the guided session needs of each exercise.

Kept apart from views.py so the views stay thin. Every function here runs a fixed number of
queries.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask import request
from flask_babel import get_locale

from rehab.core.i18n import format_date
from rehab.core.i18n import gettext as _
from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.models import Prescription
from rehab.programmes.wording import dose_text
from rehab.training import services
from rehab.training.forms import DAYS_BACK, LogSessionForm
from rehab.training.models import TrainingSession

TIMER_MAX_SECONDS = 3600
# What the estimate of a session's minutes assumes where the prescription says nothing:
# a repetition at an easy 2 s up, 2 s down; a breath between two holds; the rest between
# sets most home exercises use; a minute to get into position; walking pace (5 km/h).
SECONDS_PER_REP = 4
RELAX_BETWEEN_HOLDS = 5
DEFAULT_REST_SECONDS = 30
SETUP_SECONDS = 30
METRES_PER_SECOND = Decimal("1.4")


@dataclass
class ExerciseRow:
    """One exercise of the logging form with what the page and the guided session show."""

    entry: object
    prescription: Prescription | None
    exercise: Exercise | None
    dose: str = ""
    timer_seconds: int | None = None
    duration_in_minutes: bool = False
    prescribed: dict = field(default_factory=dict)
    guide: dict = field(default_factory=dict)

    def text(self, name: str) -> str:
        if self.exercise is None:
            return ""
        return self.exercise.text(name, str(get_locale() or "nl"))


def date_choices(today: dt.date) -> list[tuple[str, str]]:
    """The days a session may be logged for, today first, as (ISO date, words)."""
    named = {0: _("Today"), 1: _("Yesterday")}
    result = []
    for back in range(DAYS_BACK + 1):
        day = today - dt.timedelta(days=back)
        words = format_date(day, "EEEE d MMMM")
        label = f"{named[back]} ({words})" if back in named else words
        result.append((day.isoformat(), label[:1].upper() + label[1:]))
    return result


def prepare_session_form(
    form: LogSessionForm,
    prescriptions: list[Prescription],
    today: dt.date,
    *,
    new: bool = False,
    session: TrainingSession | None = None,
) -> None:
    """Give the form one entry per exercise (on GET) and what the page shows for each."""
    form.allowed_ids = {p.id for p in prescriptions}
    by_id = {p.id: p for p in prescriptions}
    if request.method != "POST":
        _fill_entries(form, prescriptions, today, new=new, session=session)
    exercises = services.exercises_by_id(p.exercise_id for p in prescriptions)
    rows = []
    for entry in form.exercises:
        prescription = by_id.get(_int(entry.form.prescription_id.data))
        exercise = exercises.get(prescription.exercise_id) if prescription else None
        rows.append(_row(entry.form, prescription, exercise))
    form.rows = rows
    form.date_choices = date_choices(today)


def _fill_entries(form, prescriptions, today, *, new, session) -> None:
    while form.exercises.entries:
        form.exercises.pop_entry()
    logs = {log.prescription_id: log for log in session.exercises} if session else {}
    for prescription in prescriptions:
        log = logs.get(prescription.id)
        data = _entry_data(prescription, log) if session else _planned_data(prescription)
        form.exercises.append_entry(data)
    if session is not None:
        form.submission_key.data = session.submission_key
        form.session_date.data = session.session_date
        form.duration_minutes.data = session.duration_minutes
        form.session_rpe.data = session.session_rpe
        form.pain_after.data = session.pain_after
        form.note.data = session.note
    else:
        form.submission_key.data = services.new_submission_key()
        form.session_date.data = today
        form.duration_minutes.data = estimated_minutes(prescriptions) if prescriptions else None


def _planned_data(prescription: Prescription) -> dict:
    """A new session: every exercise ticked "as prescribed", its fields holding the dose, so
    "all done as prescribed" is one tap and changing one exercise starts from its dose."""
    data: dict = {"prescription_id": str(prescription.id), "as_prescribed": True}
    data.update(_amount_fields(prescription))
    return data


def _amount_fields(prescription: Prescription) -> dict:
    amounts = services.prescribed_amounts(prescription)
    in_minutes = _duration_in_minutes(prescription)
    seconds = amounts["duration_seconds_done"]
    return {
        "sets": amounts["sets_done"],
        "reps": amounts["reps_done"],
        "hold_seconds": amounts["hold_seconds_done"],
        "duration_minutes": seconds // 60 if in_minutes and seconds else None,
        "duration_seconds": seconds if not in_minutes else None,
        "distance_m": amounts["distance_m_done"],
        "load_kg": amounts["load_kg"],
    }


def _entry_data(prescription: Prescription, log) -> dict:
    data: dict = {"prescription_id": str(prescription.id)}
    if log is None:
        return data
    in_minutes = _duration_in_minutes(prescription)
    seconds = log.duration_seconds_done
    data.update(
        skipped=log.skipped,
        skip_reason=log.skip_reason,
        sets=log.sets_done,
        reps=log.reps_done,
        hold_seconds=log.hold_seconds_done,
        duration_minutes=seconds // 60 if in_minutes and seconds is not None else None,
        duration_seconds=seconds if not in_minutes else None,
        distance_m=log.distance_m_done,
        load_kg=log.load_kg,
        pain_during=log.pain_during,
        effort=int(log.effort) if log.effort is not None else None,
        feel=log.feel or "",
    )
    return data


def _duration_in_minutes(prescription: Prescription) -> bool:
    return prescription.dosage_type == "time" and (prescription.duration_seconds or 0) >= 120


def _row(entry, prescription, exercise) -> ExerciseRow:
    if prescription is None:
        return ExerciseRow(entry, None, exercise)
    prescribed = {k: v for k, v in _amount_fields(prescription).items() if v is not None}
    if prescription.target_effort:
        prescribed["effort"] = int(prescription.target_effort)
    timer = prescription.hold_seconds if prescription.dosage_type == "hold" else None
    if prescription.dosage_type == "time":
        timer = prescription.duration_seconds
    return ExerciseRow(
        entry=entry,
        prescription=prescription,
        exercise=exercise,
        dose=dose_text(prescription),
        timer_seconds=timer if timer and timer <= TIMER_MAX_SECONDS else None,
        duration_in_minutes=_duration_in_minutes(prescription),
        prescribed=prescribed,
        guide=guide_steps(prescription),
    )


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


# --- what the guided session and the estimate read of a prescription --------------------------


def guide_steps(prescription: Prescription) -> dict:
    """The numbers the guided session's timer runs (data attributes of the exercise)."""
    p = prescription
    return {
        "kind": p.dosage_type,
        "sets": p.sets,
        "reps": p.reps_min if p.dosage_type in ("reps", "hold") else None,
        "hold": p.hold_seconds if p.dosage_type == "hold" else None,
        "work": p.duration_seconds if p.dosage_type == "time" else None,
        "rest": p.rest_seconds if p.rest_seconds is not None else DEFAULT_REST_SECONDS,
        "relax": RELAX_BETWEEN_HOLDS,
        "sides": 2 if p.sides == "each" else 1,
    }


def _seconds_per_rep(tempo: str | None) -> int:
    """A tempo such as "3-1-1-0" is seconds per phase of one repetition (their sum)."""
    digits = [int(d) for d in re.findall(r"\d+", tempo or "")]
    return sum(digits) if digits and sum(digits) > 0 else SECONDS_PER_REP


def exercise_seconds(prescription: Prescription) -> int:
    """How long one exercise takes as prescribed: its sets (each side), rests and setting up."""
    p = prescription
    sides = 2 if p.sides == "each" else 1
    if p.dosage_type == "hold":
        per_set = (p.reps_min or 1) * ((p.hold_seconds or 0) + RELAX_BETWEEN_HOLDS)
    elif p.dosage_type == "time":
        per_set = p.duration_seconds or 0
    elif p.dosage_type == "distance":
        per_set = int(Decimal(p.distance_m or 0) / METRES_PER_SECOND)
    else:
        per_set = (p.reps_min or 1) * _seconds_per_rep(p.tempo)
    rest = p.rest_seconds if p.rest_seconds is not None else DEFAULT_REST_SECONDS
    return p.sets * per_set * sides + max(p.sets * sides - 1, 0) * rest + SETUP_SECONDS


def estimated_minutes(prescriptions: list[Prescription]) -> int:
    """The session's minutes as prescribed, rounded up (at least 1, at most 600)."""
    seconds = sum(exercise_seconds(p) for p in prescriptions)
    return max(1, min(600, -(-seconds // 60)))


# --- the posted form as plain values ----------------------------------------------------------


def entry_from_form(form: LogSessionForm, prescriptions) -> services.SessionEntry:
    """The validated form as plain values for the service (blank exercises left out).

    The session's "pain during" stands for every exercise done without a pain of its own.
    An exercise still ticked "as prescribed" whose amounts were changed (without JavaScript
    nothing unticks it) is logged as entered: the numbers are what the patient said.
    """
    by_id = {p.id: p for p in prescriptions}
    session_pain = form.pain_during.data
    entries = []
    for item in form.exercises:
        f = item.form
        if f.is_blank:
            continue
        seconds = f.duration_seconds.data
        if seconds is None and f.duration_minutes.data is not None:
            seconds = f.duration_minutes.data * 60
        prescription = by_id.get(int(f.prescription_id.data))
        as_prescribed = bool(f.as_prescribed.data)
        if as_prescribed and prescription is not None and _amounts_changed(f, prescription):
            as_prescribed = False
        pain = f.pain_during.data
        if pain is None and not f.skipped.data:
            pain = session_pain
        entries.append(
            services.ExerciseEntry(
                prescription_id=int(f.prescription_id.data),
                as_prescribed=as_prescribed,
                skipped=bool(f.skipped.data),
                skip_reason=f.skip_reason.data or None,
                sets=f.sets.data,
                reps=f.reps.data,
                hold_seconds=f.hold_seconds.data,
                duration_seconds=seconds,
                distance_m=f.distance_m.data,
                load_kg=f.load_kg.data,
                pain_during=pain,
                effort=Decimal(f.effort.data) if f.effort.data is not None else None,
                feel=f.feel.data or None,
            )
        )
    return services.SessionEntry(
        submission_key=form.submission_key.data,
        session_date=form.session_date.data,
        duration_minutes=form.duration_minutes.data,
        session_rpe=form.session_rpe.data,
        pain_after=form.pain_after.data,
        note=form.note.data,
        exercises=tuple(entries),
    )


def _amounts_changed(f, prescription: Prescription) -> bool:
    prescribed = _amount_fields(prescription)
    for name, value in prescribed.items():
        entered = getattr(f, name).data
        if entered is None:
            continue
        if value is None or Decimal(entered) != Decimal(value):
            return True
    return False


def prescriptions_for_correction(patient: Patient, session: TrainingSession) -> list:
    """The session's logged prescriptions, then the current phase's others."""
    from sqlalchemy import select

    current = services.current_prescriptions(services.active_programme(patient.id))
    logged_ids = [log.prescription_id for log in session.exercises]
    known = {p.id: p for p in current}
    missing = [pid for pid in logged_ids if pid not in known]
    if missing:
        known.update(
            {
                p.id: p
                for p in db.session.scalars(
                    select(Prescription).where(Prescription.id.in_(missing))
                )
            }
        )
    ordered = [known[pid] for pid in logged_ids]
    return ordered + [p for p in current if p.id not in set(logged_ids)]
