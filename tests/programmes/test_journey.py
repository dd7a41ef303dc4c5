"""A therapist builds a four-phase programme from the low-back template, adapts a dose,
activates it, and the patient sees phase 1 in plain Dutch."""

from __future__ import annotations

from sqlalchemy import select

from rehab.extensions import db
from rehab.programmes.models import Phase, Prescription, Programme
from tests.programmes.factories import dose_form, load_library


def _programme(patient_id: int) -> Programme:
    return db.session.scalar(select(Programme).where(Programme.patient_id == patient_id))


def test_low_back_programme_from_template_to_the_patients_phone(world, client_for):
    load_library()
    therapist = client_for("therapist")

    page = therapist.get(f"/programmes/patient/{world.patient.id}/new")
    assert page.status_code == 200
    assert "Terugkerende lage rugpijn" in page.text

    created = therapist.post(
        f"/programmes/patient/{world.patient.id}/new", data={"source": "builtin:low-back-recurrent"}
    )
    assert created.status_code == 302
    programme = _programme(world.patient.id)
    assert programme.status == "draft"
    assert programme.language == "nl"
    assert [p.name for p in programme.phases] == [
        "Tot rust komen en begrijpen",
        "Mobiliteit en motorische controle",
        "Belastbaarheid en kracht",
        "Terug naar sport of werk",
    ]
    assert all(c.is_default for phase in programme.phases for c in phase.criteria)

    builder = therapist.get(created.headers["Location"])
    assert builder.status_code == 200
    assert "Rustig wandelen" in builder.text
    assert "configureerbare standaard" in builder.text or "instelbare standaard" in builder.text

    # Adapt a dose: the deadlift of phase 3 starts lighter.
    deadlift = db.session.scalar(
        select(Prescription)
        .join(Phase)
        .where(Phase.programme_id == programme.id, Phase.position == 3, Prescription.position == 1)
    )
    edit = f"/programmes/{programme.id}/prescriptions/{deadlift.id}/edit"
    assert therapist.get(edit).status_code == 200
    changed = therapist.post(
        edit,
        data=dose_form(
            programme.version,
            load_kg="8",
            load_increment_kg="4",
            rest_seconds=90,
            session_label="A",
            reason="Eerst techniek, lichter beginnen",
        ),
    )
    assert changed.status_code == 302
    db.session.expire_all()
    assert deadlift.load_kg == 8
    # What the system wrote is a code; what the therapist typed stays as typed.
    assert [(v.reason_code, v.reason) for v in deadlift.versions] == [
        ("from_template", None),
        (None, "Eerst techniek, lichter beginnen"),
    ]
    history = therapist.get(f"/programmes/{programme.id}/prescriptions/{deadlift.id}/history")
    assert "Uit het sjabloon" in history.text
    assert "Eerst techniek, lichter beginnen" in history.text

    programme = _programme(world.patient.id)
    activated = therapist.post(
        f"/programmes/{programme.id}/activate", data={"version": programme.version}
    )
    assert activated.status_code == 302
    db.session.expire_all()
    programme = _programme(world.patient.id)
    assert programme.status == "active"
    assert programme.current_phase_id == programme.phases[0].id
    assert programme.phases[0].started_on == programme.started_on

    mine = client_for("patient").get("/programmes/mine")
    assert mine.status_code == 200
    assert "Fase 1 van 4: Tot rust komen en begrijpen" in mine.text
    assert "Rustig wandelen" in mine.text
    assert "1 × 10 min, 7× per week" in mine.text
    assert "Mobiliteit en motorische controle" in mine.text  # what comes next
