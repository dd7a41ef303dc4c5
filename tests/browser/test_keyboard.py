"""Keyboard only: a patient logs a session and the therapist accepts the suggestion that
follows, with a visible focus at every stop on the way (WCAG 2.4.7 / 2.4.11).

At every Tab stop the test takes a picture of the focused element with a few pixels around
it, moves focus away and back with the keyboard (Shift+Tab, Tab), takes the same picture
unfocused, and requires the two to differ in the band around the element's edge, where an
outline or a focus ring is drawn (a text field's blinking caret inside does not count).
"""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops
from sqlalchemy import update

from rehab.extensions import db
from rehab.programmes.dosing import as_dose, dose_changes
from rehab.programmes.models import Suggestion
from rehab.training.wording import jsonable
from tests.browser.conftest import screenshot
from tests.browser.test_daily_flow import sessions
from tests.factories import PASSWORD
from tests.training.factories import make_plan

pytestmark = pytest.mark.browser

# No transitions: a focus ring is pictured as it ends up, not halfway.
DESKTOP = {
    "locale": "nl-NL",
    "viewport": {"width": 1280, "height": 900},
    "reduced_motion": "reduce",
}
BAND = 4  # pixels around the element's box, and into it, where a focus ring shows


class Keyboard:
    def __init__(self, page) -> None:
        self.page = page
        self.stops: list[str] = []

    def focused(self) -> dict | None:
        return self.page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const r = el.getBoundingClientRect();
                const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (el.name ? `[name=${el.name}]` : '')
                    + ' ' + (el.innerText || el.value || el.getAttribute('aria-label') || '')
                        .trim().slice(0, 30);
                return {x: r.x, y: r.y, width: r.width, height: r.height, name};
            }"""
        )

    def picture(self, box: dict) -> Image.Image:
        view = self.page.viewport_size
        x = max(0, box["x"] - BAND)
        y = max(0, box["y"] - BAND)
        clip = {
            "x": x,
            "y": y,
            "width": min(view["width"] - x, box["width"] + 2 * BAND),
            "height": min(view["height"] - y, box["height"] + 2 * BAND),
        }
        return Image.open(io.BytesIO(self.page.screenshot(clip=clip))).convert("RGB")

    def assert_focus_visible(self) -> None:
        box = self.focused()
        assert box is not None, "Tab left the page"
        self.page.evaluate("document.activeElement.scrollIntoView({block: 'center'})")
        box = self.focused()
        with_focus = self.picture(box)
        self.page.evaluate("window.stop = document.activeElement")
        self.page.keyboard.press("Shift+Tab")
        # The same element unfocused, at the same place (Shift+Tab may have scrolled).
        assert self.page.evaluate("document.activeElement !== window.stop")
        self.page.evaluate("window.stop.scrollIntoView({block: 'center'})")
        without_focus = self.picture(box)
        self.page.keyboard.press("Tab")
        # Back where it was (from the page's first stop, Shift+Tab leaves the page).
        self.page.evaluate("if (document.activeElement !== window.stop) window.stop.focus()")
        difference = ImageChops.difference(with_focus, without_focus).convert("L")
        width, height = difference.size
        # Only the band along the edge: blank out the element's inside.
        inner = (2 * BAND, 2 * BAND, width - 2 * BAND, height - 2 * BAND)
        if inner[2] > inner[0] and inner[3] > inner[1]:
            difference.paste(0, inner)
        changed = sum(difference.histogram()[41:])
        assert changed >= 8, f"no visible focus on {box['name']!r} ({changed} pixels changed)"
        self.stops.append(box["name"])

    def tab_to(self, selector: str, limit: int = 60) -> None:
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            self.assert_focus_visible()
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}; stops: {self.stops}")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def log_in(keys: Keyboard, base: str, email: str) -> None:
    keys.page.goto(f"{base}/login")
    keys.tab_to("#email")
    keys.type(email)
    keys.tab_to("#password")
    keys.type(PASSWORD)
    with keys.page.expect_navigation():
        keys.page.keyboard.press("Enter")


def test_keyboard_only_a_session_is_logged_and_its_suggestion_accepted(live_server, browser, world):
    plan = make_plan(world.patient)
    db.session.commit()

    # The patient, on a desktop: today's session done as prescribed.
    context = browser.new_context(**DESKTOP)
    try:
        keys = Keyboard(context.new_page())
        log_in(keys, live_server, world.patient.user.email)
        keys.page.goto(f"{live_server}/training/today")
        keys.tab_to("a[href='#main']")
        keys.page.keyboard.press("Enter")
        keys.tab_to("[data-how-summary]")
        keys.page.keyboard.press("Enter")
        keys.tab_to("input[name=pain_during]")
        keys.page.keyboard.press("ArrowRight")
        keys.page.keyboard.press("ArrowRight")
        keys.tab_to("button[name=session_rpe]")
        for _ in range(3):
            keys.page.keyboard.press("ArrowRight")
        keys.assert_focus_visible()
        keys.page.keyboard.press("Enter")
        keys.page.wait_for_url("**/training/sessions/*")
        assert "Je sessie is opgeslagen" in keys.page.content()
    finally:
        context.close()
    (session,) = sessions()
    assert session.session_rpe == 3
    # What the therapist decides on: the squat may go up (made here, after the session, so
    # that the session's own evaluation does not replace it).
    squat = plan["squat"]
    db.session.execute(
        update(Suggestion).where(Suggestion.status == "open").values(status="superseded")
    )
    suggestion = Suggestion(
        prescription_id=squat.id,
        patient_id=world.patient.id,
        action="progress",
        new_dose=jsonable(dose_changes(as_dose(squat))) | {"load_kg": "22"},
        reasons=[{"code": "green_sessions", "values": {"green": 2}}],
        based_on_version=squat.current_version,
    )
    db.session.add(suggestion)
    db.session.commit()

    # The therapist: the patient's progress page, the suggestion accepted with a note.
    context = browser.new_context(**DESKTOP)
    try:
        keys = Keyboard(context.new_page())
        log_in(keys, live_server, world.therapist.email)
        keys.page.goto(f"{live_server}/training/patients/{world.patient.id}/progress")
        keys.tab_to("a[href='#main']")
        keys.page.keyboard.press("Enter")
        keys.tab_to(f"#decision-note-{suggestion.id}", limit=120)
        keys.type("Goed herstel, opbouwen.")
        keys.tab_to("button.btn-primary[type=submit]")
        assert keys.page.evaluate("document.activeElement.innerText") == "Overnemen"
        screenshot(keys.page, "keyboard-accept-focused")
        with keys.page.expect_navigation():
            keys.page.keyboard.press("Enter")
        assert "overgenomen" in keys.page.locator(".alert").first.inner_text()
    finally:
        context.close()
    db.session.expire_all()
    assert db.session.get(Suggestion, suggestion.id).status == "accepted"
