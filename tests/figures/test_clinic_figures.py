"""Clinic exercises and the drawings: a copy keeps its figure, a new exercise takes a built-in
figure (mirrored or not), a clinic hides one it finds unclear, and the review sheet."""

from __future__ import annotations

from sqlalchemy import select

from rehab.exercises.models import Exercise
from rehab.extensions import db
from tests.exercises.factories import png_bytes
from tests.factories import make_exercise
from tests.reports.pdf_inspect import pdf_text, render_pages


def _form(**overrides) -> dict:
    data = {
        "name_nl": "Brug op de bank", "name_en": "Bench bridge", "category": "strength",
        "difficulty": "2", "regions": ["hip"], "equipment": ["mat"], "dosage_type": "reps",
        "sets": "3", "reps": "10", "rest_seconds": "60",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_clinic_copy_of_a_built_in_keeps_its_figure(client_for, world):
    builtin = make_exercise(name="Glute bridge", slug="glute-bridge")
    db.session.commit()
    client = client_for("therapist")
    form = client.get(f"/exercises/{builtin.id}/edit").text
    assert (
        '<option selected value="glute-bridge">' in form or 'value="glute-bridge" selected' in form
    )
    response = client.post(
        f"/exercises/{builtin.id}/edit",
        data=_form(
            name_nl="Bekkenbrug (onze versie)", name_en="Glute bridge", figure_slug="glute-bridge"
        ),
    )
    assert response.status_code == 302
    copy = db.session.scalar(select(Exercise).where(Exercise.source_id == builtin.id))
    assert copy.figure_key == "glute-bridge"
    page = client.get(f"/exercises/{copy.id}").text
    assert "/exercises/figures/glute-bridge/moving.svg" in page


def test_a_new_clinic_exercise_takes_a_built_in_figure_mirrored(client_for, world):
    client = client_for("therapist")
    response = client.post(
        "/exercises/new", data=_form(figure_slug="glute-bridge-single-leg", figure_mirrored="y")
    )
    assert response.status_code == 302
    own = db.session.scalar(select(Exercise).where(Exercise.name_en == "Bench bridge"))
    assert own.clinic_id == world.clinic.id and own.figure_key == "glute-bridge-single-leg"
    page = client.get(f"/exercises/{own.id}").text
    assert "/exercises/figures/glute-bridge-single-leg/start.svg?mirror=1" in page


def test_an_unknown_figure_is_refused_with_a_message(client_for, world):
    response = client_for("therapist").post("/exercises/new", data=_form(figure_slug="nope"))
    assert response.status_code == 200
    assert "Kies een tekening uit de lijst." in response.text
    assert db.session.scalar(select(Exercise).where(Exercise.name_en == "Bench bridge")) is None


def test_a_clinic_hides_an_unclear_figure_in_favour_of_its_own_picture(client_for, world):
    own = make_exercise(
        world.clinic, name="Eigen brug", figure_slug="glute-bridge",
        image_data=png_bytes(), image_mime="image/png",
    )  # fmt: skip
    db.session.commit()
    client = client_for("therapist")
    assert "/exercises/figures/glute-bridge/" in client.get(f"/exercises/{own.id}").text
    response = client.post(
        f"/exercises/{own.id}/edit",
        data=_form(name_nl="Eigen brug", name_en="Own bridge", figure_slug="glute-bridge",
                   figure_hidden="y"),
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(f"/exercises/{own.id}").text
    assert "/exercises/figures/glute-bridge/" not in page
    assert f"/exercises/{own.id}/picture" in page
    review = client.get("/exercises/figures/review").text
    assert "Door je praktijk verborgen" in review


def test_the_review_sheet_lists_every_drawing_by_name_on_the_page_and_on_paper(client_for, world):
    client = client_for("therapist")
    page = client.get("/exercises/figures/review").text
    for name in ("Bilbrug", "Bird dog – alleen been"):
        assert name in page
    assert 'src="/exercises/figures/glute-bridge/start.svg"' in page
    response = client.get("/exercises/figures/review.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Tekeningen van de oefeningen" in text and "Bilbrug" in text
    assert render_pages(response.data, "figure-review")
