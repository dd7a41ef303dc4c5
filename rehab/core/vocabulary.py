"""The clinic's controlled vocabularies, stored as stable codes and shown translated.

One place for each list, so that a form's choices, a model's CHECK constraint, the library
files and a PDF's labels cannot drift apart.
"""

from __future__ import annotations

from rehab.core.i18n import lazy_gettext as _l

BODY_REGIONS = {
    "lumbar_spine": _l("Lower back (lumbar spine)"),
    "thoracic_spine": _l("Upper back (thoracic spine)"),
    "neck": _l("Neck"),
    "pelvis": _l("Pelvis"),
    "hip": _l("Hip"),
    "knee": _l("Knee"),
    "ankle_foot": _l("Ankle and foot"),
    "shoulder": _l("Shoulder"),
    "elbow_wrist": _l("Elbow and wrist"),
    "whole_body": _l("Whole body"),
}

EXERCISE_CATEGORIES = {
    "mobility": _l("Mobility"),
    "motor_control": _l("Motor control and core stability"),
    "strength": _l("Strength"),
    "endurance": _l("Endurance"),
    "breathing": _l("Breathing and relaxation"),
    "plyometric": _l("Plyometrics and return to sport"),
}

EQUIPMENT = {
    "none": _l("No equipment"),
    "mat": _l("Mat"),
    "band": _l("Resistance band"),
    "dumbbell": _l("Dumbbell"),
    "kettlebell": _l("Kettlebell"),
    "barbell": _l("Barbell"),
    "cable": _l("Cable machine"),
    "foam_roller": _l("Foam roller"),
    "step": _l("Step"),
    "ball": _l("Ball"),
    "bench": _l("Bench"),
    "box": _l("Box"),
    "dowel": _l("Stick (dowel)"),
    "wall": _l("Wall"),
    "chair": _l("Chair"),
    "towel": _l("Towel"),
    "balance_pad": _l("Balance pad"),
    "bike": _l("Exercise bike"),
    "weight_plate": _l("Weight plate"),
}

DOSAGE_TYPES = {
    "reps": _l("Repetitions"),
    "hold": _l("Timed hold"),
    "time": _l("Time"),
    "distance": _l("Distance"),
}

LOAD_KINDS = {
    "bodyweight": _l("Body weight"),
    "kg": _l("Weight in kg"),
    "band": _l("Band colour"),
}

EFFORT_KINDS = {
    "rpe": _l("RPE (0–10)"),
    "rir": _l("Reps in reserve"),
}

PROGRESSION_MODES = {
    "pain_contingent": _l("Pain-contingent (pain-monitoring model)"),
    "time_contingent": _l("Time-contingent (graded activity)"),
}

RULE_KINDS = {
    "double_progression": _l("Double progression: reps to the top of the range, then add load"),
    "hold_progression": _l("Add seconds of hold per week, then step up the ladder"),
    "load_percent_per_week": _l("Add a percentage of load per week"),
    "ladder_step": _l("Step to the harder exercise when the top is reached"),
    "duration_progression": _l("Add minutes per week up to a target duration"),
    "therapist_decides": _l("Therapist decides"),
}

SIDES = {
    "both": _l("Both sides together"),
    "each": _l("Each side"),
    "left": _l("Left only"),
    "right": _l("Right only"),
}


def sql_in(codes) -> str:
    """A CHECK constraint fragment: the column's value is one of these codes."""
    return "(" + ", ".join(f"'{code}'" for code in codes) + ")"
