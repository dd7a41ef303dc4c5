"""Templates: the built-in files are sound; a programme is saved as a clinic template
without patient data; a programme starts from a template and is adapted; clinic templates
are renamed and deleted, and stay inside their clinic."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.programmes import builtin
from rehab.programmes.models import PhaseChange, Programme
from tests.programmes.factories import build_programme, load_library


@pytest.mark.parametrize("slug", sorted(builtin.builtin_templates()))
def test_builtin_template_files_are_valid(app, slug):
    """Slugs exist in the library files, rules fit their doses, criteria are complete."""
    template = builtin.builtin_template(slug)
    assert builtin.template_problems(template) == []


def test_there_are_three_builtin_templates_with_the_low_back_case_first(app):
    templates = list(builtin.builtin_templates().values())
    assert [t.slug for t in templates] == ["low-back-recurrent", "running-knee", "core-stability"]
    low_back = templates[0]
    assert [builtin.text(p["name"], "en") for p in low_back.phases] == [
        "Settle and understand",
        "Mobility and motor control",
        "Capacity and strength",
        "Return to sport or work",
    ]
    kinds = [[c["kind"] for c in phase["criterion"]] for phase in low_back.phases]
    assert "next_morning_baseline_days" in kinds[0]
    assert kinds[2].count("ratio") == 3 and "outcome_change" in kinds[2]  # McGill, PSK ≥ 2


def test_a_broken_template_is_caught(app):
    data = {
        "slug": "broken",
        "title": {"nl": "Kapot", "en": "Broken"},
        "description": {"nl": "x", "en": "x"},
        "phase": [
            {
                "name": {"nl": "Fase", "en": "Phase"},
                "goal": {"nl": "Doel", "en": "Goal"},
                "planned_weeks": 2,
                "sessions_per_week": 3,
                "prescription": [
                    {"exercise": "no-such-exercise", "sets": 3, "dosage_type": "reps", "reps": 10},
                    {
                        "exercise": "goblet-squat",
                        "sets": 3,
                        "dosage_type": "reps",
                        "reps": [12, 8],
                        "rule": "double_progression",
                    },
                    {
                        "exercise": "plank-full",
                        "sets": 3,
                        "dosage_type": "hold",
                        "reps": 3,
                        "hold_seconds": 10,
                        "rule": "hold_progression",
                    },
                ],
                "criterion": [
                    {
                        "kind": "measure",
                        "measure": "no_such_measure",
                        "comparison": ">=",
                        "target": 1,
                        "label": {"nl": "x", "en": "x"},
                    },
                    {
                        "kind": "hold_time",
                        "prescription": "goblet-squat",
                        "comparison": ">=",
                        "target": 10,
                        "label": {"nl": "x", "en": "x"},
                    },
                ],
            }
        ],
    }
    problems = " | ".join(builtin.template_problems(builtin.BuiltinTemplate("broken", data)))
    assert "no-such-exercise" in problems
    assert "reps_max" in problems  # 12–8
    assert "load_increment_kg" in problems  # double progression without its step
    assert "seconds_per_week" in problems and "max_hold_seconds" in problems
    assert "measure" in problems
    assert "hold_time names no timed hold" in problems


def test_a_programme_is_saved_as_a_clinic_template_without_patient_data(world, client_for):
    programme = build_programme(world.patient, phases=2, status="active")
    phase = programme.phases[0]
    phase.criteria[1].checked_at = utcnow()
    phase.criteria[1].checked_by_id = world.therapist.id
    phase.prescriptions[1].notes = "Rustig tempo."
    db.session.commit()
    therapist = client_for("therapist")

    form = therapist.get(f"/programmes/{programme.id}/save-as-template")
    assert form.status_code == 200
    saved = therapist.post(
        f"/programmes/{programme.id}/save-as-template",
        data={"title": "Rug standaard", "description": "Voor de praktijk"},
    )
    assert saved.status_code == 302
    template = db.session.scalar(select(Programme).where(Programme.is_template.is_(True)))
    assert (template.patient_id, template.status, template.started_on) == (None, "draft", None)
    assert template.clinic_id == world.clinic.id
    assert len(template.phases) == 2
    copied = template.phases[0]
    assert copied.started_on is None
    assert [c.checked_at for c in copied.criteria] == [None, None, None]
    assert copied.prescriptions[1].notes == "Rustig tempo."  # the exercise notes stay
    hold = copied.criteria[2]
    assert hold.prescription_id == copied.prescriptions[0].id  # re-linked to the copy
    assert not db.session.scalars(
        select(PhaseChange).where(PhaseChange.programme_id == template.id)
    ).all()

    listing = therapist.get("/programmes/templates")
    assert "Rug standaard" in listing.text
    for slug_title in ("Terugkerende lage rugpijn", "Terug naar hardlopen", "Core-stabiliteit"):
        assert slug_title in listing.text


def test_a_programme_starts_from_a_clinic_template_and_is_adapted(world, client_for):
    source = build_programme(world.patient, phases=2, title="Bron")
    therapist = client_for("therapist")
    therapist.post(f"/programmes/{source.id}/save-as-template", data={"title": "Knie basis"})
    template = db.session.scalar(select(Programme).where(Programme.is_template.is_(True)))

    created = therapist.post(
        f"/programmes/patient/{world.other_patient.id}/new",
        data={"source": f"clinic:{template.id}", "title": "Tom's knie"},
    )
    assert created.status_code == 302
    programme = db.session.scalar(
        select(Programme).where(Programme.patient_id == world.other_patient.id)
    )
    assert programme.title == "Tom's knie"
    assert programme.source_template == f"clinic:{template.id}"
    assert [len(p.prescriptions) for p in programme.phases] == [2, 2]
    assert all(rx.current_version == 1 for p in programme.phases for rx in p.prescriptions)


def test_clinic_templates_are_renamed_and_deleted(world, client_for):
    source = build_programme(world.patient)
    therapist = client_for("therapist")
    therapist.post(f"/programmes/{source.id}/save-as-template", data={"title": "Oud"})
    template = db.session.scalar(select(Programme).where(Programme.is_template.is_(True)))
    renamed = therapist.post(
        f"/programmes/{template.id}/rename", data={"title": "Nieuw", "version": template.version}
    )
    assert renamed.status_code == 302
    db.session.expire_all()
    template = db.session.get(Programme, template.id)
    assert template.title == "Nieuw"
    template_id = template.id
    deleted = therapist.post(
        f"/programmes/{template_id}/delete", data={"version": template.version}
    )
    assert deleted.status_code == 302
    db.session.expire_all()
    assert db.session.get(Programme, template_id) is None


def test_another_clinics_template_is_404(world, client_for):
    source = build_programme(world.patient)
    client_for("therapist").post(f"/programmes/{source.id}/save-as-template", data={"title": "Ons"})
    template = db.session.scalar(select(Programme).where(Programme.is_template.is_(True)))
    outsider = client_for("other_therapist")
    for url in (f"/programmes/{template.id}", f"/programmes/{template.id}/builder",
                f"/programmes/{template.id}/rename"):  # fmt: skip
        assert outsider.get(url).status_code == 404
    assert "Ons" not in outsider.get("/programmes/templates").text
    # Nor can it be used as the source of a programme in the other clinic.
    response = outsider.post(
        f"/programmes/patient/{world.foreign_patient.id}/new",
        data={"source": f"clinic:{template.id}"},
    )
    assert response.status_code == 200
    assert not db.session.scalars(
        select(Programme).where(Programme.patient_id == world.foreign_patient.id)
    ).all()


def test_the_builtin_preview_and_programme_in_the_patients_language(world, client_for):
    load_library()
    therapist = client_for("therapist")
    preview = therapist.get("/programmes/templates/built-in/running-knee")
    assert preview.status_code == 200
    assert "Knie kalmeren en isometrie" in preview.text
    assert "Muurzit" in preview.text or "Wall sit" in preview.text
    world.other_patient.preferred_language = "en"
    db.session.commit()
    therapist.post(
        f"/programmes/patient/{world.other_patient.id}/new",
        data={"source": "builtin:running-knee"},
    )
    programme = db.session.scalar(
        select(Programme).where(Programme.patient_id == world.other_patient.id)
    )
    assert programme.language == "en"
    assert programme.title == "Return to running after a knee complaint"
    assert programme.phases[0].name == "Settle the knee with isometrics"
    assert (
        programme.phases[2].schedule_kind == "weekdays" and programme.phases[2].weekdays == "1,3,5"
    )


def test_a_builtin_template_needs_the_library(world, client_for):
    response = client_for("therapist").post(
        f"/programmes/patient/{world.patient.id}/new", data={"source": "builtin:core-stability"}
    )
    assert response.status_code == 200
    assert "standaardbibliotheek met oefeningen is niet geladen" in response.text
    assert not db.session.scalars(select(Programme)).all()
