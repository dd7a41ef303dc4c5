"""Progression suggestions per prescription, recomputed after each session or check-in.

The advice itself comes from ``rehab.progress.progression.suggest``; this module gathers its
inputs from stored rows (the dose and rule through rehab.programmes.dosing, the logs since
the dose took effect, the morning check-ins, the exercise's ladder, open red flags and the
clinic's pain boundaries) and keeps at most one open Suggestion per prescription.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update

from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.dosing import as_dose, as_rule, dose_changes
from rehab.programmes.models import Prescription, PrescriptionVersion, Programme, Suggestion
from rehab.progress.pain import Light, PainLimits, current_light
from rehab.progress.progression import Action, LoggedExercise, suggest
from rehab.progress.progression import Suggestion as Advice
from rehab.progress.reasons import Reason
from rehab.training.models import CheckIn, ExerciseLog, TrainingSession
from rehab.training.mornings import Mornings
from rehab.training.schedule import monday_of
from rehab.training.wording import jsonable, reasons_json

log = logging.getLogger(__name__)

# Lights look back this far even when the dose is newer, so a red that led to a regress
# stays visible; the engine itself only counts logs at the current dose.
LIGHT_LOOKBACK_DAYS = 28
BASELINE_LOOKBACK_DAYS = 14
TREND_LOOKBACK_DAYS = 28


@dataclass(frozen=True)
class LoggedRow:
    """One stored exercise log with its session day."""

    prescription_id: int
    session_id: int
    day: dt.date
    skipped: bool
    sets_done: int | None
    reps_done: int | None
    hold_seconds_done: int | None
    duration_seconds_done: int | None
    distance_m_done: int | None
    load_kg: Decimal | None
    pain_during: int | None
    effort: Decimal | None
    prescription_version_id: int
    pain_after: int | None  # the session's, one for all its exercises
    logged_at: dt.datetime  # when the session was entered (it may be for an earlier day)
    dose_changed_at: dt.datetime  # when the prescription's current dose was recorded


@dataclass(frozen=True)
class Evaluation:
    """A prescription's pain light and the engine's advice (None when it cannot advise)."""

    prescription: Prescription
    light: Light
    light_reasons: tuple[Reason, ...]
    last_pain_during: int | None
    advice: Advice | None
    problem: str | None = None


def pain_limits(clinic) -> PainLimits:
    return PainLimits(safe_max=clinic.pain_safe_max, amber_max=clinic.pain_amber_max)


def logged_rows(prescription_ids, since: dt.date) -> dict[int, list[LoggedRow]]:
    """Exercise logs of these prescriptions on or after ``since``, oldest first (one query)."""
    ids = list(prescription_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            ExerciseLog.prescription_id,
            ExerciseLog.session_id,
            TrainingSession.session_date,
            ExerciseLog.skipped,
            ExerciseLog.sets_done,
            ExerciseLog.reps_done,
            ExerciseLog.hold_seconds_done,
            ExerciseLog.duration_seconds_done,
            ExerciseLog.distance_m_done,
            ExerciseLog.load_kg,
            ExerciseLog.pain_during,
            ExerciseLog.effort,
            ExerciseLog.prescription_version_id,
            TrainingSession.pain_after,
            TrainingSession.created_at,
            PrescriptionVersion.changed_at,
        )
        .join(TrainingSession, TrainingSession.id == ExerciseLog.session_id)
        .join(Prescription, Prescription.id == ExerciseLog.prescription_id)
        .join(
            PrescriptionVersion,
            (PrescriptionVersion.prescription_id == Prescription.id)
            & (PrescriptionVersion.version == Prescription.current_version),
        )
        .where(ExerciseLog.prescription_id.in_(ids), TrainingSession.session_date >= since)
        .order_by(TrainingSession.session_date, TrainingSession.id)
    ).all()
    grouped: dict[int, list[LoggedRow]] = {pid: [] for pid in ids}
    for row in rows:
        grouped[row[0]].append(LoggedRow(*row))
    return grouped


def mornings_since(patient_id: int, since: dt.date) -> Mornings:
    rows = db.session.execute(
        select(CheckIn.check_date, CheckIn.morning_pain).where(
            CheckIn.patient_id == patient_id, CheckIn.check_date >= since
        )
    ).all()
    return Mornings((day, float(pain)) for day, pain in rows)


def evaluate_prescriptions(
    patient: Patient, prescriptions: list[Prescription], *, today: dt.date
) -> list[Evaluation]:
    """The light and advice for each prescription, in a fixed number of queries."""
    from rehab.patients.services import has_open_red_flags
    from rehab.training.services import exercises_by_id

    if not prescriptions:
        return []
    earliest_dose = min((p.dose_since or today) for p in prescriptions)
    since = min(earliest_dose, today - dt.timedelta(days=LIGHT_LOOKBACK_DAYS))
    logs = logged_rows([p.id for p in prescriptions], since)
    mornings = mornings_since(
        patient.id,
        min(
            since - dt.timedelta(days=BASELINE_LOOKBACK_DAYS),
            monday_of(today) - dt.timedelta(days=TREND_LOOKBACK_DAYS),
        ),
    )
    exercises = exercises_by_id(p.exercise_id for p in prescriptions)
    red_flag = has_open_red_flags(patient.id)
    limits = pain_limits(patient.clinic)
    trend = mornings.trend_rising(monday_of(today))
    return [
        _evaluate(
            p,
            logs.get(p.id, []),
            mornings,
            exercises.get(p.exercise_id),
            red_flag,
            limits,
            trend,
            today,
        )
        for p in prescriptions
    ]


def _evaluate(
    prescription: Prescription,
    rows: list[LoggedRow],
    mornings: Mornings,
    exercise,
    red_flag: bool,
    limits: PainLimits,
    trend: bool | None,
    today: dt.date,
) -> Evaluation:
    done = [row for row in rows if not row.skipped]
    verdicts = [
        mornings.light(
            row.day,
            row.pain_during,
            limits,
            week_start=monday_of(row.day),
            pain_after=row.pain_after,
        )
        for row in done
    ]
    light = current_light([v.light for v in verdicts])
    light_reasons = next((v.reasons for v in reversed(verdicts) if v.light is light), ())
    last_pain = next(
        (row.pain_during for row in reversed(done) if row.pain_during is not None), None
    )
    try:
        dose, rule = as_dose(prescription), as_rule(prescription)
        logged = [_logged_exercise(row, prescription, mornings) for row in rows]
        advice = suggest(
            dose,
            rule,
            logged,
            today=today,
            dose_since=prescription.dose_since or today,
            harder_exercise_id=exercise.progression_id if exercise else None,
            easier_exercise_id=exercise.regression_id if exercise else None,
            red_flag_open=red_flag,
            therapist_paused=prescription.paused,
            trend_rising_two_weeks=trend,
            limits=limits,
        )
    except ValueError as exc:
        # A prescription the engine cannot read (e.g. double progression without an
        # increment) gets no advice rather than breaking the patient's logging.
        log.warning("no suggestion for prescription %s: %s", prescription.id, exc)
        return Evaluation(prescription, light, tuple(light_reasons), last_pain, None, str(exc))
    return Evaluation(prescription, light, tuple(light_reasons), last_pain, advice)


def _logged_exercise(row: LoggedRow, prescription: Prescription, mornings: Mornings):
    # Done before the current dose began but entered after it was set: no suggestion has
    # judged it yet, so a red response in it still counts (domain.md §3).
    unseen = (
        prescription.dose_since is not None
        and row.day < prescription.dose_since
        and row.logged_at > row.dose_changed_at
    )
    return LoggedExercise(
        unseen_earlier_dose=unseen,
        day=row.day,
        skipped=row.skipped,
        sets_done=row.sets_done,
        fewest_reps=row.reps_done,
        hold_seconds=row.hold_seconds_done,
        duration_seconds=row.duration_seconds_done,
        distance_m=row.distance_m_done,
        load_kg=row.load_kg,
        pain_during=row.pain_during,
        pain_after=row.pain_after,
        effort=float(row.effort) if row.effort is not None else None,
        effort_kind=prescription.effort_kind,
        next_morning_pain=mornings.next_morning(row.day),
        morning_baseline=mornings.baseline(row.day),
    )


def refresh_suggestions(
    patient: Patient, *, today: dt.date, programme: Programme | None = None
) -> list[Suggestion]:
    """Recompute the advice for the current phase and keep one open suggestion each.

    Only progress and regress become suggestions (a hold changes nothing to accept); an
    open suggestion whose content changed, or whose prescription left the current phase,
    is marked superseded. Returns the open suggestions. The caller commits; it may pass
    the patient's active programme when it has it loaded already.
    """
    from rehab.training.services import active_programme, current_prescriptions

    prescriptions = current_prescriptions(programme or active_programme(patient.id))
    evaluations = evaluate_prescriptions(patient, prescriptions, today=today)
    wanted = {e.prescription.id: _content(e) for e in evaluations}
    open_rows = db.session.scalars(
        select(Suggestion).where(Suggestion.patient_id == patient.id, Suggestion.status == "open")
    ).all()
    kept: dict[int, Suggestion] = {}
    for row in open_rows:
        if wanted.get(row.prescription_id) == _stored_content(row):
            kept[row.prescription_id] = row
    _supersede([row for row in open_rows if row.prescription_id not in kept])
    new_rows = [
        {"prescription_id": pid, "patient_id": patient.id, "status": "open", **content}
        for pid, content in wanted.items()
        if content is not None and pid not in kept
    ]
    if not new_rows:
        return list(kept.values())
    _insert_ignoring_duplicates(new_rows)
    return list(
        db.session.scalars(
            select(Suggestion).where(
                Suggestion.patient_id == patient.id, Suggestion.status == "open"
            )
        )
    )


def _supersede(rows: list[Suggestion]) -> None:
    """Set aside suggestions that are still open: one a therapist decided since they were
    read keeps its decision (a plain write would turn "accepted" into "superseded")."""
    if not rows:
        return
    db.session.execute(
        update(Suggestion)
        .where(Suggestion.id.in_([row.id for row in rows]), Suggestion.status == "open")
        .values(status="superseded")
        .execution_options(synchronize_session=False)
    )
    for row in rows:
        db.session.expire(row, ["status"])


def _content(evaluation: Evaluation) -> dict | None:
    advice = evaluation.advice
    if advice is None or advice.action is Action.HOLD:
        return None
    return {
        "action": str(advice.action),
        "new_dose": jsonable(dose_changes(advice.dose)),
        "new_exercise_id": advice.exercise_id,
        "reasons": reasons_json(advice.reasons),
        "based_on_version": evaluation.prescription.current_version,
    }


def _stored_content(row: Suggestion) -> dict:
    return {
        "action": row.action,
        "new_dose": row.new_dose,
        "new_exercise_id": row.new_exercise_id,
        "reasons": row.reasons,
        "based_on_version": row.based_on_version,
    }


def _insert_ignoring_duplicates(rows: list[dict]) -> None:
    """Insert; a concurrent refresh that already opened one for a prescription wins."""
    from rehab.core.db import utcnow
    from rehab.training.alerts import insert_ignoring_conflicts

    now = utcnow()
    insert_ignoring_conflicts(Suggestion.__table__, [{**row, "created_at": now} for row in rows])
