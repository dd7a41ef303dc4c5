"""The patient page's "Documents" panel links to the handout."""

from __future__ import annotations

from tests.factories import make_patient
from tests.reports.factories import printable_programme


def test_the_patient_page_links_to_the_handout(client_for, world):
    printable_programme(world.patient)

    html = client_for("therapist").get(f"/patients/{world.patient.id}").text

    assert "Documenten" in html
    assert f'href="/reports/patients/{world.patient.id}/handout.pdf"' in html
    assert "Oefenprogramma (PDF)" in html


def test_without_a_programme_the_panel_says_when_the_handout_comes(client_for, world):
    html = client_for("therapist").get(f"/patients/{world.other_patient.id}").text

    assert "beschikbaar zodra de patiënt een actief programma heeft" in html
    assert "handout.pdf" not in html


def test_the_panel_adds_the_same_queries_whatever_the_data(client_for, world, count_queries):
    printable_programme(world.patient, exercises=1)
    other = make_patient(world.clinic, world.therapist, first_name="Daan")
    printable_programme(other, exercises=8)
    client = client_for("therapist")
    counts = []
    for patient in (world.patient, other):
        with count_queries() as queries:
            assert client.get(f"/patients/{patient.id}").status_code == 200
        counts.append(queries.count)
    assert counts[0] == counts[1]
