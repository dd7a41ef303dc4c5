"""The therapist's dashboard and progress page, the patient's history: what they show and
how many SQL statements they cost (the same for a small and a large caseload or history)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from rehab.extensions import db
from rehab.programmes.models import Suggestion
from rehab.training.models import Alert
from tests.factories import make_patient
from tests.training.factories import (
    bulk_caseload,
    check_in,
    log_session,
    make_plan,
    today,
    top_of_range,
)


def a_red_session(world, plan):
    """Seven mornings at 2, then yesterday's squat hurt (7/10): alert and regress."""
    for n in range(8, 1, -1):
        check_in(world.patient, today() - dt.timedelta(days=n), pain=2)
    log_session(world.patient, today() - dt.timedelta(days=1), exercises=[
        (plan["squat"], top_of_range(plan["squat"], pain=7)),
    ])  # fmt: skip
    db.session.commit()
    from rehab.training.services import after_logging

    after_logging(world.patient, today=today())
    db.session.commit()


def test_dashboard_lists_the_caseload_most_urgent_first(client_for, world):
    plan = make_plan(world.patient)
    make_plan(world.other_patient)
    check_in(world.other_patient, today())  # Tom logs: nothing to flag
    a_red_session(world, plan)
    html = client_for("therapist").get("/training/dashboard").text
    # Sanne (red pain response, regress suggestion) before Tom (nothing to review).
    assert html.index(world.patient.last_name) < html.index(world.other_patient.last_name)
    assert "Rode pijnreactie" in html
    assert "Pijn tijdens de oefening 7/10 is hoger dan 5." in html
    assert "Afbouwen" in html and "Goblet squat" in html
    assert "Niets te beoordelen." in html
    # The other clinic's therapist sees none of it.
    other = client_for("other_therapist").get("/training/dashboard?scope=clinic").text
    assert world.patient.last_name not in other


def test_dashboard_mine_or_the_whole_clinic(client_for, world):
    from tests.factories import make_user

    colleague = make_user(world.clinic, "therapist", full_name="Fatima Collega")
    theirs = make_patient(world.clinic, colleague, first_name="Lotte", last_name="Smit")
    db.session.commit()
    client = client_for("therapist")
    assert "Smit" not in client.get("/training/dashboard").text
    assert "Smit" in client.get("/training/dashboard?scope=clinic").text
    assert theirs.therapist_id == colleague.id


def test_progress_page_shows_charts_metrics_and_decisions(client_for, world):
    plan = make_plan(world.patient)
    a_red_session(world, plan)
    html = client_for("therapist").get(f"/training/patients/{world.patient.id}/progress").text
    assert html.count('src="data:image/svg+xml;base64,') >= 5
    assert "Weekbelasting" in html
    assert "nog niet genoeg gegevens" in html  # a week of data: no ratio
    assert "voorspelt geen blessures" in html  # the caveat in words
    assert "Rode pijnreactie" in html and "Overnemen" in html
    assert 'id="session-' in html and 'id="week-' in html
    alert = db.session.scalar(db.select(Alert))
    assert f'#session-{alert.session_id}"' in html  # the alert links to its evidence
    assert "<script>" not in html and "style=" not in html


def test_progress_page_of_a_patient_without_programme_or_data(client_for, world):
    html = client_for("therapist").get(f"/training/patients/{world.other_patient.id}/progress")
    assert html.status_code == 200
    assert "Geen actief programma" in html.text


def test_history_shows_the_patients_own_sessions_and_charts(client_for, world):
    plan = make_plan(world.patient)
    log_session(world.patient, today(), minutes=45, exercises=[
        (plan["squat"], top_of_range(plan["squat"])),
    ])  # fmt: skip
    log_session(world.other_patient, today(), minutes=99)
    db.session.commit()
    html = client_for("patient").get("/training/history").text
    assert html.count('src="data:image/svg+xml;base64,') == 3
    assert "45 min" in html and "99 min" not in html


def test_patient_page_panel_shows_the_latest_alert_and_suggestions(client_for, world):
    plan = make_plan(world.patient)
    a_red_session(world, plan)
    html = client_for("therapist").get(f"/patients/{world.patient.id}").text
    assert "Training en voortgang" in html
    assert "Rode pijnreactie" in html
    assert "1 openstaand signaal" in html
    open_count = db.session.scalar(
        db.select(db.func.count(Suggestion.id)).where(Suggestion.status == "open")
    )
    assert f"{open_count} openstaande voorstellen" in html or open_count == 1
    assert f"/training/patients/{world.patient.id}/progress" in html


# --- query budgets -----------------------------------------------------------------------------


def test_dashboard_costs_the_same_for_5_and_500_patients_with_a_year_of_logs(
    app, client_for, world, count_queries
):
    bulk_caseload(world.clinic, world.therapist, 5, days=365, end=today())
    client = client_for("therapist")
    with count_queries() as first_few:
        client.get("/training/dashboard")  # the day's first load scans the clinic
    with count_queries() as few:
        assert client.get("/training/dashboard").status_code == 200
    bulk_caseload(world.clinic, world.therapist, 495, days=365, end=today())
    # A new day: scan again.
    app.extensions["training_alert_scans"].clear()
    world.clinic.alerts_scanned_on = None
    db.session.commit()
    with count_queries() as first_many:
        started = time.perf_counter()
        client.get("/training/dashboard")
        with_scan = time.perf_counter() - started
    with count_queries() as many:
        started = time.perf_counter()
        assert client.get("/training/dashboard").status_code == 200
        seconds = time.perf_counter() - started
    assert (first_few.count, few.count) == (first_many.count, many.count)
    print(
        f"dashboard, 500 patients with a year of logs: {with_scan:.2f} s with the day's scan, "
        f"{seconds:.2f} s after; {first_many.count} / {many.count} statements"
    )
    assert with_scan < 5 and seconds < 2


def test_progress_page_costs_the_same_for_a_week_and_a_year_of_logs(
    client_for, world, count_queries
):
    (short,) = bulk_caseload(world.clinic, world.therapist, 1, days=7, end=today())
    (long,) = bulk_caseload(world.clinic, world.therapist, 1, days=365, end=today())
    client = client_for("therapist")
    counts = {}
    for patient_id in (short, long):
        for weeks in (12, 52):
            url = f"/training/patients/{patient_id}/progress?weeks={weeks}"
            with count_queries() as q:
                assert client.get(url).status_code == 200
            counts[(patient_id, weeks)] = q.count
    assert len(set(counts.values())) == 1, counts


@pytest.mark.parametrize("url", ["/training/today", "/training/history", "/training/check-in"])
def test_patient_pages_cost_the_same_for_a_week_and_a_year_of_logs(
    client_for, world, count_queries, url
):
    plan = make_plan(world.patient)
    client = client_for("patient")
    log_session(world.patient, today() - dt.timedelta(days=1), exercises=[
        (plan["squat"], top_of_range(plan["squat"])),
    ])  # fmt: skip
    db.session.commit()
    with count_queries() as week:
        assert client.get(url).status_code == 200
    for n in range(2, 366):
        day = today() - dt.timedelta(days=n)
        check_in(world.patient, day)
        if n % 2:
            log_session(world.patient, day, exercises=[
                (plan["squat"], top_of_range(plan["squat"])),
                (plan["plank"], top_of_range(plan["plank"])),
            ])  # fmt: skip
    db.session.commit()
    with count_queries() as year:
        assert client.get(url).status_code == 200
    assert week.count == year.count


@pytest.mark.parametrize(
    "query", ["?end=0001-01-01", "?end=9999-12-31", "?weeks=-3", "?end=gisteren&weeks=x"]
)
def test_progress_page_ignores_hostile_arguments(client_for, world, query):
    url = f"/training/patients/{world.patient.id}/progress{query}"
    assert client_for("therapist").get(url).status_code == 200


def test_dashboard_shows_the_three_most_urgent_alerts_and_counts_the_rest(client_for, world):
    from rehab.core.db import utcnow

    make_plan(world.patient)
    kinds = ["no_logs", "sleep_worse", "pain_red", "week_on_week_caution", "session_spike"]
    for n, kind in enumerate(kinds):
        db.session.add(
            Alert(clinic_id=world.clinic.id, patient_id=world.patient.id, kind=kind,
                  severity="alert", dedupe_key=f"k{n}", evidence={"reasons": []},
                  created_at=utcnow())
        )  # fmt: skip
    db.session.commit()
    html = client_for("therapist").get("/training/dashboard").text
    # Red pain first, then the spike, then the warning sign; the cautions are counted.
    shown = [a.id for a in db.session.scalars(db.select(Alert).order_by(Alert.id))]
    assert html.count('id="alert-') == 3
    for alert_id in (shown[2], shown[4], shown[1]):
        assert f'id="alert-{alert_id}"' in html
    # (The dashboard's daily scan may add a finding of its own: count what is open now.)
    open_alerts = db.session.scalar(
        db.select(db.func.count(Alert.id)).where(Alert.patient_id == world.patient.id)
    )
    assert f"nog {open_alerts - 3} signalen" in html
    assert f"/training/patients/{world.patient.id}/progress#alerts" in html


def test_the_daily_scan_runs_once_for_every_app_process(app, client_for, world, count_queries):
    from rehab.training.services import clinic_today

    make_plan(world.patient)
    client = client_for("therapist")
    with count_queries() as first:
        client.get("/training/dashboard")
    assert world.clinic.alerts_scanned_on == clinic_today(world.clinic)
    with count_queries() as warm:
        client.get("/training/dashboard")
    # Another app process (its own memory, same database) finds the day marked: no scan.
    app.extensions["training_alert_scans"].clear()
    with count_queries() as other_process:
        assert client.get("/training/dashboard").status_code == 200
    assert other_process.count == warm.count < first.count


def test_charts_are_drawn_once_for_the_same_data_and_anew_when_it_changes(
    client_for, world, monkeypatch
):
    """Drawing is most of the progress page's time: a reload with the same data reuses the
    drawn charts; a new session changes the data and the charts with it."""
    from rehab.reports import charts
    from rehab.training import pages

    pages.clear_chart_caches()
    drawn = []
    original = charts.pain_chart
    monkeypatch.setattr(charts, "pain_chart", lambda *a, **k: drawn.append(1) or original(*a, **k))
    plan = make_plan(world.patient)
    log_session(world.patient, today() - dt.timedelta(days=2), exercises=[
        (plan["squat"], top_of_range(plan["squat"], pain=2)),
    ])  # fmt: skip
    db.session.commit()
    client = client_for("therapist")
    url = f"/training/patients/{world.patient.id}/progress"

    first = client.get(url).text
    assert client.get(url).text == first
    assert len(drawn) == 1

    log_session(world.patient, today() - dt.timedelta(days=1), exercises=[
        (plan["squat"], top_of_range(plan["squat"], pain=4)),
    ])  # fmt: skip
    db.session.commit()
    assert client.get(url).text != first
    assert len(drawn) == 2
    # Another language is another drawing (the axes speak it).
    client_for("therapist").post("/language", data={"language": "en"})
    client.get(url)
    assert len(drawn) == 3
