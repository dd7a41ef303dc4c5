"""A therapist records an intake on a phone-sized screen, adds an extra test row with the
button, and reads the comparison with an earlier analysis."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab.extensions import db
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD
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
        world.patient, recorded_on=dt.date.today() - dt.timedelta(weeks=5), nprs=7,
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
