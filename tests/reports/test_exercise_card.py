"""A therapist prints an exercise card from the library, in their language or another."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from tests.reports.factories import bilingual_exercise
from tests.reports.pdf_inspect import metadata, pdf_text, render_pages


def _card(client, exercise, **args):
    return client.get(f"/reports/exercises/{exercise.id}/card.pdf", query_string=args)


def test_a_therapist_prints_a_built_in_exercise_in_dutch(client_for, world):
    exercise = bilingual_exercise(name_nl="Dode kever (dead bug)", name_en="Dead bug", picture=True)
    db.session.commit()

    response = _card(client_for("therapist"), exercise)

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "oefenkaart-dode-kever-dead-bug.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    for expected in (
        "Dode kever (dead bug)",
        "Motorische controle",  # the category, translated
        "3 sets van 10 herhalingen · 1 minuut rust tussen de sets",
        "Uitgangshouding",
        "Lig op je rug (Dode kever (dead bug)), knieën gebogen.",
        "Uitvoering",
        "Veelgemaakte fouten",
        "Wat je voelt",
        "Let op",
        "Stop bij uitstralende pijn in het been.",
        "Fysio Noord · Oefenkaart",
        "Pagina 1 van 1",
    ):
        assert expected in text, expected
    meta = metadata(response.data)
    assert meta["title"] == "Oefenkaart: Dode kever (dead bug)"
    assert meta["author"] == "Fysio Noord"
    assert meta["lang"] == "nl"
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    assert len(page.images) == 1  # the picture from the database
    render_pages(response.data, "exercise-card-nl")


def test_the_card_can_be_printed_in_english(client_for, world):
    exercise = bilingual_exercise(name_nl="Dode kever", name_en="Dead bug")
    db.session.commit()

    response = _card(client_for("therapist"), exercise, lang="en")

    text = pdf_text(response.data)
    for expected in (
        "Dead bug",
        "Motor control and core stability",
        "3 sets of 10 repetitions · rest 1 minute between sets",
        "Starting position",
        "How to do it",
        "Common mistakes",
        "What you should feel",
        "Caution",
        "Stop if pain radiates into your leg.",
        "Page 1 of 1",
    ):
        assert expected in text, expected
    assert "Uitgangshouding" not in text
    assert metadata(response.data)["lang"] == "en"
    assert "exercise-card-dead-bug.pdf" in response.headers["Content-Disposition"]
    render_pages(response.data, "exercise-card-en")


def test_the_users_own_language_is_the_default(client_for, world):
    world.therapist.locale = "en"
    exercise = bilingual_exercise(name_nl="Dode kever", name_en="Dead bug")
    db.session.commit()

    text = pdf_text(_card(client_for("therapist"), exercise).data)
    assert "Starting position" in text
    # An unknown language falls back to the user's own.
    text = pdf_text(_card(client_for("therapist"), exercise, lang="xx").data)
    assert "Starting position" in text
    text = pdf_text(_card(client_for("therapist"), exercise, lang="nl").data)
    assert "Uitgangshouding" in text


def test_a_missing_translation_falls_back_to_the_other_language(client_for, world):
    exercise = bilingual_exercise(name_nl="Alleen Nederlands", name_en="", caution_en="")
    db.session.commit()

    text = pdf_text(_card(client_for("therapist"), exercise, lang="en").data)
    assert "Alleen Nederlands" in text
    assert "Stop bij uitstralende pijn in het been." in text


def test_own_clinic_exercises_print_and_other_clinics_are_not_found(client_for, world):
    own = bilingual_exercise(world.clinic, name_nl="Eigen oefening", name_en="Own exercise")
    foreign = bilingual_exercise(world.other_clinic, name_nl="Andermans", name_en="Theirs")
    db.session.commit()
    therapist = client_for("therapist")

    assert _card(therapist, own).status_code == 200
    assert _card(therapist, foreign).status_code == 404
    assert therapist.get("/reports/exercises/999999/card.pdf").status_code == 404
    assert _card(client_for("other_therapist"), foreign).status_code == 200


def test_printing_a_card_is_in_the_access_log(client_for, world):
    exercise = bilingual_exercise(name_nl="Dode kever", name_en="Dead bug")
    db.session.commit()

    _card(client_for("admin"), exercise, lang="en")

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "print"))
    assert (entry.object_type, entry.object_id) == ("exercise", exercise.id)
    assert entry.actor_id == world.admin.id
    assert entry.clinic_id == world.clinic.id
    assert (entry.summary_code, entry.summary_values) == (
        "exercise_card_printed",
        {"language": "en"},
    )


def test_patients_cannot_print_library_cards(client_for, world):
    exercise = bilingual_exercise(name_nl="Dode kever", name_en="Dead bug")
    db.session.commit()
    assert _card(client_for("patient"), exercise).status_code == 403


def test_the_exercise_page_links_to_its_card_in_the_shown_language(client_for, world):
    exercise = bilingual_exercise(name_nl="Bilbrug", name_en="Glute bridge")
    db.session.commit()
    client = client_for("therapist")
    html = client.get(f"/exercises/{exercise.id}?text=en").text
    link = f"/reports/exercises/{exercise.id}/card.pdf?lang=en"
    assert link in html.replace("&amp;", "&")
    assert "Glute bridge" in pdf_text(client.get(link).data)
