"""A logged session's evaluation runs after the answer, and before anything shows it
(rehab.training.evaluation): the phone does not wait, and no page shows a stale alert."""

from __future__ import annotations

import datetime as dt
import threading

import sqlalchemy as sa

from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.models import Suggestion
from rehab.training import evaluation, services
from rehab.training.models import Alert, TrainingSession
from tests.factories import login_as, make_user
from tests.races import PARALLEL, no_server_errors, race
from tests.training.factories import check_in, make_plan, session_form, today


def _red_session(client, world) -> object:
    """Seven calm mornings, then a squat that hurt (7/10): a red pain response."""
    plan = make_plan(world.patient)
    for n in range(8, 0, -1):
        check_in(world.patient, today() - dt.timedelta(days=n), pain=2)
    db.session.commit()
    data = session_form(plan, {"squat": {"as_prescribed": "y", "pain_during": "7"}})
    return client.post("/training/today", data=data, buffered=False)


def _state(world) -> tuple[bool, int, int]:
    db.session.expire_all()
    due = db.session.scalar(sa.select(Patient.evaluation_due).where(Patient.id == world.patient.id))
    alerts = db.session.scalar(sa.select(sa.func.count(Alert.id)))
    suggestions = db.session.scalar(sa.select(sa.func.count(Suggestion.id)))
    return due, alerts, suggestions


def test_the_answer_comes_first_and_the_evaluation_right_after_it(client_for, world):
    response = _red_session(client_for("patient"), world)
    assert response.status_code == 302
    # Answered: the session is stored, its evaluation due.
    assert db.session.scalar(sa.select(sa.func.count(TrainingSession.id))) == 1
    assert _state(world) == (True, 0, 0)
    response.close()  # the answer has been sent: the worker evaluates
    due, alerts, suggestions = _state(world)
    assert not due and alerts >= 1 and suggestions >= 1


def test_a_page_evaluates_what_the_worker_did_not(app, client_for, world, monkeypatch, caplog):
    """The worker failed after its answer (a lost connection, a restart): the therapist's
    progress page works the evaluation out before it shows anything."""
    monkeypatch.setattr(
        evaluation, "settle", lambda ids: (_ for _ in ()).throw(RuntimeError("worker gone"))
    )
    response = _red_session(client_for("patient"), world)
    response.close()
    assert "evaluation after logging failed" in caplog.text
    assert _state(world) == (True, 0, 0)
    monkeypatch.undo()
    html = client_for("therapist").get(f"/training/patients/{world.patient.id}/progress").text
    assert "Rode pijnreactie" in html
    assert _state(world)[0] is False


def test_the_dashboard_evaluates_its_patients_first(client_for, world):
    response = _red_session(client_for("patient"), world)  # never closed: still due
    assert response.status_code == 302
    html = client_for("therapist").get("/training/dashboard").text
    assert "Rode pijnreactie" in html
    assert _state(world)[0] is False


def test_the_patients_own_next_page_shows_the_evaluation(client_for, world):
    patient = client_for("patient")
    response = _red_session(patient, world)
    page = patient.get(response.headers["Location"])  # before the first answer was closed
    assert page.status_code == 200
    assert _state(world)[0] is False


def test_pages_meeting_one_due_evaluation_run_it_once(app, world, monkeypatch):
    """Eight therapists open the patient's progress page at the moment the evaluation is
    due: one works it out, the others wait for it and show its result."""
    response = _red_session(login_as(app.test_client(), world.patient.user), world)
    assert response.status_code == 302
    runs = []
    original = services.after_logging
    monkeypatch.setattr(
        services, "after_logging", lambda *a, **k: (runs.append(1), original(*a, **k))[1]
    )
    gate = threading.Barrier(PARALLEL, timeout=5)
    settle = evaluation.settle

    def together(ids):
        gate.wait()  # all of them saw the evaluation due
        return settle(ids)

    monkeypatch.setattr(evaluation, "settle", together)
    therapists = [make_user(world.clinic, "therapist") for _ in range(PARALLEL)]
    db.session.commit()
    clients = [login_as(app.test_client(), t) for t in therapists]
    url = f"/training/patients/{world.patient.id}/progress"
    outcomes = race(clients, lambda client, i: client.get(url))
    no_server_errors(outcomes)
    assert [o.status for o in outcomes] == [200] * PARALLEL
    assert len(runs) == 1
    assert all("Rode pijnreactie" in o.text for o in outcomes)
    open_suggestions = db.session.scalars(
        sa.select(Suggestion.prescription_id).where(Suggestion.status == "open")
    ).all()
    assert len(open_suggestions) == len(set(open_suggestions))


def test_the_caseload_evaluates_its_patients_first(client_for, world):
    response = _red_session(client_for("patient"), world)  # never closed: still due
    assert response.status_code == 302
    html = client_for("therapist").get("/patients/").text
    assert "Rode pijnreactie" in html
    assert _state(world)[0] is False
