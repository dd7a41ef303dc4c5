"""A therapist records an intake on a phone-sized screen, adds an extra test row with the
button, and reads the comparison with an earlier analysis."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab.extensions import db
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, clinic_today
from tests.patients.factories import make_analysis

pytestmark = pytest.mark.browser


def _log_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url(f"{live_server}/patients/")


def test_therapist_records_an_analysis_on_a_phone(live_server, phone_page, world):
    earlier = make_analysis(
        world.patient, recorded_on=clinic_today() - dt.timedelta(weeks=5), nprs=7,
        modified_schober=3,
    )  # fmt: skip
    db.session.commit()
    page = phone_page
    _log_in(page, live_server, world.therapist.email)
    page.goto(f"{live_server}/patients/{world.patient.id}")
    page.get_by_role("link", name="Nieuwe analyse").first.click()
    assert page.locator("h1").inner_text() == "Nieuwe bewegingsanalyse"

    page.get_by_label("Pijn, gemiddeld afgelopen 24 uur (NPRS)").fill("3")
    page.locator("#modified_schober").fill("5,2")
    page.get_by_label("Constante nachtelijke pijn, niet minder bij van houding veranderen").check()
    rows = page.locator(".extra-test")
    assert rows.count() == 3
    page.get_by_role("button", name="Test toevoegen").click()
    assert rows.count() == 4
    page.locator("#extra_tests-3-name").fill("Handknijpkracht")
    page.locator("#extra_tests-3-unit").fill("kg")
    page.locator("#extra_tests-3-value").fill("24")
    page.locator("#extra_tests-3-reference_low").fill("30")
    page.get_by_role("button", name="Analyse opslaan").click()

    page.wait_for_url(f"{live_server}/patients/{world.patient.id}/analyses/*")
    warning = page.locator(".red-flag-warning")
    assert "Rode vlaggen: neem contact op met de huisarts of verwijzer" in warning.inner_text()
    assert page.get_by_text("Handknijpkracht").count() == 1
    assert page.locator("tr.out-of-range").count() >= 1
    screenshot(page, "analysis-phone")

    page.get_by_role("link", name="Vergelijken").first.click()
    page.wait_for_url(f"{live_server}/patients/{world.patient.id}/analyses/compare*")
    nprs = page.locator('tr[data-measure="nprs"]')
    assert "Verbeterd" in nprs.inner_text()
    assert f"before={earlier.id}" not in page.url  # defaults to first vs latest
    screenshot(page, "comparison-phone")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_intake_form_sections_fit_and_a_refused_form_leads_to_its_errors(
    live_server, browser, world, width
):
    """Every section link is reachable without sideways scrolling (wrapped on a wide screen,
    folded on a phone); after a refused submit focus is on the error summary, and its link
    takes focus to the field in error, far down the form."""
    context = browser.new_context(
        locale="nl-NL", viewport={"width": width, "height": 900}, is_mobile=width < 500
    )
    page = context.new_page()
    try:
        _log_in(page, live_server, world.therapist.email)
        page.goto(f"{live_server}/patients/{world.patient.id}/analyses/new")
        index = page.locator("nav.analysis-index")
        if width < 500:
            index.locator("summary").click()
        links = index.locator("a.nav-link:visible")
        assert links.count() == 13
        for n in range(links.count()):
            box = links.nth(n).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, links.nth(n).inner_text()

        page.locator("#biering_sorensen").fill("900")  # beyond the 240 s the test stops at
        page.get_by_role("button", name="Analyse opslaan").click()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.activeElement.id") == "problems"
        field = page.locator("#biering_sorensen")
        assert field.get_attribute("aria-invalid") == "true"
        assert "biering_sorensen-error" in field.get_attribute("aria-describedby")
        page.locator("#problems a[href='#biering_sorensen']").click()
        assert page.evaluate("document.activeElement.id") == "biering_sorensen"
    finally:
        context.close()
