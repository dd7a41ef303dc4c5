"""A patient chooses reminders and turns on the calendar link on a phone; the therapist plans
an appointment; the admin reads the outbox (no mail server: the demo's case)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rehab.extensions import db
from rehab.reminders.job import send_reminders
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, make_programme
from tests.mail.helpers import send_outbox

pytestmark = pytest.mark.browser


def _log_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()


def test_reminders_calendar_appointment_and_outbox(live_server, page, phone_page, world):
    make_programme(world.patient)
    db.session.commit()
    _log_in(phone_page, live_server, world.patient.user.email)
    phone_page.wait_for_url(f"{live_server}/training/today")
    phone_page.goto(f"{live_server}/reminders/")
    phone_page.get_by_label("Mail me op mijn oefendagen als ik nog niets heb ingevuld").check()
    for day in ("Maandag", "Dinsdag", "Woensdag", "Donderdag", "Vrijdag", "Zaterdag", "Zondag"):
        phone_page.get_by_label(day, exact=True).check()
    phone_page.get_by_label("Om").select_option("19:30")
    phone_page.get_by_role("button", name="Opslaan").click()
    assert "opgeslagen" in phone_page.locator(".alert-success").inner_text()
    phone_page.get_by_role("button", name="Mijn agendalink aanzetten").click()
    link = phone_page.locator("#calendar-url").inner_text()
    assert link.startswith("http://rehab.test/calendar/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "reminders-phone")

    _log_in(page, live_server, world.therapist.email)
    page.goto(f"{live_server}/patients/{world.patient.id}")
    page.get_by_role("link", name="Afspraak plannen").click()
    page.get_by_label("Datum").fill((dt.date.today() + dt.timedelta(days=2)).isoformat())
    page.get_by_label("Tijd").select_option("10:30")
    page.get_by_role("button", name="Afspraak plannen").click()
    assert "De afspraak is gepland." in page.locator(".alert-success").inner_text()
    screenshot(page, "reminders-patient-panel")

    evening = dt.datetime.combine(
        dt.date.today(), dt.time(20, 0), tzinfo=ZoneInfo("Europe/Amsterdam")
    )
    assert send_reminders(evening)[0] == 1
    send_outbox()
    admin = page.context.browser.new_context(locale="nl-NL").new_page()
    _log_in(admin, live_server, world.admin.email)
    admin.goto(f"{live_server}/admin/outbox/")
    assert "Er is geen mailserver ingesteld" in admin.content()
    screenshot(admin, "outbox")
    admin.get_by_role("link", name="Oefenherinnering").first.click()
    assert "Tijd voor je oefeningen" in admin.content()
    screenshot(admin, "outbox-message")
    admin.get_by_role("link", name="De HTML-versie tonen").click()
    screenshot(admin, "outbox-message-html")
    admin.context.close()
