"""Changing a dose by a step: a load raised to the equipment's increment, or cut 10–20 % on a
red pain response (Silbernagel 2007; ACSM guidance on resistance training)."""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from rehab.progress.dose import DosageType, Dose, LoadKind
from rehab.progress.reasons import Reason

# Domain.md §3: cut the dose 10–20 % on a red response; the clinic picks within that band.
DEFAULT_CUT_PCT = Decimal(15)
MIN_CUT_PCT = Decimal(10)
MAX_CUT_PCT = Decimal(20)


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
    """The cut as it came out, not the rule's step: 10 → 9 repetitions under a 15 % rule is
    "−10 %" (whole counts and the equipment's steps round the step); ``cut_pct`` stands only
    where nothing can be computed."""
    try:
        actual = (Decimal(before) - Decimal(after)) / Decimal(before) * 100
        pct = actual.to_integral_value(rounding=ROUND_HALF_UP)
    except (ArithmeticError, TypeError, ValueError):
        pct = cut_pct
    return Reason("dose_cut", {"field": field_name, "from": before, "to": after, "pct": pct})
