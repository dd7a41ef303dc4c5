"""Pages run the same number of SQL statements for a tiny practice as for a busy one.

Two practices are made with the benchmark seeder (rehab.scale): one therapist with three
patients and four weeks of history, and one therapist with sixty patients and half a year
of sessions, set logs and check-ins. Each page is asked as the first therapist (or their
patient) and as the second; the counts must be identical, and they are pinned so that a
new query shows up in review.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select, update

from rehab.auth.models import Clinic, User
from rehab.core.fragments import cache_for
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.models import Programme
from rehab.scale import DatabaseNotEmpty, ScaleSize, seed_scale
from rehab.training import services as training_services
from rehab.training.models import ExerciseLog, TrainingSession
from tests.conftest import ON_POSTGRES
from tests.factories import clinic_today, login_as
from tests.training.factories import today

SMALL = ScaleSize(therapists=1, patients=3, weeks=26, seed=1)
LARGE = ScaleSize(therapists=1, patients=60, weeks=52, seed=2)

# The statements each page sends, warm (the clinic's daily alert scan already ran), the
# first time it is built (no page kept: rehab.core.fragments).
PINNED = {
    # The login, the listed patients' change counters (the key it is kept under), the page
    # of patients with each one's alert count, last session, programme and weekly loads,
    # their three most urgent alerts, their open suggestions with the exercise, the names.
    "dashboard": 6,
    "caseload": 5,
    # A page that reads a patient's record writes the read to the audit trail after the
    # view; nothing is read again after that (the owner header takes the login's id). The
    # progress page's metrics take the phases from the programme it loaded.
    "progress": 20,
    "patient": 23,  # 21, and 2 for the appointments and reminders panel
    "builder": 10,
    # The login with the patient's own record; the plan (the programme with its phases, only
    # the current phase's prescriptions with their exercises, not the exercises' regions and
    # equipment, this week's sessions); the morning check-in offer with today's warning
    # signs; the open step downs (the patient's open suggestions to regress, then the easier
    # exercises' names; the prescriptions are the plan's).
    "today": 7,
    # PostgreSQL gets the two exercise logs in one INSERT, SQLite in one each. The key is
    # looked up once (the view's look-up; the unique index decides a race), and nothing is
    # read again after the commit (the redirect and the owner header take ids, not rows).
    # The plan leaves the week's sessions out (the page is not shown), and the alert scan
    # takes the patient, clinic and programme the view loaded; the patient has just logged,
    # so their last day before the scan's window is not looked up.
    "log_session": 16 if ON_POSTGRES else 17,
}


@pytest.fixture
def a_wednesday():
    """Seeded history and what a new session triggers depend on the day: on some days the
    large practice's patient is due a suggestion and the small one's is not, which adds two
    statements that have nothing to do with the size of the history. A fixed midweek
    morning in the clinic's time zone makes both practices' days the same on any date."""
    moment = dt.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture
def practices(app, a_wednesday):
    """(small, large): each a dict with its therapist, an active patient and programme."""
    emails = [
        seed_scale(size, force=n > 0, today=today()).first_therapist_email
        for n, size in enumerate((SMALL, LARGE))
    ]
    found = []
    for email in emails:
        therapist = db.session.scalar(select(User).where(User.email == email))
        candidates = db.session.scalars(
            select(Patient)
            .join(Programme, (Programme.patient_id == Patient.id) & (Programme.status == "active"))
            .where(Patient.therapist_id == therapist.id, Patient.status == "active")
            .order_by(Patient.id)
        ).all()
        # The large practice's patient is on the same template and phase as the small
        # one's: which queries a phase's exit criteria need depends on their kinds.
        for patient in candidates:
            programme = training_services.active_programme(patient.id)
            phase = training_services.programme_services.current_phase(programme)
            shape = (programme.source_template, phase.position)
            if not found or shape == found[0]["shape"]:
                break
        found.append(
            {"therapist": therapist, "patient": patient, "programme": programme, "shape": shape}
        )
    assert found[0]["shape"] == found[1]["shape"]
    db.session.commit()
    return found


def test_the_large_practice_really_is_larger(practices):
    small, large = practices
    logs = []
    for practice in practices:
        logs.append(
            db.session.scalar(
                select(func.count(ExerciseLog.id))
                .join(TrainingSession, TrainingSession.id == ExerciseLog.session_id)
                .join(Patient, Patient.id == TrainingSession.patient_id)
                .where(Patient.therapist_id == practice["therapist"].id)
            )
        )
    assert logs[1] > 20 * logs[0]
    caseloads = [
        db.session.scalar(
            select(func.count(Patient.id)).where(Patient.therapist_id == p["therapist"].id)
        )
        for p in (small, large)
    ]
    assert caseloads == [3, 60]


def _url(page: str, practice: dict) -> str:
    patient, programme = practice["patient"], practice["programme"]
    return {
        "dashboard": "/training/dashboard",
        "caseload": "/patients/",
        "progress": f"/training/patients/{patient.id}/progress?weeks=26",
        "patient": f"/patients/{patient.id}",
        "builder": f"/programmes/{programme.id}/builder",
        "today": "/training/today",
    }[page]


# Shown again while its rows are unchanged (a kept page): the login, and the key's counters.
PINNED_KEPT = {
    "dashboard": 2,  # the login (with its clinic), the listed patients' counters
    "progress": 3,  # the login, the patient (with their clinic), the audit entry
}


@pytest.mark.parametrize("page", ["dashboard", "caseload", "progress", "patient", "builder"])
def test_therapist_pages_do_not_grow_with_the_practice(app, practices, count_queries, page):
    counts, statements = [], []
    for practice in practices:
        client = login_as(app.test_client(), practice["therapist"])
        url = _url(page, practice)
        client.get(url)  # warm-up: templates compile, the clinic's daily scan runs
        cache_for(app).clear()  # built anew, not shown from the page kept by the warm-up
        with count_queries() as counted:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(counted.count)
        statements.append(counted.statements)
    if counts[0] != counts[1]:
        import difflib

        short = [[" ".join(x.split())[:150] for x in st] for st in statements]
        print("\n".join(difflib.unified_diff(short[0], short[1], lineterm="")))
    assert counts[0] == counts[1], (page, counts)
    assert counts[0] == PINNED[page], (page, counts)


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)


@pytest.mark.parametrize("page", sorted(PINNED_KEPT))
def test_kept_pages_do_not_grow_with_the_practice(app, practices, count_queries, page):
    counts = []
    for practice in practices:
        client = login_as(app.test_client(), practice["therapist"])
        url = _url(page, practice)
        first = client.get(url)
        with count_queries() as counted:
            again = client.get(url)
        assert again.status_code == 200, url
        # The same page; the log-out form's CSRF token carries the second it was made.
        assert _without_tokens(again.text) == _without_tokens(first.text)
        counts.append(counted.count)
    assert counts == [PINNED_KEPT[page]] * 2, (page, counts)


def test_the_dashboards_daily_scan_does_not_grow_with_the_practice(app, practices, count_queries):
    counts = []
    for practice in practices:
        client = login_as(app.test_client(), practice["therapist"])
        # The first load of a new day.
        app.extensions.pop("training_alert_scans", None)
        db.session.execute(update(Clinic).values(alerts_scanned_on=None))
        db.session.commit()
        with count_queries() as counted:
            assert client.get("/training/dashboard").status_code == 200
        counts.append(counted.count)
    # The scan's statements, and the clinic read again after its commit (its change counter
    # moved with the day it was scanned on: the page is built anew).
    assert counts[0] == counts[1] == PINNED["dashboard"] + 10, counts


def test_the_today_page_does_not_grow_with_the_history(app, practices, count_queries):
    counts = []
    for practice in practices:
        client = login_as(app.test_client(), practice["patient"].user)
        client.get("/training/today")
        with count_queries() as counted:
            assert client.get("/training/today").status_code == 200
        counts.append(counted.count)
    assert counts[0] == counts[1] == PINNED["today"], counts


def test_logging_a_session_does_not_grow_with_the_history(app, practices, count_queries):
    counts = []
    for practice in practices:
        client = login_as(app.test_client(), practice["patient"].user)
        client.get("/training/today")
        prescriptions = training_services.current_prescriptions(practice["programme"])
        data = {
            "submission_key": secrets.token_urlsafe(24),
            "session_date": today().isoformat(),
            "duration_minutes": 30,
            "session_rpe": 5,
            "pain_after": 1,
            "note": "",
        }
        for index, prescription in enumerate(prescriptions[:2]):
            data[f"exercises-{index}-prescription_id"] = str(prescription.id)
            data[f"exercises-{index}-as_prescribed"] = "y"
            data[f"exercises-{index}-pain_during"] = "1"
        with count_queries() as counted:
            response = client.post("/training/today", data=data)
        assert response.status_code == 302, response.text
        counts.append(counted.count)
    assert counts[0] == counts[1] == PINNED["log_session"], counts


def test_the_seeder_refuses_a_database_with_patients(app, practices):
    with pytest.raises(DatabaseNotEmpty):
        seed_scale(SMALL)


def test_the_seeder_writes_consistent_rows(app, practices):
    # Every set log belongs to a prescription of the session's own patient, at a dose
    # version of that prescription, and sessions lie within the programme's dates.
    from rehab.programmes.models import Phase, Prescription, PrescriptionVersion

    wrong_owner = db.session.scalar(
        select(func.count(ExerciseLog.id))
        .join(TrainingSession, TrainingSession.id == ExerciseLog.session_id)
        .join(Prescription, Prescription.id == ExerciseLog.prescription_id)
        .join(Phase, Phase.id == Prescription.phase_id)
        .join(Programme, Programme.id == Phase.programme_id)
        .where(Programme.patient_id != TrainingSession.patient_id)
    )
    wrong_version = db.session.scalar(
        select(func.count(ExerciseLog.id))
        .join(PrescriptionVersion, PrescriptionVersion.id == ExerciseLog.prescription_version_id)
        .where(PrescriptionVersion.prescription_id != ExerciseLog.prescription_id)
    )
    outside = db.session.scalar(
        select(func.count(TrainingSession.id))
        .join(Programme, Programme.id == TrainingSession.programme_id)
        .where(
            (TrainingSession.session_date < Programme.started_on)
            | (TrainingSession.session_date >= today())
        )
    )
    assert (wrong_owner, wrong_version, outside) == (0, 0, 0)
    # The same seed gives the same data: the small practice's totals are known.
    first = practices[0]["therapist"]
    sessions = db.session.scalar(
        select(func.count(TrainingSession.id))
        .join(Patient, Patient.id == TrainingSession.patient_id)
        .where(Patient.therapist_id == first.id)
    )
    assert sessions > 0
    active = db.session.scalar(
        select(func.count(Programme.id)).where(
            Programme.status == "active", Programme.current_phase_id.is_not(None)
        )
    )
    assert active >= 2
    assert clinic_today() - dt.timedelta(weeks=53) < practices[1]["programme"].started_on
