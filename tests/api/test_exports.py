"""The therapist's CSV exports: a patient's sessions and the caseload's adherence and alerts,
formula-safe, in the access log, in a fixed number of queries."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.training.models import Alert
from tests.factories import make_patient
from tests.training.factories import log_session, make_plan, today


def _rows(answer) -> list[dict]:
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig"))))


def test_a_patients_sessions_with_the_formula_guard(world, client_for):
    plan = make_plan(world.patient)
    log_session(
        world.patient,
        today(),
        pain_after=3,
        note='=HYPERLINK("http://evil.example","klik")',
        exercises=[(plan["squat"], {"sets_done": 3, "reps_done": 10, "pain_during": 5})],
    )
    db.session.commit()
    rows = _rows(client_for("therapist").get(f"/exports/patients/{world.patient.id}/sessions.csv"))
    assert len(rows) == 1
    assert rows[0]["note"].startswith("'=HYPERLINK")
    assert rows[0]["highest_pain_during"] == "5" and rows[0]["pain_after"] == "3"
    exported = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export"))
    assert exported.patient_id == world.patient.id and exported.actor_id == world.therapist.id


def test_the_caseload_adherence_counts_extra_sessions_apart(world, client_for):
    make_plan(world.patient)  # three sessions a week
    for _ in range(4):
        log_session(world.patient, today())
    db.session.add(
        Alert(
            clinic_id=world.clinic.id,
            patient_id=world.patient.id,
            kind="pain_red",
            severity="alert",
            dedupe_key="x",
            evidence={"reasons": []},
        )
    )
    db.session.commit()
    day = today().isoformat()
    rows = _rows(
        client_for("therapist").get(f"/exports/caseload.csv?start={day}&end={day}&scope=clinic")
    )
    by_name = {row["first_name"]: row for row in rows}
    assert set(by_name) == {"Sanne", "Tom"}, "clinic B's Vera is never in it"
    sanne = by_name["Sanne"]
    assert (sanne["sessions_planned"], sanne["sessions_done"]) == ("3", "4")
    assert (sanne["sessions_within_plan"], sanne["sessions_extra"]) == ("3", "1")
    assert sanne["adherence_pct"] == "100"
    assert (sanne["alerts_in_period"], sanne["alerts_open"], sanne["alert_kinds"]) == (
        "1", "1", "pain_red"
    )  # fmt: skip
    assert by_name["Tom"]["adherence_pct"] == "", "no plan, no percentage"
    logged = set(
        db.session.scalars(select(AuditEntry.patient_id).where(AuditEntry.action == "export"))
    )
    assert logged == {world.patient.id, world.other_patient.id}


def test_the_caseload_export_takes_the_same_queries_for_more_patients(
    world, client_for, count_queries
):
    make_plan(world.patient)
    db.session.commit()
    client = client_for("admin")
    url = "/exports/caseload.csv?scope=clinic"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for n in range(4):
        patient = make_patient(world.clinic, world.therapist, first_name=f"Extra{n}")
        db.session.flush()
        make_plan(patient)
    db.session.commit()
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count, many.statements[few.count - 2 :]


def test_a_bad_period_is_a_clear_400(world, client_for):
    client = client_for("therapist")
    for query in ("start=2026-13-01", "start=2026-05-01&end=2026-04-01", "start=1999-01-01"):
        answer = client.get(f"/exports/caseload.csv?{query}")
        assert answer.status_code == 400, query
        assert "text/html" in answer.content_type
