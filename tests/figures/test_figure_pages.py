"""The drawn figures on the pages: the SVG route, the Today page and the library page."""

from __future__ import annotations

import re

from rehab.extensions import db
from tests.factories import make_exercise
from tests.training.factories import make_plan


def _plan_with_figures(world):
    plan = make_plan(world.patient)
    plan["exercises"]["squat"].slug = "goblet-squat"
    plan["exercises"]["squat"].tempo = "3-1-1"
    plan["exercises"]["walk"].slug = "walking-brisk"
    db.session.commit()
    return plan


def test_the_today_page_shows_each_drawn_exercise_moving_and_as_a_still_pair(client_for, world):
    _plan_with_figures(world)
    html = client_for("patient").get("/training/today").text
    moving = re.findall(r'class="figure-moving" src="([^"]+)"', html)
    assert "/exercises/figures/goblet-squat/moving.svg?tempo=3-1-1" in moving
    assert any(src.startswith("/exercises/figures/walking-brisk/moving.svg") for src in moving)
    assert 'src="/exercises/figures/goblet-squat/start.svg"' in html
    assert 'src="/exercises/figures/goblet-squat/end.svg"' in html
    assert "Tekening van Goblet squat" in html and "Pauzeer de tekening" in html
    # The side plank has no drawn figure: nothing is shown for it, not a broken image.
    assert "Side plank" in html and len(set(moving)) == 2


def test_the_moving_figure_animates_itself_and_the_stills_do_not(client_for, world):
    client = client_for("patient")
    moving = client.get("/exercises/figures/goblet-squat/moving.svg?tempo=3-1-1")
    assert moving.status_code == 200 and moving.mimetype == "image/svg+xml"
    assert "<animate " in moving.text and 'dur="6s"' in moving.text  # 3 + 1 + 1 + 1 s rest
    assert "<script" not in moving.text
    start = client.get("/exercises/figures/goblet-squat/start.svg")
    assert "<animate" not in start.text and "<path" in start.text  # the arrow
    mirrored = client.get("/exercises/figures/goblet-squat/start.svg?mirror=1").text
    x, y, width, height = re.search(r'viewBox="([^"]+)"', start.text)[1].split()
    assert f'viewBox="{-(int(x) + int(width))} {y} {width} {height}"' in mirrored


def test_unknown_figures_and_bad_arguments_are_not_found(client_for, world):
    client = client_for("patient")
    for url in (
        "/exercises/figures/no-such-exercise/start.svg",
        "/exercises/figures/goblet-squat/sideways.svg",
        "/exercises/figures/goblet-squat/moving.svg?tempo=fast",
        "/exercises/figures/goblet-squat/moving.svg?hold=99999",
        "/exercises/figures/breathing-90-90/end.svg",  # a still figure has no end pose
    ):
        assert client.get(url).status_code == 404, url


def test_the_library_page_shows_the_figure_of_a_built_in(client_for, world):
    exercise = make_exercise(name="Glute bridge", slug="glute-bridge")
    db.session.commit()
    html = client_for("therapist").get(f"/exercises/{exercise.id}").text
    assert "/exercises/figures/glute-bridge/moving.svg" in html


def test_the_library_list_shows_a_thumbnail_of_drawn_exercises(client_for, world):
    make_exercise(name="Glute bridge", slug="glute-bridge")
    make_exercise(name="Undrawn thing")
    db.session.commit()
    html = client_for("therapist").get("/exercises/?q=").text
    assert html.count('class="exercise-figure-thumb"') == 1
    assert 'class="exercise-figure-thumb" src="/exercises/figures/glute-bridge/start.svg"' in html
