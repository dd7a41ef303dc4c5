"""A new clinic from the first command to the first logged session, in a real browser.

The administrator is made with `flask rehab create-admin` (as the README says for a new
installation), must switch on two-step verification, creates a therapist account and hands
over the link; the therapist sets a password, switches on two-step verification, creates a
patient, starts the low-back programme from the built-in template and activates it; the patient
opens the link on a phone, sets a password, logs the first session and downloads the handout;
the therapist sees the session on the patient's progress page.
"""

from __future__ import annotations

import re

import pyotp
import pytest

from tests.browser.conftest import screenshot, settle
from tests.programmes.factories import load_library

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "praktijk-beheer-2026"
THERAPIST_PASSWORD = "schouder-knie-rug-2026"
PATIENT_PASSWORD = "elke dag een beetje sterker"


def _activation_link(page) -> str:
    return re.search(r"https?://[^\s<\"]+/activate/[\w-]+", page.content()).group(0)


def _enrol_two_factor(page) -> None:
    """On the set-up page: read the key as an authenticator app would and type its code."""
    page.wait_for_url("**/account/two-factor**")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()
    page.wait_for_load_state()
    assert "Tweestapsverificatie staat aan" in page.content()
    # One-time recovery codes are shown once, to keep somewhere safe.
    assert page.locator("#recovery-codes li").count() >= 8


def _log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_load_state()


def test_a_new_clinic_from_first_login_to_first_session(app, live_server, browser):
    load_library()
    result = app.test_cli_runner().invoke(
        args=[
            "rehab",
            "create-admin",
            "--clinic",
            "Fysio Duinzicht",
            "--name",
            "Ans Beheer",
            "--email",
            "ans@duinzicht.example",
            "--password-file",
            "-",
        ],
        input=f"{ADMIN_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output

    desk = browser.new_context(locale="nl-NL")
    phone = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    errors: list[str] = []
    try:
        admin = desk.new_page()
        admin.on("pageerror", lambda error: errors.append(str(error)))

        # The administrator's first log-in leads straight to two-step set-up (clinic default).
        _log_in(admin, live_server, "ans@duinzicht.example", ADMIN_PASSWORD)
        _enrol_two_factor(admin)
        admin.goto(f"{live_server}/admin/staff")
        admin.get_by_role("link", name="Nieuw medewerkersaccount").click()
        admin.get_by_label("Volledige naam").fill("Bram Fysio")
        admin.get_by_label("E-mailadres").fill("bram@duinzicht.example")
        admin.get_by_label("Rol").select_option("therapist")
        admin.get_by_role("button", name="Account aanmaken").click()
        admin.wait_for_load_state()
        therapist_link = _activation_link(admin)
        screenshot(admin, "journey-staff-link")

        # The therapist sets a password with the link, then switches on two-step verification.
        therapist = desk.new_page()
        therapist.on("pageerror", lambda error: errors.append(str(error)))
        therapist.context.clear_cookies()
        therapist.goto(therapist_link)
        therapist.get_by_label("Nieuw wachtwoord", exact=True).fill(THERAPIST_PASSWORD)
        therapist.get_by_label("Herhaal het nieuwe wachtwoord").fill(THERAPIST_PASSWORD)
        therapist.get_by_role("button", name="Wachtwoord instellen").click()
        _enrol_two_factor(therapist)

        # A new patient, and the one-time link to hand over.
        therapist.goto(f"{live_server}/patients/")
        therapist.get_by_role("link", name="Nieuwe patiënt").click()
        therapist.get_by_label("Voornaam").fill("Joris")
        therapist.get_by_label("Achternaam").fill("de Vries")
        therapist.get_by_label("Geboortedatum").fill("1988-04-12")
        therapist.get_by_label("E-mailadres").fill("joris@example.org")
        therapist.get_by_label("Hoofdklacht").fill("Terugkerende lage rugpijn na tillen")
        therapist.get_by_role("button", name="Opslaan").click()
        therapist.wait_for_load_state()
        assert "Patiënt Joris de Vries is aangemaakt" in therapist.content()
        patient_link = _activation_link(therapist)
        therapist.get_by_role("link", name="Klaar").click()
        therapist.wait_for_load_state()
        patient_page = therapist.url

        # The low-back programme from the built-in template, activated.
        therapist.get_by_role("link", name="Nieuw programma").click()
        therapist.get_by_label("Standaard: Terugkerende lage rugpijn").check()
        therapist.get_by_role("button", name="Programma aanmaken").click()
        therapist.get_by_role("button", name="Activeren").first.click()
        therapist.wait_for_load_state()
        assert "Het programma is actief" in therapist.content()

        # The patient, on a phone: set a password, see today's exercises, log the session.
        joris = phone.new_page()
        joris.on("pageerror", lambda error: errors.append(str(error)))
        joris.goto(patient_link)
        assert "Welkom, Joris de Vries" in joris.content()
        joris.get_by_label("Nieuw wachtwoord", exact=True).fill(PATIENT_PASSWORD)
        joris.get_by_label("Herhaal het nieuwe wachtwoord").fill(PATIENT_PASSWORD)
        joris.get_by_role("button", name="Wachtwoord instellen").click()
        joris.wait_for_load_state()
        joris.goto(f"{live_server}/training/today")
        assert joris.locator("article, .card").filter(has_text="Rustig wandelen").count() >= 1
        # Every exercise comes ticked as prescribed: two questions and the session is saved.
        assert all(box.is_checked() for box in joris.locator("input[id$='-as_prescribed']").all())
        joris.get_by_text("Alles gedaan zoals voorgeschreven").click()
        joris.fill("#duration_minutes", "30")
        joris.locator("label[for=pain_during-1]").click()
        joris.get_by_text("Meer (hoeft niet)").click()
        joris.select_option("#pain_after", "2")
        joris.get_by_role("button", name="4 Redelijk zwaar").click()
        joris.wait_for_load_state()
        assert "Je sessie is opgeslagen" in joris.content()
        assert joris.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(joris, "journey-patient-logged")

        # The handout is the patient's own, in Dutch.
        handout = joris.request.get(f"{live_server}/reports/my/handout.pdf")
        assert handout.status == 200
        assert handout.headers["content-type"] == "application/pdf"

        # Back at the clinic: the session is on the patient's progress page.
        therapist.goto(patient_page)
        therapist.get_by_role("link", name="Voortgangspagina").click()
        therapist.wait_for_load_state()
        session = therapist.locator("tr[id^='session-']")
        assert session.count() == 1
        # Session load (Foster): 30 minutes × RPE 4 = 120 AU.
        cells = session.locator("td").all_inner_texts()
        assert cells[1:4] == ["30", "4", "120"]
        screenshot(therapist, "journey-progress")
    finally:
        for opened in [*desk.pages, *phone.pages]:
            settle(opened)
        desk.close()
        phone.close()
    assert not errors, f"the browser reported errors: {errors}"
