"""A therapist starts the low-back programme from the built-in template and activates it;
the patient reads phase 1 on a phone."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD
from tests.programmes.factories import load_library

pytestmark = pytest.mark.browser


def _log_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()


def test_therapist_builds_and_the_patient_reads_it_on_a_phone(live_server, page, phone_page, world):
    load_library()
    _log_in(page, live_server, world.therapist.email)
    page.wait_for_url(f"{live_server}/patients/")
    page.goto(f"{live_server}/patients/{world.patient.id}")
    page.get_by_role("link", name="Nieuw programma").click()
    page.get_by_label("Standaard: Terugkerende lage rugpijn").check()
    page.get_by_role("button", name="Programma aanmaken").click()
    assert page.locator("h1").inner_text().startswith("Terugkerende lage rugpijn")
    assert page.locator("section.card").count() == 4
    screenshot(page, "programme-builder")

    page.get_by_role("button", name="Activeren").first.click()
    assert "Het programma is actief" in page.locator(".alert-success").inner_text()
    assert "voldaan" in page.content() or "nog niet" in page.content()
    screenshot(page, "programme-page")

    _log_in(phone_page, live_server, world.patient.user.email)
    phone_page.goto(f"{live_server}/programmes/mine")
    heading = phone_page.locator("h1").inner_text()
    assert heading == "Fase 1 van 4: Tot rust komen en begrijpen"
    first = phone_page.locator("article").first
    assert first.locator("h3").inner_text() == "Rustig wandelen"
    assert first.locator(".dose").inner_text() == "1 × 10 min, 7× per week"
    first.locator("summary").click()
    assert first.locator("dd").first.is_visible()
    # Phone-first: nothing sticks out sideways.
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone_page, "programme-phone")
