"""Stand-in for the programmes area's demo seeder (until wip/programmes lands): an active
programme for each demo patient, with exercises shaped like the built-in library's."""

from __future__ import annotations

from decimal import Decimal

from rehab.extensions import db
from tests.factories import make_exercise, make_prescription, make_programme


def add_demo_programmes(demo) -> None:
    clinic = demo.clinic
    dead_bug_easy = make_exercise(clinic, name="Dead bug, arms only", dosage_type="reps")
    dead_bug = make_exercise(clinic, name="Dead bug, opposite arm and leg", dosage_type="reps",
                             regression_id=dead_bug_easy.id)  # fmt: skip
    side_bridge_knees = make_exercise(clinic, name="Side bridge on the knees", dosage_type="hold")
    side_bridge_feet = make_exercise(clinic, name="Side bridge on the feet", dosage_type="hold")
    side_bridge = make_exercise(
        clinic, name="Side bridge, knees to feet", dosage_type="hold",
        progression_id=side_bridge_feet.id, regression_id=side_bridge_knees.id,
    )  # fmt: skip
    rdl_easy = make_exercise(clinic, name="Kettlebell deadlift from a block", category="strength")
    rdl = make_exercise(clinic, name="Romanian deadlift", category="strength",
                        regression_id=rdl_easy.id)  # fmt: skip
    walk = make_exercise(clinic, name="Brisk walk", dosage_type="time", category="endurance")
    for patient in demo.patients:
        therapist = demo.therapists[0]
        programme = make_programme(patient, title="Terug naar sport", created_by=therapist)
        phase = programme.phases[0]
        phase.name = "Fase 3: capaciteit en kracht"
        make_prescription(
            phase, rdl, load_kind="kg", load_kg=Decimal("16"), rule_kind="double_progression",
            load_increment_kg=Decimal("4"),
        )  # fmt: skip
        make_prescription(phase, side_bridge, dosage_type="hold", reps_min=4, reps_max=4,
                          hold_seconds=15, rule_kind="hold_progression", seconds_per_week=5,
                          max_hold_seconds=30)  # fmt: skip
        make_prescription(phase, dead_bug, reps_min=8, reps_max=12, rule_kind="ladder_step")
        make_prescription(phase, walk, sets=1, dosage_type="time", reps_min=None,
                          reps_max=None, duration_seconds=1200, target_effort=None)  # fmt: skip
    db.session.flush()
