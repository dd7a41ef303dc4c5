"""The progress page and the dashboard are kept while their rows are unchanged
(rehab.core.fragments): shown again at once, anew as soon as anything they show changes,
and never with another reader's form token, language or caseload."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from rehab.core.fragments import FragmentCache, cache_for
from rehab.extensions import db
from rehab.training.models import Alert
from tests.factories import login_as, make_user
from tests.training.factories import check_in, log_session, make_plan, today
from tests.training.test_pages import a_red_session

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _progress(client, world) -> str:
    response = client.get(f"/training/patients/{world.patient.id}/progress")
    assert response.status_code == 200
    return response.text


def _tokens(html: str) -> set[str]:
    return set(TOKEN.findall(html))


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_kept_progress_page_carries_each_readers_own_form_token(app, client_for, world):
    a_red_session(world, make_plan(world.patient))
    pieter = client_for("therapist")
    colleague = login_as(app.test_client(), make_user(world.clinic, "therapist"))
    db.session.commit()
    first = _progress(pieter, world)
    cache = cache_for(app)
    hits = cache.hits
    second = _progress(colleague, world)
    assert cache.hits == hits + 1  # the colleague was shown the kept page
    assert "Overnemen" in first and "Overnemen" in second  # forms to decide with
    assert len(_tokens(first)) == 1 and len(_tokens(second)) == 1
    assert _tokens(first) != _tokens(second)
    with colleague.session_transaction() as session:
        raw = session["csrf_token"]
    from itsdangerous import URLSafeTimedSerializer

    signed = next(iter(_tokens(second)))
    loads = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").loads
    assert loads(signed) == raw  # the colleague's own token, which their session accepts
    # And it decides: acknowledging the alert with it works.
    alert = db.session.scalar(sa.select(Alert))
    response = colleague.post(
        f"/training/patients/{world.patient.id}/alerts/{alert.id}/acknowledge",
        data={"csrf_token": signed},
    )
    assert response.status_code == 302


def test_a_change_to_the_patients_rows_shows_at_once(app, client_for, world):
    a_red_session(world, make_plan(world.patient))
    client = client_for("therapist")
    assert "Rode pijnreactie" in _progress(client, world).split("Afgehandelde signalen")[0]
    # Acknowledged by a colleague elsewhere (plain SQL, as another process would).
    db.session.execute(
        sa.update(Alert).values(acknowledged_at=dt.datetime.now(dt.UTC), acknowledged_by_id=None)
    )
    db.session.commit()
    html = _progress(client, world)
    assert "Geen openstaande signalen." in html
    # A morning check-in logged on the phone: the page shows it on its next view.
    morning = check_in(world.patient, today(), pain=6)
    db.session.commit()
    assert f'id="check-in-{morning.id}"' not in html
    assert f'id="check-in-{morning.id}"' in _progress(client, world)


def test_each_language_and_each_address_has_its_own_kept_page(app, client_for, world):
    make_plan(world.patient)
    dutch = _progress(client_for("therapist"), world)
    english_colleague = make_user(world.clinic, "therapist", locale="en")
    db.session.commit()
    english = _progress(login_as(app.test_client(), english_colleague), world)
    assert "Weekbelasting" in dutch and "Weekly load" not in dutch
    assert "Weekly load" in english and "Weekbelasting" not in english
    url = f"/training/patients/{world.patient.id}/progress"
    four_weeks = client_for("therapist").get(f"{url}?weeks=4").text
    assert 'aria-current="page">4 weken' in four_weeks
    assert 'aria-current="page">4 weken' not in client_for("therapist").get(f"{url}?weeks=12").text


def test_the_dashboard_is_kept_per_reader(app, client_for, world):
    make_plan(world.patient)
    mine = client_for("therapist").get("/training/dashboard").text
    assert "Sanne" in mine
    admin = client_for("admin").get("/training/dashboard").text
    # The admin's list names each patient's therapist; the therapist's own caseload does not.
    assert "Pieter Therapeut" in admin
    assert "Pieter Therapeut" not in mine.split("<main")[-1]


def test_a_new_patient_in_the_caseload_shows_on_the_dashboard_at_once(app, client_for, world):
    client = client_for("therapist")
    assert "Nieuwe" not in client.get("/training/dashboard").text
    from tests.factories import make_patient

    make_patient(world.clinic, world.therapist, first_name="Nieuwe")
    db.session.commit()
    assert "Nieuwe" in client.get("/training/dashboard").text


def test_the_store_keeps_within_its_budget_and_drops_the_least_recently_shown():
    cache = FragmentCache(budget=10)
    cache.put("a", "aaaa")
    cache.put("b", "bbbb")
    assert cache.get("a") == "aaaa"  # a is now the most recently shown
    cache.put("c", "cccc")  # 12 > 10: b goes
    assert cache.get("b") is None and cache.get("a") == "aaaa" and cache.get("c") == "cccc"
    assert cache.size == 8
    cache.put("huge", "x" * 11)  # larger than the whole budget: not kept
    assert cache.get("huge") is None and cache.size == 8
    cache.put("a", "aa")  # replaced, not counted twice
    assert cache.size == 6


def test_a_change_to_one_patient_builds_only_their_dashboard_row(app, client_for, world):
    make_plan(world.patient)
    make_plan(world.other_patient)
    client = client_for("therapist")
    before = client.get("/training/dashboard").text
    cache = cache_for(app)
    misses, hits = cache.misses, cache.hits
    # Sanne logs a painful session: her row shows it; Tom's row is the one kept.
    log_session(world.patient, today(), rpe=7, minutes=40)
    db.session.commit()
    after = client.get("/training/dashboard").text
    assert cache.misses - misses == 2  # the page, and Sanne's row
    assert cache.hits - hits == 1  # Tom's row
    tom = lambda html: html[html.index("Tom") :].split("</li>")[0]  # noqa: E731
    assert tom(after) == tom(before)
    assert "Belasting deze week 280 AU" in after and "Belasting deze week 280 AU" not in before
