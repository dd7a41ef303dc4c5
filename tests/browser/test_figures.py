"""The drawn exercise figures on a phone (390 × 844): moving on the Today page, the still
start/end pair with reduced motion or after a tap on pause, and no CSP violation."""

from __future__ import annotations

import pytest

from rehab.extensions import db
from tests.browser.conftest import screenshot
from tests.browser.test_daily_flow import log_in
from tests.training.factories import make_plan

pytestmark = pytest.mark.browser


def _plan_with_figures(world):
    plan = make_plan(world.patient)
    plan["exercises"]["squat"].slug = "goblet-squat"
    plan["exercises"]["squat"].tempo = "3-1-1"
    plan["exercises"]["walk"].slug = "walking-brisk"
    db.session.commit()


def _loaded(image) -> bool:
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_the_today_page_shows_each_exercise_moving_and_pauses_to_the_still_pair(
    live_server, phone_page, world
):
    _plan_with_figures(world)
    log_in(phone_page, live_server, world.patient.user.email)
    phone_page.goto(f"{live_server}/training/today")
    rows = phone_page.locator("[data-exercise]")
    figures = phone_page.locator("[data-exercise] [data-figure]")
    assert figures.count() == 2  # squat and walk are drawn, the side plank is not
    for index in range(figures.count()):
        figure = figures.nth(index)
        moving = figure.locator(".figure-moving")
        moving.scroll_into_view_if_needed()
        assert moving.is_visible() and not figure.locator(".figure-still").is_visible()
        phone_page.wait_for_function("img => img.complete", arg=moving.element_handle())
        assert _loaded(moving)
    assert "Side plank" in rows.nth(1).inner_text()
    screenshot(phone_page, "figures-today-phone")
    first = figures.first
    first.get_by_text("Pauzeer de tekening").tap()
    assert not first.locator(".figure-moving").is_visible()
    stills = first.locator(".figure-still img")
    assert stills.count() == 2 and stills.first.is_visible() and stills.last.is_visible()
    assert first.get_by_text("Speel de tekening af").is_visible()


def test_with_reduced_motion_the_still_pair_is_shown(live_server, browser, world):
    _plan_with_figures(world)
    context = browser.new_context(
        locale="nl-NL",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        reduced_motion="reduce",
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        log_in(page, live_server, world.patient.user.email)
        page.goto(f"{live_server}/training/today")
        figures = page.locator("[data-exercise] [data-figure]")
        assert figures.count() == 2
        for index in range(figures.count()):
            figure = figures.nth(index)
            figure.scroll_into_view_if_needed()
            assert not figure.locator(".figure-moving").is_visible()
            assert not figure.locator(".figure-pause").is_visible()
            stills = figure.locator(".figure-still img")
            assert stills.first.is_visible() and stills.last.is_visible()
            for still in (stills.first, stills.last):
                page.wait_for_function("img => img.complete", arg=still.element_handle())
                assert _loaded(still)
        screenshot(page, "figures-today-reduced-motion")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not errors, f"the browser reported errors: {errors}"
