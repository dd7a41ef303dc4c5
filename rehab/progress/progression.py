"""Progression suggestions per prescription (domain.md §3–4).

A suggestion is advice with its reasons; the therapist accepts or dismisses it. The engine
is stateless: the caller passes the current dose, its rule, the day the dose last changed
(``dose_since``) and the logs; only logs at the current dose (on or after ``dose_since``)
count, so a red session that already led to a regress does not regress again. A session
logged late, for a day before the dose changed but entered after the change
(``LoggedExercise.unseen_earlier_dose``), was never judged: a red one still regresses and
alerts, like any other red session (its green or amber says nothing about the new dose).

Pain-contingent mode (Silbernagel 2007): red → regress, amber → hold, green for ≥ 2
sessions *and* the rule's own requirement met in the logs → progress; never progress from
the calendar alone. Time-contingent mode (KNGF 2021, graded activity): progress on a weekly
schedule whatever the pain; only an open red flag or a therapist pause stops it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from rehab.progress.dose import (  # re-exported: callers import the engine's types from here
    DEFAULT_EQUIPMENT_INCREMENT_KG,
    DEFAULT_SESSIONS_REQUIRED,
    DEFAULT_START_HOLD_SECONDS,
    DosageType,
    Dose,
    EffortKind,
    LoadKind,
    LoggedExercise,
    Mode,
    Rule,
    RuleKind,
    effort_met,
    logged_effort,
    rir_to_rpe,
    rpe_to_rir,
)
from rehab.progress.dose_changes import (
    DEFAULT_CUT_PCT,
    MAX_CUT_PCT,
    MIN_CUT_PCT,
    cut_dose,
    raised_load,
    round_to_increment,
)
from rehab.progress.pain import Light, PainLimits, PainVerdict, green_run, session_light
from rehab.progress.reasons import Reason

__all__ = [
    "DEFAULT_CUT_PCT", "DEFAULT_EQUIPMENT_INCREMENT_KG", "DEFAULT_SESSIONS_REQUIRED",
    "DEFAULT_START_HOLD_SECONDS", "MAX_CUT_PCT", "MIN_CUT_PCT", "SCHEDULE_DAYS", "Action",
    "DosageType", "Dose", "EffortKind", "LoadKind", "LoggedExercise", "Mode", "Rule",
    "RuleKind", "Step", "Suggestion", "cut_dose", "dose_reached", "effort_met",
    "logged_effort", "raised_load", "rir_to_rpe", "round_to_increment", "rpe_to_rir",
    "suggest",
]  # fmt: skip

# "Per week" rules and the time-contingent schedule move at most once per 7 days.
SCHEDULE_DAYS = 7


class Action(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"


class Step(StrEnum):
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class Suggestion:
    """Advice for a prescription: what to do next and why.

    ``dose`` is the dose to do next: the new one for progress and regress, the current one
    for hold. With ``step`` the patient moves to ``exercise_id`` on the ladder. A red pain
    response sets ``alert_therapist``.
    """

    action: Action
    dose: Dose
    reasons: tuple[Reason, ...]
    step: Step | None = None
    exercise_id: int | None = None
    alert_therapist: bool = False


def suggest(
    dose: Dose,
    rule: Rule,
    logs: Sequence[LoggedExercise],
    *,
    today: date,
    dose_since: date,
    harder_exercise_id: int | None = None,
    easier_exercise_id: int | None = None,
    red_flag_open: bool = False,
    therapist_paused: bool = False,
    trend_rising_two_weeks: bool | None = None,
    limits: PainLimits | None = None,
    cut_pct: Decimal = DEFAULT_CUT_PCT,
) -> Suggestion:
    """Suggest progress, hold or regress for one prescription (Silbernagel 2007; KNGF 2021)."""
    _check_rule_fits(dose, rule)
    if not MIN_CUT_PCT <= cut_pct <= MAX_CUT_PCT:
        raise ValueError("cut_pct must be 10–20 %")
    stops = _stop_reasons(red_flag_open, therapist_paused)
    if stops:
        return _hold(dose, stops)
    current = sorted(
        (log for log in logs if dose_since <= log.day <= today and not log.skipped),
        key=lambda log: log.day,
    )
    ladder = _Ladder(harder_exercise_id, easier_exercise_id)
    if rule.mode is Mode.TIME_CONTINGENT:
        return _time_contingent(dose, rule, current, today, dose_since, ladder)
    pain = _PainContext(limits or PainLimits(), trend_rising_two_weeks, cut_pct)
    late = sorted(
        (
            log
            for log in logs
            if log.unseen_earlier_dose and log.day < dose_since and not log.skipped
        ),
        key=lambda log: log.day,
    )
    return _pain_contingent(dose, rule, current, today, dose_since, ladder, pain, late)


@dataclass(frozen=True)
class _Ladder:
    harder: int | None
    easier: int | None


@dataclass(frozen=True)
class _PainContext:
    limits: PainLimits
    trend_rising_two_weeks: bool | None
    cut_pct: Decimal


def _check_rule_fits(dose: Dose, rule: Rule) -> None:
    if rule.kind is RuleKind.HOLD_PROGRESSION and dose.dosage_type is not DosageType.HOLD:
        raise ValueError("hold progression needs a hold dose")
    if rule.kind is RuleKind.DURATION_PROGRESSION and dose.dosage_type is not DosageType.TIME:
        raise ValueError("duration progression needs a timed dose")


def _stop_reasons(red_flag_open: bool, therapist_paused: bool) -> list[Reason]:
    # A suspected red flag means contacting the GP (KNGF 2021): nothing moves until cleared.
    reasons = []
    if red_flag_open:
        reasons.append(Reason("red_flag_open", {}))
    if therapist_paused:
        reasons.append(Reason("therapist_paused", {}))
    return reasons


def _time_contingent(
    dose: Dose,
    rule: Rule,
    current: list[LoggedExercise],
    today: date,
    dose_since: date,
    ladder: _Ladder,
) -> Suggestion:
    # Graded activity: the quota rises on its schedule whatever the pain (KNGF 2021).
    if rule.kind is RuleKind.THERAPIST_DECIDES:
        return _hold(dose, [Reason("therapist_decides", {})])
    days = (today - dose_since).days
    if days < SCHEDULE_DAYS:
        return _hold(dose, [Reason("too_soon", {"days": days, "required": SCHEDULE_DAYS})])
    if not any((today - log.day).days < SCHEDULE_DAYS for log in current):
        return _hold(dose, [Reason("no_recent_session", {"days": SCHEDULE_DAYS})])
    return _progress(dose, rule, ladder, [Reason("on_schedule", {"days": days})])


def _pain_contingent(
    dose: Dose,
    rule: Rule,
    current: list[LoggedExercise],
    today: date,
    dose_since: date,
    ladder: _Ladder,
    pain: _PainContext,
    late: list[LoggedExercise] = (),  # type: ignore[assignment]
) -> Suggestion:
    late_red = [
        (log, verdict)
        for log, verdict in ((log, _verdict(log, pain)) for log in late)
        if verdict.light is Light.RED
    ]
    if not current and not late_red:
        return _hold(dose, [Reason("no_sessions", {"since": dose_since})])
    verdicts = [_verdict(log, pain) for log in current]
    known = [(log, v) for log, v in zip(current, verdicts, strict=True) if v.light != Light.UNKNOWN]
    if late_red and (not known or late_red[-1][0].day >= known[-1][0].day):
        # A red session logged late is judged like any other (domain.md §3): the latest
        # known response is red, so regress and alert, and say the session came in late.
        log, verdict = late_red[-1]
        why = [*verdict.reasons, Reason("logged_late", {"day": log.day})]
        return _regress(dose, rule, ladder, pain.cut_pct, why)
    if not known:
        return _hold(dose, [Reason("pain_unknown", {}), *verdicts[-1].reasons])
    latest = known[-1][1]
    if latest.light is Light.RED:
        return _regress(dose, rule, ladder, pain.cut_pct, list(latest.reasons))
    if latest.light is Light.AMBER:
        return _hold(dose, list(latest.reasons))
    return _after_green(dose, rule, known, today, dose_since, ladder)


def _verdict(log: LoggedExercise, pain: _PainContext) -> PainVerdict:
    return session_light(
        log.pain_during,
        log.next_morning_pain,
        log.morning_baseline,
        pain.limits,
        pain.trend_rising_two_weeks,
        pain_after=log.pain_after,
    )


def _after_green(
    dose: Dose,
    rule: Rule,
    known: list[tuple[LoggedExercise, PainVerdict]],
    today: date,
    dose_since: date,
    ladder: _Ladder,
) -> Suggestion:
    green = green_run([verdict.light for _, verdict in known])
    required = rule.sessions_required
    if green < required:
        return _hold(dose, [Reason("not_enough_sessions", {"green": green, "required": required})])
    if rule.kind is RuleKind.THERAPIST_DECIDES:
        return _hold(dose, [Reason("therapist_decides", {})])
    unmet = _unmet_requirement(dose, rule, [log for log, _ in known[-required:]])
    if unmet:
        return _hold(dose, unmet)
    days = (today - dose_since).days
    weekly = rule.kind in _WEEKLY_RULES
    if weekly and days < SCHEDULE_DAYS:
        return _hold(dose, [Reason("too_soon", {"days": days, "required": SCHEDULE_DAYS})])
    return _progress(dose, rule, ladder, [Reason("green_sessions", {"green": green})])


# Rules that add an amount "per week": at most one step per 7 days, whatever the greens.
_WEEKLY_RULES = (
    RuleKind.HOLD_PROGRESSION,
    RuleKind.LOAD_PERCENT_PER_WEEK,
    RuleKind.DURATION_PROGRESSION,
)


def _unmet_requirement(dose: Dose, rule: Rule, logs: Sequence[LoggedExercise]) -> list[Reason]:
    # Double progression, holds and ladder steps need the top of the dose; a %-per-week
    # rule needs the prescribed dose done. The newest failure of each kind is reported.
    top = rule.kind is not RuleKind.LOAD_PERCENT_PER_WEEK
    reasons: dict[str, Reason] = {}
    for log in reversed(logs):
        for reason in dose_reached(log, dose, top=top):
            reasons.setdefault(reason.code, reason)
    return list(reasons.values())


def dose_reached(log: LoggedExercise, dose: Dose, *, top: bool = True) -> list[Reason]:
    """Why a logged session fell short of the dose (empty: reached); ``top`` = top of the range.

    Codes: ``sets_not_reached``, ``reps_not_reached``, ``hold_not_reached``,
    ``duration_not_reached``, ``distance_not_reached``, ``load_not_used``,
    ``effort_missing``, ``effort_above_target`` (ACSM double progression; Helms 2016).
    """
    reasons = _amount_reasons(log, dose, top)
    if dose.load_kind is LoadKind.KG and (log.load_kg is None or log.load_kg < (dose.load_kg or 0)):
        reasons.append(Reason("load_not_used", {"load_kg": log.load_kg, "target_kg": dose.load_kg}))
    reasons.extend(_effort_reasons(log, dose))
    return [Reason(r.code, {**r.values, "day": log.day}) for r in reasons]


def _amount_reasons(log: LoggedExercise, dose: Dose, top: bool) -> list[Reason]:
    reasons: list[Reason] = []
    if log.sets_completed < dose.sets:
        reasons.append(
            Reason("sets_not_reached", {"sets": log.sets_completed, "target": dose.sets})
        )
    if dose.dosage_type in (DosageType.REPS, DosageType.HOLD):
        target = dose.reps_max if top else dose.reps_min
        lowest = log.lowest_reps
        if lowest is None or target is None or lowest < target:
            reasons.append(Reason("reps_not_reached", {"reps": lowest, "target": target}))
    amounts = {
        DosageType.HOLD: ("hold_not_reached", log.hold_seconds, dose.hold_seconds),
        DosageType.TIME: ("duration_not_reached", log.duration_seconds, dose.duration_seconds),
        DosageType.DISTANCE: ("distance_not_reached", log.distance_m, dose.distance_m),
    }
    if dose.dosage_type in amounts:
        code, done, target = amounts[dose.dosage_type]
        if done is None or done < (target or 0):
            reasons.append(Reason(code, {"done": done, "target": target}))
    return reasons


def _effort_reasons(log: LoggedExercise, dose: Dose) -> list[Reason]:
    if dose.target_effort is None:
        return []
    effort = logged_effort(log, dose.effort_kind)
    values = {"effort": effort, "target": dose.target_effort, "kind": str(dose.effort_kind)}
    if effort is None:
        return [Reason("effort_missing", values)]
    if not effort_met(effort, dose.target_effort, dose.effort_kind):
        return [Reason("effort_above_target", values)]
    return []


def _progress(dose: Dose, rule: Rule, ladder: _Ladder, why: list[Reason]) -> Suggestion:
    kind = rule.kind
    if kind is RuleKind.THERAPIST_DECIDES:
        return _hold(dose, [Reason("therapist_decides", {})])
    if kind is RuleKind.HOLD_PROGRESSION:
        return _progress_hold(dose, rule, ladder, why)
    if kind is RuleKind.LADDER_STEP:
        return _step_up(dose, rule, ladder, why)
    if kind is RuleKind.DURATION_PROGRESSION:
        return _progress_duration(dose, rule, why)
    if dose.load_kind is not LoadKind.KG:
        # Double progression without kg goes up the ladder; a %-rule has nothing to raise.
        if kind is RuleKind.DOUBLE_PROGRESSION:
            return _step_up(dose, rule, ladder, why)
        return _hold(dose, [Reason("no_external_load", {"load_kind": str(dose.load_kind)})])
    pct = rule.percent if kind is RuleKind.LOAD_PERCENT_PER_WEEK else rule.load_increment_pct
    assert dose.load_kg is not None
    new_load = raised_load(dose.load_kg, rule.equipment_increment_kg, pct)
    values = {"from_kg": dose.load_kg, "to_kg": new_load, "start_reps": dose.reps_min}
    return Suggestion(
        Action.PROGRESS, replace(dose, load_kg=new_load), (*why, Reason("load_increased", values))
    )


def _progress_hold(dose: Dose, rule: Rule, ladder: _Ladder, why: list[Reason]) -> Suggestion:
    assert dose.hold_seconds is not None and rule.max_hold_seconds is not None
    assert rule.seconds_per_week is not None
    if dose.hold_seconds >= rule.max_hold_seconds:
        # At the target hold McGill adds difficulty, not seconds: the next rung.
        return _step_up(dose, rule, ladder, why)
    longer = min(dose.hold_seconds + rule.seconds_per_week, rule.max_hold_seconds)
    values = {"from_seconds": dose.hold_seconds, "to_seconds": longer}
    return Suggestion(
        Action.PROGRESS,
        replace(dose, hold_seconds=longer),
        (*why, Reason("hold_increased", values)),
    )


def _progress_duration(dose: Dose, rule: Rule, why: list[Reason]) -> Suggestion:
    # Walking and walk-run build up in minutes per week to a target (domain.md §5); at the
    # target the dose holds: what comes next (running more, another activity) is the
    # therapist's or the next phase's.
    assert dose.duration_seconds is not None and rule.target_duration_seconds is not None
    assert rule.minutes_per_week is not None
    if dose.duration_seconds >= rule.target_duration_seconds:
        target = {"target_seconds": rule.target_duration_seconds}
        return _hold(dose, [Reason("duration_at_target", target)])
    longer = min(dose.duration_seconds + 60 * rule.minutes_per_week, rule.target_duration_seconds)
    values = {"from_seconds": dose.duration_seconds, "to_seconds": longer}
    return Suggestion(
        Action.PROGRESS,
        replace(dose, duration_seconds=longer),
        (*why, Reason("duration_increased", values)),
    )


def _step_up(dose: Dose, rule: Rule, ladder: _Ladder, why: list[Reason]) -> Suggestion:
    if ladder.harder is None:
        return _hold(dose, [Reason("top_of_ladder", {})])
    # Stepping up resets the dose to the bottom of its range (domain.md §4): the patient
    # starts at reps_min, and a hold restarts at the rule's starting hold.
    bottom = dose
    if dose.dosage_type is DosageType.HOLD and dose.hold_seconds is not None:
        bottom = replace(dose, hold_seconds=min(dose.hold_seconds, rule.start_hold_seconds))
    values = {
        "exercise_id": ladder.harder,
        "start_reps": dose.reps_min,
        "start_hold_seconds": bottom.hold_seconds,
    }
    return Suggestion(
        Action.PROGRESS,
        bottom,
        (*why, Reason("step_up", values)),
        step=Step.UP,
        exercise_id=ladder.harder,
    )


def _regress(
    dose: Dose, rule: Rule, ladder: _Ladder, cut_pct: Decimal, why: list[Reason]
) -> Suggestion:
    # Red → step down one rung, or cut the dose 10–20 %, and alert the therapist (§3).
    if ladder.easier is not None:
        reason = Reason("step_down", {"exercise_id": ladder.easier})
        return Suggestion(
            Action.REGRESS,
            dose,
            (*why, reason),
            step=Step.DOWN,
            exercise_id=ladder.easier,
            alert_therapist=True,
        )
    smaller, cut = cut_dose(dose, cut_pct, rule.equipment_increment_kg)
    return Suggestion(Action.REGRESS, smaller, (*why, cut), alert_therapist=True)


def _hold(dose: Dose, reasons: list[Reason]) -> Suggestion:
    return Suggestion(Action.HOLD, dose, tuple(reasons))
