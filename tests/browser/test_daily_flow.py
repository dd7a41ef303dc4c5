"""The patient's daily flow on a phone (390 × 844): one tap when it went as planned, the guided
session with its timer, what the pain model says after a red session, and logging offline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from rehab.extensions import db
from rehab.training.models import Alert, TrainingSession
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, make_exercise, make_prescription, make_programme
from tests.training.factories import make_plan, today

pytestmark = pytest.mark.browser


def sessions() -> list[TrainingSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(TrainingSession).order_by(TrainingSession.id)))


def log_in(page, live_server, email) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_load_state()


class Taps:
    """Counts the taps a test makes on the page (each one a real touch in the browser)."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def tap(self, locator) -> None:
        locator.tap()
        self.count += 1


def test_a_session_done_as_prescribed_is_logged_in_three_taps(live_server, phone_page, world):
    plan = make_plan(world.patient)
    db.session.commit()
    log_in(phone_page, live_server, world.patient.user.email)
    phone_page.goto(f"{live_server}/training/today")  # opening the app
    screenshot(phone_page, "daily-today-phone")
    taps = Taps(phone_page)
    taps.tap(phone_page.get_by_text("Alles gedaan zoals voorgeschreven"))
    taps.tap(phone_page.locator("label[for=pain_during-2]"))
    screenshot(phone_page, "daily-all-done-open")
    taps.tap(phone_page.get_by_role("button", name="3 Matig"))
    phone_page.wait_for_url("**/training/sessions/*")
    assert taps.count <= 3
    (session,) = sessions()
    assert session.session_date == today() and session.session_rpe == 3
    logs = {log.prescription_id: log for log in session.exercises}
    assert set(logs) == {plan["squat"].id, plan["plank"].id, plan["walk"].id}
    squat = logs[plan["squat"].id]
    assert (squat.sets_done, squat.reps_done, squat.load_kg, squat.pain_during) == (3, 8, 20, 2)
    assert logs[plan["walk"].id].duration_seconds_done == 1200
    text = phone_page.inner_text("main")
    assert "Deze hoeveelheid past bij je: ga zo door." in text
    screenshot(phone_page, "daily-saved-green")


def one_short_hold(patient):
    """A programme of one exercise: 1 set of 2 holds of 5 s (a quick guided session)."""
    programme = make_programme(patient)
    bird_dog = make_exercise(name="Bird dog", dosage_type="hold")
    prescription = make_prescription(
        programme.phases[0], bird_dog, sets=1, dosage_type="hold", reps_min=2, reps_max=2,
        hold_seconds=5, rest_seconds=0, target_effort=None,
    )  # fmt: skip
    db.session.commit()
    return prescription


def test_a_guided_session_runs_the_holds_and_logs_the_timers_minutes(
    live_server, phone_page, world
):
    prescription = one_short_hold(world.patient)
    log_in(phone_page, live_server, world.patient.user.email)
    start = dt.datetime.now(dt.UTC)
    phone_page.clock.install(time=start)
    phone_page.goto(f"{live_server}/training/today")
    # From here on the page's time moves only when the test moves it (a slow machine too).
    phone_page.clock.pause_at(start + dt.timedelta(minutes=1))
    phone_page.get_by_role("button", name="Start de sessie").tap()
    guide = phone_page.locator("[data-guide]")
    assert guide.get_by_role("heading", name="Bird dog").is_visible()
    assert "Oefening 1 van 1" in guide.inner_text()
    toggle = guide.locator("[data-guide-toggle]")
    # Everything the live region says, kept by the page (it says each text once).
    phone_page.evaluate(
        """() => {
            window.said = [];
            const region = document.querySelector('[data-guide-announce]');
            const keep = () => { if (region.textContent) window.said.push(region.textContent); };
            new MutationObserver(keep)
                .observe(region, { childList: true, characterData: true, subtree: true });
        }"""
    )
    clock = guide.get_by_role("timer", name="Resterende tijd")
    assert clock.get_attribute("aria-live") is None  # a timer is silent by itself
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.tap()  # start: the first hold counts down
    announce = guide.locator("[data-guide-announce]")
    phone_page.clock.run_for(2000)
    assert toggle.get_attribute("aria-pressed") == "false"
    assert guide.locator("[data-guide-clock]").inner_text() == "0:03"
    assert announce.inner_text() == "Gestart: Bird dog."  # no second-by-second talk
    toggle.tap()  # pause: the button stays "pause", pressed
    assert toggle.get_attribute("aria-pressed") == "true"
    phone_page.clock.run_for(60_000)  # a minute's pause counts for nothing
    assert guide.locator("[data-guide-clock]").inner_text() == "0:03"
    toggle.tap()
    phone_page.clock.run_for(3500)
    assert announce.inner_text() == "Keer 1 klaar."
    assert "Ontspan" in guide.locator("[data-guide-step]").inner_text()
    screenshot(phone_page, "daily-guided-relax")
    phone_page.clock.run_for(10_000)  # relax 5 s, the second hold 5 s
    assert announce.inner_text() == "Klaar: Bird dog."
    # Said: the start, the end of each hold (the last one ends the set), the finish.
    assert phone_page.evaluate("window.said") == [
        "Gestart: Bird dog.",
        "Keer 1 klaar.",
        "Serie 1 klaar.",
        "Klaar: Bird dog.",
    ]
    phone_page.clock.run_for(150_000)  # putting the mat away
    guide.get_by_role("button", name="Te zwaar").tap()
    guide.get_by_role("button", name="Oefening klaar").tap()
    # 2 s + 3.5 s + 10 s + 150 s of the session's own time: 3 minutes, rounded up.
    assert phone_page.input_value("#duration_minutes") == "3"
    assert "3 minuten volgens de timer" in phone_page.inner_text("[data-minutes-hint]")
    phone_page.locator("label[for=pain_during-1]").tap()
    screenshot(phone_page, "daily-guided-questions")
    phone_page.get_by_role("button", name="4 Redelijk zwaar").tap()
    phone_page.wait_for_url("**/training/sessions/*")
    (session,) = sessions()
    assert session.duration_minutes == 3 and session.session_rpe == 4
    (log,) = session.exercises
    assert log.prescription_id == prescription.id
    assert (log.sets_done, log.reps_done, log.hold_seconds_done) == (1, 2, 5)
    assert log.feel == "too_hard" and log.pain_during == 1


def test_a_red_session_says_what_to_do_next_time(live_server, phone_page, world):
    plan = make_plan(world.patient)
    db.session.commit()
    log_in(phone_page, live_server, world.patient.user.email)
    phone_page.goto(f"{live_server}/training/today")
    phone_page.get_by_text("Alles gedaan zoals voorgeschreven").tap()
    phone_page.locator("label[for=pain_during-7]").tap()
    phone_page.get_by_role("button", name="7 Erg zwaar").tap()
    phone_page.wait_for_url("**/training/sessions/*")
    text = phone_page.inner_text("main")
    assert "Dit was te veel." in text
    assert "Pijn tijdens de oefeningen van 7 op 10 is meer dan je lichaam nu aankan." in text
    steps = phone_page.locator("[data-step-down] li").all_inner_texts()
    # The squat has no easier exercise: its weight goes down 15 % (20 → 18 kg, the 2 kg step);
    # the side plank steps down its ladder at the same dose.
    assert "Goblet squat: doe minder, 3 × 8–12 herhalingen, 18 kg, inspanning 7/10." in steps
    assert any(
        s.startswith("Side plank: doe in plaats daarvan Side plank on the knees") for s in steps
    )
    assert "Je therapeut is op de hoogte gebracht." in text
    assert db.session.scalar(select(Alert.kind).where(Alert.kind == "pain_red")) == "pain_red"
    screenshot(phone_page, "daily-saved-red")
    phone_page.goto(f"{live_server}/training/today")
    text = phone_page.inner_text("main")
    assert "Je vorige sessie was te veel. Doe deze keer:" in text
    assert "Side plank: doe in plaats daarvan Side plank on the knees" in text
    assert plan["squat"].load_kg == 20  # the therapist decides; the patient was told


def test_a_session_logged_offline_is_sent_exactly_once_when_back_online(
    live_server, phone_page, world
):
    make_plan(world.patient)
    db.session.commit()
    page, context = phone_page, phone_page.context
    log_in(page, live_server, world.patient.user.email)
    page.goto(f"{live_server}/training/today")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now through the worker, which keeps this copy
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.reload()  # the programme without a network
    assert "Goblet squat" in page.inner_text("main")
    page.get_by_text("Alles gedaan zoals voorgeschreven").tap()
    page.locator("label[for=pain_during-2]").tap()
    page.get_by_role("button", name="5 Zwaar").tap()
    status = page.locator("[data-offline-status]")
    status.filter(has_text="Bewaard op deze telefoon").wait_for()
    screenshot(page, "daily-offline-saved")
    assert sessions() == []
    context.set_offline(False)
    status.filter(has_text=re.compile("^Verstuurd: ")).wait_for()
    (session,) = sessions()
    assert session.session_rpe == 5 and len(session.exercises) == 3
    page.reload()
    page.wait_for_load_state("networkidle")
    assert len(sessions()) == 1
    assert (
        page.evaluate(
            """() => new Promise(resolve => {
            const open = indexedDB.open("rehab-offline");
            open.onsuccess = () => {
                const all = open.result.transaction("sessions").objectStore("sessions").getAll();
                all.onsuccess = () => resolve(all.result.length);
            };
        })"""
        )
        == 0
    )


def test_keyboard_only_a_session_done_as_prescribed_takes_at_most_15_tab_stops(
    live_server, phone_page, world
):
    make_plan(world.patient)
    db.session.commit()
    page = phone_page
    log_in(page, live_server, world.patient.user.email)
    page.goto(f"{live_server}/training/today")
    tabs = 0

    def tab_to(selector: str) -> None:
        nonlocal tabs
        for _ in range(20):
            page.keyboard.press("Tab")
            tabs += 1
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("a[href='#main']")
    page.keyboard.press("Enter")
    tab_to("[data-how-summary]")
    page.keyboard.press("Enter")
    tab_to("input[name=pain_during]")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    tab_to("button[name=session_rpe]")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.value") == "3"
    page.keyboard.press("Enter")
    page.wait_for_url("**/training/sessions/*")
    assert tabs <= 15, tabs
    (session,) = sessions()
    assert session.session_rpe == 3
    assert {log.pain_during for log in session.exercises} == {2}


def kept_pages(page) -> list[str]:
    """The addresses the service worker keeps for use offline (the shell aside)."""
    return page.evaluate(
        """async () => {
            if (!(await caches.has("rehab-pages"))) return [];
            const cache = await caches.open("rehab-pages");
            return (await cache.keys()).map(r => new URL(r.url).pathname);
        }"""
    )


def test_logging_out_forgets_the_kept_pages_and_staff_pages_are_never_kept(
    live_server, phone_page, world
):
    make_plan(world.patient)
    db.session.commit()
    page = phone_page
    log_in(page, live_server, world.patient.user.email)
    page.goto(f"{live_server}/training/today")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function("caches.open('rehab-pages').then(c => c.keys()).then(k => k.length > 0)")
    assert "/training/today" in kept_pages(page)
    page.locator("form[action$='/logout']").evaluate("form => form.submit()")
    page.wait_for_url("**/login")
    assert kept_pages(page) == []
    # A therapist on the same phone: the worker still runs, and keeps none of their pages.
    log_in(page, live_server, world.therapist.email)
    page.goto(f"{live_server}/training/dashboard")
    page.goto(f"{live_server}/patients/")
    assert kept_pages(page) == []
    assert page.evaluate("document.body.hasAttribute('data-service-worker')") is False
