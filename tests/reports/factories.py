"""A patient's programme ready to print: bilingual exercises (one with a picture), a current
phase with a goal and prescriptions whose doses and rules differ."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from rehab.extensions import db
from tests.factories import make_exercise, make_prescription, make_programme


def png_picture(colour: str = "#0b6e69", size: tuple[int, int] = (240, 180)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def bilingual_exercise(clinic=None, *, name_nl: str, name_en: str, picture: bool = False, **fields):
    texts = {
        "starting_position_nl": f"Lig op je rug ({name_nl}), knieën gebogen.",
        "starting_position_en": f"Lie on your back ({name_en}), knees bent.",
        "execution_nl": "1. Adem uit.\n2. Beweeg rustig.\n3. Terug naar de start.",
        "execution_en": "1. Breathe out.\n2. Move slowly.\n3. Back to the start.",
        "common_mistakes_nl": "Holle rug; adem inhouden.",
        "common_mistakes_en": "Arching the back; holding your breath.",
        "feel_nl": "Je voelt je buikspieren werken.",
        "feel_en": "You feel your abdominal muscles working.",
        "caution_nl": "Stop bij uitstralende pijn in het been.",
        "caution_en": "Stop if pain radiates into your leg.",
    }
    texts.update(fields)
    if picture:
        texts.update(image_data=png_picture(), image_mime="image/png")
    return make_exercise(clinic, name=None, name_nl=name_nl, name_en=name_en, **texts)


def printable_programme(patient, *, exercises: int = 3, phases: int = 2, goal: str | None = None):
    """An active programme whose first phase is current and holds ``exercises`` exercises."""
    programme = make_programme(patient, phases=phases, title="Terug naar hardlopen")
    phase = programme.phases[0]
    phase.name = "Mobiliteit en motorische controle"
    phase.goal = goal or "Pijnvrij bewegen en de Big-3 met 10 s vasthouden."
    bridge = bilingual_exercise(
        name_nl="Bekkenkanteling (brug)", name_en="Glute bridge", picture=True
    )
    harder = bilingual_exercise(name_nl="Brug op één been", name_en="Single-leg bridge")
    bridge.progression_id = harder.id
    make_prescription(
        phase,
        bridge,
        sets=3,
        reps_min=8,
        reps_max=12,
        load_kind="kg",
        load_kg=Decimal("12.5"),
        target_effort=Decimal(7),
        rest_seconds=90,
        days_per_week=3,
        rule_kind="double_progression",
        load_increment_kg=Decimal("2.5"),
        notes="Rustig tempo, ë ï é ĳ – ≤ 3.",
    )
    if exercises >= 2:
        plank = bilingual_exercise(name_nl="Zijplank op knieën", name_en="Side plank on knees")
        plank.progression_id = bilingual_exercise(
            name_nl="Zijplank op voeten", name_en="Side plank on feet"
        ).id
        make_prescription(
            phase,
            plank,
            sets=2,
            dosage_type="hold",
            reps_min=5,
            reps_max=5,
            hold_seconds=10,
            sides="each",
            target_effort=None,
            rule_kind="hold_progression",
            seconds_per_week=5,
            max_hold_seconds=30,
        )
    for n in range(3, exercises + 1):
        walk = bilingual_exercise(name_nl=f"Wandelen {n}", name_en=f"Walking {n}")
        make_prescription(
            phase,
            walk,
            sets=1,
            dosage_type="time",
            reps_min=None,
            reps_max=None,
            duration_seconds=20 * 60,
            target_effort=None,
            mode="time_contingent",
            rule_kind="load_percent_per_week",
            percent_per_week=Decimal(10),
        )
    db.session.commit()
    return programme


def reportable_patient(patient, *, weeks: int = 12, end=None, sessions_per_week: int = 3):
    """``patient`` with ``weeks`` weeks of training up to ``end``: an active programme started
    then (three exercises, see tests.training.factories.make_plan), sessions on Monday,
    Wednesday and Friday with every exercise logged, a morning check-in every day, an intake
    and a re-assessment analysis, and an accepted suggestion. Returns the plan dict."""
    import datetime as dt

    from rehab.programmes.models import Suggestion
    from tests.patients.factories import make_analysis
    from tests.training.factories import check_in, log_session, make_plan, today, top_of_range

    end = end or today()
    start = end - dt.timedelta(weeks=weeks) + dt.timedelta(days=1)
    plan = make_plan(patient, started_on=start)
    plan["programme"].started_on = start
    phases = plan["programme"].phases
    phases[0].started_on = start
    patient.goals = "Weer 10 km hardlopen zonder rugpijn; tillen op het werk."
    patient.main_complaint = "Aspecifieke lage rugpijn sinds maart."
    day = start
    weekdays = (0, 2, 4, 6, 1, 3, 5)[:sessions_per_week]
    while day <= end:
        check_in(patient, day, pain=3 if day < start + dt.timedelta(weeks=4) else 1)
        if day.weekday() in weekdays:
            exercises = [(plan[key], top_of_range(plan[key], pain=2)) for key in ("squat", "plank")]
            log_session(patient, day, rpe=5, minutes=35, pain_after=2, exercises=exercises)
        day += dt.timedelta(days=1)
    make_analysis(
        patient, kind="intake", recorded_on=start, nprs=6, modified_schober=Decimal("2.5"),
        finger_floor_distance=Decimal("30"), biering_sorensen=Decimal("60"),
    )  # fmt: skip
    make_analysis(
        patient, kind="reassessment", recorded_on=end - dt.timedelta(days=2), nprs=2,
        modified_schober=Decimal("5.0"), finger_floor_distance=Decimal("12"),
        biering_sorensen=Decimal("120"),
    )  # fmt: skip
    squat = plan["squat"]
    db.session.add(
        Suggestion(
            prescription_id=squat.id, patient_id=patient.id, action="progress",
            new_dose={"sets": 3, "dosage_type": "reps", "reps_min": 8, "reps_max": 12,
                      "load_kind": "kg", "load_kg": "22"},
            reasons=[], based_on_version=1, status="accepted",
            decided_by_id=patient.therapist_id,
            decided_at=dt.datetime.combine(end - dt.timedelta(days=10), dt.time(10), tzinfo=dt.UTC),
        )
    )  # fmt: skip
    db.session.flush()
    return plan
