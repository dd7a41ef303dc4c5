"""A therapist finds an exercise, climbs its ladder, and filters the library on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.exercises.factories import MINI_LIBRARY
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url(f"{live_server}/patients/")


@pytest.fixture
def library(app):
    from rehab.exercises.services import load_library

    load_library(MINI_LIBRARY)


def test_search_and_walk_the_ladder(live_server, page, world, library):
    log_in(page, live_server, world.therapist)
    page.get_by_role("link", name="Oefenbibliotheek").click()
    page.get_by_label("Zoeken", exact=True).fill("brug")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.get_by_role("link", name="Bekkenbrug", exact=True).click()
    assert page.locator("h1").inner_text() == "Bekkenbrug"
    screenshot(page, "exercise-detail")
    page.get_by_role("link", name="Zwaarder: Bekkenbrug op één been →").click()
    page.get_by_role("link", name="Zwaarder: Hip thrust met halter →").click()
    assert page.locator("h1").inner_text() == "Hip thrust met halter"
    page.get_by_role("link", name="← Makkelijker: Bekkenbrug op één been").click()
    assert page.locator("h1").inner_text() == "Bekkenbrug op één been"


def test_filters_fold_away_on_a_phone(live_server, phone_page, world, library):
    page = phone_page
    log_in(page, live_server, world.therapist)
    page.goto(f"{live_server}/exercises/")
    category = page.get_by_label("Categorie")
    expect(category).to_be_hidden()
    page.get_by_role("button", name="Filters").click()
    # Bootstrap marks the panel "collapse show" once it has finished opening.
    expect(page.locator("#exercise-filters.collapse.show")).to_be_visible()
    category.select_option("motor_control")
    with page.expect_navigation(url="**category=motor_control**"):
        page.get_by_role("button", name="Filters toepassen").click()
    expect(page.get_by_label("Categorie")).to_be_visible()  # open again while a filter is set
    expect(page.get_by_role("link", name="Plank", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Bekkenbrug", exact=True)).to_have_count(0)
    screenshot(page, "exercise-library-phone")
