"""The therapist's dashboard and progress page, the patient's history: what they show and
how many SQL statements they cost (the same for a small and a large caseload or history)."""

from __future__ import annotations

import datetime as dt
import re
import time
from html import unescape

import pytest
import time_machine

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


def chart_images(html: str) -> list[str]:
    """The addresses of the charts a page shows, nothing else of the page: a CSRF token
    carries a timestamp, so two renderings of the same page differ from second to second."""
    return [unescape(src) for src in re.findall(r'<img class="chart" src="([^"]+)"', html)]


def fetched(client, sources: list[str]) -> list[str]:
    """Each chart's picture, as the browser fetches it after the page."""
    pictures = [client.get(src) for src in sources]
    assert all(p.status_code == 200 and p.mimetype == "image/svg+xml" for p in pictures)
    return [p.text for p in pictures]


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
    client = client_for("therapist")
    html = client.get(f"/training/patients/{world.patient.id}/progress").text
    # Weekly load, pain, adherence and the squat's dose are drawn; the acute:chronic chart
    # is not (a day of data): its sentence stands in its place.
    pictures = fetched(client, chart_images(html))
    assert len(pictures) == 4 and all(p.startswith("<svg") for p in pictures)
    assert "Goblet squat" in pictures[-1]
    assert "Weekbelasting" in html
    assert "nog niet genoeg gegevens" in html  # a week of data: no ratio
    assert "Acute en chronische belasting: nog niet genoeg gegevens" in html
    assert "voorspelt geen blessures" in html  # the caveat in words
    assert "Rode pijnreactie" in html and "Overnemen" in html
    assert 'id="session-' in html and 'id="week-' in html
    alert = db.session.scalar(db.select(Alert))
    assert f'#session-{alert.session_id}"' in html  # the alert links to its evidence
    assert "<script>" not in html and "style=" not in html


def test_progress_page_shows_the_last_four_weeks_of_its_period_and_the_rest_on_demand(
    client_for, world
):
    """Half a year of sessions, check-ins and past exercises made the page 250 KB that no
    one reads at once: its tables and dose charts show the period's last four weeks, and
    one link shows everything in the period (issue 24)."""
    plan = make_plan(world.patient)
    ten_weeks_ago, last_week = today() - dt.timedelta(weeks=10), today() - dt.timedelta(days=6)
    old = log_session(world.patient, ten_weeks_ago, exercises=[
        (plan["squat"], top_of_range(plan["squat"])),
    ])  # fmt: skip
    new = log_session(world.patient, last_week, exercises=[
        (plan["plank"], top_of_range(plan["plank"])),
    ])  # fmt: skip
    early, late = check_in(world.patient, ten_weeks_ago), check_in(world.patient, last_week)
    db.session.commit()
    client = client_for("therapist")
    url = f"/training/patients/{world.patient.id}/progress"

    html = client.get(url).text  # the 12-week period that holds all the data
    assert f'id="session-{new.id}"' in html and f'id="session-{old.id}"' not in html
    assert f'id="check-in-{late.id}"' in html and f'id="check-in-{early.id}"' not in html
    squat_chart = f"/charts/dose-{plan['exercises']['squat'].id}.svg"  # done ten weeks ago
    plank_chart = f"/charts/dose-{plan['exercises']['plank'].id}.svg"
    assert any(plank_chart in src for src in chart_images(html))
    assert not any(squat_chart in src for src in chart_images(html))
    assert html.count("Laatste 4 weken getoond.") == 3
    assert "Alle 2 sessies van deze periode tonen" in html
    assert "Alle 2 check-ins van deze periode tonen" in html
    assert "Nog 1 oefening uit deze periode tonen" in html
    link = unescape(re.search(r'href="([^"]*full=1[^"]*)#sessions"', html)[1])

    everything = client.get(link).text
    assert f'id="session-{old.id}"' in everything and f'id="check-in-{early.id}"' in everything
    assert any(squat_chart in src for src in chart_images(everything))
    assert "Laatste 4 weken getoond." not in everything
    assert "Alleen de laatste 4 weken tonen" in everything
    # A four-week period is all recent: nothing is held back, nothing offered.
    four = client.get(f"{url}?weeks=4").text
    assert f'id="session-{new.id}"' in four and "full=1" not in four


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
    client = client_for("patient")
    html = client.get("/training/history").text
    assert len(fetched(client, chart_images(html))) == 2  # pain, sessions (no load)
    assert "45 min" in html and "99 min" not in html


def test_patient_page_panel_shows_the_latest_alert_and_suggestions(client_for, world):
    plan = make_plan(world.patient)
    a_red_session(world, plan)
    html = client_for("therapist").get(f"/patients/{world.patient.id}").text
    assert "Oefenen en voortgang" in html
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
    # The clock stands still: seeding 495 patients takes long enough for the log-in's
    # "last seen" to be refreshed on the next request (one UPDATE and two reloads), which
    # is the session's cost, not the dashboard's.
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False):
        _dashboard_costs_the_same(app, client_for, world, count_queries)


def _dashboard_costs_the_same(app, client_for, world, count_queries):
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
        started = time.process_time()
        client.get("/training/dashboard")
        with_scan = time.process_time() - started
    with count_queries() as many:
        started = time.process_time()
        assert client.get("/training/dashboard").status_code == 200
        seconds = time.process_time() - started
    assert (first_few.count, few.count) == (first_many.count, many.count)
    print(
        f"dashboard, 500 patients with a year of logs: {with_scan:.2f} s with the day's scan, "
        f"{seconds:.2f} s after (CPU); {first_many.count} / {many.count} statements"
    )
    # CPU time of this process (the app and SQLite run in it): steady on a busy machine,
    # where wall-clock time measures the neighbours.
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
    # The row leads with the red pain response; under it the spike and the warning sign
    # follow, the cautions are counted.
    row = html[html.index('class="triage-row') :]
    row = row[: row.index("</li>\n</ol>") if "</li>\n</ol>" in row else len(row)]
    assert row.index("Rode pijnreactie") < row.index("<details")
    listed = row[row.index("<details") :]
    assert listed.index("Rode pijnreactie") < listed.index("Piek in sessiebelasting")
    assert listed.index("Piek in sessiebelasting") < listed.index("Slechter geslapen")
    # (The dashboard's daily scan may add a finding of its own: count what is open now.)
    open_alerts = db.session.scalar(
        db.select(db.func.count(Alert.id)).where(Alert.patient_id == world.patient.id)
    )
    assert f"{open_alerts} openstaande signalen" in listed
    assert f"nog {open_alerts - 3} signalen" in listed
    assert f"/training/patients/{world.patient.id}/progress#alerts" in listed


def test_the_daily_scan_runs_once_for_every_app_process(app, client_for, world, count_queries):
    from rehab.core.clock import clinic_today

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

    first = chart_images(client.get(url).text)
    assert first and not drawn  # the page links to its charts; it draws none of them
    fetched(client, first)
    assert chart_images(client.get(url).text) == first
    fetched(client, first)
    assert len(drawn) == 1

    log_session(world.patient, today() - dt.timedelta(days=1), exercises=[
        (plan["squat"], top_of_range(plan["squat"], pain=4)),
    ])  # fmt: skip
    db.session.commit()
    second = chart_images(client.get(url).text)
    assert second != first
    fetched(client, second)
    assert len(drawn) == 2
    # Another language is another drawing (the axes speak it), at another address.
    client_for("therapist").post("/language", data={"language": "en"})
    third = chart_images(client.get(url).text)
    assert not set(third) & set(second)
    fetched(client, third)
    assert len(drawn) == 3


def test_dashboard_rows_show_the_last_session_and_the_weekly_loads(client_for, world):
    """Worked example (load = session RPE × minutes, Foster 2001): this week one session of
    RPE 5 × 30 min = 150 AU; last week RPE 6 × 50 = 300 and RPE 4 × 25 = 100, 400 AU; the
    session two weeks back counts in neither. Tom has no programme."""
    from rehab.training.schedule import monday_of

    make_plan(world.patient)
    day = today()
    monday = monday_of(day)
    log_session(world.patient, day, rpe=5, minutes=30)
    log_session(world.patient, monday - dt.timedelta(days=3), rpe=6, minutes=50)
    log_session(world.patient, monday - dt.timedelta(days=7), rpe=4, minutes=25)
    log_session(world.patient, monday - dt.timedelta(days=8), rpe=9, minutes=90)
    db.session.commit()
    html = client_for("therapist").get("/training/dashboard").text
    sanne = html[html.index("Sanne") :]
    assert "Belasting deze week 150 AU (vorige week 400)" in sanne
    assert f"Laatste sessie: {day.day} " in sanne.split("Belasting")[0]
    tom = html[html.index("Tom") :]
    assert "Geen actief programma" in tom.split("triage-row")[0]
