"""What the therapist reads as evidence says what happened: whole doses, named patients,
actions in words (issue: the therapist's evidence)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rehab.extensions import db
from rehab.programmes.models import Suggestion
from tests.factories import make_patient
from tests.training.factories import check_in, log_session, make_plan, today, top_of_range


def _card(html: str, suggestion_id: int) -> str:
    start = html.index(f'id="suggestion-{suggestion_id}"')
    return html[start : html.index("</li>", start)]


def _text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_a_suggestion_card_shows_the_whole_dose_now_and_proposed(client_for, world):
    """A per-side hold with 30 s rest: the proposal keeps "per side" and the rest, as the
    accepted dose does; only what the suggestion changes differs."""
    plan = make_plan(world.patient)
    plank = plan["plank"]
    plank.sides, plank.rest_seconds = "each", 30
    for n in range(8, 1, -1):
        check_in(world.patient, today() - dt.timedelta(days=n), pain=2)
    log_session(world.patient, today() - dt.timedelta(days=1), exercises=[
        (plank, top_of_range(plank, pain=7)),
    ])  # fmt: skip
    db.session.commit()
    from rehab.training.services import after_logging

    after_logging(world.patient, today=today())
    db.session.commit()
    suggestion = db.session.scalar(
        db.select(Suggestion).where(Suggestion.prescription_id == plank.id)
    )
    assert suggestion is not None and suggestion.action == "regress"

    progress = client_for("therapist").get(f"/training/patients/{world.patient.id}/progress")
    card = _text(_card(progress.text, suggestion.id))
    now = card[card.index("Nu:") : card.index("Voorstel:")]
    proposed = card[card.index("Voorstel:") :]
    for words in ("per kant", "rust 30 s"):
        assert words in now, now
        assert words in proposed, proposed


def test_the_dashboard_tells_patients_with_the_same_name_apart(client_for, world):
    twin = make_patient(
        world.clinic,
        world.therapist,
        first_name=world.patient.first_name,
        last_name=world.patient.last_name,
        date_of_birth=dt.date(1961, 4, 2),
    )
    world.patient.date_of_birth = dt.date(1990, 11, 23)
    make_plan(world.patient)
    make_plan(twin)
    check_in(world.patient, today())
    check_in(twin, today())
    db.session.commit()
    html = client_for("therapist").get("/training/dashboard").text
    name = f"{world.patient.last_name}, {world.patient.first_name}"
    assert html.count(name) == 2
    assert "geboren 23-11-1990" in html and "geboren 02-04-1961" in html
    assert f"patiëntnr. {twin.id}" in html and f"patiëntnr. {world.patient.id}" in html


def test_the_reason_of_an_accepted_dose_change_names_the_action_in_words(client_for, world):
    plan = make_plan(world.patient)
    squat = plan["squat"]
    for n in range(8, 1, -1):
        check_in(world.patient, today() - dt.timedelta(days=n), pain=2)
    log_session(world.patient, today() - dt.timedelta(days=1), exercises=[
        (squat, top_of_range(squat, pain=7)),
    ])  # fmt: skip
    db.session.commit()
    from rehab.training.services import after_logging

    after_logging(world.patient, today=today())
    db.session.commit()
    suggestion = db.session.scalar(
        db.select(Suggestion).where(Suggestion.prescription_id == squat.id)
    )
    therapist = client_for("therapist")
    therapist.post(f"/training/patients/{world.patient.id}/suggestions/{suggestion.id}/accept")
    history = therapist.get(
        f"/programmes/{plan['programme'].id}/prescriptions/{squat.id}/history"
    ).text
    assert "Voorstel om af te bouwen overgenomen" in history
    assert "(regress)" not in history and "regress" not in _text(history)


def test_the_default_window_fits_a_week_of_data(client_for, world):
    """One week of sessions is shown over two weeks, not squeezed into twelve."""
    from rehab.training.pages import fitted_weeks

    plan = make_plan(world.patient)
    for n in range(1, 6):
        log_session(world.patient, today() - dt.timedelta(days=n), exercises=[
            (plan["squat"], top_of_range(plan["squat"], pain=2)),
        ])  # fmt: skip
    db.session.commit()
    html = client_for("therapist").get(f"/training/patients/{world.patient.id}/progress").text
    chosen = re.search(r'aria-current="page">([^<]+)</a>', html).group(1)
    assert chosen == "2 weken"
    assert fitted_weeks(today() - dt.timedelta(days=5), today(), (2, 4, 12)) == 2
    assert fitted_weeks(today() - dt.timedelta(weeks=5), today(), (2, 4, 12)) == 12
    assert fitted_weeks(None, today(), (2, 4, 12)) == 2
    # A chosen period stays chosen.
    html = (
        client_for("therapist").get(f"/training/patients/{world.patient.id}/progress?weeks=12").text
    )
    assert re.search(r'aria-current="page">([^<]+)</a>', html).group(1) == "12 weken"


def _red(world, plan, day, **pains):
    log_session(world.patient, day, exercises=[
        (plan[key], top_of_range(plan[key], pain=pain)) for key, pain in pains.items()
    ])  # fmt: skip


def _mornings(world, days=8):
    for n in range(days, 0, -1):
        check_in(world.patient, today() - dt.timedelta(days=n), pain=2)


def test_two_red_pain_alerts_name_their_exercise_and_session(client_for, world):
    """A session where the squat and the side plank both hurt (7/10): two alerts, each
    naming its exercise and the session's date, not two identical "red pain" cards."""
    from rehab.training.alerts import scan_alerts
    from rehab.training.models import Alert

    plan = make_plan(world.patient)
    _mornings(world)
    day = today() - dt.timedelta(days=1)
    _red(world, plan, day, squat=7, plank=7)
    db.session.commit()
    scan_alerts(today=today(), patient_ids=[world.patient.id])
    db.session.commit()
    alerts = db.session.scalars(db.select(Alert).where(Alert.kind == "pain_red")).all()
    assert sorted(a.prescription_id for a in alerts) == sorted([plan["squat"].id, plan["plank"].id])
    html = _text(
        client_for("therapist").get(f"/training/patients/{world.patient.id}/progress").text
    )
    assert "Rode pijnreactie · Goblet squat" in html
    assert "Rode pijnreactie · Side plank" in html
    assert html.count(f"Sessie van {day.day} ") >= 2


def test_repeated_red_sessions_for_one_exercise_and_week_are_one_alert_with_a_count(
    client_for, world
):
    from rehab.training.alerts import scan_alerts
    from rehab.training.models import Alert

    plan = make_plan(world.patient)
    _mornings(world, days=10)
    monday = today() - dt.timedelta(days=today().weekday())
    first, second = (
        (monday, monday + dt.timedelta(days=1))
        if today().weekday() >= 1
        else (monday - dt.timedelta(days=3), monday - dt.timedelta(days=2))
    )  # two days of the same week, both in the past (or today)
    _red(world, plan, first, squat=8)
    db.session.commit()
    scan_alerts(today=today(), patient_ids=[world.patient.id])
    _red(world, plan, second, squat=7)
    db.session.commit()
    scan_alerts(today=today(), patient_ids=[world.patient.id])
    db.session.commit()
    alerts = db.session.scalars(db.select(Alert).where(Alert.kind == "pain_red")).all()
    assert len(alerts) == 1
    assert alerts[0].evidence["count"] == 2
    html = _text(client_for("therapist").get("/training/dashboard").text)
    assert "2 sessies deze week" in html


def test_pain_after_the_session_is_one_alert_for_the_session_naming_its_exercises(world):
    from rehab.training.alerts import scan_alerts
    from rehab.training.models import Alert

    plan = make_plan(world.patient)
    _mornings(world)
    log_session(world.patient, today() - dt.timedelta(days=1), pain_after=8, exercises=[
        (plan["squat"], top_of_range(plan["squat"], pain=2)),
        (plan["plank"], top_of_range(plan["plank"], pain=2)),
    ])  # fmt: skip
    db.session.commit()
    scan_alerts(today=today(), patient_ids=[world.patient.id])
    db.session.commit()
    (alert,) = db.session.scalars(db.select(Alert).where(Alert.kind == "pain_red")).all()
    assert alert.prescription_id is None and alert.dedupe_key.startswith("session:")
    assert alert.evidence["reasons"][0]["code"] == "pain_after_high"
    assert set(alert.evidence["exercise_ids"]) == {
        plan["squat"].exercise_id,
        plan["plank"].exercise_id,
    }


@pytest.mark.parametrize("decision", ["accept", "dismiss"])
def test_deciding_a_suggestion_resolves_the_alerts_it_rests_on_with_the_note(
    client_for, world, decision
):
    """A red squat raises a regress and a red-pain alert for the squat: one decision, with
    one note, answers both; the alert's history says so. The plank's alert stays open."""
    from rehab.audit.models import AuditEntry
    from rehab.training.alerts import scan_alerts
    from rehab.training.models import Alert
    from rehab.training.services import after_logging

    plan = make_plan(world.patient)
    _mornings(world)
    _red(world, plan, today() - dt.timedelta(days=1), squat=8)
    _red(world, plan, today() - dt.timedelta(days=1), plank=2)
    db.session.commit()
    after_logging(world.patient, today=today())
    scan_alerts(today=today(), patient_ids=[world.patient.id])
    db.session.commit()
    suggestion = db.session.scalar(
        db.select(Suggestion).where(Suggestion.prescription_id == plan["squat"].id)
    )
    squat_alert = db.session.scalar(
        db.select(Alert).where(Alert.prescription_id == plan["squat"].id)
    )
    other = Alert(
        clinic_id=world.clinic.id, patient_id=world.patient.id, kind="no_logs",
        severity="caution", dedupe_key="since:x", evidence={"reasons": []},
    )  # fmt: skip
    db.session.add(other)
    db.session.commit()
    therapist = client_for("therapist")
    page = therapist.get(f"/training/patients/{world.patient.id}/progress").text
    assert "Je besluit handelt ook het signaal af waarop het voorstel rust" in page

    therapist.post(
        f"/training/patients/{world.patient.id}/suggestions/{suggestion.id}/{decision}",
        data={"note": "Besproken: squat tijdelijk lichter."},
    )
    db.session.expire_all()
    squat_alert = db.session.get(Alert, squat_alert.id)
    assert squat_alert.acknowledged_at is not None
    assert squat_alert.acknowledgement_note == "Besproken: squat tijdelijk lichter."
    assert squat_alert.resolved_by_suggestion_id == suggestion.id
    assert db.session.get(Alert, other.id).acknowledged_at is None
    history = _text(therapist.get(f"/training/patients/{world.patient.id}/progress").text)
    assert "Afgehandeld op" in history and "Besproken: squat tijdelijk lichter." in history
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_type == "alert")).all()
    assert [a.object_id for a in audit] == [squat_alert.id]
