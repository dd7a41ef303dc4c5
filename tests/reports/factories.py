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
