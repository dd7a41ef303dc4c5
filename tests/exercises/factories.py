"""Factories for the library tests: the mini library, many exercises at once, form data."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from PIL import Image
from sqlalchemy import insert, select

from rehab.exercises.models import Exercise, ExerciseEquipment, ExerciseRegion
from rehab.extensions import db

MINI_LIBRARY = Path(__file__).parent / "fixtures" / "mini_library"
_numbers = itertools.count(1)


def builtin(slug: str) -> Exercise:
    return db.session.scalar(select(Exercise).where(Exercise.slug == slug))


def bulk_exercises(n: int, clinic_id: int | None = None) -> list[int]:
    """``n`` exercises in one multi-row INSERT each for rows and tags (fast enough for 6,000)."""
    batch = next(_numbers)
    rows = [
        {
            "clinic_id": clinic_id,
            "slug": None if clinic_id else f"bulk-{batch}-{i}",
            "category": ("strength", "mobility", "motor_control")[i % 3],
            "difficulty": i % 5 + 1,
            "dosage_type": "reps",
            "sets": 3,
            "reps": 10,
            "rest_seconds": 60,
            "unilateral": False,
            "name_nl": f"Bulkoefening {batch}-{i:05d}",
            "name_en": f"Bulk exercise {batch}-{i:05d}",
            "execution_nl": "Rustig uitvoeren.",
            "execution_en": "Do it slowly.",
        }
        for i in range(n)
    ]
    ids = list(db.session.scalars(insert(Exercise).returning(Exercise.id), rows))
    db.session.execute(
        insert(ExerciseRegion),
        [{"exercise_id": i, "region": ("hip", "knee")[i % 2]} for i in ids],
    )
    db.session.execute(
        insert(ExerciseEquipment),
        [{"exercise_id": i, "equipment": ("mat", "band")[i % 2]} for i in ids],
    )
    db.session.commit()
    return ids


def form_data(**overrides) -> dict:
    """A valid POST for the exercise form (a Dutch-and-English strength exercise)."""
    data = {
        "name_nl": "Stapje op de trede",
        "name_en": "Step-up on the stair",
        "execution_nl": "Stap op de trede en weer af.",
        "execution_en": "Step onto the stair and down again.",
        "category": "strength",
        "difficulty": "2",
        "regions": ["knee", "hip"],
        "equipment": ["step"],
        "dosage_type": "reps",
        "sets": "3",
        "reps": "10",
        "rest_seconds": "60",
        "tempo": "2-0-2",
        "progression_id": "",
        "regression_id": "",
        "video_url": "",
    }
    data.update(overrides)
    return data


def png_bytes(size=(40, 30), fmt="PNG", **save) -> bytes:
    """A small picture in ``fmt`` (PNG by default)."""
    out = io.BytesIO()
    Image.new("RGB", size, (11, 110, 105)).save(out, fmt, **save)
    return out.getvalue()
