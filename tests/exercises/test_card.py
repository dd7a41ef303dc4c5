"""The default dose in words and the data a printed exercise card needs."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from rehab.exercises.services import dose_summary, exercise_card
from tests.exercises.factories import builtin
from tests.factories import make_exercise


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"dosage_type": "reps", "sets": 3, "reps": 10}, "3 × 10"),
        ({"dosage_type": "hold", "sets": 3, "reps": 5, "hold_seconds": 10}, "3 × 5 × 10 s"),
        ({"dosage_type": "time", "sets": 1, "reps": None, "duration_seconds": 1200}, "1 × 20 min"),
        ({"dosage_type": "time", "sets": 2, "reps": None, "duration_seconds": 30}, "2 × 30 s"),
        (
            {"dosage_type": "time", "sets": 1, "reps": None, "duration_seconds": 90},
            "1 × 1 min 30 s",
        ),
        ({"dosage_type": "distance", "sets": 4, "reps": None, "distance_m": 15}, "4 × 15 m"),
        ({"dosage_type": "reps", "sets": 3, "reps": 8, "unilateral": True}, "3 × 8 per kant"),
    ],
)
def test_dose_in_words(app, fields, words):
    assert dose_summary(make_exercise(None, **fields)) == words


def test_the_card_carries_everything_in_the_patients_language(app, mini_library):
    single = builtin("mini-bridge-single-leg")
    with force_locale("en"):
        card = exercise_card(single, "en")
    assert card.name == "Single-leg glute bridge"
    assert card.caution == "Stop if your knee hurts."
    assert card.execution == "Lift your hips on one leg."
    assert card.dose == "3 × 8 each side"
    assert card.category == "Strength"
    assert card.regions == ["Hip"] and card.equipment == ["Mat"]
    assert card.image_data is None
    dutch = exercise_card(single, "nl")
    assert dutch.name == "Bekkenbrug op één been" and dutch.category == "Kracht"
