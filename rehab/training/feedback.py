"""What the patient hears after saving a session: the pain-monitoring model in plain words.

Green: the dose suits you, keep going. Amber: keep the same dose next time. Red: this was too
much; next time do the concrete step down, and the therapist has been told (Silbernagel
2007, domain.md §3). The light is the model's (``rehab.progress.pain.session_light``) with
what is known so far: right after a session the next morning is not, so pain during (and
pain afterwards above the acceptable limit, which §3 also counts as red) decides until the
morning check-in completes it. The words are chosen in the template, from codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.dosing import as_dose, as_rule, dose_changes
from rehab.programmes.models import Prescription, Suggestion
from rehab.programmes.wording import dose_text, proposed_dose
from rehab.progress.pain import Light, PainLimits, session_light
from rehab.progress.progression import DEFAULT_CUT_PCT, cut_dose
from rehab.training.models import Alert, TrainingSession
from rehab.training.suggestions import mornings_since, pain_limits

BASELINE_DAYS = 14  # mornings read for the baseline (7 are needed) before the session


@dataclass(frozen=True)
class StepDown:
    """Next time, for one exercise: an easier exercise at the same dose, or a smaller dose."""

    prescription_id: int
    exercise: str
    easier_exercise: str | None
    dose: str


@dataclass
class Feedback:
    light: Light
    pain_during: int | None
    pain_after: int | None
    next_morning_known: bool
    advice_for_next_time: bool  # a session just logged: its advice is about the next one
    steps: list[StepDown] = field(default_factory=list)
    therapist_told: bool = False


def first_light(
    pain_during: int | None,
    pain_after: int | None,
    next_morning: float | None,
    baseline: float | None,
    limits: PainLimits,
) -> Light:
    """The session's light with what is known: red from the model (pain during, the next
    morning against baseline) or from pain afterwards above the acceptable limit (§3);
    otherwise pain during decides (safe → green, acceptable → amber) until the morning."""
    verdict = session_light(pain_during, next_morning, baseline, limits)
    if verdict.light is Light.RED:
        return Light.RED
    if pain_after is not None and pain_after > limits.amber_max:
        return Light.RED
    if pain_during is None:
        return Light.UNKNOWN
    if pain_during > limits.safe_max:
        return Light.AMBER
    return Light.GREEN


def session_feedback(
    patient: Patient, session: TrainingSession, names: dict[int, str], *, fresh: bool
) -> Feedback:
    """The light of a session and, for a red one just logged, the step down per exercise.

    ``fresh``: the session was logged today, so its advice is about the next session. A
    fixed number of queries (mornings, prescriptions, open suggestions, the alert).
    """
    limits = pain_limits(patient.clinic)
    done = [log for log in session.exercises if not log.skipped]
    pains = [log.pain_during for log in done if log.pain_during is not None]
    worst = max(pains) if pains else None
    mornings = mornings_since(patient.id, session.session_date - dt.timedelta(BASELINE_DAYS))
    next_morning = mornings.next_morning(session.session_date)
    light = first_light(
        worst, session.pain_after, next_morning, mornings.baseline(session.session_date), limits
    )
    feedback = Feedback(
        light=light,
        pain_during=worst,
        pain_after=session.pain_after,
        next_morning_known=next_morning is not None,
        advice_for_next_time=fresh,
    )
    if light is not Light.RED:
        return feedback
    feedback.therapist_told = _alert_raised(session)
    if fresh:
        # The exercises that hurt too much; when the red came from afterwards or the next
        # morning, every exercise done steps down.
        too_much = [log for log in done if (log.pain_during or 0) > limits.amber_max] or done
        feedback.steps = step_downs(patient, [log.prescription_id for log in too_much], names)
    return feedback


def _alert_raised(session: TrainingSession) -> bool:
    return (
        db.session.scalar(
            select(Alert.id)
            .where(Alert.session_id == session.id, Alert.kind == "pain_red")
            .limit(1)
        )
        is not None
    )


def step_downs(
    patient: Patient,
    prescription_ids: list[int],
    names: dict[int, str],
    *,
    loaded: list[Prescription] = (),
    open_regressions: list[Suggestion] | None = None,
) -> list:
    """The concrete step down for each prescription: the therapist's open suggestion to
    regress when there is one (the patient hears what the therapist sees), else the model's
    own rule: one rung down the ladder, or the dose cut by 15 % (rehab.progress.progression).

    Three queries whatever the list holds; one when the caller has the prescriptions
    (``loaded``) and the patient's open suggestions to regress (``open_regressions``)
    already, as the Today page has.
    """
    from rehab.training.services import exercises_by_id

    known = {p.id: p for p in loaded}
    asked = list(dict.fromkeys(prescription_ids))
    missing = [pid for pid in asked if pid not in known]
    prescriptions = [known[pid] for pid in asked if pid in known]
    if missing:
        prescriptions += db.session.scalars(
            select(Prescription).where(Prescription.id.in_(missing))
        )
    if open_regressions is None:
        open_regressions = db.session.scalars(
            select(Suggestion).where(
                Suggestion.patient_id == patient.id,
                Suggestion.status == "open",
                Suggestion.action == "regress",
                Suggestion.prescription_id.in_(prescription_ids),
            )
        )
    wanted = set(prescription_ids)
    suggestions = {s.prescription_id: s for s in open_regressions if s.prescription_id in wanted}
    exercises = exercises_by_id(p.exercise_id for p in prescriptions)
    easier_ids = [e.regression_id for e in exercises.values() if e.regression_id]
    easier_ids += [s.new_exercise_id for s in suggestions.values() if s.new_exercise_id]
    names = {**names, **_names(easier_ids)}
    steps = []
    for prescription in sorted(prescriptions, key=lambda p: prescription_ids.index(p.id)):
        name = names.get(prescription.exercise_id, "")
        suggestion = suggestions.get(prescription.id)
        if suggestion is not None:
            easier = suggestion.new_exercise_id
            dose = proposed_dose(prescription, suggestion.new_dose or {})
        else:
            exercise = exercises.get(prescription.exercise_id)
            easier = exercise.regression_id if exercise else None
            dose = proposed_dose(prescription, {})
            if easier is None:
                smaller, _reason = cut_dose(
                    as_dose(prescription),
                    DEFAULT_CUT_PCT,
                    as_rule(prescription).equipment_increment_kg,
                )
                dose = proposed_dose(prescription, dose_changes(smaller))
        steps.append(
            StepDown(
                prescription_id=prescription.id,
                exercise=name,
                easier_exercise=names.get(easier) if easier else None,
                dose=dose_text(dose),
            )
        )
    return steps


def _names(ids: list[int]) -> dict[int, str]:
    """Exercise names in the page's language: one query, even for none (the Today page's
    count stays the same with a step down or without)."""
    from flask_babel import get_locale

    from rehab.exercises.models import Exercise

    english = str(get_locale() or "nl") == "en"
    rows = db.session.execute(
        select(Exercise.id, Exercise.name_nl, Exercise.name_en).where(Exercise.id.in_(ids))
    ).all()
    return {eid: (en or nl) if english else (nl or en) for eid, nl, en in rows}
