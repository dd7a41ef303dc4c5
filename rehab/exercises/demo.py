"""The demo clinic's library: all built-ins, plus one exercise of the clinic's own on a ladder."""

from __future__ import annotations

from sqlalchemy import select

from rehab.exercises.models import Exercise
from rehab.exercises.services import load_library
from rehab.extensions import db


def seed(demo) -> None:
    load_library(commit=False)
    builtin = dict(
        db.session.execute(
            select(Exercise.slug, Exercise.id).where(Exercise.clinic_id.is_(None))
        ).all()
    )
    own = Exercise(
        clinic_id=demo.clinic.id, category="strength", difficulty=3, dosage_type="reps", sets=3,
        reps=8, rest_seconds=90, tempo="2-1-2", unilateral=False,
        name_nl="Krat tillen van de grond (werkplek)",
        name_en="Lifting a crate from the floor (workplace)",
        starting_position_nl="Sta met je voeten op heupbreedte naast een krat met 5–10 kg.",
        starting_position_en="Stand with your feet hip-width apart next to a crate of 5–10 kg.",
        execution_nl="Scharnier in je heupen met een lange rug, pak het krat vast en kom omhoog "
        "door met je benen te duwen. Zet het krat op dezelfde manier weer neer.",
        execution_en="Hinge at your hips with a long back, grip the crate and stand up by pushing "
        "through your legs. Put the crate down the same way.",
        common_mistakes_nl="Het krat ver van je lichaam houden. Draaien terwijl je tilt.",
        common_mistakes_en="Holding the crate far from your body. Twisting while you lift.",
        feel_nl="Je bovenbenen en billen werken; je rug blijft rustig.",
        feel_en="Your thighs and buttocks work; your back stays calm.",
        caution_nl="", caution_en="",
        regression_id=builtin.get("kettlebell-deadlift-block"),
    )  # fmt: skip
    own.regions = ["lumbar_spine", "hip"]
    own.equipment = ["box"]
    db.session.add(own)
    db.session.flush()
