"""Exit criteria of a phase: gather the patient's data once, judge each criterion.

The verdicts come from rehab.progress.criteria (pure); this module only collects what
they need, in a fixed number of queries however many criteria or logs there are:
measures and outcome scores from the patients area, pain during exercise and holds from
the exercise logs, next-morning pain from the check-ins, and sessions for adherence.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from rehab.extensions import db
from rehab.patients import services as patient_data
from rehab.programmes.models import ExitCriterion, Phase, Programme
from rehab.programmes.rules import DEFAULT_WINDOW_WEEKS, engine_criterion
from rehab.programmes.wording import actual_text, sessions_per_week
from rehab.progress.adherence import weekly_session_adherence
from rehab.progress.criteria import (
    NEXT_MORNING_WINDOW_DAYS,
    CriterionResult,
    OutcomeScores,
    Status,
    evaluate,
    evaluate_ratio,
)
from rehab.progress.pain import BASELINE_MORNINGS, at_baseline, morning_baseline
from rehab.training.models import CheckIn, ExerciseLog, TrainingSession

# Mornings older than this do not count towards a baseline: it should describe the patient now.
BASELINE_LOOKBACK_DAYS = 35
# The parts of each ratio (numerator, denominator) in the measure catalogue's field names.
# The side bridge/extensor ratio per side (the analysis keeps only the larger side).
RATIO_PARTS = {
    "side_bridge_extensor_ratio": {
        "left": ("side_bridge_left", "biering_sorensen"),
        "right": ("side_bridge_right", "biering_sorensen"),
    },
}


@dataclass(frozen=True)
class CriterionStatus:
    """One exit criterion of the current phase, judged on the latest data."""

    criterion: ExitCriterion
    status: Status
    actual: Any
    actual_text: str

    @property
    def met(self) -> bool:
        return self.status is Status.MET


@dataclass
class _Data:
    measures: dict[str, float]
    outcomes: dict[str, tuple[float | None, float | None]]
    pains: list[tuple[dt.date, int]]
    mornings: dict[dt.date, int]
    session_days: list[dt.date]
    holds: dict[int, list[tuple[dt.date, int]]]


def phase_status(programme: Programme, phase: Phase, *, today: dt.date) -> list[CriterionStatus]:
    """Each exit criterion of ``phase`` as met/unmet/unknown with the value it was judged on."""
    criteria = list(phase.criteria)
    if not criteria or programme.patient_id is None:
        return []
    data = _gather(programme.patient_id, criteria, today)
    started = phase.started_on or programme.started_on or today
    statuses = []
    for criterion in criteria:
        result = _judge(criterion, data, phase, started, today)
        statuses.append(
            CriterionStatus(
                criterion=criterion,
                status=result.status,
                actual=result.actual,
                actual_text=actual_text(criterion.kind, result.actual, criterion.measure),
            )
        )
    return statuses


def _window_start(criterion: ExitCriterion, today: dt.date) -> dt.date:
    weeks = criterion.window_weeks or DEFAULT_WINDOW_WEEKS
    return today - dt.timedelta(days=7 * weeks - 1)


def _gather(patient_id: int, criteria: Sequence[ExitCriterion], today: dt.date) -> _Data:
    kinds = {criterion.kind for criterion in criteria}
    data = _Data({}, {}, [], {}, [], defaultdict(list))
    if kinds & {"measure", "ratio"}:
        data.measures = patient_data.latest_measure_values(patient_id) or {}
    for measure in sorted({c.measure for c in criteria if c.kind == "outcome_change"}):
        # At most two (PSK, PSFS): the criterion form allows no other outcome.
        data.outcomes[measure] = patient_data.outcome_scores(patient_id, measure)
    windowed = [c for c in criteria if c.kind in ("pain_during_max", "hold_time")]
    if any(c.kind == "pain_during_max" for c in windowed):
        since = min(_window_start(c, today) for c in windowed if c.kind == "pain_during_max")
        data.pains = [
            (day, pain)
            for day, pain in db.session.execute(
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
        ]
    hold_ids = {c.prescription_id for c in criteria if c.kind == "hold_time" and c.prescription_id}
    if hold_ids:
        since = min(_window_start(c, today) for c in windowed if c.kind == "hold_time")
        rows = db.session.execute(
            select(
                ExerciseLog.prescription_id,
                TrainingSession.session_date,
                ExerciseLog.hold_seconds_done,
            )
            .select_from(ExerciseLog)
            .join(ExerciseLog.session)
            .where(
                ExerciseLog.prescription_id.in_(hold_ids),
                TrainingSession.patient_id == patient_id,
                TrainingSession.session_date.between(since, today),
                ExerciseLog.skipped.is_(False),
                ExerciseLog.hold_seconds_done.is_not(None),
            )
            .order_by(TrainingSession.session_date, ExerciseLog.id)
        )
        for prescription_id, day, seconds in rows:
            data.holds[prescription_id].append((day, seconds))
    if "next_morning_baseline_days" in kinds:
        since = today - dt.timedelta(days=NEXT_MORNING_WINDOW_DAYS + BASELINE_LOOKBACK_DAYS)
        data.mornings = dict(
            db.session.execute(
                select(CheckIn.check_date, CheckIn.morning_pain).where(
                    CheckIn.patient_id == patient_id, CheckIn.check_date.between(since, today)
                )
            ).all()
        )
    adherence = [c for c in criteria if c.kind == "adherence"]
    if adherence:
        weeks = max(c.window_weeks or DEFAULT_WINDOW_WEEKS for c in adherence)
        since = _monday(today) - dt.timedelta(weeks=weeks)
        data.session_days = list(
            db.session.scalars(
                select(TrainingSession.session_date).where(
                    TrainingSession.patient_id == patient_id,
                    TrainingSession.session_date.between(since, today),
                )
            )
        )
    return data


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _judge(
    criterion: ExitCriterion, data: _Data, phase: Phase, started: dt.date, today: dt.date
) -> CriterionResult:
    rule = engine_criterion(
        {
            "kind": criterion.kind,
            "comparison": criterion.comparison,
            "target": criterion.target,
            "target_high": criterion.target_high,
            "window_weeks": criterion.window_weeks,
            "side": criterion.side,
        }
    )
    kind = criterion.kind
    if kind == "measure":
        return evaluate(rule, _measure_value(criterion, data.measures))
    if kind == "ratio":
        return _ratio(criterion, rule, data.measures)
    if kind == "outcome_change":
        before, after = data.outcomes.get(criterion.measure or "", (None, None))
        return evaluate(rule, OutcomeScores(criterion.measure, before, after))
    if kind == "pain_during_max":
        since = _window_start(criterion, today)
        return evaluate(rule, [pain for day, pain in data.pains if day >= since])
    if kind == "next_morning_baseline_days":
        days = baseline_days(data.mornings, today)
        if all(day is None for day in days):
            return CriterionResult(Status.UNKNOWN, None)  # nothing to count yet
        return evaluate(rule, days)
    if kind == "adherence":
        return evaluate(rule, _adherence(criterion, data.session_days, phase, started, today))
    if kind == "hold_time":
        since = _window_start(criterion, today)
        holds = [s for day, s in data.holds.get(criterion.prescription_id or 0, []) if day >= since]
        return evaluate(rule, holds[-1] if holds else None)
    return evaluate(rule, criterion.checked_at is not None)


def _measure_value(criterion: ExitCriterion, values: dict[str, float]):
    key = criterion.measure or ""
    if criterion.side == "each":
        return (values.get(f"{key}_left"), values.get(f"{key}_right"))
    if criterion.side in ("left", "right"):
        return values.get(f"{key}_{criterion.side}")
    return values.get(key)


def _ratio(criterion: ExitCriterion, rule, values: dict[str, float]) -> CriterionResult:
    parts = RATIO_PARTS.get(criterion.measure or "", {})
    if criterion.measure == "side_bridge_extensor_ratio":
        sides = ("left", "right") if criterion.side in (None, "each") else (criterion.side,)
        results = [
            evaluate_ratio(rule, values.get(parts[side][0]), values.get(parts[side][1]))
            for side in sides
        ]
        if len(results) == 1:
            return results[0]
        statuses = {result.status for result in results}
        status = (
            Status.UNMET
            if Status.UNMET in statuses
            else Status.UNKNOWN
            if Status.UNKNOWN in statuses
            else Status.MET
        )
        return CriterionResult(status, tuple(result.actual for result in results))
    # The analysis computes these ratios within one session (never mixing two analyses).
    return evaluate_ratio(rule, values.get(criterion.measure or ""), 1.0)


def baseline_days(mornings: dict[dt.date, int], today: dt.date) -> list[bool | None]:
    """For each of the last 7 days: next-morning pain at baseline (True/False), or None.

    Baseline = median of the 7 mornings before that day (Silbernagel 2007), counted only
    from check-ins of the last weeks; without 7 earlier mornings the day is unknown.
    """
    ordered = sorted(mornings.items())
    days = []
    for offset in range(NEXT_MORNING_WINDOW_DAYS - 1, -1, -1):
        day = today - dt.timedelta(days=offset)
        earlier = [pain for date, pain in ordered if date < day]
        baseline = morning_baseline(earlier, window=BASELINE_MORNINGS)
        days.append(at_baseline(mornings.get(day), baseline))
    return days


def _adherence(
    criterion: ExitCriterion,
    session_days: list[dt.date],
    phase: Phase,
    started: dt.date,
    today: dt.date,
) -> float | None:
    """Sessions done ÷ prescribed over the last complete calendar weeks since the phase began.

    The running week is left out (it is not over yet), and so are weeks before the phase
    started; with no complete week yet the adherence is unknown.
    """
    per_week = sessions_per_week(phase)
    if not per_week:
        return None
    weeks = criterion.window_weeks or DEFAULT_WINDOW_WEEKS
    this_monday = _monday(today)
    first_full = _monday(started) + (dt.timedelta(weeks=1) if started.weekday() else dt.timedelta())
    first = max(this_monday - dt.timedelta(weeks=weeks), first_full)
    count = (this_monday - first).days // 7
    if count < 1:
        return None
    table = weekly_session_adherence(session_days, per_week, first, count)
    done = sum(week.done for week in table)
    return done / (per_week * count)
