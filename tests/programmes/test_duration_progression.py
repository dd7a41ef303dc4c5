"""Duration progression in the builder: walking "five minutes longer every week" as a rule,
with its parameters checked, in words for the therapist and for the patient."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from rehab.extensions import db
from rehab.programmes.models import Prescription
from rehab.programmes.wording import rule_text
from rehab.reports.dose_words import progression_cue
from tests.factories import make_exercise
from tests.programmes.factories import build_programme, dose_form


def _url(programme, exercise) -> str:
    return f"/programmes/{programme.id}/phases/{programme.phases[0].id}/exercises/{exercise.id}"


def _walk_form(version, **changes) -> dict:
    data = dose_form(version, sets=1, dosage_type="time", reps_min=None, reps_max=None,
                     duration_minutes=20, load_kind="bodyweight", load_kg=None,
                     load_increment_kg=None, target_effort=None, mode="time_contingent",
                     rule_kind="duration_progression", minutes_per_week=5,
                     target_duration_minutes=40)  # fmt: skip
    data.update(changes)
    return data


def test_walking_five_minutes_longer_every_week_is_a_rule_the_builder_saves(world, client_for):
    programme = build_programme(world.patient)
    walk = make_exercise(name="Brisk walk", dosage_type="time", duration_seconds=1200)
    db.session.commit()
    response = client_for("therapist").post(_url(programme, walk), data=_walk_form(
        programme.version))  # fmt: skip
    assert response.status_code == 302, response.text
    rx = db.session.scalar(select(Prescription).where(Prescription.exercise_id == walk.id))
    assert (rx.rule_kind, rx.mode) == ("duration_progression", "time_contingent")
    assert (rx.duration_seconds, rx.minutes_per_week, rx.target_duration_seconds) == (
        1200, 5, 2400,
    )  # fmt: skip
    assert rx.versions[0].dose["minutes_per_week"] == 5
    with force_locale("en"):
        assert rule_text(rx) == "Duration progression: add 5 min per week up to 40 min."
        assert progression_cue(rx, next_exercise=None, pain_safe_max=3).startswith(
            "Each week this gets 5 minutes longer, up to 40 minutes."
        )


def test_duration_progression_refuses_what_cannot_work_and_saves_nothing(world, client_for):
    programme = build_programme(world.patient)
    walk = make_exercise(name="Brisk walk", dosage_type="time", duration_seconds=1200)
    db.session.commit()
    client = client_for("therapist")
    cases = [
        ({"minutes_per_week": ""}, "Geef de minuten die er per week bij komen."),
        ({"target_duration_minutes": ""}, "Geef de streefduur."),
        ({"target_duration_minutes": 15}, "De streefduur moet ten minste de huidige duur zijn."),
        ({"minutes_per_week": 90}, 'id="minutes_per_week"'),
        (
            {"dosage_type": "reps", "reps_min": 10, "duration_minutes": ""},
            "Minuten toevoegen werkt op een oefening op tijd",
        ),
    ]
    for changes, message in cases:
        response = client.post(_url(programme, walk), data=_walk_form(programme.version, **changes))
        assert response.status_code == 200, changes
        assert message in response.text, changes
    assert (
        db.session.scalar(select(Prescription).where(Prescription.exercise_id == walk.id)) is None
    )
