"""Browsing the library: search in the user's language, combined filters, archive, paging,
and a query count that does not grow with the library."""

from __future__ import annotations

import re
import time

from rehab.core.db import utcnow
from rehab.exercises.services import BrowseFilters, browse, escape_like
from rehab.extensions import db
from tests.exercises.factories import builtin, bulk_exercises
from tests.factories import make_exercise


def names(html: str) -> list[str]:
    """The exercise names on a browse page, in order."""
    return re.findall(r'class="stretched-link link-rehab" href="[^"]+">([^<]+)</a>', html)


def speak(world, language: str) -> None:
    world.therapist.locale = language
    db.session.commit()


def test_plank_in_english_finds_the_planks(client_for, world, full_library):
    speak(world, "en")
    found = names(client_for("therapist").get("/exercises/?q=plank").text)
    assert "Plank on knees" in found or any(n.startswith("Plank") for n in found)
    assert found, "no planks found"
    planks = [n for n in found if "plank" in n.lower()]
    assert len(planks) >= 5
    # Name matches come first; exercises that only mention planks in their text follow.
    first_other = next((i for i, n in enumerate(found) if "plank" not in n.lower()), len(found))
    assert all("plank" in n.lower() for n in found[:first_other])
    assert not any("brug" in n.lower() for n in found)


def test_brug_in_dutch_finds_the_bridges(client_for, world, full_library):
    found = names(client_for("therapist").get("/exercises/?q=brug").text)
    bridge_nl = builtin("glute-bridge").name_nl
    assert bridge_nl in found
    assert builtin("glute-bridge-single-leg").name_nl in found
    assert all("brug" in n.lower() for n in found[:3])
    # In English the Dutch word means nothing.
    speak(world, "en")
    english = names(client_for("therapist").get("/exercises/?q=brug").text)
    assert builtin("glute-bridge").name_en not in english


def test_search_ignores_case_and_treats_wildcards_as_text(client_for, world, mini_library):
    client = client_for("therapist")
    assert "Bekkenbrug" in names(client.get("/exercises/?q=BEKKENBRUG").text)
    assert names(client.get("/exercises/?q=%25").text) == []
    assert names(client.get("/exercises/?q=_").text) == []
    assert escape_like(r"50%_a\b") == r"50\%\_a\\b"


def test_search_also_finds_words_in_the_instructions_after_the_names(
    client_for, world, mini_library
):
    found = names(client_for("therapist").get("/exercises/?q=bekkenbrug").text)
    # "Plank" only mentions a bekkenbrug in its execution text: it comes after the bridges.
    assert found[:2] == ["Bekkenbrug", "Bekkenbrug op één been"]
    assert found[2:] == ["Plank"]


def test_filters_combine(client_for, world, mini_library):
    client = client_for("therapist")
    found = names(client.get("/exercises/?category=strength&region=hip").text)
    assert set(found) == {"Bekkenbrug", "Bekkenbrug op één been", "Hip thrust met halter"}
    found = names(client.get("/exercises/?category=strength&region=hip&equipment=barbell").text)
    assert found == ["Hip thrust met halter"]
    found = names(
        client.get("/exercises/?category=strength&difficulty_min=2&difficulty_max=3").text
    )
    assert found == ["Bekkenbrug op één been"]
    found = names(client.get("/exercises/?region=lumbar_spine&q=plank").text)
    assert found == ["Plank", "Plank op de knieën"]
    assert names(client.get("/exercises/?category=endurance&region=hip").text) == []


def test_bad_filter_values_fall_back_to_the_whole_library(client_for, world, mini_library):
    response = client_for("therapist").get(
        "/exercises/",
        query_string={"category": "<script>", "page": "-3", "difficulty_min": "9", "q": "x" * 500},
    )
    assert response.status_code == 200
    assert "<script>" not in response.text
    assert len(names(response.text)) == 6


def test_archived_exercises_are_hidden_unless_asked_for_and_still_open(
    client_for, world, mini_library
):
    own = make_exercise(world.clinic, name="Oude oefening", archived_at=utcnow())
    db.session.commit()
    client = client_for("therapist")
    assert "Oude oefening" not in names(client.get("/exercises/").text)
    shown = client.get("/exercises/?archived=y").text
    assert "Oude oefening" in names(shown)
    assert "Gearchiveerd" in shown
    detail = client.get(f"/exercises/{own.id}")
    assert detail.status_code == 200
    assert "Oude oefening" in detail.text


def test_other_clinics_exercises_and_replaced_built_ins_are_not_listed(
    client_for, world, mini_library
):
    make_exercise(world.other_clinic, name="Geheim van Zuid")
    bridge = builtin("mini-bridge")
    make_exercise(world.clinic, name="Onze bekkenbrug", source_id=bridge.id)
    db.session.commit()
    found = names(client_for("therapist").get("/exercises/").text)
    assert "Geheim van Zuid" not in found
    assert "Onze bekkenbrug" in found and "Bekkenbrug" not in found
    assert "Bekkenbrug" in names(client_for("other_therapist").get("/exercises/").text)


def test_cards_show_the_facts_a_therapist_scans_for(client_for, world, mini_library):
    html = client_for("therapist").get("/exercises/?q=hip+thrust").text
    assert "Kracht" in html  # category
    assert "Heup" in html  # region
    assert "Halter" in html and "Bank" in html  # equipment
    assert "4 × 6" in html  # default dose
    assert "Niveau 4 van 5" in html
    assert "Standaard" in html  # built-in badge


def test_the_library_is_paginated(client_for, world):
    bulk_exercises(60)
    client = client_for("therapist")
    first = client.get("/exercises/").text
    assert len(names(first)) == 24
    third = client.get("/exercises/?page=3").text
    assert len(names(third)) == 12
    assert client.get("/exercises/?page=99").status_code == 200


def test_browse_query_count_is_the_same_with_60_and_6000_exercises(
    client_for, world, count_queries
):
    bulk_exercises(50)
    bulk_exercises(10, clinic_id=world.clinic.id)
    client = client_for("therapist")
    url = "/exercises/?q=oefening&region=hip&difficulty_max=4"
    client.get(url)  # warm-up: templates compile on first use
    with count_queries() as few:
        assert client.get(url).status_code == 200
        plain_few = client.get("/exercises/")
    bulk_exercises(5_400)
    bulk_exercises(540, clinic_id=world.clinic.id)
    with count_queries() as many:
        assert client.get(url).status_code == 200
        plain_many = client.get("/exercises/")
    assert many.count == few.count
    assert len(names(plain_many.text)) == len(names(plain_few.text)) == 24
    assert few.count <= 16
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    assert min(timings) < 0.5, timings


def test_browse_service_counts_the_whole_result(app, world, mini_library):
    page = browse(world.clinic.id, BrowseFilters(q="plank", language="en"), 1)
    assert page.total == 2
    assert [e.name_en for e in page.items] == ["Plank", "Plank on the knees"]
