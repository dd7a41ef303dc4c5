"""The therapist's caseload: search, filters, and a query count that does not grow."""

from __future__ import annotations

from rehab.extensions import db
from tests.factories import make_patient, make_programme


def add_patients(world, n):
    # Fixed last names: the factory's numbered ones sort differently once the count gets long.
    for i in range(n):
        make_patient(world.clinic, world.therapist, first_name=f"Extra{i}", last_name=f"Z{i:03d}")
    db.session.commit()


def test_caseload_lists_my_patients_and_hides_other_clinics(client_for, world):
    html = client_for("therapist").get("/patients/").text
    assert world.patient.last_name in html
    assert world.other_patient.last_name in html
    assert world.foreign_patient.last_name not in html


def test_caseload_search_finds_by_name(client_for, world):
    html = client_for("therapist").get("/patients/", query_string={"q": "sanne"}).text
    assert world.patient.last_name in html
    assert world.other_patient.last_name not in html


def test_discharged_patients_are_listed_under_their_own_filter(client_for, world):
    world.other_patient.status = "discharged"
    db.session.commit()
    client = client_for("therapist")
    assert world.other_patient.last_name not in client.get("/patients/").text
    html = client.get("/patients/", query_string={"status": "discharged"}).text
    assert world.other_patient.last_name in html


def test_bad_filter_values_fall_back_to_defaults(client_for, world):
    response = client_for("therapist").get(
        "/patients/", query_string={"status": "<script>", "page": "-3", "q": "x" * 500}
    )
    assert response.status_code == 200
    assert "<script>" not in response.text


def test_caseload_query_count_does_not_grow_with_patients(client_for, world, count_queries):
    client = client_for("therapist")
    client.get("/patients/")  # warm-up: first request compiles templates
    with count_queries() as few:
        client.get("/patients/")
    add_patients(world, 30)
    with count_queries() as many:
        assert client.get("/patients/").status_code == 200
    assert many.count == few.count
    assert few.count <= 8


def test_caseload_is_paginated(client_for, world):
    add_patients(world, 30)
    client = client_for("therapist")
    first = client.get("/patients/").text
    assert "Extra0" in first and "Extra29" not in first
    second = client.get("/patients/", query_string={"page": 2})
    assert second.status_code == 200 and "Extra29" in second.text


def test_caseload_shows_each_patients_programme_and_phase(client_for, world):
    active = make_programme(world.patient, phases=3)
    make_programme(world.other_patient, status="draft")
    db.session.commit()
    html = client_for("therapist").get("/patients/").text
    assert f'href="/programmes/{active.id}">Fase 1 van 3</a>' in html
    assert "Concept" in html  # the other patient's draft


def test_caseload_shows_the_most_urgent_open_alert(client_for, world):
    from rehab.training.models import Alert

    for kind, severity in (("no_logs", "caution"), ("pain_red", "alert")):
        db.session.add(
            Alert(
                clinic_id=world.clinic.id,
                patient_id=world.patient.id,
                kind=kind,
                severity=severity,
                dedupe_key="2026-11-20",
                evidence={},
            )
        )
    db.session.commit()
    html = client_for("therapist").get("/patients/").text
    row = html.split(world.patient.last_name, 1)[1].split("</tr>", 1)[0]
    assert "Rode pijnreactie" in row
    assert "Niets gelogd" not in row
