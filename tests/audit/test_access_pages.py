"""The admin's log with names and CSV export; the patient's "who viewed my record"."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.audit.services import record
from rehab.audit.summaries import Summary
from rehab.extensions import db
from tests.factories import make_patient


def test_admin_sees_the_patients_name_beside_the_number(client_for, world):
    client_for("therapist").get(f"/patients/{world.patient.id}")
    client_for("other_therapist").get(f"/patients/{world.foreign_patient.id}")
    html = client_for("admin").get("/audit/?action=view").text
    assert f"{world.patient.id}</span> · {world.patient.full_name}" in html
    assert world.foreign_patient.full_name not in html
    # What was opened is named in the admin's language, with its number.
    assert f"patiëntdossier #{world.patient.id}" in html


def test_names_come_from_one_query_however_many_patients(client_for, world, count_queries):
    admin = client_for("admin")
    for _ in range(2):
        record("view", patient_id=world.patient.id, object_type="patient", actor=world.therapist)
    db.session.commit()
    with count_queries() as few:
        admin.get("/audit/")
    for n in range(15):
        patient = make_patient(world.clinic, world.therapist, first_name=f"P{n}")
        record("view", patient_id=patient.id, object_type="patient", actor=world.therapist)
    db.session.commit()
    with count_queries() as many:
        admin.get("/audit/")
    assert many.count == few.count


def test_csv_export_holds_the_filtered_entries_and_is_logged(client_for, world):
    client_for("therapist").get(f"/patients/{world.patient.id}")
    client_for("therapist").get(f"/patients/{world.other_patient.id}")
    formula = '=HYPERLINK("http://evil")'
    # A typed value that opens the summary, and an entry from before the codes.
    record("view", patient_id=world.patient.id, object_type="note", actor=world.therapist,
           summary=Summary.of("login_failed", address=formula))  # fmt: skip
    db.session.add(AuditEntry(action="view", patient_id=world.patient.id, clinic_id=world.clinic.id,
                              object_type="note", summary=formula))  # fmt: skip
    db.session.commit()
    response = client_for("admin").get(
        f"/audit/export.csv?patient_id={world.patient.id}&action=view"
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert {r["patient_id"] for r in rows} == {str(world.patient.id)}
    assert {r["patient_name"] for r in rows} == {world.patient.full_name}
    # No formula in a spreadsheet, whether worded now or stored as a sentence before.
    assert [r["summary"] for r in rows if "HYPERLINK" in r["summary"]] == ["'" + formula] * 2
    assert {r["summary_code"] for r in rows} == {"", "login_failed"}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "audit_log"))
    assert entry.action == "export" and entry.actor_id == world.admin.id
    assert entry.summary_code == "audit_log_exported" and entry.summary_values["count"] == 3
    assert f"patient_id={world.patient.id}" in entry.summary_values["filters"]


@pytest.mark.parametrize(
    "query",
    [
        "patient_id=99999999999999999999", "patient_id=0", "patient_id=abc",
        "date_from=2026-13-45",
        # The day after 9999-12-31 and midnight of 0001-01-01 in Amsterdam overflowed (500).
        "date_to=9999-12-31", "date_from=0001-01-01",
        # An actor beyond any integer overflowed the database; "²" passed isdigit() (500).
        "actor_id=99999999999999999999", "actor_id=%C2%B2", "actor_id=-3",
    ],
)  # fmt: skip
def test_a_filter_that_cannot_be_read_says_so_and_lists_nothing(client_for, world, query):
    client_for("therapist").get(f"/patients/{world.patient.id}")
    admin = client_for("admin")
    response = admin.get(f"/audit/?{query}")
    assert response.status_code == 200
    assert "is-invalid" in response.text  # the field is marked, with its message under it
    assert "Geen registraties gevonden." in response.text  # not the unfiltered log instead
    # The user list of the filter stays, so the admin can correct and filter again.
    assert f'<option value="{world.therapist.id}">' in response.text
    export = admin.get(f"/audit/export.csv?{query}")
    assert export.status_code == 400
    assert "filter" in export.text.lower()


def test_csv_export_shows_only_the_admins_clinic(client_for, world):
    client_for("other_therapist").get(f"/patients/{world.foreign_patient.id}")
    text = client_for("admin").get("/audit/export.csv").data.decode("utf-8-sig")
    assert world.other_therapist.full_name not in text


def test_patient_sees_who_viewed_their_record(client_for, world):
    client_for("therapist").get(f"/patients/{world.patient.id}")
    client_for("admin").get(f"/patients/{world.patient.id}")
    client_for("therapist").get(f"/patients/{world.other_patient.id}")
    # Another patient's refused attempt names that patient: it is never shown.
    record("access_denied", patient_id=world.patient.id, object_type="patient",
           actor=world.other_patient.user)  # fmt: skip
    db.session.commit()
    html = client_for("patient").get("/audit/my-record").text
    assert world.therapist.full_name in html and "Therapeut" in html
    assert world.admin.full_name in html and "Praktijkbeheerder" in html
    assert "Ingezien: je dossier" in html
    assert world.other_patient.user.full_name not in html
    assert html.count('class="list-group-item"') == 2


def test_the_access_page_speaks_the_patients_language(client_for, world):
    world.patient.user.locale = "en"
    db.session.commit()
    client_for("therapist").get(f"/patients/{world.patient.id}")
    html = client_for("patient").get("/audit/my-record").text
    assert "Who viewed my record" in html and "Viewed: your record" in html


def test_the_access_page_is_paginated_with_a_fixed_number_of_queries(
    client_for, world, count_queries
):
    patient = client_for("patient")
    with count_queries() as few:
        patient.get("/audit/my-record")
    for _ in range(60):
        record("view", patient_id=world.patient.id, object_type="patient", actor=world.therapist)
    db.session.commit()
    with count_queries() as many:
        first = patient.get("/audit/my-record")
    assert many.count <= few.count + 1  # the pager's count query appears with rows
    assert first.text.count('class="list-group-item"') == 25
    last = patient.get("/audit/my-record?page=3")
    assert last.text.count('class="list-group-item"') == 10
    assert patient.get("/audit/my-record?page=99999999999999999999999").status_code == 200
    assert patient.get("/audit/my-record?page=-4").status_code == 200
