"""Progression suggestions per prescription (domain.md §3–4).

A suggestion is advice with its reasons; the therapist accepts or dismisses it. The engine
is stateless: the caller passes the current dose, its rule, the day the dose last changed
(``dose_since``) and the logs; only logs at the current dose (on or after ``dose_since``)
count, so a red session that already led to a regress does not regress again.

Pain-contingent mode (Silbernagel 2007): red → regress, amber → hold, green for ≥ 2
sessions *and* the rule's own requirement met in the logs → progress; never progress from
the calendar alone. Time-contingent mode (KNGF 2021, graded activity): progress on a weekly
schedule whatever the pain; only an open red flag or a therapist pause stops it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from rehab.progress.pain import Light, PainLimits, PainVerdict, green_run, session_light
from rehab.progress.reasons import Reason

# Domain.md §3: cut the dose 10–20 % on a red response; the clinic picks within that band.
DEFAULT_CUT_PCT = Decimal(15)
MIN_CUT_PCT = Decimal(10)
MAX_CUT_PCT = Decimal(20)
# Used to round loads when the rule names no equipment increment.
DEFAULT_EQUIPMENT_INCREMENT_KG = Decimal("0.5")
# McGill's Big-3 build on 10-s holds; a new rung of a hold ladder starts there.
DEFAULT_START_HOLD_SECONDS = 10
DEFAULT_SESSIONS_REQUIRED = 2
# "Per week" rules and the time-contingent schedule move at most once per 7 days.
SCHEDULE_DAYS = 7


class DosageType(StrEnum):
    REPS = "reps"
    HOLD = "hold"
    TIME = "time"
    DISTANCE = "distance"


class LoadKind(StrEnum):
    BODYWEIGHT = "bodyweight"
    KG = "kg"
    BAND = "band"


class EffortKind(StrEnum):
    RPE = "rpe"
    RIR = "rir"


class RuleKind(StrEnum):
    DOUBLE_PROGRESSION = "double_progression"
    HOLD_PROGRESSION = "hold_progression"
    LOAD_PERCENT_PER_WEEK = "load_percent_per_week"
    LADDER_STEP = "ladder_step"
    THERAPIST_DECIDES = "therapist_decides"


class Mode(StrEnum):
    PAIN_CONTINGENT = "pain_contingent"
    TIME_CONTINGENT = "time_contingent"


class Action(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"


class Step(StrEnum):
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class Dose:
    """A prescribed dose.

    ``reps`` and ``hold`` doses use ``reps_min``–``reps_max`` (reps, or holds per set; a
    fixed number has min == max); ``hold`` adds ``hold_seconds`` per hold; ``time`` uses
    ``duration_seconds``; ``distance`` uses ``distance_m``. ``load_kg`` is set exactly when
    ``load_kind`` is "kg"; ``band`` names a band's colour/strength. ``target_effort`` is an
    RPE (CR-10, met when the logged RPE ≤ target) or RIR (met when logged RIR ≥ target).
    String values are accepted for the enum fields.
    """

    sets: int
    dosage_type: DosageType
    reps_min: int | None = None
    reps_max: int | None = None
    hold_seconds: int | None = None
    duration_seconds: int | None = None
    distance_m: int | None = None
    load_kind: LoadKind = LoadKind.BODYWEIGHT
    load_kg: Decimal | None = None
    band: str | None = None
    effort_kind: EffortKind = EffortKind.RPE
    target_effort: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dosage_type", DosageType(self.dosage_type))
        object.__setattr__(self, "load_kind", LoadKind(self.load_kind))
        object.__setattr__(self, "effort_kind", EffortKind(self.effort_kind))
        if self.sets < 1:
            raise ValueError("a dose has at least 1 set")
        self._check_dosage()
        self._check_load()
        if self.target_effort is not None and not 0 <= self.target_effort <= 10:
            raise ValueError("target effort is RPE or RIR 0–10")

    def _check_dosage(self) -> None:
        if self.dosage_type in (DosageType.REPS, DosageType.HOLD) and not (
            self.reps_min is not None
            and self.reps_max is not None
            and 1 <= self.reps_min <= self.reps_max
        ):
            raise ValueError("reps and holds need 1 ≤ reps_min ≤ reps_max")
        required = {
            DosageType.HOLD: self.hold_seconds,
            DosageType.TIME: self.duration_seconds,
            DosageType.DISTANCE: self.distance_m,
        }
        if self.dosage_type in required and (required[self.dosage_type] or 0) < 1:
            raise ValueError(f"a {self.dosage_type} dose needs its amount (≥ 1)")

    def _check_load(self) -> None:
        if self.load_kind is LoadKind.KG:
            if self.load_kg is None or self.load_kg < 0:
                raise ValueError("a kg load needs load_kg ≥ 0")
        elif self.load_kg is not None:
            raise ValueError("load_kg is only set for a kg load")


@dataclass(frozen=True)
class Rule:
    """A prescription's progression rule and mode.

    - ``double_progression``: ``load_increment_kg`` (required: the equipment's smallest
      step, also used to round a % increase), optional ``load_increment_pct``.
    - ``hold_progression``: ``seconds_per_week`` up to ``max_hold_seconds``, then step up the
      ladder starting at ``start_hold_seconds``.
    - ``load_percent_per_week``: ``percent`` (rounded to ``load_increment_kg``).
    - ``ladder_step``: step to the harder exercise when the top of the dose is reached.
    - ``therapist_decides``: never suggests progress.
    ``sessions_required`` green sessions are needed in pain-contingent mode.
    """

    kind: RuleKind
    mode: Mode = Mode.PAIN_CONTINGENT
    load_increment_kg: Decimal | None = None
    load_increment_pct: Decimal | None = None
    sessions_required: int = DEFAULT_SESSIONS_REQUIRED
    seconds_per_week: int | None = None
    max_hold_seconds: int | None = None
    start_hold_seconds: int = DEFAULT_START_HOLD_SECONDS
    percent: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", RuleKind(self.kind))
        object.__setattr__(self, "mode", Mode(self.mode))
        if self.sessions_required < 1:
            raise ValueError("sessions_required must be at least 1")
        if self.load_increment_kg is not None and self.load_increment_kg <= 0:
            raise ValueError("load_increment_kg must be positive")
        if self.kind is RuleKind.DOUBLE_PROGRESSION and self.load_increment_kg is None:
            raise ValueError("double progression needs load_increment_kg")
        if self.kind is RuleKind.HOLD_PROGRESSION and not (
            (self.seconds_per_week or 0) >= 1 and (self.max_hold_seconds or 0) >= 1
        ):
            raise ValueError("hold progression needs seconds_per_week and max_hold_seconds")
        if self.kind is RuleKind.LOAD_PERCENT_PER_WEEK and not (self.percent or 0) > 0:
            raise ValueError("load_percent_per_week needs a positive percent")
        if self.start_hold_seconds < 1:
            raise ValueError("start_hold_seconds must be at least 1")

    @property
    def equipment_increment_kg(self) -> Decimal:
        return self.load_increment_kg or DEFAULT_EQUIPMENT_INCREMENT_KG


@dataclass(frozen=True)
class LoggedExercise:
    """One logged exercise in one session.

    Reps per set go in ``reps_per_set`` (or, when only the weakest set is known, in
    ``fewest_reps``); ``sets_done`` defaults to the number of entries in ``reps_per_set``.
    ``hold_seconds`` is the shortest hold achieved; ``effort`` is on ``effort_kind`` (None =
    the prescription's kind). ``next_morning_pain`` is the following morning's pain and
    ``morning_baseline`` the patient's baseline that morning (``pain.morning_baseline``).
    """

    day: date
    skipped: bool = False
    sets_done: int | None = None
    reps_per_set: tuple[int, ...] = ()
    fewest_reps: int | None = None
    hold_seconds: float | None = None
    duration_seconds: float | None = None
    distance_m: float | None = None
    load_kg: Decimal | None = None
    pain_during: float | None = None
    effort: float | None = None
    effort_kind: EffortKind | None = None
    next_morning_pain: float | None = None
    morning_baseline: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reps_per_set", tuple(self.reps_per_set))
        if self.effort_kind is not None:
            object.__setattr__(self, "effort_kind", EffortKind(self.effort_kind))
        if self.reps_per_set and self.sets_done not in (None, len(self.reps_per_set)):
            raise ValueError("sets_done disagrees with reps_per_set")
        if self.reps_per_set and self.fewest_reps not in (None, min(self.reps_per_set)):
            raise ValueError("fewest_reps disagrees with reps_per_set")

    @property
    def sets_completed(self) -> int:
        return self.sets_done if self.sets_done is not None else len(self.reps_per_set)

    @property
    def lowest_reps(self) -> int | None:
        return min(self.reps_per_set) if self.reps_per_set else self.fewest_reps

    @property
    def next_morning_at_baseline(self) -> bool | None:
        if self.next_morning_pain is None or self.morning_baseline is None:
            return None
        return self.next_morning_pain <= self.morning_baseline


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


def rpe_to_rir(rpe: float) -> float:
    """RIR = 10 − RPE (Helms 2016: RPE 10 = 0 RIR, 9 = 1, 8 = 2 …)."""
    if not 0 <= rpe <= 10:
        raise ValueError("RPE is 0–10")
    return 10 - rpe


def rir_to_rpe(rir: float) -> float:
    """RPE = 10 − RIR (Helms 2016)."""
    if not 0 <= rir <= 10:
        raise ValueError("RIR is 0–10")
    return 10 - rir


def effort_met(logged: float, target: float, kind: EffortKind | str) -> bool:
    """Effort target met: RPE logged ≤ target, or RIR logged ≥ target (Helms 2016)."""
    if EffortKind(kind) is EffortKind.RPE:
        return logged <= target
    return logged >= target


def logged_effort(log: LoggedExercise, kind: EffortKind) -> float | None:
    """The log's effort expressed on ``kind``, converted RPE↔RIR where needed (Helms 2016)."""
    if log.effort is None:
        return None
    if log.effort_kind is None or log.effort_kind is kind:
        return log.effort
    return rpe_to_rir(log.effort) if kind is EffortKind.RIR else rir_to_rpe(log.effort)


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
    return _pain_contingent(dose, rule, current, today, dose_since, ladder, pain)


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
) -> Suggestion:
    if not current:
        return _hold(dose, [Reason("no_sessions", {"since": dose_since})])
    verdicts = [_verdict(log, pain) for log in current]
    known = [(log, v) for log, v in zip(current, verdicts, strict=True) if v.light != Light.UNKNOWN]
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
    weekly = rule.kind in (RuleKind.HOLD_PROGRESSION, RuleKind.LOAD_PERCENT_PER_WEEK)
    if weekly and days < SCHEDULE_DAYS:
        return _hold(dose, [Reason("too_soon", {"days": days, "required": SCHEDULE_DAYS})])
    return _progress(dose, rule, ladder, [Reason("green_sessions", {"green": green})])


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


def raised_load(load_kg: Decimal, increment_kg: Decimal, pct: Decimal | None = None) -> Decimal:
    """New load: + one increment, or + pct % rounded to the increment, at least one (ACSM)."""
    if pct is None:
        return load_kg + increment_kg
    raised = round_to_increment(load_kg * (1 + pct / 100), increment_kg)
    return max(raised, load_kg + increment_kg)


def round_to_increment(value: Decimal, increment: Decimal) -> Decimal:
    """Round a load to the nearest multiple of the equipment increment, halves up."""
    return (value / increment).to_integral_value(rounding=ROUND_HALF_UP) * increment


def cut_dose(dose: Dose, cut_pct: Decimal, increment_kg: Decimal) -> tuple[Dose, Reason]:
    """Cut the dose ``cut_pct`` % (10–20 %; Silbernagel 2007): load, else the amount, else sets.

    One field is cut, by at least one step (an increment, a rep, a second, a metre, a
    set) and never below its minimum (one increment of load, 1 rep/second/metre/set);
    a kg load is rounded to the equipment increment, counts half up. Codes: ``dose_cut``
    {field, from, to, pct}, or ``dose_at_minimum`` when nothing can be cut.
    """
    keep = 1 - cut_pct / 100
    if dose.load_kind is LoadKind.KG and dose.load_kg is not None and dose.load_kg > increment_kg:
        lighter = _cut_load(dose.load_kg, keep, increment_kg)
        return replace(dose, load_kg=lighter), _cut_reason(
            "load_kg", dose.load_kg, lighter, cut_pct
        )
    for field_name in _AMOUNT_FIELDS[dose.dosage_type]:
        current = getattr(dose, field_name)
        if current is not None and current > 1:
            changes = {field_name: _cut_count(current, keep)}
            if field_name == "reps_max" and dose.reps_min is not None:
                # The range shrinks as a whole and stays a range (min ≤ max).
                changes["reps_min"] = min(_cut_count(dose.reps_min, keep), changes["reps_max"])
            reason = _cut_reason(field_name, current, changes[field_name], cut_pct)
            return replace(dose, **changes), reason
    return dose, Reason("dose_at_minimum", {})


def _cut_load(load_kg: Decimal, keep: Decimal, increment_kg: Decimal) -> Decimal:
    nearest = round_to_increment(load_kg * keep, increment_kg)
    return max(increment_kg, min(nearest, load_kg - increment_kg))


def _cut_count(amount: int, keep: Decimal) -> int:
    return max(1, min(_scaled(amount, keep), amount - 1))


_AMOUNT_FIELDS: dict[DosageType, tuple[str, ...]] = {
    DosageType.REPS: ("reps_max", "sets"),
    DosageType.HOLD: ("hold_seconds", "sets"),
    DosageType.TIME: ("duration_seconds", "sets"),
    DosageType.DISTANCE: ("distance_m", "sets"),
}


def _scaled(amount: int, keep: Decimal) -> int:
    return int((amount * keep).to_integral_value(rounding=ROUND_HALF_UP))


def _cut_reason(field_name: str, before: object, after: object, cut_pct: Decimal) -> Reason:
    return Reason("dose_cut", {"field": field_name, "from": before, "to": after, "pct": cut_pct})


def _hold(dose: Dose, reasons: list[Reason]) -> Suggestion:
    return Suggestion(Action.HOLD, dose, tuple(reasons))
