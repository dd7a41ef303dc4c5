"""What makes a prescription's dose and rule, and a phase's exit criterion, valid.

One set of checks for the builder's forms, the services and the built-in template files, so
that a template cannot hold what the builder would refuse. Each check normalises the values
(fields that do not apply to the chosen dosage, load or rule are cleared) and returns the
problems per field, in words for the therapist. The engine's own dataclasses
(rehab.progress.progression.Dose/Rule, rehab.progress.criteria.Criterion) have the last word.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from rehab.core.i18n import lazy_gettext as _l
from rehab.core.vocabulary import (
    DOSAGE_TYPES,
    EFFORT_KINDS,
    LOAD_KINDS,
    PROGRESSION_MODES,
    RULE_KINDS,
    SIDES,
)
from rehab.patients.measures import MEASURES, RATIOS
from rehab.programmes.models import ACTIVITY_SUBJECTS, COMPARISONS, CRITERION_KINDS
from rehab.progress.criteria import Criterion
from rehab.progress.progression import Dose, Rule

TEMPO_RE = re.compile(r"^[0-9X]{1,2}(-[0-9X]{1,2}){2,3}$")
RULE_PARAMETERS = (
    "load_increment_kg",
    "load_increment_pct",
    "seconds_per_week",
    "max_hold_seconds",
    "percent_per_week",
    "minutes_per_week",
    "target_duration_seconds",
)
# Which rule parameters each rule uses; the others are cleared.
RULE_USES = {
    "double_progression": {"load_increment_kg", "load_increment_pct"},
    "hold_progression": {"seconds_per_week", "max_hold_seconds"},
    "load_percent_per_week": {"percent_per_week", "load_increment_kg"},
    "ladder_step": set(),
    "duration_progression": {"minutes_per_week", "target_duration_seconds"},
    "therapist_decides": set(),
}
AMOUNT_FIELDS = {
    "reps": {"reps_min", "reps_max"},
    "hold": {"reps_min", "reps_max", "hold_seconds"},
    "time": {"duration_seconds"},
    "distance": {"distance_m"},
}
# Outcome change is defined for the two patient-specific complaint lists (domain.md §5, §7),
# or for "activities": whichever of the two was used, converted to one direction.
OUTCOME_MEASURES = ("psk", "psfs", "activities")
# Criteria judged from recorded data with nothing to set but (for some) the side or window.
DATA_CHECKS = {
    "red_flags_clear",
    "baselines_recorded",
    "lumbar_mobility",
    "single_leg_squat",
    "full_load_without_red",
}
RATIO_SIDED = {"side_bridge_extensor_ratio"}
DEFAULT_WINDOW_WEEKS = 2
WINDOW_KINDS = {"pain_during_max", "adherence", "hold_time", "full_load_without_red"}
LIMITS = {
    "sets": (1, 20),
    "reps_min": (1, 100),
    "reps_max": (1, 100),
    "hold_seconds": (1, 600),
    "duration_seconds": (1, 14400),
    "distance_m": (1, 100000),
    "load_kg": (0, 500),
    "target_effort": (0, 10),
    "rest_seconds": (0, 900),
    "days_per_week": (1, 7),
    "load_increment_kg": (Decimal("0.01"), 50),
    "load_increment_pct": (Decimal("0.01"), 50),
    "seconds_per_week": (1, 120),
    "max_hold_seconds": (1, 600),
    "percent_per_week": (Decimal("0.01"), 50),
    "minutes_per_week": (1, 60),
    "target_duration_seconds": (60, 14400),
}


def clean_prescription(
    values: Mapping[str, Any],
    *,
    has_harder_step: bool | None = None,
    rotation_labels: Collection[str] = (),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Normalise a dose and rule; return (values, problems per field).

    ``has_harder_step`` says whether the exercise has a harder rung on its ladder (None: not
    known, not checked); ``rotation_labels`` are the phase's session days (A, B…), if any.
    """
    v = dict(values)
    problems: dict[str, Any] = {}
    _check_choices(v, problems)
    if problems:
        return v, problems
    _clear_unused(v)
    _check_limits(v, problems)
    if problems:
        return v, problems
    _check_amount(v, problems)
    _check_load(v, problems)
    if v.get("tempo") and not TEMPO_RE.match(v["tempo"]):
        problems["tempo"] = _l('Write the tempo as seconds per phase, e.g. "3-1-2" or "3-0-1-0".')
    _check_rule(v, problems, has_harder_step)
    _check_label(v, problems, rotation_labels)
    if not problems:
        try:
            engine_dose(v)
            engine_rule(v)
        except ValueError as error:
            problems["rule_kind"] = _l("This dose and rule do not fit together: %(why)s", why=error)
    return v, problems


def _check_choices(v: dict, problems: dict) -> None:
    for name, allowed in (
        ("dosage_type", DOSAGE_TYPES),
        ("load_kind", LOAD_KINDS),
        ("effort_kind", EFFORT_KINDS),
        ("sides", SIDES),
        ("mode", PROGRESSION_MODES),
        ("rule_kind", RULE_KINDS),
    ):
        if v.get(name) not in allowed:
            problems[name] = _l("Choose one of the options.")


def _clear_unused(v: dict) -> None:
    # What does not apply to the chosen dosage, load and rule is not kept (nor checked).
    for name in ("reps_min", "reps_max", "hold_seconds", "duration_seconds", "distance_m"):
        if name not in AMOUNT_FIELDS[v["dosage_type"]]:
            v[name] = None
    if v["load_kind"] != "kg":
        v["load_kg"] = None
    if v["load_kind"] != "band":
        v["band_colour"] = None
    for name in RULE_PARAMETERS:
        if name not in RULE_USES[v["rule_kind"]]:
            v[name] = None


def _check_limits(v: dict, problems: dict) -> None:
    if v.get("sets") is None:
        problems["sets"] = _l("Give the number of sets (at least 1).")
    for name, (low, high) in LIMITS.items():
        value = v.get(name)
        if value is None:
            continue
        if value < 0 and low >= 0:
            problems[name] = _l("This cannot be negative.")
        elif not low <= value <= high:
            problems[name] = _l("Give a value from %(low)s to %(high)s.", low=low, high=high)


def _check_amount(v: dict, problems: dict) -> None:
    dosage = v["dosage_type"]
    if dosage in ("reps", "hold"):
        if v.get("reps_min") is None:
            what = _l("repetitions") if dosage == "reps" else _l("holds per set")
            problems["reps_min"] = _l("Give the number of %(what)s.", what=what)
        elif v.get("reps_max") is None:
            v["reps_max"] = v["reps_min"]
        elif v["reps_max"] < v["reps_min"]:
            problems["reps_max"] = _l(
                "A range runs from low to high: %(low)s–%(high)s is the wrong way round.",
                low=v["reps_min"],
                high=v["reps_max"],
            )
    required = {
        "hold": ("hold_seconds", _l("Give the hold in seconds.")),
        "time": ("duration_seconds", _l("Give the duration.")),
        "distance": ("distance_m", _l("Give the distance in metres.")),
    }
    if dosage in required:
        name, message = required[dosage]
        if v.get(name) is None:
            problems[name] = message


def _check_load(v: dict, problems: dict) -> None:
    kind = v["load_kind"]
    if kind == "kg" and v.get("load_kg") is None:
        problems["load_kg"] = _l("Give the load in kg (0 or more).")
    if kind == "band" and not v.get("band_colour"):
        problems["band_colour"] = _l("Name the band's colour or strength.")


def _check_rule(v: dict, problems: dict, has_harder_step: bool | None) -> None:
    kind = v["rule_kind"]
    if kind == "double_progression":
        if v["dosage_type"] != "reps":
            problems["rule_kind"] = _l(
                "Double progression works on repetitions: choose repetitions as the dosage."
            )
        elif v.get("reps_min") is not None and v.get("reps_max") == v.get("reps_min"):
            problems["reps_max"] = _l(
                "Double progression needs a rep range, e.g. 8–12: the patient adds reps "
                "up to the top before the load goes up."
            )
        if v.get("load_increment_kg") is None:
            problems["load_increment_kg"] = _l(
                "Double progression needs the load step in kg (the equipment's smallest step)."
            )
    elif kind == "hold_progression":
        if v["dosage_type"] != "hold":
            problems["rule_kind"] = _l(
                "Hold progression works on timed holds: choose a timed hold as the dosage."
            )
        if v.get("seconds_per_week") is None:
            problems["seconds_per_week"] = _l("Give the seconds to add per week.")
        if v.get("max_hold_seconds") is None:
            problems["max_hold_seconds"] = _l("Give the longest hold before the next step.")
        elif (v.get("hold_seconds") or 0) > v["max_hold_seconds"]:
            problems["max_hold_seconds"] = _l(
                "The longest hold must be at least the current hold (%(hold)s s).",
                hold=v["hold_seconds"],
            )
    elif kind == "load_percent_per_week":
        if v["load_kind"] != "kg":
            problems["rule_kind"] = _l("A percentage per week needs a load in kg.")
        if v.get("percent_per_week") is None:
            problems["percent_per_week"] = _l("Give the percentage to add per week.")
    elif kind == "duration_progression":
        _check_duration_rule(v, problems)
    elif kind == "ladder_step" and has_harder_step is False:
        problems["rule_kind"] = _l(
            "This exercise has no harder step on its ladder: choose another rule."
        )


def _check_duration_rule(v: dict, problems: dict) -> None:
    if v["dosage_type"] != "time":
        problems["rule_kind"] = _l(
            "Adding minutes works on a timed dose: choose a duration as the dosage."
        )
    if v.get("minutes_per_week") is None:
        problems["minutes_per_week"] = _l("Give the minutes to add per week.")
    if v.get("target_duration_seconds") is None:
        problems["target_duration_seconds"] = _l("Give the target duration.")
    elif (v.get("duration_seconds") or 0) > v["target_duration_seconds"]:
        problems["target_duration_seconds"] = _l(
            "The target must be at least the current duration."
        )


def _check_label(v: dict, problems: dict, rotation_labels: Collection[str]) -> None:
    if not rotation_labels:
        v["session_label"] = None
    elif v.get("session_label") not in rotation_labels:
        problems["session_label"] = _l("Choose the session day this exercise belongs to.")


def engine_dose(v: Mapping[str, Any]) -> Dose:
    """The progression engine's Dose for these values (raises ValueError when impossible)."""
    return Dose(
        sets=v["sets"],
        dosage_type=v["dosage_type"],
        reps_min=v.get("reps_min"),
        reps_max=v.get("reps_max"),
        hold_seconds=v.get("hold_seconds"),
        duration_seconds=v.get("duration_seconds"),
        distance_m=v.get("distance_m"),
        load_kind=v["load_kind"],
        load_kg=v.get("load_kg") if v["load_kind"] == "kg" else None,
        band=v.get("band_colour"),
        effort_kind=v.get("effort_kind") or "rpe",
        target_effort=float(v["target_effort"]) if v.get("target_effort") is not None else None,
    )


def engine_rule(v: Mapping[str, Any]) -> Rule:
    """The progression engine's Rule for these values (raises ValueError when incomplete)."""
    return Rule(
        kind=v["rule_kind"],
        mode=v["mode"],
        load_increment_kg=v.get("load_increment_kg"),
        load_increment_pct=v.get("load_increment_pct"),
        seconds_per_week=v.get("seconds_per_week"),
        max_hold_seconds=v.get("max_hold_seconds"),
        percent=v.get("percent_per_week"),
        minutes_per_week=v.get("minutes_per_week"),
        target_duration_seconds=v.get("target_duration_seconds"),
    )


# --- exit criteria -------------------------------------------------------------------------


def measure_choices() -> list[tuple[str, Any]]:
    """Every key a "measure" criterion may name (a sided measure once; the side is separate)."""
    return [(key, measure.label) for key, measure in MEASURES.items()]


def clean_criterion(
    values: Mapping[str, Any], *, hold_prescription_ids: Collection[int] = ()
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Normalise an exit criterion; return (values, problems per field).

    Adherence targets are fractions (0.8 = 80 %). ``hold_prescription_ids`` are the phase's
    prescriptions with a timed hold, which a "hold_time" criterion may name.
    """
    v = dict(values)
    problems: dict[str, Any] = {}
    kind = v.get("kind")
    if kind not in CRITERION_KINDS:
        problems["kind"] = _l("Choose one of the options.")
        return v, problems
    if kind == "therapist_check":
        v.update(comparison="==", target=Decimal(1), target_high=None, measure=None, side=None)
        if not v.get("label"):
            problems["label"] = _l("Say what the therapist checks, e.g. “no red flags”.")
    if kind in DATA_CHECKS:
        side = "each" if kind == "single_leg_squat" else None
        v.update(comparison="==", target=Decimal(1), target_high=None, measure=None, side=side)
    if v.get("comparison") not in COMPARISONS:
        problems["comparison"] = _l("Choose one of the options.")
        return v, problems
    _check_target(v, problems)
    _check_subject(v, problems, hold_prescription_ids)
    if kind in WINDOW_KINDS:
        v["window_weeks"] = v.get("window_weeks") or DEFAULT_WINDOW_WEEKS
        if not 1 <= v["window_weeks"] <= 26:
            problems["window_weeks"] = _l("Give a value from %(low)s to %(high)s.", low=1, high=26)
    else:
        v["window_weeks"] = None
    if kind != "hold_time":
        v["prescription_id"] = None
    if not problems:
        try:
            engine_criterion(v)
        except ValueError as error:
            problems["comparison"] = _l("This criterion is not complete: %(why)s", why=error)
    return v, problems


def _check_target(v: dict, problems: dict) -> None:
    if v.get("target") is None:
        problems["target"] = _l("Give the target value.")
    if v["comparison"] == "between":
        if v.get("target_high") is None:
            problems["target_high"] = _l("“Between” needs a high value too.")
        elif v.get("target") is not None and v["target_high"] < v["target"]:
            problems["target_high"] = _l(
                "A range runs from low to high: %(low)s–%(high)s is the wrong way round.",
                low=v["target"],
                high=v["target_high"],
            )
    else:
        v["target_high"] = None


_TARGET_LIMITS = {
    "pain_during_max": (0, 10),
    "next_morning_baseline_days": (0, 7),
    "adherence": (0, 2),
    "hold_time": (1, 600),
    "outcome_change": (-10, 10),
    "ratio": (0, 100),  # a ratio, or the side-bridge asymmetry in %
    "activity_score": (0, 10),
}


def _check_subject(v: dict, problems: dict, hold_ids: Collection[int]) -> None:
    kind = v["kind"]
    if kind == "measure":
        measure = MEASURES.get(v.get("measure") or "")
        if measure is None:
            problems["measure"] = _l("Choose a measure from the list.")
            return
        if measure.sided and v.get("side") not in ("left", "right", "each"):
            problems["side"] = _l("This measure has a left and a right side: choose a side.")
        if not measure.sided:
            v["side"] = None
        _within(v, problems, measure.low, measure.high)
        return
    if kind == "ratio":
        if v.get("measure") not in RATIOS:
            problems["measure"] = _l("Choose a ratio from the list.")
        elif v["measure"] in RATIO_SIDED:
            v["side"] = v.get("side") or "each"
        else:
            v["side"] = None
    elif kind == "outcome_change":
        if v.get("measure") not in OUTCOME_MEASURES:
            problems["measure"] = _l("Choose PSK, PSFS or the patient-specific activities.")
        v["side"] = None
    elif kind == "activity_score":
        if v.get("measure") not in ACTIVITY_SUBJECTS:
            problems["measure"] = _l("Choose the sport or work activity or the mean.")
        v["side"] = None
    elif kind in DATA_CHECKS:
        pass
    else:
        v["measure"] = None
        v["side"] = None
    if kind == "hold_time" and v.get("prescription_id") not in hold_ids:
        problems["prescription_id"] = _l("Choose an exercise with a timed hold in this phase.")
    if kind in _TARGET_LIMITS:
        _within(v, problems, *_TARGET_LIMITS[kind])


def _within(v: dict, problems: dict, low: float, high: float) -> None:
    for name in ("target", "target_high"):
        value = v.get(name)
        if value is not None and not low <= value <= high and name not in problems:
            problems[name] = _l("Give a value from %(low)s to %(high)s.", low=low, high=high)


def engine_criterion(v: Mapping[str, Any]) -> Criterion:
    """The criteria module's Criterion for these values (raises ValueError when incomplete)."""
    target = v.get("target")
    if v["comparison"] == "between":
        high = v.get("target_high")
        value: float | tuple[float, float] = (
            float(target) if target is not None else 0.0,
            float(high) if high is not None else 0.0,
        )
    else:
        value = float(target) if target is not None else 0.0
    return Criterion(
        kind=v["kind"],
        comparison=v["comparison"],
        target=value,
        window_weeks=v.get("window_weeks"),
        side=v.get("side") if v["kind"] == "measure" else None,
    )
