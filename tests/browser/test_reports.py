"""A therapist starts a batch print in a real browser and finds the download when it is
ready; the progress-report form shows its errors in Dutch."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

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
    page.get_by_label("Een zip-bestand met één PDF per patiënt").check()
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
    page.get_by_role("button", name="PDF maken").click()

    message = "Het einde van de periode ligt vóór het begin."
    # Once under its field, and in the summary at the top that links to the field.
    # Wait for the answer to the submit: count() alone does not wait for the new page.
    expect(page.locator(".invalid-feedback").get_by_text(message)).to_have_count(1)
    summary = page.locator("#problems")
    assert message in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "problems"
    screenshot(page, "progress-report-form")


def test_a_running_batch_updates_its_progress_without_reloading(live_server, page, world):
    """No meta refresh: the script brings the progress up to date in place, says it politely
    once per 10 %, and says when the batch is finished; without script a link refreshes."""
    import datetime as dt

    from rehab.core.db import utcnow
    from rehab.reports.models import PrintJob
    from tests.factories import clinic_today

    today = clinic_today()
    job = PrintJob(
        clinic_id=world.clinic.id,
        requested_by_id=world.therapist.id,
        scope="mine",
        period_start=today - dt.timedelta(weeks=4),
        period_end=today,
        file_format="zip",
        language_choice="patient",
        status="running",
        done_count=1,
        total_count=10,
        started_at=utcnow(),
        heartbeat_at=utcnow(),
    )
    db.session.add(job)
    db.session.commit()
    _log_in(page, live_server, world.therapist.email)
    page.goto(f"{live_server}/reports/batch/{job.id}")
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    page.locator(".breadcrumb a").focus()  # a keyboard user's place on the page is kept
    progress = page.get_by_label("Voortgang")
    assert progress.get_attribute("value") == "1"
    announcer = page.locator("[aria-live=polite]#job-announce")
    assert announcer.inner_text() == ""

    job.done_count, job.heartbeat_at = 5, utcnow()
    db.session.commit()
    expect(progress).to_have_js_property("value", 5, timeout=10000)
    expect(announcer).to_have_text("50% afgedrukt")
    expect(page.locator("#job-count")).to_have_text("5 van 10 afgedrukt")

    job.status, job.done_count, job.finished_at = "done", 10, utcnow()
    db.session.commit()
    expect(announcer).to_have_text("Klaar", timeout=10000)
    expect(progress).to_have_js_property("value", 10)
    assert page.evaluate("document.activeElement.closest('.breadcrumb') !== null")
    screenshot(page, "batch-job-finished")

    # Without script: no updates, a link to refresh.
    context = page.context.browser.new_context(locale="nl-NL", java_script_enabled=False)
    try:
        job.status, job.finished_at = "running", None
        db.session.commit()
        plain = context.new_page()
        _log_in(plain, live_server, world.therapist.email)
        plain.goto(f"{live_server}/reports/batch/{job.id}")
        assert plain.get_by_role("link", name="Vernieuwen").get_attribute("href") == (
            f"/reports/batch/{job.id}"
        )
    finally:
        context.close()
