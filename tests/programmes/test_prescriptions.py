"""Prescribing an exercise: a clear message for every bad dose or rule, nothing half-saved,
and every dose change kept as a version with who, when and why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.programmes.models import Prescription, PrescriptionVersion, Programme
from tests.factories import clinic_today, make_exercise
from tests.programmes.factories import build_programme, dose_form, log_session


def _new_url(programme, exercise) -> str:
    return f"/programmes/{programme.id}/phases/{programme.phases[0].id}/exercises/{exercise.id}"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_therapist_prescribes_an_exercise_from_the_library(world, client_for):
    programme = build_programme(world.patient)
    squat = make_exercise(name="Goblet squat", dosage_type="reps", reps=10)
    db.session.commit()
    therapist = client_for("therapist")

    form = therapist.get(_new_url(programme, squat))
    assert form.status_code == 200
    assert "Goblet squat" in form.text

    saved = therapist.post(_new_url(programme, squat), data=dose_form(programme.version))
    assert saved.status_code == 302
    prescription = db.session.scalar(
        select(Prescription).where(Prescription.exercise_id == squat.id)
    )
    assert (prescription.sets, prescription.reps_min, prescription.reps_max) == (3, 8, 12)
    assert prescription.load_kg == Decimal("12")
    assert prescription.rule_kind == "double_progression"
    assert prescription.position == 3
    assert [v.version for v in prescription.versions] == [1]
    assert prescription.versions[0].changed_by_id == world.therapist.id
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.object_type == "prescription", AuditEntry.action == "create"
        )
    )
    assert entry.patient_id == world.patient.id and entry.actor_id == world.therapist.id


BAD_DOSES = [
    ({"sets": 0}, "sets", "Geef 1 tot 20 sets."),
    ({"reps_min": 12, "reps_max": 8}, "reps_max", "12–8 staat andersom"),
    ({"load_kg": "-5"}, "load_kg", "negatief kan niet"),
    ({"load_increment_kg": None}, "load_increment_kg", "belastingstap in kg"),
    ({"reps_max": 8, "reps_min": 8}, "reps_max", "herhalingsbereik"),
    ({"rule_kind": "hold_progression"}, "rule_kind", "vasthouden op tijd"),
    ({"rule_kind": "load_percent_per_week"}, "percent_per_week", "percentage"),
    ({"load_kind": "band", "load_kg": None}, "band_colour", "kleur of sterkte"),
    ({"tempo": "snel"}, "tempo", "3-1-2"),
    (
        {"dosage_type": "hold", "rule_kind": "therapist_decides"},
        "hold_seconds",
        "vasthouden in seconden",
    ),
    ({"rule_kind": "ladder_step"}, "rule_kind", "geen zwaardere trede"),
    ({"dosage_type": "time", "rule_kind": "therapist_decides"}, "duration_minutes", "Geef de duur"),
    ({"target_effort": "11"}, "target_effort", ""),
    ({"sets": "drie"}, "sets", ""),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_DOSES, ids=lambda v: str(v)[:40])
def test_a_bad_dose_gets_a_clear_message_and_nothing_is_saved(
    world, client_for, changes, field, message
):
    programme = build_programme(world.patient)
    exercise = make_exercise(name="Squat")
    db.session.commit()
    before = (_count(Prescription), _count(PrescriptionVersion), programme.version)

    response = client_for("therapist").post(
        _new_url(programme, exercise), data=dose_form(programme.version, **changes)
    )

    assert response.status_code == 200
    assert f'id="{field}"' in response.text and "is-invalid" in response.text
    assert (
        "Er is nog niets opgeslagen" in response.text or "Nothing has been saved" in response.text
    )
    assert message in response.text
    db.session.expire_all()
    assert (_count(Prescription), _count(PrescriptionVersion),
            db.session.get(Programme, programme.id).version) == before  # fmt: skip


def test_hold_progression_needs_its_seconds_and_a_maximum(world, client_for):
    programme = build_programme(world.patient)
    plank = make_exercise(name="Plank", dosage_type="hold", hold_seconds=10)
    db.session.commit()
    data = dose_form(programme.version, dosage_type="hold", reps_min=5, reps_max=None,
                     hold_seconds=10, load_kind="bodyweight", load_kg=None,
                     rule_kind="hold_progression", load_increment_kg=None)  # fmt: skip
    response = client_for("therapist").post(_new_url(programme, plank), data=data)
    assert response.status_code == 200
    assert "Geef de seconden die er per week bij komen." in response.text
    assert "Geef het langste vasthouden vóór de volgende stap." in response.text

    data.update(seconds_per_week=5, max_hold_seconds=8)
    response = client_for("therapist").post(_new_url(programme, plank), data=data)
    assert "ten minste het huidige vasthouden zijn (10 s)" in response.text

    data.update(max_hold_seconds=30)
    assert client_for("therapist").post(_new_url(programme, plank), data=data).status_code == 302
    prescription = db.session.scalar(
        select(Prescription).where(Prescription.exercise_id == plank.id)
    )
    assert (prescription.seconds_per_week, prescription.max_hold_seconds) == (5, 30)
    assert prescription.load_increment_kg is None  # not a parameter of this rule


def test_an_exercise_of_another_clinic_cannot_be_prescribed(world, client_for):
    programme = build_programme(world.patient)
    theirs = make_exercise(world.other_clinic, name="Their secret exercise")
    archived = make_exercise(world.clinic, name="Old exercise")
    from rehab.core.db import utcnow

    archived.archived_at = utcnow()
    db.session.commit()
    therapist = client_for("therapist")
    for exercise in (theirs, archived):
        assert therapist.get(_new_url(programme, exercise)).status_code == 404
        response = therapist.post(_new_url(programme, exercise), data=dose_form(programme.version))
        assert response.status_code == 404
        assert "Their secret exercise" not in response.text
    assert _count(Prescription) == 2


def test_the_picker_lists_only_the_clinics_exercises_and_searches_both_languages(world, client_for):
    programme = build_programme(world.patient)
    make_exercise(name="Zijplank")
    make_exercise(world.clinic, name="Eigen oefening", name_en="Own clinic move")
    make_exercise(world.other_clinic, name="Andermans oefening")
    db.session.commit()
    url = f"/programmes/{programme.id}/phases/{programme.phases[0].id}/exercises"
    therapist = client_for("therapist")
    page = therapist.get(url)
    assert "Zijplank" in page.text and "Eigen oefening" in page.text
    assert "Andermans oefening" not in page.text
    found = therapist.get(url, query_string={"q": "own clinic"})
    assert "Eigen oefening" in found.text and "Zijplank" not in found.text


def test_every_dose_change_is_a_version_with_who_when_and_why(world, client_for):
    programme = build_programme(world.patient)
    prescription = programme.phases[0].prescriptions[1]
    url = f"/programmes/{programme.id}/prescriptions/{prescription.id}/edit"
    therapist = client_for("therapist")

    without_reason = therapist.post(url, data=dose_form(programme.version, load_kg="14"))
    assert without_reason.status_code == 200
    assert "Zeg kort waarom de dosering verandert." in without_reason.text

    for load, reason in (("14", "12 reps in alle sets, RPE 6"), ("16", "weer top bereikt")):
        db.session.expire_all()
        version = db.session.get(Programme, programme.id).version
        response = therapist.post(url, data=dose_form(version, load_kg=load, reason=reason))
        assert response.status_code == 302

    db.session.expire_all()
    versions = db.session.get(Prescription, prescription.id).versions
    assert [(v.version, v.dose["load_kg"], v.reason) for v in versions] == [
        (1, None, None),
        (2, "14", "12 reps in alle sets, RPE 6"),
        (3, "16", "weer top bereikt"),
    ]
    assert all(v.changed_by_id == world.therapist.id for v in versions[1:])

    history = therapist.get(f"/programmes/{programme.id}/prescriptions/{prescription.id}/history")
    assert history.status_code == 200
    for text in ("Versie 3", "3 × 8–12 herhalingen, 16 kg", "weer top bereikt", "Pieter Therapeut"):
        assert text in history.text


def test_saving_the_same_dose_makes_no_version(world, client_for):
    programme = build_programme(world.patient)
    prescription = programme.phases[0].prescriptions[1]
    data = dose_form(programme.version, load_kind="bodyweight", load_kg=None,
                     rule_kind="therapist_decides", load_increment_kg=None, rest_seconds=None,
                     reason="niets")  # fmt: skip
    response = client_for("therapist").post(
        f"/programmes/{programme.id}/prescriptions/{prescription.id}/edit", data=data
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Prescription, prescription.id).current_version == 1
    assert db.session.get(Programme, programme.id).version == programme.version


def test_removing_keeps_an_exercise_with_logged_sessions_as_archived(world, client_for):

    programme = build_programme(world.patient, status="active")
    logged, unlogged = programme.phases[0].prescriptions
    log_session(world.patient, clinic_today(), logged, sets_done=3, hold_seconds_done=10)
    db.session.commit()
    therapist = client_for("therapist")
    logged_id, unlogged_id = logged.id, unlogged.id

    for prescription_id in (logged_id, unlogged_id):
        db.session.expire_all()
        version = db.session.get(Programme, programme.id).version
        url = f"/programmes/{programme.id}/prescriptions/{prescription_id}/remove"
        assert therapist.post(url, data={"version": version}).status_code == 302

    db.session.expire_all()
    kept = db.session.get(Prescription, logged_id)
    assert kept is not None and kept.archived_at is not None
    assert db.session.get(Prescription, unlogged_id) is None
    builder = therapist.get(f"/programmes/{programme.id}/builder")
    assert "1 verwijderde oefening(en) bewaard" in builder.text


def test_reordering_exercises_with_up_and_down(world, client_for):
    programme = build_programme(world.patient, exercises=3)
    first, second, third = programme.phases[0].prescriptions
    response = client_for("therapist").post(
        f"/programmes/{programme.id}/prescriptions/{third.id}/move",
        data={"version": programme.version, "direction": "up"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    order = [p.id for p in db.session.get(Programme, programme.id).phases[0].prescriptions]
    assert order == [first.id, third.id, second.id]
