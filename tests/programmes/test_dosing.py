"""Changing a dose never rewrites history: each change is a new version."""

from __future__ import annotations

from decimal import Decimal

from rehab.extensions import db
from rehab.programmes.dosing import as_dose, as_rule, change_dose, dose_changes, snapshot
from rehab.progress.progression import Dose
from tests.factories import make_exercise, make_prescription, make_programme


def test_a_dose_change_keeps_the_old_dose_as_a_version(world):
    programme = make_programme(world.patient)
    squat = make_exercise(name="Goblet squat")
    prescription = make_prescription(
        programme.phases[0],
        squat,
        actor=world.therapist,
        load_kind="kg",
        load_kg=Decimal("12.0"),
        rule_kind="double_progression",
        load_increment_kg=Decimal("2"),
    )
    version = change_dose(
        prescription,
        {"load_kg": Decimal("14.0")},
        actor=world.therapist,
        reason="all sets at 12 reps, RPE 6",
    )
    db.session.commit()

    assert version.version == 2
    assert [v.dose["load_kg"] for v in prescription.versions] == ["12", "14"]
    assert prescription.versions[1].reason == "all sets at 12 reps, RPE 6"
    assert prescription.versions[1].changed_by_id == world.therapist.id
    assert prescription.current_version == 2


def test_no_version_when_nothing_changes(world):
    programme = make_programme(world.patient)
    prescription = make_prescription(programme.phases[0], make_exercise())
    assert change_dose(prescription, {"sets": 3}, actor=world.therapist, reason=None) is None
    assert prescription.current_version == 1


def test_prescription_maps_onto_the_engine_and_back(world):
    programme = make_programme(world.patient)
    prescription = make_prescription(
        programme.phases[0],
        make_exercise(),
        dosage_type="hold",
        reps_min=6,
        reps_max=6,
        hold_seconds=10,
        rule_kind="hold_progression",
        seconds_per_week=5,
        max_hold_seconds=30,
    )
    dose = as_dose(prescription)
    assert dose == Dose(
        sets=3, dosage_type="hold", reps_min=6, reps_max=6, hold_seconds=10, target_effort=7.0
    )
    assert as_rule(prescription).seconds_per_week == 5
    longer = dose_changes(
        Dose(sets=3, dosage_type="hold", reps_min=6, reps_max=6, hold_seconds=15, target_effort=7.0)
    )
    change_dose(prescription, longer, actor=None, reason="+5 s")
    assert prescription.hold_seconds == 15
    assert snapshot(prescription)["hold_seconds"] == 15
