"""Activation, phase advancement (forward and back, with notes and dates), completion,
and one active programme per patient; earlier programmes stay readable."""

from __future__ import annotations

from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.core.clock import clinic_today
from rehab.extensions import db
from rehab.programmes.models import Phase, PhaseChange, Programme
from tests.factories import make_programme
from tests.programmes.factories import build_programme


def _reload(programme_id: int) -> Programme:
    db.session.expire_all()
    return db.session.get(Programme, programme_id)


def test_activation_starts_the_first_phase_today(world, client_for):
    programme = build_programme(world.patient, phases=3)
    response = client_for("therapist").post(
        f"/programmes/{programme.id}/activate", data={"version": programme.version},
        follow_redirects=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert "Het programma is actief" in response.text
    programme = _reload(programme.id)
    today = clinic_today(world.clinic)
    assert (programme.status, programme.started_on) == ("active", today)
    assert programme.current_phase_id == programme.phases[0].id
    assert programme.phases[0].started_on == today
    change = db.session.scalar(select(PhaseChange).where(PhaseChange.programme_id == programme.id))
    assert (change.from_phase_id, change.to_phase_id) == (None, programme.phases[0].id)
    assert (
        db.session.scalar(
            select(AuditEntry).where(AuditEntry.summary_code == "programme_activated")
        ).patient_id
        == world.patient.id
    )


def test_a_first_phase_without_exercises_is_not_activated(world, client_for):
    programme = make_programme(world.patient, status="draft", phases=2)
    programme.current_phase_id = None
    db.session.commit()
    response = client_for("therapist").post(
        f"/programmes/{programme.id}/activate", data={"version": programme.version},
        follow_redirects=True,
    )  # fmt: skip
    assert "Fase 1 (Fase 1) heeft nog geen oefeningen" in response.text
    programme = _reload(programme.id)
    assert programme.status == "draft" and programme.started_on is None
    assert programme.phases[0].started_on is None


def test_one_active_programme_per_patient(world, client_for):
    old = build_programme(world.patient, status="active", title="Eerste programma")
    new = build_programme(world.patient, title="Tweede programma")
    therapist = client_for("therapist")

    refused = therapist.post(
        f"/programmes/{new.id}/activate", data={"version": new.version}, follow_redirects=True
    )
    assert "Eerste programma is nog actief" in refused.text
    assert _reload(new.id).status == "draft"

    both = therapist.post(
        f"/programmes/{new.id}/activate",
        data={"version": new.version, "complete_previous": "y"},
    )
    assert both.status_code == 302
    assert _reload(new.id).status == "active"
    finished = _reload(old.id)
    assert finished.status == "completed" and finished.ended_on == clinic_today(world.clinic)
    # The earlier programme stays readable, from the patient's page.
    page = therapist.get(f"/patients/{world.patient.id}")
    assert "Eerste programma" in page.text and "Afgerond" in page.text
    assert therapist.get(f"/programmes/{old.id}").status_code == 200


def test_advance_and_step_back_with_a_note(world, client_for):
    programme = build_programme(world.patient, phases=3, status="active")
    first, second, _third = programme.phases
    therapist = client_for("therapist")
    url = f"/programmes/{programme.id}/phase"

    no_note = therapist.post(url, data={"version": programme.version, "direction": "next"},
                             follow_redirects=True)  # fmt: skip
    assert "Voeg een korte notitie toe" in no_note.text
    assert _reload(programme.id).current_phase_id == first.id

    forward = therapist.post(url, data={"version": programme.version, "direction": "next",
                                        "note": "Criteria gehaald, pijn groen"})  # fmt: skip
    assert forward.status_code == 302
    programme = _reload(programme.id)
    today = clinic_today(world.clinic)
    assert programme.current_phase_id == second.id
    assert db.session.get(Phase, first.id).ended_on == today
    assert db.session.get(Phase, second.id).started_on == today

    back = therapist.post(url, data={"version": programme.version, "direction": "back",
                                     "note": "Rode reactie na het tillen"})  # fmt: skip
    assert back.status_code == 302
    assert _reload(programme.id).current_phase_id == first.id

    page = therapist.get(f"/programmes/{programme.id}")
    assert "Fasegeschiedenis" in page.text
    assert "Criteria gehaald, pijn groen" in page.text and "Rode reactie na het tillen" in page.text
    notes = db.session.scalars(
        select(PhaseChange.note).where(PhaseChange.programme_id == programme.id)
        .order_by(PhaseChange.id)
    ).all()  # fmt: skip
    assert notes == ["Criteria gehaald, pijn groen", "Rode reactie na het tillen"]


def test_the_last_phase_completes_instead_of_advancing(world, client_for):
    programme = build_programme(world.patient, phases=1, status="active")
    therapist = client_for("therapist")
    refused = therapist.post(
        f"/programmes/{programme.id}/phase",
        data={"version": programme.version, "direction": "next", "note": "klaar"},
        follow_redirects=True,
    )
    assert "Dit is de laatste fase: rond het programma af." in refused.text
    done = therapist.post(
        f"/programmes/{programme.id}/complete",
        data={"version": programme.version, "conclusion": "Terug op de sportclub."},
    )
    assert done.status_code == 302
    programme = _reload(programme.id)
    assert programme.status == "completed" and programme.conclusion == "Terug op de sportclub."
    assert programme.phases[0].ended_on == clinic_today(world.clinic)
    # A completed programme is read-only: the builder sends the therapist to the page.
    assert therapist.get(f"/programmes/{programme.id}/builder").status_code == 302
    assert client_for("patient").get("/programmes/mine").status_code == 200


def test_a_started_phase_cannot_be_deleted(world, client_for):
    programme = build_programme(world.patient, phases=2, status="active")
    response = client_for("therapist").post(
        f"/programmes/{programme.id}/phases/{programme.phases[0].id}/delete",
        data={"version": programme.version}, follow_redirects=True,
    )  # fmt: skip
    assert "Deze fase is begonnen" in response.text
    assert len(_reload(programme.id).phases) == 2


def test_the_patient_sees_the_current_phase_and_past_phases_collapsed(world, client_for):
    programme = build_programme(world.patient, phases=3, status="active")
    first, second, _third = programme.phases
    first.ended_on = clinic_today(world.clinic)
    second.started_on = clinic_today(world.clinic)
    second.goal = "Sterker worden met rustige oefeningen."
    programme.current_phase_id = second.id
    db.session.commit()
    page = client_for("patient").get("/programmes/mine")
    assert page.status_code == 200
    assert "Fase 2 van 3: Fase 2" in page.text
    assert "Sterker worden met rustige oefeningen." in page.text
    assert "Hoe verder" in page.text and "Fase 3: Fase 3" in page.text
    assert "<details" in page.text and "Eerdere fasen" in page.text
    assert "3 × 5 keer 10 s vasthouden" in page.text
    # Another patient of the clinic sees nothing of it.
    other = client_for("other_patient").get("/programmes/mine")
    assert "Fase 2 van 3" not in other.text
