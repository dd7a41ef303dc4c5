"""Demo movement analyses: an intake for every demo patient, and for three of them a
re-assessment five weeks later that shows improvement (so the comparison has something to
show). Tom's intake has a red flag the GP has since cleared; his re-assessment has none.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rehab.patients.services import new_analysis

WEEK = dt.timedelta(weeks=1)


def _lumbar_intake(**values) -> dict:
    """A typical low-back intake; ``values`` override or add to it."""
    base = {
        "kind": "intake",
        "onset": "gradual",
        "course": "fluctuating",
        "pain_location": "Onderrug, centraal en iets rechts",
        "pain_nature": "aching",
        "pain_pattern": "intermittent",
        "radiation": "none",
        "effect_rest": "better",
        "effect_sleep": "no_effect",
        "effect_posture": "worse",
        "effect_cough": "no_effect",
        "pf_previous_episodes": True,
        "sitting_posture": "slumped",
        "standing_posture": "flat_back",
        "lifting_pattern": "lumbar_flexion",
        "compensation": "bracing",
        "fear_avoidance": "some",
        "ws_reduced_mobility": True,
        "ws_back_fatigue": True,
        "morning_stiffness_minutes": 15,
    }
    base.update(values)
    return base


def _sanne(demo, patient) -> None:
    start = demo.today - 6 * WEEK
    activities = ["10 km hardlopen", "Mijn dochter optillen", "Een werkdag zitten"]
    new_analysis(patient.id, patient.therapist_id, _lumbar_intake(
        recorded_on=start, complaint_weeks=3, earlier_episodes=2,
        request_for_help="Weer hardlopen en mijn dochter zonder angst optillen.",
        treatment_profile=2, start_back_group="medium", nprs=6, nprs_worst=8,
        activity_instrument="psk", qbpds=38, tsk17=39,
        modified_schober=Decimal("3.6"), finger_floor_distance=Decimal("18"),
        hip_flexion_left=110, hip_flexion_right=105, hip_extension_left=10,
        hip_extension_right=5, straight_leg_raise_left=75, straight_leg_raise_right=70,
        slr_symptoms_left="none", slr_symptoms_right="back",
        mcgill_flexor=Decimal("95"), biering_sorensen=Decimal("85"),
        side_bridge_left=Decimal("42"), side_bridge_right=Decimal("55"),
        prone_plank=Decimal("60"), five_times_sit_to_stand=Decimal("9.8"),
        findings="Bewegingsangst bij bukken; beperkte lumbale flexie; zwakke zijbrug links.",
        plan="Uitleg, wandelen dagelijks, Big-3 op laag niveau, heupscharnier aanleren.",
        private_notes="Werkt fulltime naast jonge kinderen; slaapt slecht.",
    ), [(activities[0], 8), (activities[1], 7), (activities[2], 6)], [])  # fmt: skip
    new_analysis(patient.id, patient.therapist_id, _lumbar_intake(
        kind="reassessment", recorded_on=start + 5 * WEEK, course="improving",
        fear_avoidance="none", lifting_pattern="hip_hinge", compensation="none",
        treatment_profile=2, start_back_group="low", nprs=3, nprs_worst=5,
        activity_instrument="psk", qbpds=22, tsk17=33, morning_stiffness_minutes=5,
        modified_schober=Decimal("5.4"), finger_floor_distance=Decimal("7"),
        hip_flexion_left=118, hip_flexion_right=116,
        mcgill_flexor=Decimal("110"), biering_sorensen=Decimal("120"),
        side_bridge_left=Decimal("62"), side_bridge_right=Decimal("66"),
        prone_plank=Decimal("90"), five_times_sit_to_stand=Decimal("7.9"),
        findings="Flexie genormaliseerd; zijbrug bijna symmetrisch.",
        plan="Door naar fase 3: heupscharnier met kettlebell, loopschema opbouwen.",
    ), [(activities[0], 5), (activities[1], 3), (activities[2], 3)], [])  # fmt: skip


def _tom(demo, patient) -> None:
    start = demo.today - 5 * WEEK
    activities = ["Een volle werkdag in de bouw", "Tillen van tegels", "Autorijden > 1 uur"]
    new_analysis(patient.id, patient.therapist_id, _lumbar_intake(
        recorded_on=start, onset="sudden", complaint_weeks=2, earlier_episodes=0,
        radiation="buttock", pain_nature="sharp", effect_cough="worse",
        pf_previous_episodes=False, pf_heavy_physical_work=True, pf_leg_pain=True,
        red_flag_night_pain=True,
        red_flag_notes="Huisarts gebeld; beoordeeld, geen aanwijzingen voor ernstige "
        "pathologie. Behandeling mag doorgaan.",
        treatment_profile=2, start_back_group="medium", nprs=7, nprs_worst=9,
        activity_instrument="psfs", rmdq=14,
        straight_leg_raise_left=80, straight_leg_raise_right=65,
        slr_symptoms_right="buttock", modified_schober=Decimal("3.2"),
        biering_sorensen=Decimal("70"), mcgill_flexor=Decimal("60"),
        findings="Lumbale klachten met uitstraling in de rechterbil, SLR negatief.",
        plan="Uitleg, doseren van werk, tijdcontingent opbouwen.",
    ), [(activities[0], 3), (activities[1], 2), (activities[2], 4)], [])  # fmt: skip
    new_analysis(patient.id, patient.therapist_id, _lumbar_intake(
        kind="reassessment", recorded_on=start + 4 * WEEK, onset="sudden",
        radiation="none", course="improving", pf_heavy_physical_work=True,
        treatment_profile=2, nprs=4, nprs_worst=6, activity_instrument="psfs", rmdq=7,
        straight_leg_raise_left=85, straight_leg_raise_right=80,
        modified_schober=Decimal("4.6"), biering_sorensen=Decimal("105"),
        mcgill_flexor=Decimal("80"),
    ), [(activities[0], 6), (activities[1], 6), (activities[2], 7)], [])  # fmt: skip


def _emma(demo, patient) -> None:
    new_analysis(patient.id, patient.therapist_id, {
        "kind": "intake", "recorded_on": demo.today - 3 * WEEK, "onset": "gradual",
        "course": "stable", "pain_location": "Voorzijde rechterknie", "pain_nature": "aching",
        "pain_pattern": "intermittent", "nprs": 4, "nprs_worst": 6,
        "activity_instrument": "psfs",
        "request_for_help": "Run a half marathon in the autumn.",
        "hip_internal_rotation_left": 35, "hip_internal_rotation_right": 30,
        "hip_external_rotation_left": 45, "hip_external_rotation_right": 40,
        "sls_overall_left": "good", "sls_overall_right": "poor",
        "sls_trunk_left": "good", "sls_trunk_right": "good",
        "sls_pelvis_left": "good", "sls_pelvis_right": "poor",
        "sls_knee_left": "good", "sls_knee_right": "poor",
        "sls_foot_left": "good", "sls_foot_right": "good",
        "chair_stand_30s": 18, "compensation": "knee_valgus",
        "findings": "Knievalgus en bekkenval rechts bij de eenbenige squat.",
        "plan": "Heupabductoren en quadriceps versterken; loopvolume tijdelijk halveren.",
    }, [("Running 10 km", 4), ("Stairs down", 6), ("Squatting", 5)], [
        {"name": "Hop test (single, right/left)", "unit": "%", "value": Decimal("82"),
         "reference_low": Decimal("90"), "reference_high": None},
        {"name": "Heel raises right", "unit": "times", "value": Decimal("24"),
         "reference_low": Decimal("25"), "reference_high": None},
    ])  # fmt: skip


def _daan(demo, patient) -> None:
    start = demo.today - 8 * WEEK
    activities = ["Tuinieren", "Boodschappen dragen", "Bukken naar de vaatwasser",
                  "Wandelen 30 minuten"]  # fmt: skip
    new_analysis(patient.id, patient.therapist_id, _lumbar_intake(
        recorded_on=start, complaint_weeks=60, earlier_episodes=5, course="stable",
        pf_fear_of_movement=True, pf_catastrophising=True, pf_passive_coping=True,
        pf_high_activity_limitation=True, fear_avoidance="marked", lifting_pattern="avoids",
        ws_moving_differently=True, ws_sleep_position=True, morning_stiffness_minutes=40,
        treatment_profile=3, start_back_group="high", nprs=6, nprs_worst=8,
        activity_instrument="psk", qbpds=58, tsk17=46, odi=Decimal("42"),
        modified_schober=Decimal("2.9"), finger_floor_distance=Decimal("31"),
        biering_sorensen=Decimal("48"), mcgill_flexor=Decimal("55"),
        side_bridge_left=Decimal("20"), side_bridge_right=Decimal("24"),
        five_times_sit_to_stand=Decimal("14.2"),
        findings="Veel bewegingsangst; vermijdt bukken volledig.",
        plan="Graded activity, tijdcontingent; pijneducatie.",
    ), [(activities[0], 9), (activities[1], 8), (activities[2], 8), (activities[3], 6)],
        [])  # fmt: skip
    new_analysis(patient.id, patient.therapist_id, _lumbar_intake(
        kind="reassessment", recorded_on=start + 6 * WEEK, complaint_weeks=66,
        pf_fear_of_movement=True, fear_avoidance="some", lifting_pattern="guarded",
        treatment_profile=3, start_back_group="medium", nprs=5, nprs_worst=7,
        activity_instrument="psk", qbpds=40, tsk17=38, odi=Decimal("30"),
        morning_stiffness_minutes=20,
        modified_schober=Decimal("3.9"), finger_floor_distance=Decimal("19"),
        biering_sorensen=Decimal("75"), mcgill_flexor=Decimal("60"),
        side_bridge_left=Decimal("35"), side_bridge_right=Decimal("37"),
        five_times_sit_to_stand=Decimal("11.6"),
    ), [(activities[0], 6), (activities[1], 6), (activities[2], 5), (activities[3], 4)],
        [])  # fmt: skip


def _lotte(demo, patient) -> None:
    new_analysis(patient.id, patient.therapist_id, {
        "kind": "intake", "recorded_on": demo.today - 2 * WEEK, "onset": "gradual",
        "course": "worsening", "pain_location": "Voorzijde rechterschouder",
        "pain_nature": "sharp", "pain_pattern": "intermittent", "nprs": 3, "nprs_worst": 7,
        "activity_instrument": "psfs",
        "findings": "Pijn bij bovenhands werpen; exorotatiekracht rechts verminderd.",
        "plan": "Scapulaire controle, exorotatoren versterken, werpvolume opbouwen.",
    }, [("Bovenhands werpen op wedstrijdtempo", 3), ("Volledige training", 5),
        ("Slapen op rechterzij", 6)], [
        {"name": "Exorotatiekracht rechts/links (HHD)", "unit": "%", "value": Decimal("78"),
         "reference_low": Decimal("90"), "reference_high": Decimal("110")},
        {"name": "Exorotatie rechts", "unit": "°", "value": Decimal("95"),
         "reference_low": Decimal("90"), "reference_high": None},
    ])  # fmt: skip


_BY_EMAIL = {
    "sanne@demo.rehab": _sanne,
    "tom@demo.rehab": _tom,
    "emma@demo.rehab": _emma,
    "daan@demo.rehab": _daan,
    "lotte@demo.rehab": _lotte,
}


def seed(demo) -> None:
    """Analyses for the demo clinic's patients (rehab.demo.DemoClinic)."""
    for patient in demo.patients:
        seeder = _BY_EMAIL.get(patient.email)
        if seeder is not None:
            seeder(demo, patient)
