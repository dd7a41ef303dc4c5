"""The pain-monitoring model: a traffic light per session (Silbernagel 2007, after Thomeé 1997).

NPRS 0–10. Pain during exercise up to ``safe_max`` (default 3; some clinics use 2) is safe,
up to ``amber_max`` (5) acceptable, more is too much. Pain after exercise may reach
``after_max`` (5) but must have settled by the next morning: after-pain above 5 is red
even when pain during was fine, and so is next-morning pain above the patient's baseline
(median of the last 7 mornings: the after-pain did not settle); the weekly trend of
morning pain must not rise (domain.md §3).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from rehab.progress.reasons import Reason

DEFAULT_SAFE_MAX = 3
DEFAULT_AMBER_MAX = 5
# Pain after exercise may reach 5 (Silbernagel 2007; domain.md §3): above it is red.
DEFAULT_AFTER_MAX = 5
BASELINE_MORNINGS = 7
DEFAULT_GREEN_SESSIONS_REQUIRED = 2
# A warning sign in the clinic's patient information and a feature of inflammatory back
# pain: it goes to the therapist, not into the load rules (domain.md §3).
DEFAULT_STIFFNESS_REVIEW_MINUTES = 30


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PainLimits:
    """The clinic's pain boundaries: pain during safe ≤ ``safe_max`` < acceptable ≤
    ``amber_max``; pain after exercise acceptable up to ``after_max``."""

    safe_max: float = DEFAULT_SAFE_MAX
    amber_max: float = DEFAULT_AMBER_MAX
    after_max: float = DEFAULT_AFTER_MAX

    def __post_init__(self) -> None:
        if not 0 <= self.safe_max <= self.amber_max <= 10:
            raise ValueError("need 0 ≤ safe_max ≤ amber_max ≤ 10")
        if not 0 <= self.after_max <= 10:
            raise ValueError("need 0 ≤ after_max ≤ 10")


@dataclass(frozen=True)
class PainVerdict:
    """A session's traffic light with the reasons for it."""

    light: Light
    reasons: tuple[Reason, ...]


def morning_baseline(
    mornings: Sequence[float],
    window: int = BASELINE_MORNINGS,
    min_mornings: int = BASELINE_MORNINGS,
) -> float | None:
    """Baseline = median of the last 7 morning scores, oldest first (Silbernagel 2007).

    Works for next-morning pain and for stiffness alike. Fewer than ``min_mornings``
    scores → None: a baseline from two mornings would make the light jump.
    """
    recent = list(mornings)[-window:]
    if len(recent) < max(min_mornings, 1):
        return None
    return float(statistics.median(recent))


def at_baseline(next_morning: float | None, baseline: float | None) -> bool | None:
    """At baseline = next-morning pain ≤ baseline (Silbernagel 2007); None if unknown."""
    if next_morning is None or baseline is None:
        return None
    return next_morning <= baseline


def session_light(
    pain_during: float | None,
    next_morning: float | None,
    baseline: float | None,
    limits: PainLimits | None = None,
    trend_rising_two_weeks: bool | None = None,
    pain_after: float | None = None,
) -> PainVerdict:
    """Traffic light for one session from pain during and after, next morning and baseline
    (Silbernagel 2007; domain.md §3).

    Red: pain during > amber_max, pain after > after_max (it may reach 5), next morning
    above baseline (the after-pain has not settled), or the weekly trend rising two weeks
    running (codes ``pain_during_high``, ``pain_after_high``, ``next_morning_above_baseline``,
    ``weekly_trend_rising``); an unknown pain after changes nothing. Amber: pain during in
    (safe_max, amber_max] with the next morning at baseline (``pain_during_acceptable``).
    Green: pain during ≤ safe_max and next morning at baseline (``pain_green``). Unknown
    when data is missing (``pain_during_missing``, ``next_morning_missing``,
    ``baseline_missing``). An unknown trend never makes a light
    unknown: it needs three weeks of mornings.
    """
    limits = limits or PainLimits()
    red = _red_reasons(
        pain_during, pain_after, next_morning, baseline, limits, trend_rising_two_weeks
    )
    if red:
        return PainVerdict(Light.RED, tuple(red))
    missing = _missing_reasons(pain_during, next_morning, baseline)
    if missing:
        return PainVerdict(Light.UNKNOWN, tuple(missing))
    assert pain_during is not None
    if pain_during > limits.safe_max:
        values = {"pain": pain_during, "safe_max": limits.safe_max, "amber_max": limits.amber_max}
        return PainVerdict(Light.AMBER, (Reason("pain_during_acceptable", values),))
    values = {
        "pain": pain_during,
        "next_morning": next_morning,
        "baseline": baseline,
        "safe_max": limits.safe_max,
    }
    return PainVerdict(Light.GREEN, (Reason("pain_green", values),))


def _red_reasons(
    pain_during: float | None,
    pain_after: float | None,
    next_morning: float | None,
    baseline: float | None,
    limits: PainLimits,
    trend_rising_two_weeks: bool | None,
) -> list[Reason]:
    reasons: list[Reason] = []
    if pain_during is not None and pain_during > limits.amber_max:
        reasons.append(Reason("pain_during_high", {"pain": pain_during, "limit": limits.amber_max}))
    if pain_after is not None and pain_after > limits.after_max:
        reasons.append(Reason("pain_after_high", {"pain": pain_after, "limit": limits.after_max}))
    if at_baseline(next_morning, baseline) is False:
        values = {"pain": next_morning, "baseline": baseline}
        reasons.append(Reason("next_morning_above_baseline", values))
    if trend_rising_two_weeks:
        reasons.append(Reason("weekly_trend_rising", {}))
    return reasons


def _missing_reasons(
    pain_during: float | None, next_morning: float | None, baseline: float | None
) -> list[Reason]:
    reasons: list[Reason] = []
    if pain_during is None:
        reasons.append(Reason("pain_during_missing", {}))
    if next_morning is None:
        reasons.append(Reason("next_morning_missing", {}))
    if baseline is None:
        reasons.append(Reason("baseline_missing", {}))
    return reasons


def weekly_mean_pain(
    mornings: Iterable[tuple[date, float]], first_monday: date, weeks: int
) -> list[float | None]:
    """Mean next-morning pain per calendar week (Monday–Sunday); None for a week without any."""
    if first_monday.weekday() != 0:
        raise ValueError("weeks start on a Monday")
    scores: list[list[float]] = [[] for _ in range(weeks)]
    for day, pain in mornings:
        index = (day - first_monday).days // 7
        if 0 <= index < weeks:
            scores[index].append(pain)
    return [statistics.fmean(week) if week else None for week in scores]


def trend_rising_two_weeks(weekly_means: Sequence[float | None]) -> bool | None:
    """Trend rising two weeks running: the last 3 weekly means strictly increase (Silbernagel 2007).

    Pass completed weeks, oldest first. None when fewer than three weeks or one has no mornings.
    """
    last_three = list(weekly_means)[-3:]
    if len(last_three) < 3 or any(mean is None for mean in last_three):
        return None
    first, second, third = (float(mean) for mean in last_three if mean is not None)
    return first < second < third


def known_lights(lights: Sequence[Light]) -> list[Light]:
    """The lights that are known; a session still waiting for its next morning is left out."""
    return [light for light in lights if light is not Light.UNKNOWN]


def current_light(lights: Sequence[Light]) -> Light:
    """The prescription's light: that of its latest session whose light is known."""
    known = known_lights(lights)
    return known[-1] if known else Light.UNKNOWN


def green_run(lights: Sequence[Light]) -> int:
    """Consecutive greens up to the latest known session (unknown ones neither count nor break)."""
    run = 0
    for light in reversed(known_lights(lights)):
        if light is not Light.GREEN:
            break
        run += 1
    return run


def progress_eligible(
    lights: Sequence[Light], sessions_required: int = DEFAULT_GREEN_SESSIONS_REQUIRED
) -> bool:
    """Progress-eligible = green for ≥ 2 sessions in a row (parameter) (Silbernagel 2007)."""
    return green_run(lights) >= sessions_required


def stiffness_review(
    minutes: float | None, limit_minutes: float = DEFAULT_STIFFNESS_REVIEW_MINUTES
) -> Reason | None:
    """Morning stiffness > 30 min → therapist review, outside the load rules (domain.md §3, §8)."""
    if minutes is None or minutes <= limit_minutes:
        return None
    return Reason("morning_stiffness_long", {"minutes": minutes, "limit": limit_minutes})
