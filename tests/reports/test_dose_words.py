"""Doses and progression rules in plain words, in Dutch and English."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.reports.dose_words import DoseFacts, dose_words, progression_cue, short_dose


@pytest.fixture
def words(app):
    def make(facts: DoseFacts, language: str = "nl") -> str:
        with app.test_request_context(), force_locale(language):
            return dose_words(facts)

    return make


@pytest.mark.parametrize(
    "facts, nl, en",
    [
        (
            DoseFacts(sets=3, dosage_type="reps", reps_min=8, reps_max=12),
            "3 sets van 8–12 herhalingen",
            "3 sets of 8–12 repetitions",
        ),
        (
            DoseFacts(sets=1, dosage_type="reps", reps_min=1, reps_max=1),
            "1 set van 1 herhaling",
            "1 set of 1 repetition",
        ),
        (
            DoseFacts(sets=2, dosage_type="hold", reps_min=5, reps_max=5, hold_seconds=10,
                      sides="each"),
            "2 sets van 5 keer 10 seconden vasthouden, per kant",
            "2 sets of 5 holds of 10 seconds, each side",
        ),
        (
            DoseFacts(sets=1, dosage_type="time", duration_seconds=1200),
            "1 set van 20 minuten",
            "1 set of 20 minutes",
        ),
        (
            DoseFacts(sets=3, dosage_type="distance", distance_m=1500),
            "3 sets van 1,5 km",
            "3 sets of 1.5 km",
        ),
        (
            DoseFacts(sets=3, dosage_type="reps", reps_min=10, reps_max=10, load_kind="kg",
                      load_kg=Decimal("12.50"), target_effort=Decimal("7.0"), rest_seconds=150,
                      days_per_week=3),
            "3 sets van 10 herhalingen · met 12,5 kg · inspanning ongeveer 7 uit 10 · "
            "2 min 30 s rust tussen de sets · 3 dagen per week",
            "3 sets of 10 repetitions · with 12.5 kg · effort about 7 out of 10 · "
            "rest 2 min 30 s between sets · 3 days a week",
        ),
        (
            DoseFacts(sets=4, dosage_type="reps", reps_min=6, reps_max=8, load_kind="band",
                      band="rode", effort_kind="rir", target_effort=2, sides="left",
                      tempo="3-1-1"),
            "4 sets van 6–8 herhalingen, alleen links · met de rode band · "
            "stop als je er nog 2 zou kunnen doen · tempo 3-1-1",
            "4 sets of 6–8 repetitions, left side only · with the rode band · "
            "stop when you could still do 2 more · tempo 3-1-1",
        ),
    ],
)  # fmt: skip
def test_a_dose_reads_as_a_sentence(words, facts, nl, en):
    assert words(facts, "nl") == nl
    assert words(facts, "en") == en


def test_short_doses_for_the_log_sheet(app):
    with app.test_request_context(), force_locale("nl"):
        assert short_dose(DoseFacts(3, "reps", 8, 12)) == "3 × 8–12"
        assert short_dose(DoseFacts(2, "hold", 5, 5, hold_seconds=10)) == "2 × 5 × 10 s"
        assert short_dose(DoseFacts(1, "time", duration_seconds=600)) == "1 × 10 minuten"
        assert short_dose(DoseFacts(2, "reps")) == "2"


def _prescription(**fields):
    values = {
        "paused": False,
        "rule_kind": "therapist_decides",
        "mode": "pain_contingent",
        "reps_min": 8,
        "reps_max": 12,
        "load_increment_kg": None,
        "seconds_per_week": None,
        "max_hold_seconds": None,
        "percent_per_week": None,
    }
    values.update(fields)
    return SimpleNamespace(**values)


@pytest.mark.parametrize(
    "fields, next_exercise, expected",
    [
        ({"paused": True, "rule_kind": "double_progression"}, None,
         "Keep this dose for now: your therapist has paused the step-up."),
        ({}, None, "Your therapist decides with you when this exercise gets harder."),
        ({"rule_kind": "double_progression", "load_increment_kg": Decimal("2.5")}, None,
         "When all sets reach 12 repetitions for 2 sessions in a row, the weight goes up by "
         "2.5 kg and you start again at 8 repetitions. Only step up when the pain during the "
         "exercise stays at 2 out of 10 or lower and has settled by the next morning."),
        ({"rule_kind": "hold_progression", "seconds_per_week": 5, "max_hold_seconds": 30},
         "Side plank on feet",
         "Each week the hold gets 5 seconds longer, up to 30 seconds; after that you move on to "
         "a harder version. Next step: Side plank on feet."),
        ({"rule_kind": "ladder_step", "mode": "time_contingent"}, "Bird dog",
         "When the top of the dose goes well, you move on to a harder version. Next step: Bird "
         "dog. This exercise builds up on a fixed schedule, even if you still feel some pain: "
         "that is part of the plan."),
        ({"rule_kind": "load_percent_per_week", "percent_per_week": Decimal("10.00")}, None,
         "Each week the weight goes up by about 10 %."),
    ],
)  # fmt: skip
def test_the_progression_cue_says_what_happens_next(app, fields, next_exercise, expected):
    with app.test_request_context(), force_locale("en"):
        cue = progression_cue(_prescription(**fields), next_exercise=next_exercise, pain_safe_max=2)
    assert cue.startswith(expected)


def test_the_progression_cue_in_dutch(app):
    with app.test_request_context(), force_locale("nl"):
        cue = progression_cue(
            _prescription(rule_kind="hold_progression", seconds_per_week=5),
            next_exercise="Zijplank op voeten",
            pain_safe_max=3,
        )
    assert cue == (
        "Elke week houd je 5 seconden langer vast. Volgende stap: Zijplank op voeten. "
        "Bouw alleen op als de pijn tijdens de oefening op 3 uit 10 of lager blijft en de "
        "volgende ochtend weer gezakt is."
    )


doses = st.builds(
    DoseFacts,
    sets=st.integers(1, 20),
    dosage_type=st.sampled_from(["reps", "hold", "time", "distance"]),
    reps_min=st.none() | st.integers(1, 100),
    reps_max=st.none() | st.integers(1, 100),
    hold_seconds=st.none() | st.integers(1, 600),
    duration_seconds=st.none() | st.integers(1, 14400),
    distance_m=st.none() | st.integers(1, 100000),
    load_kind=st.sampled_from(["bodyweight", "kg", "band"]),
    load_kg=st.none() | st.decimals(0, 500, places=2),
    band=st.none() | st.text(max_size=30),
    effort_kind=st.sampled_from(["rpe", "rir"]),
    target_effort=st.none() | st.decimals(0, 10, places=1),
    rest_seconds=st.none() | st.integers(0, 900),
    tempo=st.none() | st.text(max_size=20),
    days_per_week=st.none() | st.integers(1, 7),
    sides=st.sampled_from(["both", "each", "left", "right"]),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(facts=doses, language=st.sampled_from(["nl", "en"]))
def test_any_stored_dose_can_be_worded(app, facts, language):
    with app.test_request_context(), force_locale(language):
        text = dose_words(facts)
        short = short_dose(facts)
    assert text.startswith(f"{facts.sets} set")
    assert short.startswith(str(facts.sets))
