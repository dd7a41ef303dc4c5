"""Decisions raced by parallel requests: exactly one wins, the others are told it was
already decided, and the access log holds the winner's decision only.

Eight clients (each its own login and database connection) post at the same moment; every
request waits after loading the suggestion or alert until all eight have loaded it, so each
one saw it open. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.programmes.models import Prescription, PrescriptionVersion, Suggestion
from rehab.training import decisions
from rehab.training.models import Alert
from rehab.training.suggestions import refresh_suggestions
from tests.factories import clinic_today, login_as
from tests.races import PARALLEL, hold_after, no_server_errors, race
from tests.training.factories import check_in, log_session, make_plan, top_of_range

MONDAY = dt.date(2024, 1, 1)
ALREADY_DECIDED = "Over dit voorstel is al besloten."
ACCEPTED = "Voorstel overgenomen: de oefening heeft de nieuwe dosering."
DISMISSED = "Voorstel afgewezen."


@pytest.fixture
def suggestion(world) -> Suggestion:
    """An open progress suggestion for the squat (20 → 22 kg)."""
    plan = make_plan(world.patient, started_on=dt.date(2023, 12, 1))
    for n in range(-7, 12):
        check_in(world.patient, MONDAY + dt.timedelta(days=n), pain=2)
    for n in (7, 9):
        squat = plan["squat"]
        log_session(world.patient, MONDAY + dt.timedelta(days=n),
                    exercises=[(squat, top_of_range(squat))])  # fmt: skip
    db.session.commit()
    (row,) = refresh_suggestions(world.patient, today=MONDAY + dt.timedelta(days=10))
    db.session.commit()
    return row


@pytest.fixture
def therapists(app, world):
    """PARALLEL clients, each logged in as the therapist on a login of its own."""
    return [login_as(app.test_client(), world.therapist) for _ in range(PARALLEL)]


def _prescription(suggestion: Suggestion) -> Prescription:
    return db.session.get(Prescription, suggestion.prescription_id)


def _suggestion_entries(suggestion_id: int) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_type == "suggestion",
                AuditEntry.object_id == suggestion_id,
                AuditEntry.action == "update",
            )
        )
    )


def test_parallel_accepts_make_one_new_dose(world, suggestion, therapists, monkeypatch):
    hold_after(monkeypatch, decisions, "suggestion_for")
    url = f"/training/patients/{world.patient.id}/suggestions/{suggestion.id}/accept"

    outcomes = race(therapists, lambda client, _i: client.post(url))

    no_server_errors(outcomes)
    assert {o.status for o in outcomes} == {302}
    messages = sorted(m for o in outcomes for m in o.messages)
    assert messages == sorted([ACCEPTED] + [ALREADY_DECIDED] * (PARALLEL - 1))
    db.session.expire_all()
    row = db.session.get(Suggestion, suggestion.id)
    assert row.status == "accepted"
    versions = db.session.scalars(
        select(PrescriptionVersion).where(PrescriptionVersion.suggestion_id == suggestion.id)
    ).all()
    assert [v.dose["load_kg"] for v in versions] == ["22"]
    assert _prescription(row).current_version == 2
    assert _prescription(row).load_kg == Decimal("22")
    (entry,) = _suggestion_entries(suggestion.id)
    assert (entry.summary_code, entry.summary_values["action"]) == (
        "suggestion_accepted",
        "progress",
    )


def test_accept_and_dismiss_at_once_leave_one_consistent_decision(
    world, suggestion, therapists, monkeypatch
):
    hold_after(monkeypatch, decisions, "suggestion_for")
    base = f"/training/patients/{world.patient.id}/suggestions/{suggestion.id}"

    def decide(client, i):
        if i % 2:
            return client.post(f"{base}/dismiss", data={"note": f"niet nu ({i})"})
        return client.post(f"{base}/accept")

    outcomes = race(therapists, decide)

    no_server_errors(outcomes)
    winners = [(i, o) for i, o in enumerate(outcomes) if ALREADY_DECIDED not in o.messages]
    assert len(winners) == 1, [o.messages for o in outcomes]
    (index, winner), = winners  # fmt: skip
    db.session.expire_all()
    row = db.session.get(Suggestion, suggestion.id)
    versions = db.session.scalars(
        select(PrescriptionVersion).where(PrescriptionVersion.suggestion_id == suggestion.id)
    ).all()
    (entry,) = _suggestion_entries(suggestion.id)
    if index % 2:  # a dismissal won: its own note, no new dose
        assert winner.messages == [DISMISSED]
        assert (row.status, row.note) == ("dismissed", f"niet nu ({index})")
        assert versions == [] and _prescription(row).current_version == 1
        assert entry.summary_code == "suggestion_dismissed"
        assert entry.summary_values == {"action": "progress", "note": f"niet nu ({index})"}
    else:  # an accept won: the new dose, and no dismissal's note on it
        assert winner.messages == [ACCEPTED]
        assert (row.status, row.note) == ("accepted", None)
        assert len(versions) == 1 and _prescription(row).current_version == 2
        assert (entry.summary_code, entry.summary_values["action"]) == (
            "suggestion_accepted",
            "progress",
        )
    assert row.decided_by_id == world.therapist.id


def _change_dose_elsewhere(prescription) -> None:
    """Another request's dose change (version 2), committed on its own connection."""
    table = prescription.__table__
    with db.engine.connect() as other:
        other.execute(
            PrescriptionVersion.__table__.insert().values(
                prescription_id=prescription.id, version=2, exercise_id=prescription.exercise_id,
                dose={"sets": 4}, reason="builder", changed_at=dt.datetime.now(dt.UTC),
                effective_on=clinic_today(),
            )
        )  # fmt: skip
        other.execute(
            table.update().where(table.c.id == prescription.id).values(current_version=2, sets=4)
        )
        other.commit()


def test_a_dose_change_committed_after_loading_sets_the_suggestion_aside(world, suggestion):
    """The dose changed between loading the suggestion and accepting it: no second version 2
    (the unique key, a 500 before), but the suggestion set aside."""
    prescription = _prescription(suggestion)
    assert prescription.current_version == 1  # loaded in this session
    _change_dose_elsewhere(prescription)
    with pytest.raises(decisions.DecisionRefused, match="stale"):
        decisions.accept_suggestion(
            world.therapist, world.patient, suggestion, today=MONDAY, reason="ok"
        )
    db.session.expire_all()
    assert db.session.get(Suggestion, suggestion.id).status == "superseded"
    assert _prescription(db.session.get(Suggestion, suggestion.id)).sets == 4


def test_change_dose_refuses_a_version_someone_else_already_wrote(world, suggestion):
    from rehab.programmes.dosing import DoseChanged, change_dose

    prescription = _prescription(suggestion)
    assert prescription.current_version == 1
    _change_dose_elsewhere(prescription)
    with pytest.raises(DoseChanged):
        change_dose(prescription, {"sets": 5}, actor=world.therapist, reason="stale form")
        db.session.flush()
    db.session.rollback()
    versions = db.session.scalars(
        select(PrescriptionVersion.version).where(
            PrescriptionVersion.prescription_id == prescription.id
        )
    ).all()
    assert sorted(versions) == [1, 2]
    assert db.session.get(type(prescription), prescription.id).sets == 4


@pytest.fixture
def alert(world) -> Alert:
    row = Alert(
        clinic_id=world.clinic.id,
        patient_id=world.patient.id,
        kind="pain_red",
        severity="alert",
        dedupe_key="2024-01-08",
        evidence={"reasons": [{"code": "pain_during_high", "values": {"pain": 7, "limit": 5}}]},
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_parallel_acknowledgements_keep_the_first_note(world, alert, therapists, monkeypatch):
    hold_after(monkeypatch, decisions, "alert_for")
    url = f"/training/patients/{world.patient.id}/alerts/{alert.id}/acknowledge"

    outcomes = race(therapists, lambda client, i: client.post(url, data={"note": f"gezien {i}"}))

    no_server_errors(outcomes)
    messages = sorted(m for o in outcomes for m in o.messages)
    assert messages == sorted(
        ["Signaal afgehandeld."] + ["Dit signaal was al afgehandeld."] * (PARALLEL - 1)
    )
    winner = next(i for i, o in enumerate(outcomes) if "Signaal afgehandeld." in o.messages)
    db.session.expire_all()
    row = db.session.get(Alert, alert.id)
    assert row.acknowledgement_note == f"gezien {winner}"
    (entry,) = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "alert", AuditEntry.action == "update")
    ).all()
    assert entry.summary_code == "alert_acknowledged"
    assert entry.summary_values["note"] == f"gezien {winner}"
