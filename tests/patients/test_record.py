"""The patient record: edit (with the login e-mail), discharge, re-open and transfer."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.patients.models import Patient
from tests.factories import clinic_today, make_patient, make_user


def _form(patient: Patient, **changes) -> dict:
    data = {
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "email": "sanne.nieuw@example.com",
        "preferred_language": patient.preferred_language,
        "main_complaint": "Lage rugpijn",
        "episode": "",
        "body_region": "",
    }
    data.update(changes)
    return data


def _audit(patient_id, action="update"):
    return db.session.scalars(
        sa.select(AuditEntry).where(
            AuditEntry.patient_id == patient_id,
            AuditEntry.action == action,
            AuditEntry.object_type == "patient",
        )
    ).all()


def test_therapist_edits_the_record_and_the_login_email_follows(client_for, world):
    client = client_for("therapist")
    page = client.get(f"/patients/{world.patient.id}/edit")
    assert page.status_code == 200
    assert 'name="therapist_id"' not in page.text  # transfers are for admins
    response = client.post(
        f"/patients/{world.patient.id}/edit",
        data=_form(world.patient, goals="Weer 10 km hardlopen", preferred_language="en"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    patient = db.session.get(Patient, world.patient.id)
    assert patient.email == patient.user.email == "sanne.nieuw@example.com"
    assert patient.goals == "Weer 10 km hardlopen"
    assert patient.episode is None  # the empty choice is stored as nothing
    assert patient.user.locale == "en"
    (entry,) = _audit(patient.id)
    assert entry.summary_code == "patient_changed"
    assert {"email", "goals"} <= set(entry.summary_values["fields"])
    assert "hardlopen" not in str(entry.summary_values)


def test_an_email_in_use_by_another_account_is_refused(client_for, world):
    colleague = make_user(world.clinic, "therapist", email="anna@example.com")
    db.session.commit()
    client = client_for("therapist")
    response = client.post(
        f"/patients/{world.patient.id}/edit", data=_form(world.patient, email="Anna@Example.com")
    )
    assert response.status_code == 200
    assert "Dit e-mailadres wordt al door een ander account gebruikt." in response.text
    db.session.expire_all()
    assert db.session.get(Patient, world.patient.id).user.email != colleague.email
    assert _audit(world.patient.id) == []


def test_keeping_the_own_email_is_fine(client_for, world):
    world.patient.email = world.patient.user.email = "sanne@example.com"
    db.session.commit()
    client = client_for("therapist")
    response = client.post(
        f"/patients/{world.patient.id}/edit",
        data=_form(world.patient, email=world.patient.user.email),
    )
    assert response.status_code == 302


def test_bad_record_input_stores_nothing(client_for, world):
    client = client_for("therapist")
    future = (clinic_today() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        f"/patients/{world.patient.id}/edit",
        data=_form(world.patient, first_name="", date_of_birth=future, earlier_episodes="-2"),
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Patient, world.patient.id).first_name == "Sanne"


def test_creating_a_patient_without_an_episode_stores_none(client_for, world):
    response = client_for("therapist").post(
        "/patients/new",
        data={
            "first_name": "Ruben",
            "last_name": "Dekker",
            "email": "ruben@example.com",
            "preferred_language": "nl",
            "therapist_id": world.therapist.id,
            "episode": "",
            "body_region": "",
        },
    )
    assert response.status_code == 302
    patient = db.session.scalar(sa.select(Patient).where(Patient.first_name == "Ruben"))
    assert patient.episode is None and patient.body_region is None


def test_discharge_with_date_and_note_then_reopen(client_for, world):
    client = client_for("therapist")
    url = f"/patients/{world.patient.id}"
    on = clinic_today() - dt.timedelta(days=2)
    response = client.post(
        f"{url}/discharge", data={"discharged_on": on.isoformat(), "note": "Doelen gehaald."}
    )
    # On to the discharge analysis, where the GPE is asked.
    assert response.status_code == 302
    assert f"{url}/analyses/new?kind=discharge&on={on.isoformat()}" in response.location
    form = client.get(response.location).text
    assert '<option selected value="discharge">' in form
    assert f'value="{on.isoformat()}"' in form
    assert 'name="gpe"' in form
    db.session.expire_all()
    patient = db.session.get(Patient, world.patient.id)
    assert patient.status == "discharged"
    assert patient.discharged_on == on and patient.discharge_note == "Doelen gehaald."
    assert "Doelen gehaald." in client.get(url).text
    html = client.get("/patients/", query_string={"status": "discharged"}).text
    assert patient.last_name in html

    assert client.post(f"{url}/reopen").status_code == 302
    db.session.expire_all()
    patient = db.session.get(Patient, world.patient.id)
    assert patient.status == "active" and patient.discharged_on is None
    codes = [e.summary_code for e in _audit(patient.id)]
    assert codes[:2] == ["patient_discharged", "patient_reopened"]


def test_discharge_in_the_future_is_refused(client_for, world):
    future = (clinic_today() + dt.timedelta(days=1)).isoformat()
    response = client_for("therapist").post(
        f"/patients/{world.patient.id}/discharge", data={"discharged_on": future}
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Patient, world.patient.id).status == "active"


def test_admin_transfers_a_patient_to_another_therapist_of_the_clinic(client_for, world):
    colleague = make_user(world.clinic, "therapist", full_name="Fatima El Amrani")
    outsider = make_user(world.other_clinic, "therapist")
    db.session.commit()
    admin = client_for("admin")
    url = f"/patients/{world.patient.id}/transfer"
    page = admin.get(url).text
    assert "Fatima El Amrani" in page and outsider.full_name not in page
    # Another clinic's therapist is not a choice, whatever is posted.
    assert admin.post(url, data={"therapist_id": outsider.id}).status_code == 200
    assert admin.post(url, data={"therapist_id": "abc"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Patient, world.patient.id).therapist_id == world.therapist.id

    assert admin.post(url, data={"therapist_id": colleague.id}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Patient, world.patient.id).therapist_id == colleague.id
    assert _audit(world.patient.id)[0].summary_values == {
        "from_therapist": world.therapist.id,
        "to_therapist": colleague.id,
    }
    # The therapist may see the patient still (same clinic) but not move them.
    assert client_for("therapist").get(url).status_code == 403


def test_viewing_the_record_is_logged(client_for, world):
    client_for("therapist").get(f"/patients/{world.patient.id}/edit")
    assert _audit(world.patient.id, action="view")


def test_caseload_of_the_whole_clinic_stays_a_fixed_number_of_queries(
    client_for, world, count_queries
):
    client = client_for("admin")
    url = "/patients/?scope=clinic"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for n in range(12):  # each with their own therapist: names must not cost a query each
        therapist = make_user(world.clinic, "therapist")
        make_patient(world.clinic, therapist, first_name=f"Extra{n}")
    db.session.commit()
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count
