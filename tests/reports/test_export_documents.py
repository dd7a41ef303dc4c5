"""Patients' rights: the data export holds the printed documents too (handout, progress
report), in the patient's language; the patient's programme page links their handout."""

from __future__ import annotations

import io
import zipfile

from rehab.extensions import db
from tests.reports.factories import printable_programme, reportable_patient
from tests.reports.pdf_inspect import pdf_text


def _files(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return {name: archive.read(name) for name in archive.namelist() if name.startswith("files/")}


def test_the_export_holds_the_handout_and_the_progress_report(client_for, world):
    world.patient.last_name = "de Vries"
    reportable_patient(world.patient, weeks=6)
    db.session.commit()

    files = _files(client_for("therapist").get(f"/patients/{world.patient.id}/export"))

    handouts = [name for name in files if name.startswith("files/oefenprogramma")]
    reports = [name for name in files if name.startswith("files/voortgangsverslag")]
    assert handouts == ["files/oefenprogramma.pdf"]
    assert len(reports) == 1
    assert "Jouw oefenprogramma" in pdf_text(files[handouts[0]])
    report = pdf_text(files[reports[0]])
    assert "Voortgangsverslag" in report and "Sanne de Vries" in report
    assert "Goblet squat" in report


def test_without_a_programme_the_export_still_has_a_report(client_for, world):
    files = _files(client_for("therapist").get(f"/patients/{world.patient.id}/export"))

    assert [name for name in files if "oefenprogramma" in name] == []
    assert any(name.startswith("files/voortgangsverslag") for name in files)


def test_the_patients_programme_page_links_the_handout(client_for, world):
    printable_programme(world.patient)
    db.session.commit()

    page = client_for("patient").get("/programmes/mine")

    assert page.status_code == 200
    assert 'href="/reports/my/handout.pdf"' in page.get_data(as_text=True)
