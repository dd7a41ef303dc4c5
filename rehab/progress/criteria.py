"""Phase exit criteria, evaluated against plain values the caller gathers (domain.md §5).

No validated criteria-based return-to-sport protocol exists for low back pain: every
criterion is a configurable default. A result is "met", "unmet" or "unknown" (data
missing), always with the actual value so the therapist sees how close the patient is.
The caller gathers values over ``window_weeks`` (and the side) the criterion names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

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
    """The verdict with the actual value (a (left, right) pair for a measure on each side)."""

    status: Status
    actual: Any


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


def evaluate_pain_during_max(criterion: Criterion, pains: Sequence[float]) -> CriterionResult:
    """The highest pain during exercise over the window vs target (Silbernagel 2007)."""
    return _single(criterion, max(pains) if pains else None)


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


def evaluate_outcome_change(criterion: Criterion, scores: OutcomeScores) -> CriterionResult:
    """PSK/PSFS improvement in points vs target, e.g. ≥ 2 (domain.md §5); PSK lower is better."""
    if scores.before is None or scores.after is None:
        return CriterionResult(Status.UNKNOWN, None)
    if scores.instrument is Instrument.PSK:
        improvement = scores.before - scores.after
    else:
        improvement = scores.after - scores.before
    return _single(criterion, improvement)


def _single(criterion: Criterion, value: float | None) -> CriterionResult:
    if value is None:
        return CriterionResult(Status.UNKNOWN, None)
    met = compare(value, criterion.comparison, criterion.target)
    return CriterionResult(Status.MET if met else Status.UNMET, value)
