"""The patient leaves with a handout of their current phase, in their own language."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from tests.factories import make_patient, make_programme
from tests.reports.factories import printable_programme
from tests.reports.pdf_inspect import (
    PAGE_NUMBER,
    metadata,
    pdf_text,
    render_pages,
    word_boxes,
)

A4_WIDTH_PT = 595.28
MARGIN_PT = 16 / 25.4 * 72  # the print stylesheet's 16 mm side margins


def _staff_handout(client, patient):
    return client.get(f"/reports/patients/{patient.id}/handout.pdf")


def test_a_therapist_prints_a_dutch_patients_handout(client_for, world):
    world.patient.last_name = "de Vries"
    programme = printable_programme(world.patient)
    world.therapist.locale = "en"  # the therapist's own language does not matter
    db.session.commit()

    response = _staff_handout(client_for("therapist"), world.patient)

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "oefenprogramma-sanne-de-vries.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    for expected in (
        # Who and what.
        "Jouw oefenprogramma",
        "Sanne de Vries",
        "Pieter Therapeut, Fysio Noord",
        "Terug naar hardlopen",
        "Fase 1 van 2: Mobiliteit en motorische controle",
        "Doel van deze fase",
        "Pijnvrij bewegen en de Big-3 met 10 s vasthouden.",
        "3 sessies per week",
        # Each exercise with its instructions, dose in words and progression cue.
        "Jouw oefeningen",
        "1. Bekkenkanteling (brug)",
        "3 sets van 8–12 herhalingen · met 12,5 kg · inspanning ongeveer 7 uit 10 · "
        "90 seconden rust tussen de sets · 3 dagen per week",
        "Uitgangshouding",
        "Van je therapeut Rustig tempo, ë ï é ĳ – ≤ 3.",
        "gaat het gewicht 2,5 kg omhoog en begin je weer bij 8 herhalingen",
        "2. Zijplank op knieën",
        "2 sets van 5 keer 10 seconden vasthouden, per kant",
        "Volgende stap: Zijplank op voeten.",
        "3. Wandelen 3",
        "1 set van 20 minuten",
        "Deze oefening bouwt op volgens een vast schema",
        # The pain-monitoring model with the clinic's thresholds.
        "Hoeveel pijn is goed tijdens het oefenen?",
        "0–3 Veilig: ga gewoon door.",
        # When to contact the clinic (domain.md §8).
        "Wanneer neem je contact op met de praktijk?",
        "Ochtendstijfheid die langer dan 30 minuten duurt",
        "Anders zitten, tillen of bewegen om klachten te ontwijken",
        "Bel meteen je huisarts of de huisartsenpost",
        "Wat helpt",
        "Til vanuit je benen",
        # The tick-box log sheet: days × exercises.
        "Weekoverzicht",
        "Oefening ma di wo do vr za zo",
        "1. Bekkenkanteling (brug) 3 × 8–12",
        "2. Zijplank op knieën 2 × 5 × 10 s",
        "Pijn de volgende ochtend (0–10)",
        # Running header.
        "Fysio Noord · Sanne de Vries",
    ):
        assert expected in text, expected
    assert "Starting position" not in text
    meta = metadata(response.data)
    assert meta["title"] == "Oefenprogramma voor Sanne de Vries"
    assert meta["author"] == "Pieter Therapeut"
    assert meta["lang"] == "nl"
    assert programme.id
    render_pages(response.data, "handout-nl")


def test_an_english_patient_gets_an_english_handout(client_for, world):
    world.patient.preferred_language = "en"
    printable_programme(world.patient)
    db.session.commit()

    response = _staff_handout(client_for("therapist"), world.patient)

    text = pdf_text(response.data)
    for expected in (
        "Your exercise programme",
        "Phase 1 of 2: Mobiliteit en motorische controle",
        "Goal of this phase",
        "Your exercises",
        "1. Glute bridge",
        "3 sets of 8–12 repetitions · with 12.5 kg · effort about 7 out of 10 · "
        "rest 90 seconds between sets · 3 days a week",
        "Starting position",
        "Lie on your back (Glute bridge), knees bent.",
        "the weight goes up by 2.5 kg and you start again at 8 repetitions",
        "2 sets of 5 holds of 10 seconds, each side",
        "Next step: Side plank on feet.",
        "When to contact the clinic",
        "Morning stiffness that lasts longer than 30 minutes",
        "What helps",
        "Weekly log",
        "Exercise Mon Tue Wed Thu Fri Sat Sun",
        "Pain the next morning (0–10)",
    ):
        assert expected in text, expected
    assert "Jouw oefeningen" not in text
    assert metadata(response.data)["lang"] == "en"
    assert metadata(response.data)["title"].startswith("Exercise programme for Sanne")
    render_pages(response.data, "handout-en")


def test_every_page_is_numbered_with_the_total(client_for, world):
    printable_programme(world.patient, exercises=8)

    document = _staff_handout(client_for("therapist"), world.patient).data

    pages = PdfReader(io.BytesIO(document)).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        found = PAGE_NUMBER.findall(page.extract_text())
        assert found == [(str(number), str(len(pages)))], (number, found)
        assert "Fysio Noord · Sanne" in page.extract_text()


def test_pdftoppm_renders_every_page_and_nothing_runs_off_the_page(client_for, world):
    printable_programme(world.patient, exercises=8)

    document = _staff_handout(client_for("therapist"), world.patient).data

    pngs = render_pages(document, "handout-8-exercises")
    assert len(pngs) == metadata(document)["pages"]
    assert all(png.stat().st_size > 1000 for png in pngs)
    boxes = word_boxes(document)
    assert boxes
    for page, x0, _, x1, _, word in boxes:
        assert x0 >= MARGIN_PT - 1 and x1 <= A4_WIDTH_PT - MARGIN_PT + 1, (page, word, x0, x1)


def test_the_clinics_pain_thresholds_and_schedule_are_printed(client_for, world):
    world.clinic.pain_safe_max = 2
    world.clinic.pain_amber_max = 4
    world.clinic.stiffness_review_minutes = 45
    programme = printable_programme(world.patient)
    programme.phases[0].schedule_kind = "weekdays"
    programme.phases[0].weekdays = "1,3,5"
    db.session.commit()

    text = pdf_text(_staff_handout(client_for("therapist"), world.patient).data)

    assert "0–2 Veilig" in text
    assert "3–4 Acceptabel" in text
    assert "boven 4 Te veel" in text
    assert "op 2 uit 10 of lager" in text
    assert "Op maandag, woensdag en vrijdag" in text
    assert "langer dan 45 minuten" in text


def test_the_patient_downloads_their_own_handout(client_for, world):
    printable_programme(world.patient)

    response = client_for("patient").get("/reports/my/handout.pdf")

    assert response.status_code == 200
    text = pdf_text(response.data)
    assert world.patient.full_name in text
    assert "Bekkenkanteling (brug)" in text


def test_no_one_gets_another_patients_handout(client_for, world):
    printable_programme(world.patient)
    printable_programme(world.foreign_patient)

    # The other patient of the same clinic has no programme: their own link says so.
    response = client_for("other_patient").get("/reports/my/handout.pdf")
    assert response.status_code == 404
    assert "Bekkenkanteling" not in response.text
    # Patients cannot use the staff route at all, whatever the ID.
    for patient in (world.patient, world.other_patient, world.foreign_patient):
        assert _staff_handout(client_for("patient"), patient).status_code == 403
    # Another clinic's therapist: 404, as for an ID that does not exist.
    assert _staff_handout(client_for("other_therapist"), world.patient).status_code == 404
    assert client_for("therapist").get("/reports/patients/999999/handout.pdf").status_code == 404
    # Nor can this clinic's therapist print the other clinic's patient.
    assert _staff_handout(client_for("therapist"), world.foreign_patient).status_code == 404


def test_without_an_active_programme_a_clear_page_not_a_pdf(client_for, world):
    make_programme(world.patient, status="draft")
    db.session.commit()

    response = _staff_handout(client_for("therapist"), world.patient)

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Er is geen actief programma" in response.text
    assert not db.session.scalar(select(AuditEntry).where(AuditEntry.action == "print"))


def test_a_phase_without_exercises_gives_a_clear_page(client_for, world):
    make_programme(world.patient)
    db.session.commit()

    response = client_for("patient").get("/reports/my/handout.pdf")

    assert response.status_code == 404
    assert "De huidige fase heeft nog geen oefeningen" in response.text


def test_printing_a_handout_is_in_the_access_log(client_for, world):
    programme = printable_programme(world.patient)

    _staff_handout(client_for("therapist"), world.patient)
    client_for("patient").get("/reports/my/handout.pdf")

    prints = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "print").order_by(AuditEntry.id)
    ).all()
    assert [(e.actor_id, e.patient_id, e.object_type, e.object_id) for e in prints] == [
        (world.therapist.id, world.patient.id, "handout", programme.id),
        (world.patient.user_id, world.patient.id, "handout", programme.id),
    ]
    assert prints[0].summary_code == "handout_printed"
    assert prints[0].summary_values == {"language": "nl"}
    # The staff read of the record goes into the log as well (patient_for).
    assert db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "view",
            AuditEntry.object_type == "handout",
            AuditEntry.patient_id == world.patient.id,
        )
    )


@pytest.mark.parametrize("client_role", ["therapist", "patient"])
def test_the_handout_runs_a_fixed_number_of_queries(
    app, client_for, world, count_queries, client_role
):
    small = world.patient
    large = make_patient(world.clinic, world.therapist, first_name="Daan")
    printable_programme(small, exercises=2)
    printable_programme(large, exercises=8)
    if client_role == "therapist":
        client = client_for("therapist")
        urls = [f"/reports/patients/{p.id}/handout.pdf" for p in (small, large)]
        clients = [client, client]
    else:
        from tests.factories import login_as

        clients = [login_as(app.test_client(), p.user) for p in (small, large)]
        urls = ["/reports/my/handout.pdf"] * 2
    counts = []
    for client, url in zip(clients, urls, strict=True):
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        counts.append(queries.count)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 20, counts


def test_page_number_pattern_matches_both_languages():
    assert re.fullmatch(PAGE_NUMBER, "Pagina 2 van 5")
    assert re.fullmatch(PAGE_NUMBER, "Page 2 of 5")
