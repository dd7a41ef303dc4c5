"""Derived values for movement analyses and outcome measures (domain.md §6–7).

Reference checks return the value with a flag (``None`` where no reference applies, e.g.
the Biering-Sørensen cut-off only exists for men) and, where the reference needs saying, a
note as a code with values (e.g. ``no_validated_cutoff``). Changes between two analyses say
whether they pass the measure's MCID, smallest detectable change or the clinic's own
threshold where one is known, with the direction of improvement handled per measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from rehab.progress.reasons import Reason

SCHOBER_NORMAL_MIN_CM = 5.0
FIVE_TIMES_SIT_TO_STAND_UPPER_NORMAL_S = 12.4
BIERING_SORENSEN_CAP_S = 240.0
# Men holding < 176 s had low back pain within a year; > 198 s predicted its absence
# (Biering-Sørensen 1984). No cut-off is validated for women (domain.md §6).
BIERING_SORENSEN_MEN_LIMIT_S = 176.0
# Smallest detectable change in current low back pain (Latimer 1999; domain.md §6).
BIERING_SORENSEN_SDC_S = 32.0
# KNGF 2021 red flag: age over 50 at a first episode (domain.md §5).
AGE_FIRST_EPISODE_OVER = 50
STRAIGHT_LEG_RAISE_POSITIVE_DEG = (30.0, 70.0)
FLEXOR_EXTENSOR_LIMIT = 1.0
SIDE_BRIDGE_BALANCE = (0.95, 1.05)
# Side-bridge asymmetry above 5 % is flagged whichever side is stronger (domain.md §6).
SIDE_BRIDGE_ASYMMETRY_LIMIT_PCT = 5.0
SIDE_BRIDGE_EXTENSOR_LIMIT = 0.75
TSK17_REVERSED_ITEMS = (4, 8, 12, 16)
TSK17_HIGH_FEAR_ABOVE = 37
RMDQ_RECOVERED_MAX = 2
START_BACK_LOW_MAX_TOTAL = 3
START_BACK_MEDIUM_MAX_PSYCHOSOCIAL = 3


class Direction(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"


class ThresholdKind(StrEnum):
    MCID = "mcid"  # minimal clinically important difference
    SDC = "sdc"  # smallest detectable change
    CLINIC = "clinic"  # the clinic's own threshold where no MCID is published (PSK)


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class StartBackGroup(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class RatioCheck:
    """A ratio and whether it falls outside its clinical target (None: not computable)."""

    value: float | None
    flagged: bool | None


@dataclass(frozen=True)
class SideBridgeExtensor:
    """Side bridge ÷ extensor for each side; flagged when either side is ≥ 0.75."""

    left: RatioCheck
    right: RatioCheck
    flagged: bool | None


@dataclass(frozen=True)
class ReferenceCheck:
    """A measured value against a published reference (``flagged`` None: no reference applies).

    ``note`` says what the reader must know beside the value, e.g. that no cut-off exists.
    """

    value: float
    flagged: bool | None
    note: Reason | None = None


def asymmetry_pct(left: float, right: float) -> float | None:
    """Asymmetry = |L − R| ÷ max(L, R) × 100 % (domain.md §6); both 0 → None."""
    if left < 0 or right < 0:
        raise ValueError("asymmetry needs values ≥ 0")
    larger = max(left, right)
    if larger == 0:
        return None
    return abs(left - right) / larger * 100


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def flexor_extensor_ratio(flexor_s: float | None, extensor_s: float | None) -> RatioCheck:
    """Flexor ÷ extensor endurance, flagged at ≥ 1.0 (McGill 1999)."""
    value = _ratio(flexor_s, extensor_s)
    return RatioCheck(value, None if value is None else value >= FLEXOR_EXTENSOR_LIMIT)


def side_bridge_asymmetry(left_s: float | None, right_s: float | None) -> RatioCheck:
    """Side-bridge asymmetry |L − R| ÷ max(L, R) × 100 %, flagged above 5 % (domain.md §6).

    Symmetric by construction: 100 s against 95.1 s is 4.9 % whichever side is the stronger
    (McGill 1999 states the balance as right ÷ left 0.95–1.05).
    """
    if left_s is None or right_s is None or left_s < 0 or right_s < 0:
        return RatioCheck(None, None)
    pct = asymmetry_pct(left_s, right_s)
    return RatioCheck(pct, None if pct is None else pct > SIDE_BRIDGE_ASYMMETRY_LIMIT_PCT)


def side_bridge_balance(right_s: float | None, left_s: float | None) -> RatioCheck:
    """Right ÷ left side bridge (McGill 1999), flagged when the asymmetry is above 5 %.

    The ratio is shown as McGill writes it, but judged by the asymmetry: a fixed 0.95–1.05
    band on right ÷ left would flag 4.9 % one way round and not the other (domain.md §6).
    """
    value = _ratio(right_s, left_s)
    return RatioCheck(value, side_bridge_asymmetry(left_s, right_s).flagged)


def side_bridge_extensor_ratio(
    left_s: float | None, right_s: float | None, extensor_s: float | None
) -> SideBridgeExtensor:
    """Side bridge ÷ extensor per side, flagged when either side is ≥ 0.75 (McGill 1999).

    McGill's clinical criterion is stated for the side bridge of *either* side against the
    extensor; a mean of both sides would hide one strong side, so each side is checked.
    """
    left = _side_extensor(left_s, extensor_s)
    right = _side_extensor(right_s, extensor_s)
    flags = [check.flagged for check in (left, right)]
    if True in flags:
        flagged: bool | None = True
    elif None in flags:
        flagged = None
    else:
        flagged = False
    return SideBridgeExtensor(left, right, flagged)


def _side_extensor(side_s: float | None, extensor_s: float | None) -> RatioCheck:
    value = _ratio(side_s, extensor_s)
    return RatioCheck(value, None if value is None else value >= SIDE_BRIDGE_EXTENSOR_LIMIT)


def biering_sorensen(seconds: float, sex: str | None) -> ReferenceCheck:
    """Extensor endurance capped at 240 s; in men < 176 s is flagged (Biering-Sørensen 1984).

    The cut-off predicted low back pain within a year in men only (domain.md §6): for a
    woman, or when the sex is not recorded, nothing is flagged and the note
    ``no_validated_cutoff`` {sex} says so instead of staying silent. A flagged man gets
    ``below_men_cutoff`` {limit}.
    """
    if seconds < 0:
        raise ValueError("seconds must not be negative")
    capped = min(seconds, BIERING_SORENSEN_CAP_S)
    if sex == Sex.MALE:
        flagged = capped < BIERING_SORENSEN_MEN_LIMIT_S
        note = Reason("below_men_cutoff", {"limit": BIERING_SORENSEN_MEN_LIMIT_S})
        return ReferenceCheck(capped, flagged, note if flagged else None)
    known = sex if sex == Sex.FEMALE else None
    return ReferenceCheck(capped, None, Reason("no_validated_cutoff", {"sex": known}))


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on ``day`` (a birthday counts from that day)."""
    if day < date_of_birth:
        raise ValueError("the day lies before the date of birth")
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def age_first_episode_flag(
    date_of_birth: date | None, first_episode: bool | None, day: date
) -> Reason | None:
    """Red flag to suggest: age over 50 at a first episode (KNGF 2021; domain.md §5).

    Over 50 means 51 or older in whole years. Unknown birth date or episode → None: nothing
    to suggest. The therapist confirms it; it is never ticked for them.
    """
    if date_of_birth is None or not first_episode or day < date_of_birth:
        return None
    age = age_on(date_of_birth, day)
    if age <= AGE_FIRST_EPISODE_OVER:
        return None
    return Reason("age_first_episode", {"age": age, "limit": AGE_FIRST_EPISODE_OVER})


def modified_schober(cm: float) -> ReferenceCheck:
    """Modified Schober increase over 15 cm; normal ≥ 5 cm, flagged below (domain.md §6)."""
    return ReferenceCheck(cm, cm < SCHOBER_NORMAL_MIN_CM)


def five_times_sit_to_stand(seconds: float) -> ReferenceCheck:
    """Five-times sit-to-stand; flagged above the upper limit of normal, 12.4 s (domain.md §6)."""
    return ReferenceCheck(seconds, seconds > FIVE_TIMES_SIT_TO_STAND_UPPER_NORMAL_S)


def straight_leg_raise_positive(angle_deg: float, pain_below_knee: bool) -> bool:
    """SLR positive: leg pain below the knee between 30 and 70 degrees, inclusive (domain.md §6)."""
    low, high = STRAIGHT_LEG_RAISE_POSITIVE_DEG
    return pain_below_knee and low <= angle_deg <= high


@dataclass(frozen=True)
class ChangeRule:
    """How to judge change in one measure: its better direction and MCID/SDC, if known.

    A change is meaningful when it reaches ``points`` or, where given, ``percent`` of the
    first value (either suffices, as in "2 points or 30 %").
    """

    lower_is_better: bool
    points: float | None = None
    percent: float | None = None
    kind: ThresholdKind | None = None
    source: str = ""


CHANGE_RULES: dict[str, ChangeRule] = {
    "nprs": ChangeRule(True, 2, 30, ThresholdKind.MCID, "Ostelo 2008"),
    "psfs_mean": ChangeRule(False, 2, None, ThresholdKind.MCID, "Stratford 1995"),
    "psfs_item": ChangeRule(False, 3, None, ThresholdKind.MCID, "Stratford 1995"),
    # PSK has no published MCID (domain.md §7): 2 points is the clinic's threshold, the
    # product's phase-3 default (domain.md §5), and is labelled as such.
    "psk": ChangeRule(True, 2, None, ThresholdKind.CLINIC, "domain.md §5 (clinic threshold)"),
    "qbpds": ChangeRule(True, 20, 30, ThresholdKind.MCID, "Ostelo 2008"),
    "odi": ChangeRule(True, 10, None, ThresholdKind.MCID, "Ostelo 2008"),
    "rmdq": ChangeRule(True, 5, 30, ThresholdKind.MCID, "Ostelo 2008"),
    "modified_schober": ChangeRule(False, 1.8, None, ThresholdKind.SDC, "domain.md §6"),
    "finger_floor_distance": ChangeRule(True, 9.8, None, ThresholdKind.SDC, "Robinson 2014"),
    # SDC 32 s in current low back pain (48 s after an earlier episode; Latimer 1999).
    "biering_sorensen": ChangeRule(
        False, BIERING_SORENSEN_SDC_S, None, ThresholdKind.SDC, "Latimer 1999"
    ),
    # Direction only: no MCID/SDC the product relies on.
    "mcgill_flexor": ChangeRule(False),
    "side_bridge_left": ChangeRule(False),
    "side_bridge_right": ChangeRule(False),
    "five_times_sit_to_stand": ChangeRule(True),
    "chair_stand_30s": ChangeRule(False),
    "tsk17": ChangeRule(True),
}


@dataclass(frozen=True)
class Change:
    """Change in one measure between two analyses.

    ``difference`` = after − before; ``direction`` is None for a measure without a known
    better direction; ``beyond_threshold`` says whether the size of the change reaches the
    MCID/SDC (either way), None when none is known.
    """

    measure: str
    before: float
    after: float
    difference: float
    direction: Direction | None
    threshold_kind: ThresholdKind | None
    beyond_threshold: bool | None

    @property
    def improved_beyond_threshold(self) -> bool | None:
        """True when the change is an improvement that passes the MCID/SDC."""
        if self.beyond_threshold is None:
            return None
        return self.beyond_threshold and self.direction is Direction.IMPROVED


def measure_change(measure: str, before: float, after: float) -> Change:
    """Change between two analyses, passing MCID/SDC where known (Ostelo 2008; Robinson 2014)."""
    rule = CHANGE_RULES.get(measure)
    # Decimal from the decimal text avoids 6.0 − 4.2 = 1.7999… missing a 1.8 threshold.
    exact_before, exact_after = Decimal(str(before)), Decimal(str(after))
    difference = exact_after - exact_before
    return Change(
        measure=measure,
        before=before,
        after=after,
        difference=float(difference),
        direction=_direction(difference, rule),
        threshold_kind=rule.kind if rule else None,
        beyond_threshold=_beyond(abs(difference), exact_before, rule),
    )


def _direction(difference: Decimal, rule: ChangeRule | None) -> Direction | None:
    if rule is None:
        return None
    if difference == 0:
        return Direction.UNCHANGED
    better = difference < 0 if rule.lower_is_better else difference > 0
    return Direction.IMPROVED if better else Direction.WORSENED


def _beyond(size: Decimal, before: Decimal, rule: ChangeRule | None) -> bool | None:
    if rule is None or rule.points is None:
        return None
    if size >= Decimal(str(rule.points)):
        return True
    if rule.percent is None or before == 0:
        return False
    return size * 100 >= Decimal(str(rule.percent)) * abs(before)


def _mean_of_activities(items: Sequence[float], name: str) -> float:
    if not 3 <= len(items) <= 5:
        raise ValueError(f"{name} scores 3–5 activities, got {len(items)}")
    if any(not 0 <= item <= 10 for item in items):
        raise ValueError(f"{name} items are 0–10")
    return sum(items) / len(items)


def psfs_mean(items: Sequence[float]) -> float:
    """PSFS = mean of 3–5 activities, 0 = unable … 10 = as before (Stratford 1995)."""
    return _mean_of_activities(items, "PSFS")


def psk_mean(items: Sequence[float]) -> float:
    """PSK = mean of 3–5 activities, NRS 0–10, higher = more difficulty (domain.md §7)."""
    return _mean_of_activities(items, "PSK")


def tsk17_total(items: Sequence[int]) -> int:
    """TSK-17 total 17–68 with items 4, 8, 12, 16 reversed (5 − score) (Kori 1990; domain.md §7)."""
    if len(items) != 17:
        raise ValueError(f"TSK-17 has 17 items, got {len(items)}")
    if any(item not in (1, 2, 3, 4) for item in items):
        raise ValueError("TSK-17 items are scored 1–4")
    return sum(
        5 - item if number in TSK17_REVERSED_ITEMS else item
        for number, item in enumerate(items, start=1)
    )


def tsk17_high_fear(total: int) -> bool:
    """TSK-17 > 37 = high fear of movement (domain.md §7)."""
    return total > TSK17_HIGH_FEAR_ABOVE


def start_back_group(total: int, psychosocial: int) -> StartBackGroup:
    """STarT Back: total ≤ 3 low; else psychosocial subscore ≤ 3 medium, ≥ 4 high (Hill 2008)."""
    if not 0 <= total <= 9 or not 0 <= psychosocial <= 5 or psychosocial > total:
        raise ValueError("STarT Back total is 0–9, psychosocial subscore 0–5 and ≤ total")
    if total <= START_BACK_LOW_MAX_TOTAL:
        return StartBackGroup.LOW
    if psychosocial <= START_BACK_MEDIUM_MAX_PSYCHOSOCIAL:
        return StartBackGroup.MEDIUM
    return StartBackGroup.HIGH


def odi_percent(sections: Sequence[int | None]) -> float | None:
    """ODI % = sum ÷ (5 × answered sections) × 100 (Fairbank 2000); none answered → None."""
    if len(sections) != 10:
        raise ValueError(f"ODI has 10 sections, got {len(sections)}")
    answered = [score for score in sections if score is not None]
    if any(not 0 <= score <= 5 for score in answered):
        raise ValueError("ODI sections are scored 0–5")
    if not answered:
        return None
    return sum(answered) / (5 * len(answered)) * 100


def rmdq_recovered(score: int) -> bool:
    """RMDQ ≤ 2 = "recovered" (domain.md §7)."""
    if not 0 <= score <= 24:
        raise ValueError("RMDQ is 0–24")
    return score <= RMDQ_RECOVERED_MAX
