"""A therapist starts a batch print in a real browser and finds the download when it is
ready; the progress-report form shows its errors in Dutch."""

from __future__ import annotations

import pytest

from rehab.extensions import db
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD
from tests.reports.factories import reportable_patient

pytestmark = pytest.mark.browser


def _log_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url(f"{base}/patients/")


def test_a_batch_print_ends_with_a_download_link(live_server, page, world):
    reportable_patient(world.patient, weeks=4)
    db.session.commit()
    _log_in(page, live_server, world.therapist.email)

    page.get_by_role("link", name="Afdrukreeksen").click()
    page.get_by_label("Een zip-bestand met één pdf per patiënt").check()
    page.get_by_role("button", name="Afdrukken starten").click()

    assert page.locator("#job-status").inner_text().strip() == "Klaar"
    assert page.get_by_role("link", name="Downloaden").count() == 1
    screenshot(page, "batch-job")
    page.goto(f"{live_server}/reports/batch")
    assert page.get_by_text("Klaar").count() == 1
    screenshot(page, "batch")


def test_the_report_form_shows_a_period_error(live_server, page, world):
    _log_in(page, live_server, world.therapist.email)
    page.goto(f"{live_server}/reports/patients/{world.patient.id}/progress-report")
    page.get_by_label("Van", exact=True).fill("2026-03-10")
    page.get_by_label("Tot en met", exact=True).fill("2026-03-01")
    page.get_by_role("button", name="Pdf maken").click()

    assert page.get_by_text("Het einde van de periode ligt vóór het begin.").count() == 1
    screenshot(page, "progress-report-form")
