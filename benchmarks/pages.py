"""Time one page of Rehab against a seeded database (one process per page: its peak memory).

Requests go through Flask's test client into the real app and database (no HTTP server,
no network: what is measured is the app, its queries and its templates). The actors are
picked from the data: the therapist with the largest caseload, and up to 20 of their
active patients with a programme, whose pages are asked in turn.

    PYTHONPATH=. .venv/bin/python benchmarks/pages.py --database-url URL --page dashboard \
        --requests 50 --json out.json

Pages: signed_in (the app's /healthz as a signed-in therapist: what every page of the app
costs before it does its own work: the login check, the idle timeout, the security headers
and one read), dashboard, dashboard_scan (the first load of the day, which scans the clinic's
alerts), progress, today, log_session (POST of a session, as the patient), builder,
caseload, and floor (benchmarks/floor.py: bare Flask + SQLAlchemy, one indexed read).
Prints and writes one JSON object: p50/p95/mean in ms, SQL statements per request, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import secrets
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

PAGES = (
    "floor",
    "signed_in",
    "dashboard",
    "dashboard_scan",
    "caseload",
    "progress",
    "today",
    "log_session",
    "builder",
)
WARM_UP = 3


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 50 samples is the 48th smallest)."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args) -> None:
        self.count += 1


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux: this process's peak since it started.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(client_request, requests: int, counter: StatementCounter, prepare=None) -> dict:
    """Time ``requests`` calls after the warm-up; ``prepare(n)`` runs untimed before each."""
    for n in range(WARM_UP):
        client_request(n)
    timings, statements = [], []
    for n in range(requests):
        if prepare is not None:
            prepare(WARM_UP + n)
        counter.count = 0
        started = time.perf_counter()
        client_request(WARM_UP + n)
        timings.append((time.perf_counter() - started) * 1000)
        statements.append(counter.count)
    return {
        "requests": requests,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "mean_ms": round(statistics.fmean(timings), 2),
        "statements": statistics.median(statements),
        "statements_min": min(statements),
        "statements_max": max(statements),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def floor(database_url: str, requests: int) -> dict:
    from benchmarks.floor import create_floor_app

    app, db = create_floor_app(database_url)
    with app.app_context():
        ids = [
            row[0]
            for row in db.session.execute(sa.text("SELECT id FROM patients ORDER BY id LIMIT 20"))
        ]
        counter = StatementCounter()
        sa.event.listen(db.engine, "before_cursor_execute", counter)
    client = app.test_client()

    def get(n: int) -> None:
        response = client.get(f"/floor/{ids[n % len(ids)]}")
        assert response.status_code == 200

    return measure(get, requests, counter)


def rehab_page(database_url: str, page: str, requests: int) -> dict:
    from rehab import create_app
    from rehab.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "benchmark-" + secrets.token_hex(16),
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            # The test client posts without a CSRF token; the check itself costs microseconds.
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        actors = _actors(db)
        counter = StatementCounter()
        sa.event.listen(db.engine, "before_cursor_execute", counter)
        therapist = _login(app, actors["therapist"])
        patients = [_login(app, user_id) for user_id in actors["patient_users"]]
        db.session.remove()
    patient_ids, programme_ids = actors["patient_ids"], actors["programme_ids"]

    def get(client, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def request(n: int) -> None:
        i = n % len(patient_ids)
        if page == "signed_in":
            get(therapist, "/healthz")
        elif page in ("dashboard", "dashboard_scan"):  # the scan: see new_day()
            get(therapist, "/training/dashboard")
        elif page == "caseload":
            get(therapist, "/patients/")
        elif page == "progress":
            get(therapist, f"/training/patients/{patient_ids[i]}/progress")
        elif page == "builder":
            get(therapist, f"/programmes/{programme_ids[i]}/builder")
        elif page == "today":
            get(patients[i], "/training/today")
        elif page == "log_session":
            _log_session(app, patients[i], actors["prescriptions"][i])

    def new_day(n: int) -> None:
        """The first load of a day: no process has scanned the clinic yet."""
        from rehab.auth.models import Clinic

        if page != "dashboard_scan":
            return
        app.extensions.pop("training_alert_scans", None)
        with app.app_context():
            db.session.execute(sa.update(Clinic).values(alerts_scanned_on=None))
            db.session.commit()

    return measure(request, requests, counter, prepare=new_day)


def _actors(db) -> dict:
    """The therapist with the largest active caseload and up to 20 of their patients."""
    from rehab.auth.models import User
    from rehab.patients.models import Patient
    from rehab.programmes.models import Programme
    from rehab.training import services

    caseload = (
        sa.select(Patient.therapist_id, sa.func.count(Patient.id).label("n"))
        .join(Programme, (Programme.patient_id == Patient.id) & (Programme.status == "active"))
        .where(Patient.status == "active", Patient.user_id.is_not(None))
        .group_by(Patient.therapist_id)
        .order_by(sa.text("n DESC"), Patient.therapist_id)
        .limit(1)
    )
    therapist_id = db.session.execute(caseload).first()[0]
    rows = db.session.execute(
        sa.select(Patient.id, Patient.user_id, Programme.id)
        .join(Programme, (Programme.patient_id == Patient.id) & (Programme.status == "active"))
        .where(Patient.therapist_id == therapist_id, Patient.status == "active")
        .where(Patient.user_id.is_not(None))
        .order_by(Patient.id)
        .limit(20)
    ).all()
    prescriptions = []
    for patient_id, _user, _programme in rows:
        current = services.current_prescriptions(services.active_programme(patient_id))
        prescriptions.append([p.id for p in current[:4]])
    return {
        "therapist": db.session.get(User, therapist_id).id,
        "patient_ids": [r[0] for r in rows],
        "patient_users": [r[1] for r in rows],
        "programme_ids": [r[2] for r in rows],
        "prescriptions": prescriptions,
    }


def _login(app, user_id: int):
    """A test client with a live, fully authenticated login session for the user."""
    from rehab.auth.models import UserSession
    from rehab.core.db import utcnow
    from rehab.extensions import db

    login = UserSession(user_id=user_id, token=secrets.token_urlsafe(32), second_factor="totp")
    db.session.add(login)
    db.session.commit()
    client = app.test_client()
    now = utcnow().timestamp()
    with client.session_transaction() as session:
        session.update(_user_id=login.token, _fresh=True, auth_at=now, seen_at=now)
    return client


def _log_session(app, client, prescription_ids: list[int]) -> None:
    from rehab.auth.models import Clinic
    from rehab.core.clock import clinic_today

    day = clinic_today(Clinic(timezone="Europe/Amsterdam"))
    data = {
        "submission_key": secrets.token_urlsafe(24),
        "session_date": day.isoformat(),
        "duration_minutes": 35,
        "session_rpe": 5,
        "pain_after": 2,
        "note": "",
    }
    for index, prescription_id in enumerate(prescription_ids):
        data[f"exercises-{index}-prescription_id"] = str(prescription_id)
        data[f"exercises-{index}-as_prescribed"] = "y"
        data[f"exercises-{index}-pain_during"] = "2"
    response = client.post("/training/today", data=data)
    assert response.status_code == 302, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--page", choices=PAGES, required=True)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from rehab.config import normalise_database_url

    url = normalise_database_url(args.database_url)
    if args.page == "floor":
        result = floor(url, args.requests)
    else:
        result = rehab_page(url, args.page, args.requests)
    result["page"] = args.page
    text = json.dumps(result)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
