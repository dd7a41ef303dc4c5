"""Doses, rules and schedules in words, in the reader's language (shared with training and
reports through ``dose_text``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import force_locale

from rehab.programmes.services import dose_text
from rehab.programmes.wording import rule_text, schedule_text
from rehab.progress.progression import Dose


@pytest.mark.parametrize(
    ("dose", "nl", "en"),
    [
        (
            {
                "sets": 3,
                "dosage_type": "reps",
                "reps_min": 8,
                "reps_max": 12,
                "load_kind": "kg",
                "load_kg": Decimal("12.00"),
                "rest_seconds": 60,
            },
            "3 × 8–12 herhalingen, 12 kg, rust 60 s",
            "3 × 8–12 repetitions, 12 kg, rest 60 s",
        ),
        (
            {
                "sets": 3,
                "dosage_type": "hold",
                "reps_min": 5,
                "reps_max": 5,
                "hold_seconds": 10,
                "sides": "each",
                "rest_seconds": 30,
            },
            "3 × 5 keer 10 s vasthouden, per kant, rust 30 s",
            "3 × 5 holds of 10 s, each side, rest 30 s",
        ),
        (
            {"sets": 1, "dosage_type": "time", "duration_seconds": 1200, "days_per_week": 5},
            "1 × 20 min, 5× per week",
            "1 × 20 min, 5× per week",
        ),
        (
            {
                "sets": 3,
                "dosage_type": "distance",
                "distance_m": 20,
                "load_kind": "kg",
                "load_kg": "12.5",
                "target_effort": 6,
                "rest_seconds": 90,
            },
            "3 × 20 m, 12,5 kg, inspanning 6/10, rust 90 s",
            "3 × 20 m, 12.5 kg, effort 6/10, rest 90 s",
        ),
        (
            {
                "sets": 3,
                "dosage_type": "reps",
                "reps_min": 10,
                "reps_max": 10,
                "load_kind": "band",
                "band_colour": "rood",
                "effort_kind": "rir",
                "target_effort": 2,
                "tempo": "3-1-2",
            },
            "3 × 10 herhalingen, band: rood, 2 herhalingen over, tempo 3-1-2",
            "3 × 10 repetitions, band: rood, 2 reps in reserve, tempo 3-1-2",
        ),
    ],
)
def test_dose_in_words(app, dose, nl, en):
    assert dose_text(dose, "nl") == nl
    assert dose_text(dose, "en") == en


def test_the_engines_dose_and_a_prescription_read_the_same(app, world):
    from tests.factories import make_exercise, make_prescription, make_programme

    dose = Dose(sets=2, dosage_type="reps", reps_min=8, reps_max=8, load_kind="kg",
                load_kg=Decimal("14"))  # fmt: skip
    assert dose_text(dose, "nl") == "2 × 8 herhalingen, 14 kg"
    programme = make_programme(world.patient)
    rx = make_prescription(programme.phases[0], make_exercise(), load_kind="kg",
                           load_kg=Decimal("14"), sets=2, reps_min=8, reps_max=8,
                           target_effort=None)  # fmt: skip
    assert dose_text(rx, "en") == "2 × 8 repetitions, 14 kg"


def test_rules_are_explained_with_their_parameters(app):
    with force_locale("en"):
        text = rule_text({"rule_kind": "double_progression", "reps_min": 8, "reps_max": 12,
                          "load_increment_kg": Decimal("2")})  # fmt: skip
        assert text.startswith("Double progression: when every set reaches 12 reps")
        assert "add 2 kg and go back to 8 reps" in text
        hold = rule_text({"rule_kind": "hold_progression", "seconds_per_week": 5,
                          "max_hold_seconds": 30})  # fmt: skip
        assert "add 5 s per week up to 30 s" in hold


def test_schedules_in_words(app):
    class Phase:
        schedule_kind = "weekdays"
        weekdays = "1,3,5"
        rotation = None
        sessions_per_week = None

    with force_locale("nl"):
        assert schedule_text(Phase) == "op maandag, woensdag en vrijdag"
    with force_locale("en"):
        assert schedule_text(Phase) == "on Monday, Wednesday, and Friday"
