"""What the exit criteria of a phase are judged on, gathered once for all of them.

A fixed number of queries however many criteria, logs or analyses there are: measures and
outcome scores from the patients area, pain during exercise and holds from the exercise
logs, next-morning pain from the check-ins, sessions for adherence and for "full load
without a red response". Only what the phase's criteria need is read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select

from rehab.extensions import db
from rehab.patients import services as patient_data
from rehab.patients.facts import AnalysisFacts, analysis_facts
from rehab.programmes.models import ExitCriterion
from rehab.programmes.rules import DEFAULT_WINDOW_WEEKS
from rehab.progress.criteria import NEXT_MORNING_WINDOW_DAYS
from rehab.training.models import CheckIn, ExerciseLog, TrainingSession

# Mornings older than this do not count towards a baseline: it should describe the patient now.
BASELINE_LOOKBACK_DAYS = 35
MEASURE_KINDS = {"measure", "ratio", "baselines_recorded"}
ANALYSIS_KINDS = {"red_flags_clear", "lumbar_mobility", "single_leg_squat", "activity_score"}


@dataclass(frozen=True)
class SessionPain:
    """One session in a window: its day, highest pain during any exercise, pain after."""

    day: dt.date
    pain_during: int | None
    pain_after: int | None


@dataclass
class CriterionData:
    measures: dict[str, float] = field(default_factory=dict)
    outcomes: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    pains: list[tuple[dt.date, int]] = field(default_factory=list)
    mornings: dict[dt.date, int] = field(default_factory=dict)
    session_days: list[dt.date] = field(default_factory=list)
    sessions: list[SessionPain] = field(default_factory=list)
    holds: dict[int, list[tuple[dt.date, int]]] = field(default_factory=lambda: defaultdict(list))
    analyses: AnalysisFacts | None = None


def window_start(criterion: ExitCriterion, today: dt.date) -> dt.date:
    weeks = criterion.window_weeks or DEFAULT_WINDOW_WEEKS
    return today - dt.timedelta(days=7 * weeks - 1)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def gather(patient_id: int, criteria: Sequence[ExitCriterion], today: dt.date) -> CriterionData:
    kinds = {criterion.kind for criterion in criteria}
    data = CriterionData()
    if kinds & MEASURE_KINDS:
        data.measures = patient_data.latest_measure_values(patient_id) or {}
    for measure in sorted({c.measure for c in criteria if c.kind == "outcome_change"}):
        if measure != "activities":  # read with the analyses below
            data.outcomes[measure] = patient_data.outcome_scores(patient_id, measure)
    if kinds & ANALYSIS_KINDS or "baselines_recorded" in kinds or _activities(criteria):
        data.analyses = analysis_facts(patient_id)
    pain_kinds = [c for c in criteria if c.kind == "pain_during_max"]
    if pain_kinds:
        data.pains = _pains(patient_id, min(window_start(c, today) for c in pain_kinds), today)
    holds = [c for c in criteria if c.kind == "hold_time" and c.prescription_id]
    if holds:
        since = min(window_start(c, today) for c in holds)
        _holds(data, patient_id, {c.prescription_id for c in holds}, since, today)
    if kinds & {"next_morning_baseline_days", "full_load_without_red"}:
        since = today - dt.timedelta(days=NEXT_MORNING_WINDOW_DAYS + BASELINE_LOOKBACK_DAYS)
        if "full_load_without_red" in kinds:
            since = min(since, _weeks_back(criteria, "full_load_without_red", today) - _WEEK)
        data.mornings = dict(
            db.session.execute(
                select(CheckIn.check_date, CheckIn.morning_pain).where(
                    CheckIn.patient_id == patient_id, CheckIn.check_date.between(since, today)
                )
            ).all()
        )
    if kinds & {"adherence", "full_load_without_red"}:
        since = min(
            _weeks_back(criteria, kind, today)
            for kind in ("adherence", "full_load_without_red")
            if kind in kinds
        )
        data.sessions = _sessions(patient_id, since, today)
        data.session_days = [session.day for session in data.sessions]
    return data


_WEEK = dt.timedelta(weeks=1)


def _activities(criteria: Sequence[ExitCriterion]) -> bool:
    return any(c.kind == "outcome_change" and c.measure == "activities" for c in criteria)


def _weeks_back(criteria: Sequence[ExitCriterion], kind: str, today: dt.date) -> dt.date:
    weeks = max(c.window_weeks or DEFAULT_WINDOW_WEEKS for c in criteria if c.kind == kind)
    return monday(today) - dt.timedelta(weeks=weeks)


def _pains(patient_id: int, since: dt.date, today: dt.date) -> list[tuple[dt.date, int]]:
    rows = db.session.execute(
        select(TrainingSession.session_date, ExerciseLog.pain_during)
        .select_from(ExerciseLog)
        .join(ExerciseLog.session)
        .where(
            TrainingSession.patient_id == patient_id,
            TrainingSession.session_date.between(since, today),
            ExerciseLog.skipped.is_(False),
            ExerciseLog.pain_during.is_not(None),
        )
    )
    return [(day, pain) for day, pain in rows]


def _holds(data: CriterionData, patient_id: int, ids: set[int], since, today) -> None:
    rows = db.session.execute(
        select(
            ExerciseLog.prescription_id,
            TrainingSession.session_date,
            ExerciseLog.hold_seconds_done,
        )
        .select_from(ExerciseLog)
        .join(ExerciseLog.session)
        .where(
            ExerciseLog.prescription_id.in_(ids),
            TrainingSession.patient_id == patient_id,
            TrainingSession.session_date.between(since, today),
            ExerciseLog.skipped.is_(False),
            ExerciseLog.hold_seconds_done.is_not(None),
        )
        .order_by(TrainingSession.session_date, ExerciseLog.id)
    )
    for prescription_id, day, seconds in rows:
        data.holds[prescription_id].append((day, seconds))


def _sessions(patient_id: int, since: dt.date, today: dt.date) -> list[SessionPain]:
    """Each session in the window with its highest pain during and its pain after (one
    aggregate query)."""
    highest = (
        select(func.max(ExerciseLog.pain_during))
        .where(ExerciseLog.session_id == TrainingSession.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(TrainingSession.session_date, highest, TrainingSession.pain_after)
        .where(
            TrainingSession.patient_id == patient_id,
            TrainingSession.session_date.between(since, today),
        )
        .order_by(TrainingSession.session_date, TrainingSession.id)
    )
    return [SessionPain(day, during, after) for day, during, after in rows]
