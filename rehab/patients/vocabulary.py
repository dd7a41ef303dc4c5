"""The movement analysis's controlled vocabularies: stored codes and their translated labels.

The intake items, red flags and prognostic factors follow the KNGF guideline "Lage rugpijn en
lumbosacraal radiculair syndroom" (2021); the warning signs are the clinic's own patient
information (domain.md §5, §6 and §8). One list each, so the form's choices, the model's
CHECK constraints and the analysis page cannot drift apart.
"""

from __future__ import annotations

from rehab.core.i18n import lazy_gettext as _l

# The patient's sex, for references that differ by sex: the Biering-Sørensen cut-off exists
# for men only (domain.md §6). Optional ("not recorded" is NULL) and shown to staff only.
SEXES = {
    "female": _l("Female"),
    "male": _l("Male"),
}

ANALYSIS_KINDS = {
    "intake": _l("Intake"),
    "reassessment": _l("Re-assessment"),
    "discharge": _l("Discharge"),
}

# --- intake (KNGF 2021) --------------------------------------------------------------------

ONSETS = {
    "sudden": _l("Sudden"),
    "gradual": _l("Gradual"),
}

COURSES = {
    "improving": _l("Improving"),
    "stable": _l("Unchanged"),
    "worsening": _l("Worsening"),
    "fluctuating": _l("Fluctuating"),
}

PAIN_NATURES = {
    "aching": _l("Dull, aching"),
    "sharp": _l("Sharp, stabbing"),
    "burning": _l("Burning"),
    "shooting": _l("Shooting, electric"),
    "tingling": _l("Tingling, pins and needles"),
    "stiff": _l("Stiff, tight"),
}

PAIN_PATTERNS = {
    "constant": _l("Constant"),
    "intermittent": _l("Comes and goes (intermittent)"),
}

RADIATION = {
    "none": _l("No radiation"),
    "buttock": _l("To the buttock"),
    "above_knee": _l("Into the leg, not below the knee"),
    "below_knee": _l("Into the leg, below the knee"),
}

EFFECTS = {
    "better": _l("Better"),
    "worse": _l("Worse"),
    "no_effect": _l("No effect"),
}

# The factors whose effect on the pain the intake asks about: column ``effect_<code>``.
EFFECT_FACTORS = {
    "rest": _l("Effect of rest"),
    "sleep": _l("Effect of sleep and lying down"),
    "posture": _l("Effect of posture"),
    "cough": _l("Effect of coughing or sneezing"),
}

# --- screening -----------------------------------------------------------------------------

# Column ``red_flag_<code>``: any ticked → contact the GP or referrer (KNGF 2021).
RED_FLAGS = {
    "cancer": _l("Cancer: history of cancer or suspicion of a malignancy"),
    "infection": _l("Infection: fever, recent infection, immunosuppression or drug use"),
    "fracture": _l("Fracture or trauma: significant trauma, osteoporosis, long-term steroids"),
    "inflammatory": _l("Inflammatory disease: e.g. axial spondyloarthritis"),
    "cauda_equina": _l("Cauda equina: saddle anaesthesia, progressive weakness in the legs"),
    "weight_loss": _l("Unexplained weight loss"),
    "night_pain": _l("Constant pain at night, not eased by changing position"),
    "bladder_bowel": _l("Bladder or bowel symptoms: retention, incontinence"),
    # KNGF 2021 (domain.md §5): Rehab suggests it from the date of birth and the episode;
    # the therapist ticks it, it is never ticked for them.
    "age_first_episode": _l("Age over 50 at a first episode"),
}

# Column ``pf_<code>``, in the KNGF guideline's groups (domain.md §5).
PROGNOSTIC_FACTOR_GROUPS = [
    (_l("Complaint"), {
        "previous_episodes": _l("Previous episodes"),
        "high_activity_limitation": _l("High activity limitation"),
        "leg_pain": _l("Leg pain"),
        "high_pain": _l("High pain intensity"),
    }),
    (_l("General health"), {
        "poor_general_health": _l("Poor general health"),
    }),
    (_l("Psychosocial"), {
        "stress": _l("Stress"),
        "fear_of_movement": _l("Fear of movement"),
        "depressive_symptoms": _l("Depressive symptoms"),
        "passive_coping": _l("Passive coping"),
        "negative_expectations": _l("Negative expectations of recovery"),
        "catastrophising": _l("Catastrophising"),
    }),
    (_l("Work"), {
        "heavy_physical_work": _l("Heavy physical work"),
        "poor_work_relations": _l("Poor relations at work"),
        "low_job_satisfaction": _l("Low job satisfaction"),
    }),
]  # fmt: skip
PROGNOSTIC_FACTORS = {
    code: label for _, group in PROGNOSTIC_FACTOR_GROUPS for code, label in group.items()
}

TREATMENT_PROFILES = {
    1: _l("Profile 1: low risk, advice and self-directed exercise"),
    2: _l("Profile 2: medium risk, exercise therapy"),
    3: _l("Profile 3: high risk, exercise therapy with attention to psychosocial factors"),
}

START_BACK_GROUPS = {
    "low": _l("Low risk"),
    "medium": _l("Medium risk"),
    "high": _l("High risk"),
}

# The profile each STarT Back group points to; a different choice gets a hint, never a block.
START_BACK_PROFILE = {"low": 1, "medium": 2, "high": 3}

# --- patient-specific activities -----------------------------------------------------------

ACTIVITY_INSTRUMENTS = {
    "psk": _l("PSK: Patient-Specific Complaints (0 = no difficulty, 10 = impossible)"),
    "psfs": _l("PSFS: Patient-Specific Functional Scale (0 = unable, 10 = as before)"),
}

# --- the clinic's warning signs (domain.md §8) ---------------------------------------------

# Column ``ws_<code>``; morning stiffness is its own number of minutes.
WARNING_SIGNS = {
    "reduced_mobility": _l("Less mobility when bending or twisting"),
    "back_fatigue": _l("Back tires after normal activities"),
    "intermittent_pain": _l("Mild pain that comes and goes during the day"),
    "sleep_position": _l("Trouble finding a comfortable sleeping position"),
    "pelvis_hip_tension": _l("Tension in the pelvis or hips"),
    "changed_gait_posture": _l("Changed gait or posture"),
    "moving_differently": _l("Sits, lifts or moves differently to avoid discomfort"),
}

# --- posture and movement observations -----------------------------------------------------

SITTING_POSTURES = {
    "upright": _l("Upright, relaxed"),
    "slumped": _l("Slumped (flexed)"),
    "extended": _l("Extended (hollow back)"),
    "restless": _l("Shifts often, cannot sit still"),
    "avoids": _l("Avoids sitting"),
}

STANDING_POSTURES = {
    "neutral": _l("Neutral"),
    "increased_lordosis": _l("Increased lumbar lordosis"),
    "flat_back": _l("Flat back"),
    "sway_back": _l("Sway back"),
    "lateral_shift": _l("Lateral shift"),
}

LIFTING_PATTERNS = {
    "hip_hinge": _l("Hip hinge with a neutral spine"),
    "squat": _l("Squats with the legs"),
    "lumbar_flexion": _l("Bends mainly from the lower back"),
    "guarded": _l("Stiff, guarded"),
    "avoids": _l("Avoids bending and lifting"),
}

COMPENSATIONS = {
    "none": _l("None seen"),
    "trunk_shift": _l("Trunk shift or lean"),
    "pelvic_drop": _l("Hip hike or pelvic drop"),
    "knee_valgus": _l("Knee valgus"),
    "bracing": _l("Bracing or breath holding"),
    "unloading": _l("Unloads one leg"),
}

FEAR_AVOIDANCE = {
    "none": _l("None seen"),
    "some": _l("Some hesitation"),
    "marked": _l("Clearly avoids movements"),
}

# The observation columns and their vocabularies, in the order the form shows them.
OBSERVATIONS = {
    "sitting_posture": (_l("Sitting posture"), SITTING_POSTURES),
    "standing_posture": (_l("Standing posture"), STANDING_POSTURES),
    "lifting_pattern": (_l("Lifting and bending pattern"), LIFTING_PATTERNS),
    "compensation": (_l("Compensation pattern"), COMPENSATIONS),
    "fear_avoidance": (_l("Fear-avoidance behaviour"), FEAR_AVOIDANCE),
}

# --- measurements ---------------------------------------------------------------------------

SIDES = {"left": _l("Left"), "right": _l("Right")}
SIDE_NAMES = {"left": _l("left"), "right": _l("right")}  # within a sentence or a label

# Where the straight-leg raise brings on symptoms: column ``slr_symptoms_<side>``.
SLR_SYMPTOMS = {
    "none": _l("No symptoms"),
    "back": _l("Lower back"),
    "buttock": _l("Buttock"),
    "thigh": _l("Back of the thigh"),
    "below_knee": _l("Below the knee"),
}

# Single-leg squat quality (domain.md §6): column ``sls_<item>_<side>``, good or poor.
SINGLE_LEG_SQUAT_ITEMS = {
    "overall": _l("Overall impression"),
    "trunk": _l("Trunk"),
    "pelvis": _l("Pelvis"),
    "knee": _l("Knee alignment"),
    "foot": _l("Foot"),
}
SQUAT_RATINGS = {"good": _l("Good"), "poor": _l("Poor")}


def flag_columns() -> dict[str, tuple[str, object]]:
    """Every yes/no column of an analysis: name → (group, label)."""
    columns: dict[str, tuple[str, object]] = {}
    for code, label in RED_FLAGS.items():
        columns[f"red_flag_{code}"] = ("red_flags", label)
    for code, label in PROGNOSTIC_FACTORS.items():
        columns[f"pf_{code}"] = ("prognostic_factors", label)
    for code, label in WARNING_SIGNS.items():
        columns[f"ws_{code}"] = ("warning_signs", label)
    return columns


def squat_columns() -> list[str]:
    return [f"sls_{item}_{side}" for item in SINGLE_LEG_SQUAT_ITEMS for side in SIDES]
