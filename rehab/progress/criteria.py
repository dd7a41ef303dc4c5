"""Phase exit criteria, evaluated against plain values the caller gathers (domain.md §5).

No validated criteria-based return-to-sport protocol exists for low back pain: every
criterion is a configurable default. A result is "met", "unmet" or "unknown" (data
missing), always with the actual value so the therapist sees how close the patient is,
and where it needs saying a note (a code with values). The caller gathers values over
``window_weeks`` (and the side) the criterion names. A criterion that recorded data can
answer is judged from the data; only a "therapist_check" is ticked by hand, and the
therapist signs off every phase change (domain.md §5).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rehab.progress.assessment import SCHOBER_NORMAL_MIN_CM, measure_change
from rehab.progress.pain import Light
from rehab.progress.reasons import Reason

NEXT_MORNING_WINDOW_DAYS = 7


class CriterionKind(StrEnum):
    MEASURE = "measure"
    RATIO = "ratio"
    PAIN_DURING_MAX = "pain_during_max"
    NEXT_MORNING_BASELINE_DAYS = "next_morning_baseline_days"
    ADHERENCE = "adherence"
    HOLD_TIME = "hold_time"
    THERAPIST_CHECK = "therapist_check"
    OUTCOME_CHANGE = "outcome_change"
    # Judged from recorded data (issue 14): what a therapist used to tick by hand.
    RED_FLAGS_CLEAR = "red_flags_clear"
    BASELINES_RECORDED = "baselines_recorded"
    LUMBAR_MOBILITY = "lumbar_mobility"
    SINGLE_LEG_SQUAT = "single_leg_squat"
    FULL_LOAD_WITHOUT_RED = "full_load_without_red"
    ACTIVITY_SCORE = "activity_score"


class Comparison(StrEnum):
    LE = "<="
    GE = ">="
    LT = "<"
    GT = ">"
    EQ = "=="
    BETWEEN = "between"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    EACH = "each"


class Status(StrEnum):
    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"


class Instrument(StrEnum):
    PSK = "psk"  # higher = more difficulty: lower is better
    PSFS = "psfs"  # 0 = unable … 10 = as before: higher is better


ACTIVITY_SCALE_TOP = 10


def ability(instrument: Instrument | str, score: float) -> float:
    """A patient-specific activity score on one scale, 0 = unable … 10 = as before.

    PSFS is that scale; PSK runs the other way (higher = more difficulty), so it becomes
    10 − PSK. Criteria on "the activity score" then work with either instrument (§5).
    """
    if Instrument(instrument) is Instrument.PSK:
        return ACTIVITY_SCALE_TOP - score
    return score


@dataclass(frozen=True)
class Criterion:
    """An exit criterion: ``kind`` ``comparison`` ``target`` (a (low, high) pair for "between")."""

    kind: CriterionKind
    comparison: Comparison
    target: float | tuple[float, float]
    window_weeks: int | None = None
    side: Side | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", CriterionKind(self.kind))
        object.__setattr__(self, "comparison", Comparison(self.comparison))
        if self.side is not None:
            object.__setattr__(self, "side", Side(self.side))
        if self.comparison is Comparison.BETWEEN:
            if not isinstance(self.target, tuple) or len(self.target) != 2:
                raise ValueError('"between" needs a (low, high) target')
            if self.target[0] > self.target[1]:
                raise ValueError('"between" needs low ≤ high')
        elif isinstance(self.target, tuple):
            raise ValueError(f'"{self.comparison}" needs a single target')
        if self.window_weeks is not None and self.window_weeks < 1:
            raise ValueError("window_weeks must be at least 1")


@dataclass(frozen=True)
class OutcomeScores:
    """A PROM's score at the start (``before``) and now (``after``)."""

    instrument: Instrument
    before: float | None
    after: float | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "instrument", Instrument(self.instrument))


@dataclass(frozen=True)
class CriterionResult:
    """The verdict with the actual value (a (left, right) pair for a measure on each side)
    and, where the reader needs it, a note: a code with values, worded when shown."""

    status: Status
    actual: Any
    note: Reason | None = None


@dataclass(frozen=True)
class PainWindow:
    """Pain during exercise over a criterion's window, and whether the data covers it:
    "pain at most 3 for two weeks" needs two weeks of the phase, each with sessions."""

    pains: tuple[float, ...]
    weeks_covered: int
    weeks_required: int


@dataclass(frozen=True)
class RedFlagScreen:
    """The latest analysis's red flags: ``screened`` False when there is no analysis yet;
    ``suggested`` are flags Rehab suggests that the therapist has not ticked."""

    screened: bool
    ticked: tuple[str, ...] = ()
    suggested: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Baselines:
    """The first recorded NPRS and patient-specific activity mean (None: not recorded)."""

    nprs: float | None
    activities: float | None


@dataclass(frozen=True)
class LumbarMobility:
    """Modified Schober and finger-floor distance at the first and latest analysis (cm)."""

    schober_first: float | None
    schober_latest: float | None
    floor_first: float | None
    floor_latest: float | None


@dataclass(frozen=True)
class ActivityScore:
    """One patient-specific activity score (or the mean) with its instrument."""

    instrument: Instrument
    score: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "instrument", Instrument(self.instrument))

    @property
    def ability(self) -> float:
        return ability(self.instrument, self.score)


@dataclass(frozen=True)
class LoadWeeks:
    """The complete weeks of a window: sessions done and planned per week, the sessions'
    pain lights, and how many complete weeks the window needs."""

    weeks: tuple[tuple[int, int], ...]  # (done, planned) per complete week
    lights: tuple[Light, ...]
    weeks_required: int


def compare(
    value: float, comparison: Comparison | str, target: float | tuple[float, float]
) -> bool:
    """Apply a criterion's comparison; "between" includes both ends."""
    comparison = Comparison(comparison)
    if comparison is Comparison.BETWEEN:
        assert isinstance(target, tuple)
        return target[0] <= value <= target[1]
    assert not isinstance(target, tuple)
    return {
        Comparison.LE: value <= target,
        Comparison.GE: value >= target,
        Comparison.LT: value < target,
        Comparison.GT: value > target,
        Comparison.EQ: value == target,
    }[comparison]


def evaluate(criterion: Criterion, value: Any) -> CriterionResult:
    """Evaluate a criterion against the value its kind expects (see each ``evaluate_*``)."""
    kind = criterion.kind
    if kind is CriterionKind.MEASURE:
        return evaluate_measure(criterion, value)
    if kind is CriterionKind.RATIO:
        numerator, denominator = value
        return evaluate_ratio(criterion, numerator, denominator)
    if kind is CriterionKind.PAIN_DURING_MAX:
        return evaluate_pain_during_max(criterion, value)
    if kind is CriterionKind.NEXT_MORNING_BASELINE_DAYS:
        return evaluate_baseline_days(criterion, value)
    if kind is CriterionKind.THERAPIST_CHECK:
        return evaluate_therapist_check(criterion, value)
    if kind is CriterionKind.OUTCOME_CHANGE:
        return evaluate_outcome_change(criterion, value)
    if kind in _DATA_KINDS:
        return _DATA_KINDS[kind](criterion, value)
    # Adherence (a fraction) and hold time (seconds) are a single number.
    return _single(criterion, value)


def evaluate_measure(
    criterion: Criterion, value: float | tuple[float | None, float | None] | None
) -> CriterionResult:
    """A movement-analysis measure vs target; side "each" takes (left, right), both must meet."""
    if criterion.side is not Side.EACH:
        if isinstance(value, tuple):
            raise ValueError("a (left, right) pair needs side 'each'")
        return _single(criterion, value)
    if not isinstance(value, tuple) or len(value) != 2:
        raise ValueError("side 'each' needs a (left, right) pair")
    sides = [_single(criterion, side).status for side in value]
    if Status.UNMET in sides:
        status = Status.UNMET
    elif Status.UNKNOWN in sides:
        status = Status.UNKNOWN
    else:
        status = Status.MET
    return CriterionResult(status, value)


def evaluate_ratio(
    criterion: Criterion, numerator: float | None, denominator: float | None
) -> CriterionResult:
    """A ratio of two measures, e.g. right ÷ left side bridge within 0.95–1.05 (McGill 1999)."""
    if numerator is None or denominator is None or denominator == 0:
        return CriterionResult(Status.UNKNOWN, None)
    return _single(criterion, numerator / denominator)


def evaluate_pain_during_max(
    criterion: Criterion, pains: Sequence[float] | PainWindow
) -> CriterionResult:
    """The highest pain during exercise over the window vs target (Silbernagel 2007).

    With a ``PainWindow`` a met result needs the window covered ("for two weeks" is two
    weeks of the phase with sessions in each); until then it is unknown, with the note
    ``window_not_covered`` {weeks, required}. A pain above the target fails at once.
    """
    if not isinstance(pains, PainWindow):
        return _single(criterion, max(pains) if pains else None)
    result = _single(criterion, max(pains.pains) if pains.pains else None)
    waiting = result.status is Status.MET or result.status is Status.UNKNOWN
    if waiting and pains.weeks_covered < pains.weeks_required:
        values = {"weeks": pains.weeks_covered, "required": pains.weeks_required}
        return CriterionResult(Status.UNKNOWN, result.actual, Reason("window_not_covered", values))
    return result


def evaluate_baseline_days(criterion: Criterion, days: Sequence[bool | None]) -> CriterionResult:
    """Days with the next morning at baseline among the last 7 (True/False/None per day).

    A day without a check-in is unknown: the result is met or unmet only when every way of
    filling in the unknown days gives the same answer.
    """
    last_week = list(days)[-NEXT_MORNING_WINDOW_DAYS:]
    at_baseline = sum(1 for day in last_week if day is True)
    unknown = NEXT_MORNING_WINDOW_DAYS - sum(1 for day in last_week if day is not None)
    outcomes = {
        compare(count, criterion.comparison, criterion.target)
        for count in range(at_baseline, at_baseline + unknown + 1)
    }
    if len(outcomes) > 1:
        return CriterionResult(Status.UNKNOWN, at_baseline)
    return CriterionResult(Status.MET if outcomes.pop() else Status.UNMET, at_baseline)


def evaluate_adherence(criterion: Criterion, fraction: float | None) -> CriterionResult:
    """Adherence over the window (a fraction, see ``adherence``) vs target, e.g. ≥ 0.8."""
    return _single(criterion, fraction)


def evaluate_hold_time(criterion: Criterion, seconds: float | None) -> CriterionResult:
    """A prescription's logged hold in seconds vs target, e.g. ≥ 10 s (McGill's Big-3)."""
    return _single(criterion, seconds)


def evaluate_therapist_check(criterion: Criterion, ticked: bool | None) -> CriterionResult:
    """The therapist ticked the criterion off (met) or not yet (unmet)."""
    return CriterionResult(Status.MET if ticked else Status.UNMET, bool(ticked))


def evaluate_outcome_change(
    criterion: Criterion, scores: OutcomeScores | tuple[ActivityScore | None, ActivityScore | None]
) -> CriterionResult:
    """PSK/PSFS improvement in points vs target, e.g. ≥ 2 (domain.md §5); PSK lower is better.

    A pair of ``ActivityScore`` (first, latest) is "the patient-specific activity score" on
    either instrument, converted to one direction (``ability``), even when the clinic
    changed instrument between the two.
    """
    if isinstance(scores, tuple):
        first, latest = scores
        if first is None or latest is None:
            return CriterionResult(Status.UNKNOWN, None)
        return _single(criterion, latest.ability - first.ability)
    if scores.before is None or scores.after is None:
        return CriterionResult(Status.UNKNOWN, None)
    if scores.instrument is Instrument.PSK:
        improvement = scores.before - scores.after
    else:
        improvement = scores.after - scores.before
    return _single(criterion, improvement)


def evaluate_activity_score(criterion: Criterion, score: ActivityScore | None) -> CriterionResult:
    """An activity score (the sport/work activity's, or the mean) vs target on the 0 = unable
    … 10 = as before scale: "≥ 9/10" is PSFS ≥ 9 or PSK ≤ 1 (domain.md §5)."""
    if score is None:
        return CriterionResult(Status.UNKNOWN, None)
    met = compare(score.ability, criterion.comparison, criterion.target)
    return CriterionResult(Status.MET if met else Status.UNMET, score)


def evaluate_red_flags_clear(criterion: Criterion, screen: RedFlagScreen) -> CriterionResult:
    """No red flag ticked on the latest analysis (KNGF 2021); unknown before any analysis.

    A suggested flag the therapist has not ticked (age over 50 at a first episode) does
    not count as a red flag — the therapist decides — but the result says so in its note.
    """
    if not screen.screened:
        return CriterionResult(Status.UNKNOWN, None)
    if screen.ticked:
        return CriterionResult(Status.UNMET, screen.ticked)
    return CriterionResult(Status.MET, (), screen.suggested[0] if screen.suggested else None)


def evaluate_baselines_recorded(criterion: Criterion, baselines: Baselines) -> CriterionResult:
    """Baselines of NPRS and PSK/PSFS recorded (domain.md §5): unmet until both are."""
    missing = [name for name in ("nprs", "activities") if getattr(baselines, name) is None]
    if missing:
        return CriterionResult(
            Status.UNMET, baselines, Reason("baselines_missing", {"missing": missing})
        )
    return CriterionResult(Status.MET, baselines)


def evaluate_lumbar_mobility(criterion: Criterion, mobility: LumbarMobility) -> CriterionResult:
    """Modified Schober or finger-floor distance improved beyond its smallest detectable
    change (1.8 cm; 9.8 cm, Robinson 2014), or Schober normal (≥ 5 cm) (domain.md §5–6).

    Met with the note saying which; unknown when neither was measured; unmet otherwise.
    """
    m = mobility
    if m.schober_latest is not None and m.schober_latest >= SCHOBER_NORMAL_MIN_CM:
        return CriterionResult(Status.MET, m, Reason("schober_normal", {"cm": m.schober_latest}))
    for key, first, latest in (
        ("modified_schober", m.schober_first, m.schober_latest),
        ("finger_floor_distance", m.floor_first, m.floor_latest),
    ):
        known = first is not None and latest is not None
        if known and measure_change(key, first, latest).improved_beyond_threshold:
            note = Reason("improved_beyond_sdc", {"measure": key})
            return CriterionResult(Status.MET, m, note)
    if m.schober_latest is None and m.floor_latest is None:
        return CriterionResult(Status.UNKNOWN, None)
    return CriterionResult(Status.UNMET, m)


def evaluate_single_leg_squat(
    criterion: Criterion, ratings: tuple[Sequence[str | None], Sequence[str | None]]
) -> CriterionResult:
    """Single-leg squat good on all five items (overall, trunk, pelvis, knee, foot) on both
    sides: unmet when one item is poor, unknown while one is unrated. Actual: the number of
    items rated good per side (left, right)."""
    left, right = ratings
    items = [*left, *right]
    good = (sum(r == "good" for r in left), sum(r == "good" for r in right))
    if "poor" in items:
        return CriterionResult(Status.UNMET, good)
    if None in items or not items:
        return CriterionResult(Status.UNKNOWN, good if any(items) else None)
    return CriterionResult(Status.MET, good)


def evaluate_full_load_without_red(criterion: Criterion, window: LoadWeeks) -> CriterionResult:
    """N weeks at the full planned load without a red response (domain.md §5, phase 4).

    Every planned session done in each of the last N complete weeks of the phase (extra
    sessions make up for nothing) and no session red by the pain-monitoring model
    (Silbernagel 2007). A red session or a short week fails at once; too few complete weeks
    yet is unknown. Actual: (weeks at full load, weeks required, red sessions).
    """
    reds = sum(1 for light in window.lights if light is Light.RED)
    full = sum(1 for done, planned in window.weeks if planned and done >= planned)
    actual = (full, window.weeks_required, reds)
    if reds or full < len(window.weeks):
        return CriterionResult(Status.UNMET, actual)
    if len(window.weeks) < window.weeks_required:
        return CriterionResult(Status.UNKNOWN, actual)
    return CriterionResult(Status.MET, actual)


_DATA_KINDS = {
    CriterionKind.RED_FLAGS_CLEAR: evaluate_red_flags_clear,
    CriterionKind.BASELINES_RECORDED: evaluate_baselines_recorded,
    CriterionKind.LUMBAR_MOBILITY: evaluate_lumbar_mobility,
    CriterionKind.SINGLE_LEG_SQUAT: evaluate_single_leg_squat,
    CriterionKind.FULL_LOAD_WITHOUT_RED: evaluate_full_load_without_red,
    CriterionKind.ACTIVITY_SCORE: evaluate_activity_score,
}


def _single(criterion: Criterion, value: float | None) -> CriterionResult:
    if value is None:
        return CriterionResult(Status.UNKNOWN, None)
    met = compare(value, criterion.comparison, criterion.target)
    return CriterionResult(Status.MET if met else Status.UNMET, value)
