"""A patient logs a week of sessions on a phone; the therapist's dashboard then shows the
red pain response as an alert and the suggestions that follow from the week."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab.extensions import db
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD
from tests.training.factories import check_in, make_plan, today

pytestmark = pytest.mark.browser


def log_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_load_state()


def log_session(page, live_server, day: dt.date, *, squat_pain: str) -> None:
    page.goto(f"{live_server}/training/today")
    page.select_option("#session_date", day.isoformat())  # the day first
    exercises = page.locator("[data-exercise]")
    # Squat: 3 × 12 at 20 kg (the top of 8–12), effort 6: one tap opens it for changing.
    exercises.nth(0).get_by_text("Aanpassen").click()
    page.fill("#exercises-0-reps", "12")
    assert not page.is_checked("#exercises-0-as_prescribed")  # a changed number unticks it
    page.select_option("#exercises-0-pain_during", squat_pain)
    page.select_option("#exercises-0-effort", "6")
    # Side plank: left as prescribed (3 × 3 holds of 20 s), with its own pain.
    exercises.nth(1).get_by_text("Aanpassen").click()
    assert page.input_value("#exercises-1-hold_seconds") == "20"
    page.select_option("#exercises-1-pain_during", "2")
    # The walk is skipped; the reason appears once "skipped" is ticked.
    exercises.nth(2).get_by_text("Aanpassen").click()
    assert not page.is_visible("#exercises-2-skip_reason")
    page.check("#exercises-2-skipped")
    page.select_option("#exercises-2-skip_reason", "time")
    page.get_by_text("Alles gedaan zoals voorgeschreven").click()
    page.fill("#duration_minutes", "35")
    page.get_by_text("Meer (hoeft niet)").click()
    page.select_option("#pain_after", "3")
    page.get_by_role("button", name="6", exact=True).click()
    page.wait_for_load_state()
    assert "Je sessie is opgeslagen" in page.content()


def check_in_on(page, live_server, day: dt.date) -> None:
    page.goto(f"{live_server}/training/check-in?date={day.isoformat()}")
    page.select_option("#morning_pain", "2")
    page.fill("#stiffness_minutes", "10")
    page.get_by_label("Goed", exact=True).check()
    page.get_by_label("Nee").check()
    page.get_by_role("button", name="Check-in opslaan").click()
    page.wait_for_load_state()
    assert "Je check-in is opgeslagen" in page.content()


def test_a_week_of_logging_on_a_phone_reaches_the_therapist(live_server, phone_page, page, world):
    plan = make_plan(world.patient)
    for n in range(13, 6, -1):  # a week of mornings before: the baseline is 2
        check_in(world.patient, today() - dt.timedelta(days=n), pain=2)
    db.session.commit()

    log_in(phone_page, live_server, world.patient.user.email)
    phone_page.goto(f"{live_server}/training/today")
    screenshot(phone_page, "training-today-phone")

    # Monday, Wednesday, Friday of the past week, each with the next morning's check-in;
    # the last session's squat hurt (7/10).
    for back, pain in ((6, "2"), (4, "2"), (2, "7")):
        log_session(phone_page, live_server, today() - dt.timedelta(days=back), squat_pain=pain)
        check_in_on(phone_page, live_server, today() - dt.timedelta(days=back - 1))
    phone_page.goto(f"{live_server}/training/history")
    assert "3 oefeningen gedaan" not in phone_page.content()  # two done, one skipped each
    assert phone_page.locator("img.chart").count() == 2  # pain and sessions; no load for patients
    screenshot(phone_page, "training-history-phone")

    log_in(page, live_server, world.therapist.email)
    page.goto(f"{live_server}/training/dashboard")
    # The triage row names the most urgent thing; the rest unfolds under it.
    row = page.locator("li.triage-row").first
    assert "Rode pijnreactie · Goblet squat" in row.inner_text()
    row.locator("summary").click()
    text = row.inner_text()
    assert "Pijn tijdens de oefening 7/10 is hoger dan 5." in text
    assert "Afbouwen · Goblet squat" in text and "Opbouwen · Side plank" in text
    screenshot(page, "training-dashboard")
    # The decisions are one click away, with the whole doses: the squat goes down 15 %
    # (20 → 18 kg, the 2 kg step); the plank, green twice at its dose for over a week, +5 s.
    row.get_by_role("link", name="Beoordelen en beslissen").click()
    page.wait_for_load_state()
    assert "Voortgang van" in page.inner_text("h1")
    text = page.inner_text("main")
    assert "Afbouwen" in text and "3 × 8–12 herhalingen, 18 kg" in text
    assert "Opbouwen" in text and "Vasthouden van 20 naar 25 seconden." in text
    assert plan["squat"].load_kg == 20
