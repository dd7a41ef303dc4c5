"""Exit criteria of a phase: gather the patient's data once, judge each criterion.

The verdicts come from rehab.progress.criteria (pure); rehab.programmes.criterion_data
gathers what they need in a fixed number of queries. A criterion that recorded data can
answer is judged from it; the therapist still signs off the phase change (domain.md §5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from rehab.auth.models import Clinic
from rehab.extensions import db
from rehab.patients.evaluation import suggested_red_flags
from rehab.patients.models import Patient
from rehab.programmes.criterion_data import CriterionData, gather, monday, window_start
from rehab.programmes.models import ExitCriterion, Phase, Programme
from rehab.programmes.rules import DEFAULT_WINDOW_WEEKS, engine_criterion
from rehab.programmes.wording import actual_text, criterion_note_text, sessions_per_week
from rehab.progress.adherence import weekly_session_adherence
from rehab.progress.criteria import (
    NEXT_MORNING_WINDOW_DAYS,
    Baselines,
    CriterionResult,
    LoadWeeks,
    OutcomeScores,
    PainWindow,
    RedFlagScreen,
    Status,
    evaluate,
    evaluate_ratio,
)
from rehab.progress.pain import (
    BASELINE_MORNINGS,
    PainLimits,
    at_baseline,
    morning_baseline,
    session_light,
)
from rehab.training.mornings import Mornings

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
    note_text: str | None = None

    @property
    def met(self) -> bool:
        return self.status is Status.MET


def phase_status(programme: Programme, phase: Phase, *, today: dt.date) -> list[CriterionStatus]:
    """Each exit criterion of ``phase`` as met/unmet/unknown with the value it was judged on."""
    criteria = list(phase.criteria)
    if not criteria or programme.patient_id is None:
        return []
    data = gather(programme.patient_id, criteria, today)
    started = phase.started_on or programme.started_on or today
    context = _Context(programme, phase, started, today)
    statuses = []
    for criterion in criteria:
        result = _judge(criterion, data, context)
        statuses.append(
            CriterionStatus(
                criterion=criterion,
                status=result.status,
                actual=result.actual,
                actual_text=actual_text(criterion.kind, result.actual, criterion.measure),
                note_text=criterion_note_text(result.note) if result.note else None,
            )
        )
    return statuses


@dataclass(frozen=True)
class _Context:
    programme: Programme
    phase: Phase
    started: dt.date
    today: dt.date


def _judge(criterion: ExitCriterion, data: CriterionData, context: _Context) -> CriterionResult:
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
    today, started, phase = context.today, context.started, context.phase
    if kind in _FROM_ANALYSES:
        return evaluate(rule, _FROM_ANALYSES[kind](criterion, data, context))
    if kind == "measure":
        return evaluate(rule, _measure_value(criterion, data.measures))
    if kind == "ratio":
        return _ratio(criterion, rule, data.measures)
    if kind == "outcome_change":
        if criterion.measure == "activities":
            facts = data.analyses
            return evaluate(rule, (facts.activities_first, facts.activities_latest))
        before, after = data.outcomes.get(criterion.measure or "", (None, None))
        return evaluate(rule, OutcomeScores(criterion.measure, before, after))
    if kind == "pain_during_max":
        return evaluate(rule, _pain_window(criterion, data, started, today))
    if kind == "full_load_without_red":
        return evaluate(rule, _load_weeks(criterion, data, context))
    if kind == "next_morning_baseline_days":
        days = baseline_days(data.mornings, today)
        if all(day is None for day in days):
            return CriterionResult(Status.UNKNOWN, None)  # nothing to count yet
        return evaluate(rule, days)
    if kind == "adherence":
        return evaluate(rule, _adherence(criterion, data.session_days, phase, started, today))
    if kind == "hold_time":
        since = window_start(criterion, today)
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


def _pain_window(
    criterion: ExitCriterion, data: CriterionData, started: dt.date, today: dt.date
) -> PainWindow:
    """Pain during over the window, counted from the phase's start only; the window is
    covered once the phase has run for all of it ("for two weeks", domain.md §5)."""
    since = max(window_start(criterion, today), started)
    required = criterion.window_weeks or DEFAULT_WINDOW_WEEKS
    covered = min((today - started).days // 7, required)
    pains = tuple(pain for day, pain in data.pains if day >= since)
    return PainWindow(pains, covered, required)


def _complete_weeks(started: dt.date, today: dt.date, weeks: int) -> tuple[dt.date, int]:
    """(first Monday, count) of the last ``weeks`` complete calendar weeks since ``started``;
    the running week is left out, and so are weeks before the phase began."""
    this_monday = monday(today)
    first_full = monday(started) + (dt.timedelta(weeks=1) if started.weekday() else dt.timedelta())
    first = max(this_monday - dt.timedelta(weeks=weeks), first_full)
    return first, max((this_monday - first).days // 7, 0)


def _load_weeks(criterion: ExitCriterion, data: CriterionData, context: _Context) -> LoadWeeks:
    """The complete weeks of the window with sessions done against planned, and the pain
    light of every session in them (pain during, after, next morning; Silbernagel 2007)."""
    required = criterion.window_weeks or DEFAULT_WINDOW_WEEKS
    per_week = sessions_per_week(context.phase) or 0
    first, count = _complete_weeks(context.started, context.today, required)
    table = weekly_session_adherence(data.session_days, per_week, first, count) if count else []
    end = first + dt.timedelta(weeks=count)
    limits = _limits(context.programme)
    mornings = Mornings((day, float(pain)) for day, pain in data.mornings.items())
    lights = [
        # As the alert scan judges a session: the weekly trend is a finding of its own.
        session_light(
            session.pain_during,
            mornings.next_morning(session.day),
            mornings.baseline(session.day),
            limits,
            pain_after=session.pain_after,
        ).light
        for session in data.sessions
        if first <= session.day < end
    ]
    weeks = tuple((week.done, week.prescribed) for week in table)
    return LoadWeeks(weeks, tuple(lights), required)


def _limits(programme: Programme) -> PainLimits:
    clinic = db.session.get(Clinic, programme.clinic_id)  # loaded already: no query
    return PainLimits(safe_max=clinic.pain_safe_max, amber_max=clinic.pain_amber_max)


def _red_flags(criterion, data: CriterionData, context: _Context) -> RedFlagScreen:
    facts = data.analyses
    if not facts.screened:
        return RedFlagScreen(screened=False)
    patient = db.session.get(Patient, context.programme.patient_id)
    suggested = [
        reason
        for reason in suggested_red_flags(patient, facts.latest_day, facts.latest_earlier_episodes)
        if reason.code not in facts.red_flags
    ]
    return RedFlagScreen(True, facts.red_flags, tuple(suggested))


def _baselines(criterion, data: CriterionData, context: _Context) -> Baselines:
    facts = data.analyses
    activities = facts.activities_first.score if facts.activities_first else None
    return Baselines(facts.nprs_baseline, activities)


def _activity_score(criterion, data: CriterionData, context: _Context):
    facts = data.analyses
    return facts.sport_activity if criterion.measure == "sport_work" else facts.activities_latest


def _squat(criterion, data: CriterionData, context: _Context):
    return data.analyses.squat or ((None,) * 5, (None,) * 5)


_FROM_ANALYSES = {
    "red_flags_clear": _red_flags,
    "baselines_recorded": _baselines,
    "lumbar_mobility": lambda criterion, data, context: data.analyses.mobility,
    "single_leg_squat": _squat,
    "activity_score": _activity_score,
}


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
    first, count = _complete_weeks(started, today, criterion.window_weeks or DEFAULT_WINDOW_WEEKS)
    if count < 1:
        return None
    table = weekly_session_adherence(session_days, per_week, first, count)
    # Extra sessions in one week do not make up for a missed one in another (issue 14).
    done = sum(min(week.done, per_week) for week in table)
    return done / (per_week * count)
