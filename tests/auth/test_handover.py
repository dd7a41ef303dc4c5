"""The hand-over page's data (an account link with the patient's name and e-mail address)
waits on the server, encrypted on the staff member's login-session row, not in the session
cookie; it is shown once and is gone after logging out."""

from __future__ import annotations

import re

from sqlalchemy import select

from rehab.auth.models import UserSession
from rehab.extensions import db
from tests.factories import login_as
from tests.races import PARALLEL, no_server_errors, race

NEW_PATIENT = {
    "first_name": "Lotte",
    "last_name": "de Wit",
    "email": "lotte.dewit@example.nl",
    "preferred_language": "nl",
}


def _cookie_session(app, client) -> dict:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def _create_patient(client, world):
    return client.post("/patients/new", data={**NEW_PATIENT, "therapist_id": world.therapist.id})


def _stored() -> list[str | None]:
    """What the logins made by the tests (login_as) keep for the hand-over page."""
    db.session.expire_all()
    stmt = select(UserSession.handover_encrypted).where(UserSession.token.startswith("test-"))
    return list(db.session.scalars(stmt))


def test_the_link_waits_on_the_server_encrypted_not_in_the_cookie(app, world):
    client = login_as(app.test_client(), world.therapist)
    assert _create_patient(client, world).headers["Location"] == "/handover"

    in_cookie = repr(_cookie_session(app, client))
    assert "handover" not in in_cookie and "/activate/" not in in_cookie
    assert "lotte.dewit@example.nl" not in in_cookie
    [kept] = [value for value in _stored() if value]
    assert "lotte" not in kept.lower() and "/activate/" not in kept  # encrypted at rest

    page = client.get("/handover")
    assert page.status_code == 200
    assert re.search(r'id="handover-url"[^>]*>http[^<]+/activate/', page.text)
    assert "lotte.dewit@example.nl" in page.text
    assert _stored() == [None]

    again = client.get("/handover", follow_redirects=True)
    assert "Die link wordt niet meer getoond." in again.text
    assert "/activate/" not in again.text


def test_logging_out_removes_a_link_that_was_never_shown(app, world):
    client = login_as(app.test_client(), world.therapist)
    _create_patient(client, world)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    assert any(_stored())

    client.post("/logout")

    assert _stored() == [None]
    replay = app.test_client()
    replay.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    response = replay.get("/handover", follow_redirects=True)
    assert "/activate/" not in response.text


def test_two_tabs_opening_the_page_at_once_show_the_link_once(app, world):
    first = login_as(app.test_client(), world.therapist)
    _create_patient(first, world)
    cookie = first.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    tabs = []
    for _ in range(PARALLEL):  # the same login, in several tabs
        tab = app.test_client()
        tab.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
        tabs.append(tab)

    outcomes = race(tabs, lambda tab, _i: tab.get("/handover"))

    no_server_errors(outcomes)
    shown = [o for o in outcomes if o.status == 200 and "/activate/" in o.text]
    assert len(shown) == 1
    assert all(o.status == 302 for o in outcomes if o not in shown)
