"""A live server on a free port and headless system Chromium (nothing is downloaded)."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

CHROMIUM = (
    os.environ.get("REHAB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)


@pytest.fixture
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def settle(page) -> None:
    """Let the page finish loading before the browser goes away: a request cut off halfway
    leaves the test server's open static file to the garbage collector (a ResourceWarning)."""
    from playwright.sync_api import TimeoutError as StillBusy

    with contextlib.suppress(StillBusy):  # still busy after 5 s: close it anyway
        page.wait_for_load_state("networkidle", timeout=5000)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    settle(page)
    context.close()
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    settle(page)
    context.close()
    assert not errors, f"the browser reported errors: {errors}"


def screenshot(page, name: str) -> None:
    """Keep a picture of the page for people to look at (test-artifacts/, not committed)."""
    folder = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)
