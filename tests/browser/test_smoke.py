"""A therapist logs in through a real browser and sees the caseload."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_therapist_logs_in_and_sees_the_caseload(live_server, page, world):
    page.goto(f"{live_server}/")
    assert page.locator("h1").inner_text() == "Inloggen bij Rehab"
    page.get_by_label("E-mailadres").fill(world.therapist.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url(f"{live_server}/patients/")
    assert page.locator("h1").inner_text() == "Caseload"
    assert page.get_by_text(world.patient.last_name).count() == 1
    screenshot(page, "caseload")


def test_language_switch_in_the_header(live_server, page):
    page.goto(f"{live_server}/login")
    page.get_by_role("button", name="EN", exact=True).click()
    assert page.locator("h1").inner_text() == "Log in to Rehab"
