"""A prescription's dose and rule as plain values, and the one way a dose ever changes.

The progression engine (rehab.progress.progression) works on ``Dose`` and ``Rule``
dataclasses; these functions map a Prescription row onto them and back. Every dose change —
by the therapist in the builder or by accepting a suggestion — goes through
``change_dose``, which first writes a PrescriptionVersion, so that sessions logged earlier
keep the dose that was prescribed when they were logged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rehab.core.clock import local_today
from rehab.core.concurrency import claim
from rehab.extensions import db
from rehab.programmes.models import Prescription, PrescriptionVersion
from rehab.progress.progression import Dose, Rule

# Every field a version records: the dose, how it moves, and the patient-facing details.
DOSE_FIELDS = (
    "sets", "dosage_type", "reps_min", "reps_max", "hold_seconds", "duration_seconds",
    "distance_m", "load_kind", "load_kg", "band_colour", "effort_kind", "target_effort",
    "rest_seconds", "tempo", "days_per_week", "sides", "notes",
)  # fmt: skip
RULE_FIELDS = (
    "mode", "rule_kind", "load_increment_kg", "load_increment_pct", "seconds_per_week",
    "max_hold_seconds", "percent_per_week", "minutes_per_week", "target_duration_seconds",
    "paused",
)  # fmt: skip
_DECIMAL_FIELDS = {
    "load_kg",
    "target_effort",
    "load_increment_kg",
    "load_increment_pct",
    "percent_per_week",
}


def _plain(value):
    # 12, 12.0 and 12.00 are one load: normalise so equal doses compare equal.
    return format(value.normalize(), "f") if isinstance(value, Decimal) else value


def snapshot(prescription: Prescription) -> dict:
    """The prescription's dose and rule as JSON-ready values (Decimals as strings)."""
    return {name: _plain(getattr(prescription, name)) for name in DOSE_FIELDS + RULE_FIELDS}


def from_snapshot(values: dict) -> dict:
    """Column values from a snapshot (the inverse of ``snapshot``)."""
    return {
        name: (Decimal(value) if name in _DECIMAL_FIELDS and value is not None else value)
        for name, value in values.items()
        if name in DOSE_FIELDS or name in RULE_FIELDS
    }


def as_dose(prescription: Prescription) -> Dose:
    """The prescription's current dose for the progression engine."""
    p = prescription
    return Dose(
        sets=p.sets,
        dosage_type=p.dosage_type,
        reps_min=p.reps_min,
        reps_max=p.reps_max,
        hold_seconds=p.hold_seconds,
        duration_seconds=p.duration_seconds,
        distance_m=p.distance_m,
        load_kind=p.load_kind,
        load_kg=p.load_kg if p.load_kind == "kg" else None,
        band=p.band_colour,
        effort_kind=p.effort_kind,
        target_effort=float(p.target_effort) if p.target_effort is not None else None,
    )


def as_rule(prescription: Prescription) -> Rule:
    """The prescription's progression rule and mode for the progression engine."""
    p = prescription
    return Rule(
        kind=p.rule_kind,
        mode=p.mode,
        load_increment_kg=p.load_increment_kg,
        load_increment_pct=p.load_increment_pct,
        seconds_per_week=p.seconds_per_week,
        max_hold_seconds=p.max_hold_seconds,
        percent=p.percent_per_week,
        minutes_per_week=p.minutes_per_week,
        target_duration_seconds=p.target_duration_seconds,
    )


def dose_changes(dose: Dose) -> dict:
    """Column values for a Dose the engine suggested."""
    return {
        "sets": dose.sets,
        "dosage_type": str(dose.dosage_type),
        "reps_min": dose.reps_min,
        "reps_max": dose.reps_max,
        "hold_seconds": dose.hold_seconds,
        "duration_seconds": dose.duration_seconds,
        "distance_m": dose.distance_m,
        "load_kind": str(dose.load_kind),
        "load_kg": dose.load_kg,
        "band_colour": dose.band,
        "effort_kind": str(dose.effort_kind),
        "target_effort": (
            Decimal(str(dose.target_effort)) if dose.target_effort is not None else None
        ),
    }


def record_first_version(
    prescription: Prescription, *, actor, reason: str | None = None, reason_code: str | None = None
) -> None:
    """Version 1 of a new prescription (call after it is added to the session and flushed);
    ``reason`` is typed, ``reason_code`` the system's (rehab.programmes.reasons)."""
    prescription.current_version = 1
    prescription.dose_since = prescription.dose_since or local_today()
    db.session.add(
        PrescriptionVersion(
            prescription_id=prescription.id,
            version=1,
            exercise_id=prescription.exercise_id,
            dose=snapshot(prescription),
            effective_on=prescription.dose_since,
            changed_by_id=actor.id if actor else None,
            reason=reason,
            reason_code=reason_code,
        )
    )


class DoseChanged(Exception):
    """Another request changed this prescription's dose after it was read here."""


def change_dose(
    prescription: Prescription,
    changes: dict,
    *,
    actor,
    reason: str | None,
    exercise_id: int | None = None,
    suggestion_id: int | None = None,
    today: dt.date | None = None,
    reason_code: str | None = None,
    reason_values: dict | None = None,
) -> PrescriptionVersion | None:
    """Apply ``changes`` (column → value) and keep the new state as the next version.

    Returns the new version, or None when nothing changed. The caller commits (one
    transaction per user action) and writes the audit entry. The version number is taken
    with one conditional write (``current_version = n + 1 WHERE current_version = n``): a
    dose change committed by another request since this one read the prescription raises
    DoseChanged instead of a second version n + 1.
    """
    before = snapshot(prescription)
    old_exercise = prescription.exercise_id
    for name, value in changes.items():
        if name not in DOSE_FIELDS and name not in RULE_FIELDS:
            raise ValueError(f"{name} is not a dose or rule field")
        setattr(prescription, name, value)
    if exercise_id is not None:
        prescription.exercise_id = exercise_id
    if snapshot(prescription) == before and prescription.exercise_id == old_exercise:
        return None
    read = prescription.current_version
    if not claim(prescription, Prescription.current_version == read, current_version=read + 1):
        raise DoseChanged(prescription.id)
    prescription.dose_since = today or local_today()
    version = PrescriptionVersion(
        prescription_id=prescription.id,
        version=prescription.current_version,
        exercise_id=prescription.exercise_id,
        dose=snapshot(prescription),
        effective_on=prescription.dose_since,
        changed_by_id=actor.id if actor else None,
        reason=reason,
        reason_code=reason_code,
        reason_values=reason_values,
        suggestion_id=suggestion_id,
    )
    db.session.add(version)
    return version
