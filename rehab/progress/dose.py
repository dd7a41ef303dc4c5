"""A prescription's dose, its progression rule and what a patient logged of it (domain.md §4).

The progression engine (rehab.progress.progression) reads these; rehab.programmes.dosing maps
a Prescription row onto them. Effort is RPE on Foster's CR-10 or reps in reserve (Helms 2016).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

# Used to round loads when the rule names no equipment increment.
DEFAULT_EQUIPMENT_INCREMENT_KG = Decimal("0.5")
# McGill's Big-3 build on 10-s holds; a new rung of a hold ladder starts there.
DEFAULT_START_HOLD_SECONDS = 10
DEFAULT_SESSIONS_REQUIRED = 2


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
    DURATION_PROGRESSION = "duration_progression"
    THERAPIST_DECIDES = "therapist_decides"


class Mode(StrEnum):
    PAIN_CONTINGENT = "pain_contingent"
    TIME_CONTINGENT = "time_contingent"


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
    - ``duration_progression``: a timed dose gets ``minutes_per_week`` longer, up to
      ``target_duration_seconds`` (walking "five minutes longer every week", walk-run;
      domain.md §5), pain-gated or time-contingent like the others.
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
    minutes_per_week: int | None = None
    target_duration_seconds: int | None = None

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
        if self.kind is RuleKind.DURATION_PROGRESSION and not (
            (self.minutes_per_week or 0) >= 1 and (self.target_duration_seconds or 0) >= 1
        ):
            raise ValueError(
                "duration progression needs minutes_per_week and target_duration_seconds"
            )
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
    the prescription's kind). ``pain_after`` is the session's pain afterwards (it may reach 5,
    Silbernagel 2007). ``next_morning_pain`` is the following morning's pain and
    ``morning_baseline`` the patient's baseline that morning (``pain.morning_baseline``).
    ``unseen_earlier_dose``: done at an earlier dose (before ``dose_since``) but logged after
    the dose changed, so no suggestion has judged it yet.
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
    pain_after: float | None = None
    effort: float | None = None
    effort_kind: EffortKind | None = None
    next_morning_pain: float | None = None
    morning_baseline: float | None = None
    unseen_earlier_dose: bool = False

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
