"""A patient logs a session on the today page: what is stored, and what is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.training.models import ExerciseLog, TrainingSession
from tests.factories import DaysFromToday, make_prescription, make_programme, on_the_day
from tests.training.factories import make_plan, session_form, today


def sessions_stored() -> int:
    return db.session.scalar(select(func.count(TrainingSession.id)))


@pytest.fixture
def plan(world):
    plan = make_plan(world.patient)
    db.session.commit()
    return plan


def test_today_shows_the_due_exercises_with_dose_and_instructions(client_for, plan):
    html = client_for("patient").get("/training/today").text
    assert "Goblet squat" in html
    assert "3 × 8–12 herhalingen" in html
    assert "20 kg" in html
    assert "Doe het rustig." in html  # the exercise's instructions in the patient's language
    assert "0 van 3 sessies deze week" in html
    assert 'name="submission_key"' in html
    # The guided session's timer runs the plank's holds: 3 sets of 3 holds of 20 s.
    assert (
        'data-guide-kind="hold" data-guide-sets="3" data-guide-reps="3" data-guide-hold="20"'
        in html
    )
    assert "<script>" not in html and "style=" not in html


def test_a_patient_logs_a_session_with_done_as_prescribed(app, client_for, world, plan):
    data = session_form(
        plan,
        {
            "squat": {"as_prescribed": "y", "pain_during": "2"},
            "plank": {"sets": "2", "reps": "3", "hold_seconds": "15", "pain_during": "3",
                      "effort": "6"},
            "walk": {"skipped": "y", "skip_reason": "time"},
        },
        duration_minutes=35,
        session_rpe=6,
        pain_after=2,
        note="Ging goed",
    )  # fmt: skip
    response = client_for("patient").post("/training/today", data=data)
    assert response.status_code == 302
    session = db.session.scalar(select(TrainingSession))
    assert response.headers["Location"].endswith(f"/training/sessions/{session.id}")
    assert (session.duration_minutes, session.session_rpe, session.load) == (35, 6, 210)
    assert session.programme_id == plan["programme"].id
    logs = {log.prescription_id: log for log in session.exercises}
    squat = logs[plan["squat"].id]
    # "Done as prescribed" is the prescribed dose: 3 sets, the bottom of 8–12, 20 kg, RPE 7.
    assert (squat.sets_done, squat.reps_done, squat.load_kg) == (3, 8, Decimal("20.00"))
    assert squat.effort == Decimal("7.0") and squat.pain_during == 2
    assert squat.prescription_version_id == plan["squat"].versions[-1].id
    plank = logs[plan["plank"].id]
    assert (plank.sets_done, plank.reps_done, plank.hold_seconds_done) == (2, 3, 15)
    walk = logs[plan["walk"].id]
    assert walk.skipped and walk.skip_reason == "time" and walk.sets_done is None
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.object_type == "training_session")
    )
    assert entry.action == "create" and entry.patient_id == world.patient.id
    page = client_for("patient").get(response.headers["Location"]).text
    assert "Goblet squat" in page and "overgeslagen" in page


def test_a_double_submit_stores_one_session(client_for, plan):
    client = client_for("patient")
    data = session_form(plan, {"squat": {"as_prescribed": "y"}})
    first = client.post("/training/today", data=data)
    second = client.post("/training/today", data=data)
    assert sessions_stored() == 1
    assert first.headers["Location"] == second.headers["Location"]
    assert "al opgeslagen" in client.get(second.headers["Location"]).text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"exercises-0-pain_during": "11"}, "Pijn is een getal van 0 tot 10."),
        ({"duration_minutes": "-5"}, "Vul een aantal minuten in van 1 tot 600."),
        ({"exercises-0-reps": "10000"}, "Vul een heel getal in van 0 tot 100."),
        ({"session_date": DaysFromToday(1)}, "in de toekomst"),
        ({"session_date": DaysFromToday(-8)}, "7 dagen terug"),
        ({"session_rpe": "12"}, "Kies een getal van 0 tot 10."),
        ({"exercises-0-sets": ""}, "Vul het aantal sets in"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(client_for, plan, change, message):
    data = session_form(plan, {"squat": {"sets": "3", "reps": "10", "load_kg": "20"}})
    data.update(on_the_day(change))
    response = client_for("patient").post("/training/today", data=data)
    assert response.status_code == 200
    assert message in response.text
    assert "Er is nog niets opgeslagen" in response.text
    assert sessions_stored() == 0


def test_a_prescription_of_another_patient_is_refused(client_for, world, plan):
    other = make_programme(world.other_patient)
    foreign = make_prescription(other.phases[0], plan["exercises"]["squat"])
    db.session.commit()
    data = session_form(plan, {foreign: {"as_prescribed": "y"}})
    response = client_for("patient").post("/training/today", data=data)
    assert response.status_code == 200
    assert "Deze oefening staat niet in je programma." in response.text
    assert sessions_stored() == 0
    assert db.session.scalar(select(func.count(ExerciseLog.id))) == 0


def test_an_empty_session_is_refused(client_for, plan):
    response = client_for("patient").post("/training/today", data=session_form(plan, {"squat": {}}))
    assert "Vink minstens één oefening aan" in response.text
    assert sessions_stored() == 0


def test_a_session_can_be_corrected_the_same_day(client_for, plan):
    client = client_for("patient")
    data = session_form(plan, {"squat": {"sets": "3", "reps": "10", "load_kg": "20"},
                               "plank": {"as_prescribed": "y"}})  # fmt: skip
    location = client.post("/training/today", data=data).headers["Location"]
    session_id = int(location.rsplit("/", 1)[1])
    form = client.get(f"/training/sessions/{session_id}/correct").text
    assert 'value="10"' in form
    corrected = session_form(plan, {"squat": {"sets": "3", "reps": "12", "load_kg": "20"},
                                    "plank": {}}, duration_minutes=40)  # fmt: skip
    response = client.post(f"/training/sessions/{session_id}/correct", data=corrected)
    assert response.status_code == 302
    session = db.session.get(TrainingSession, session_id)
    db.session.refresh(session)
    assert session.duration_minutes == 40
    assert [(log.prescription_id, log.reps_done) for log in session.exercises] == [
        (plan["squat"].id, 12)
    ]
    assert sessions_stored() == 1
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "training_session")
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["create", "update"]


def test_a_session_of_an_earlier_day_can_no_longer_be_corrected(client_for, plan):
    from tests.training.factories import log_session

    session = log_session(plan["programme"].patient_id and _patient(plan), today())
    session.created_at = session.created_at - dt.timedelta(days=1)
    db.session.commit()
    response = client_for("patient").get(f"/training/sessions/{session.id}/correct")
    assert response.status_code == 302
    page = client_for("patient").get(f"/training/sessions/{session.id}").text
    assert "Deze sessie corrigeren" not in page


def _patient(plan):
    from rehab.patients.models import Patient

    return db.session.get(Patient, plan["programme"].patient_id)


def test_another_patients_session_is_not_found(client_for, world, plan):
    from tests.training.factories import log_session

    session = log_session(world.patient, today())
    db.session.commit()
    assert client_for("other_patient").get(f"/training/sessions/{session.id}").status_code == 404


def test_two_simultaneous_submits_store_exactly_one_session(app, client_for, plan, monkeypatch):
    """Two requests with the same key at the same moment (two taps, two devices): the
    unique index lets one in; the other shows the session the first stored.

    Both requests are made to miss the stored session in their checks before inserting
    (as two truly simultaneous requests would), so the database alone has to decide.
    """
    import threading

    from rehab.training import services

    real_lookup = services.session_by_key
    calls = threading.local()

    def blind_lookup(key):
        calls.n = getattr(calls, "n", 0) + 1
        # The view's check misses (the service trusts it); the look-up after the refused
        # insert finds what the other request stored.
        return None if calls.n <= 1 else real_lookup(key)

    monkeypatch.setattr(services, "session_by_key", blind_lookup)
    data = session_form(plan, {"squat": {"as_prescribed": "y"}, "plank": {"as_prescribed": "y"}})
    clients = [client_for("patient"), client_for("patient")]
    barrier = threading.Barrier(len(clients))
    responses = [None, None]

    def submit(index):
        barrier.wait()
        responses[index] = clients[index].post("/training/today", data=data)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    assert sessions_stored() == 1
    assert db.session.scalar(select(func.count(ExerciseLog.id))) == 2


def test_an_exercise_without_its_prescription_is_refused(client_for, plan):
    data = session_form(plan, {"squat": {"as_prescribed": "y"}})
    del data["exercises-0-prescription_id"]
    response = client_for("patient").post("/training/today", data=data)
    assert response.status_code == 200
    assert "Deze oefening staat niet in je programma." in response.text
    assert sessions_stored() == 0
