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
    page.fill("#session_date", day.isoformat())
    # Squat: 3 × 12 at 20 kg (the top of 8–12), effort 6.
    page.fill("#exercises-0-sets", "3")
    page.fill("#exercises-0-reps", "12")
    page.fill("#exercises-0-load_kg", "20")
    page.select_option("#exercises-0-pain_during", squat_pain)
    page.select_option("#exercises-0-effort", "6")
    # Side plank: one tap fills the prescribed dose (3 × 3 holds of 20 s).
    page.check("#exercises-1-as_prescribed")
    assert page.input_value("#exercises-1-hold_seconds") == "20"
    page.select_option("#exercises-1-pain_during", "2")
    # The walk is skipped; the reason appears once "skipped" is ticked.
    assert not page.is_visible("#exercises-2-skip_reason")
    page.check("#exercises-2-skipped")
    page.select_option("#exercises-2-skip_reason", "time")
    page.fill("#duration_minutes", "35")
    page.select_option("#session_rpe", "6")
    page.select_option("#pain_after", "3")
    page.get_by_role("button", name="Sessie opslaan").click()
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
    # The hold's countdown timer: shown by training.js, counting down from 0:20.
    plank = phone_page.locator("[data-exercise]").nth(1)
    display = plank.locator("[data-timer-display]")
    assert plank.locator("[data-timer]").is_visible()
    assert display.inner_text() == "0:20"
    plank.get_by_role("button", name="Timer starten").click()
    display.filter(has_text="0:19").wait_for()
    plank.get_by_role("button", name="Opnieuw").click()
    assert display.inner_text() == "0:20"
    screenshot(phone_page, "training-today-phone")

    # Monday, Wednesday, Friday of the past week, each with the next morning's check-in;
    # the last session's squat hurt (7/10).
    for back, pain in ((6, "2"), (4, "2"), (2, "7")):
        log_session(phone_page, live_server, today() - dt.timedelta(days=back), squat_pain=pain)
        check_in_on(phone_page, live_server, today() - dt.timedelta(days=back - 1))
    phone_page.goto(f"{live_server}/training/history")
    assert "3 oefeningen gedaan" not in phone_page.content()  # two done, one skipped each
    assert phone_page.locator("img.chart").count() == 3
    screenshot(phone_page, "training-history-phone")

    log_in(page, live_server, world.therapist.email)
    page.goto(f"{live_server}/training/dashboard")
    text = page.inner_text("main")
    assert "Rode pijnreactie" in text
    assert "Pijn tijdens de oefening 7/10 is hoger dan 5." in text
    # The squat goes down 15 % (20 → 18 kg, the 2 kg step); the plank, green twice at its
    # dose for over a week, goes up 5 s.
    assert "Afbouwen" in text and "3 × 8–12 herhalingen, 18 kg" in text
    assert "Opbouwen" in text and "Vasthouden van 20 naar 25 seconden." in text
    screenshot(page, "training-dashboard")
    page.get_by_role("link", name="Onderbouwing tonen").first.click()
    page.wait_for_load_state()
    assert "Voortgang van" in page.inner_text("h1")
    assert plan["squat"].load_kg == 20
