"""The progress page's charts are pictures of their own: the page stays small, the browser
keeps a picture while its data stays the same, and a picture is shown only to whoever may
see its page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from tests.training.factories import check_in, log_session, make_plan, today, top_of_range
from tests.training.test_pages import chart_images, fetched


def twelve_weeks(world) -> dict:
    """Three sessions a week for twelve weeks, every exercise, and a check-in each morning."""
    plan = make_plan(world.patient, started_on=today() - dt.timedelta(days=90))
    for n in range(84, 0, -1):
        day = today() - dt.timedelta(days=n)
        check_in(world.patient, day, pain=2)
        if day.weekday() in (0, 2, 4):
            log_session(world.patient, day, exercises=[
                (plan[name], top_of_range(plan[name], pain=2)) for name in ("squat", "plank")
            ])  # fmt: skip
    db.session.commit()
    return plan


def test_twelve_weeks_of_progress_stay_under_100_kb_with_every_chart_drawn(client_for, world):
    twelve_weeks(world)
    client = client_for("therapist")
    page = client.get(f"/training/patients/{world.patient.id}/progress?weeks=12")
    sources = chart_images(page.text)
    # Load, acute:chronic, pain, adherence and the two exercises' doses.
    assert len(sources) == 6
    assert len(page.get_data()) < 100_000, len(page.get_data())
    pictures = fetched(client, sources)
    assert all(p.startswith("<svg") and "<script" not in p for p in pictures)
    # A picture at its digest's address is the browser's to keep (private: behind a log-in).
    picture = client.get(sources[0])
    assert picture.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert picture.headers["X-Content-Type-Options"] == "nosniff"
    # Asked without the digest (or with an old one), the picture is not kept.
    bare = client.get(sources[0].split("&v=")[0].split("?v=")[0])
    assert bare.status_code == 200 and bare.headers["Cache-Control"] == "no-store"


def test_a_picture_is_the_window_the_page_showed(client_for, world):
    twelve_weeks(world)
    client = client_for("therapist")
    url = f"/training/patients/{world.patient.id}/progress"
    four = chart_images(client.get(f"{url}?weeks=4").text)
    twelve = chart_images(client.get(f"{url}?weeks=12").text)
    assert "weeks=4" in four[0] and "weeks=12" in twelve[0]
    # Four weekly bars against twelve: different pictures of the same chart.
    assert fetched(client, four[:1]) != fetched(client, twelve[:1])


def test_only_who_may_see_the_page_sees_its_charts_and_the_read_is_logged(client_for, world):
    twelve_weeks(world)
    sources = chart_images(
        client_for("therapist").get(f"/training/patients/{world.patient.id}/progress").text
    )
    before = db.session.scalar(select(db.func.max(AuditEntry.id))) or 0
    for role in ("other_therapist", "patient", "anonymous"):
        response = client_for(role).get(sources[0])
        assert response.status_code in (302, 403, 404), role
        assert response.mimetype != "image/svg+xml", role
    assert client_for("admin").get(sources[0]).status_code == 200
    reads = db.session.execute(
        select(AuditEntry.action, AuditEntry.object_type, AuditEntry.patient_id).where(
            AuditEntry.id > before
        )
    ).all()
    assert ("view", "chart", world.patient.id) in reads
    assert ("access_denied", "chart", world.patient.id) in reads


def test_a_chart_that_does_not_exist_is_not_found(client_for, world):
    plan = make_plan(world.patient)
    log_session(world.patient, today(), exercises=[(plan["squat"], top_of_range(plan["squat"]))])
    db.session.commit()
    client = client_for("therapist")
    base = f"/training/patients/{world.patient.id}/progress/charts"
    assert client.get(f"{base}/weekly_load.svg").status_code == 200
    assert client.get(f"{base}/dose-{plan['squat'].exercise_id}.svg").status_code == 200
    for name in ("nothing", "dose-", "dose-x1", f"dose-{plan['walk'].exercise_id}", "load_trend"):
        assert client.get(f"{base}/{name}.svg").status_code == 404, name  # not drawn or no such
    # A hostile window falls back to the page's own, as the page does.
    assert client.get(f"{base}/weekly_load.svg?weeks=7&end=9999-99-99").status_code == 200


def test_the_patient_sees_their_own_history_charts(client_for, world):
    plan = make_plan(world.patient)
    log_session(world.patient, today(), exercises=[(plan["squat"], top_of_range(plan["squat"]))])
    check_in(world.other_patient, today())
    db.session.commit()
    client = client_for("patient")
    sources = chart_images(client.get("/training/history").text)
    assert sources and all(src.startswith("/training/history/charts/") for src in sources)
    assert fetched(client, sources)
    # The other patient's address is the same, and shows the other patient's own data.
    own = client.get("/training/history/charts/pain.svg").text
    other = client_for("other_patient").get("/training/history/charts/pain.svg")
    assert other.status_code == 200 and other.text != own  # Tom's morning, not Sanne's
