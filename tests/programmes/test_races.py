"""Programme state changes raced by parallel requests (activation, phase changes, completing):
exactly one wins, the others get the "changed by someone else" page (409) or a message,
never a 500, and the access log holds one entry for the change.

Eight clients, each with its own login and database connection; every request waits after
loading the programme until all eight have loaded it (so each saw the same version).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.programmes import services
from rehab.programmes.models import PhaseChange, Programme
from tests.factories import login_as
from tests.programmes.factories import build_programme
from tests.races import PARALLEL, hold_after, no_server_errors, race

CONFLICT = "Gewijzigd door iemand anders"


@pytest.fixture
def therapists(app, world):
    return [login_as(app.test_client(), world.therapist) for _ in range(PARALLEL)]


def _entries(code: str, **values) -> list[AuditEntry]:
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.object_type == "programme", AuditEntry.summary_code == code
        )
    )
    return [e for e in entries if values.items() <= (e.summary_values or {}).items()]


def _phase_changes(programme_id: int) -> int:
    stmt = select(func.count()).where(PhaseChange.programme_id == programme_id)
    return db.session.scalar(stmt.select_from(PhaseChange))


def test_parallel_phase_advances_move_one_phase(world, therapists, monkeypatch):
    programme = build_programme(world.patient, phases=3, status="active")
    db.session.commit()
    version, programme_id = programme.version, programme.id
    hold_after(monkeypatch, services, "programme_for")

    outcomes = race(
        therapists,
        lambda client, i: client.post(
            f"/programmes/{programme_id}/phase",
            data={"version": version, "direction": "next", "note": f"criteria gehaald ({i})"},
        ),
    )

    no_server_errors(outcomes)
    winners = [o for o in outcomes if o.status == 302]
    assert len(winners) == 1
    assert winners[0].messages == ["De patiënt zit nu in fase 2: Fase 2."]
    assert all(o.status == 409 and CONFLICT in o.text for o in outcomes if o.status != 302)
    db.session.expire_all()
    row = db.session.get(Programme, programme_id)
    assert row.current_phase_id == sorted(row.phases, key=lambda p: p.position)[1].id
    assert row.version == version + 1
    assert _phase_changes(programme_id) == 1
    assert len(_entries("phase_advanced", position=2)) == 1


def test_parallel_activations_start_the_programme_once(world, therapists, monkeypatch):
    programme = build_programme(world.patient, phases=2)
    db.session.commit()
    version, programme_id = programme.version, programme.id
    hold_after(monkeypatch, services, "programme_for")

    outcomes = race(
        therapists,
        lambda client, _i: client.post(
            f"/programmes/{programme_id}/activate", data={"version": version}
        ),
    )

    no_server_errors(outcomes)
    winners = [o for o in outcomes if o.status == 302]
    assert len(winners) == 1
    assert winners[0].messages == ["Het programma is actief: de patiënt ziet nu fase 1."]
    assert all(o.status == 409 and CONFLICT in o.text for o in outcomes if o.status != 302)
    db.session.expire_all()
    assert db.session.get(Programme, programme_id).status == "active"
    assert _phase_changes(programme_id) == 1
    assert len(_entries("programme_activated")) == 1


def test_two_drafts_activated_at_once_leave_one_active_programme(world, therapists, monkeypatch):
    """Four clients activate draft A, four draft B, each ticking "complete the current one":
    one programme is active at the end, the other is not, and nobody got a 500."""
    drafts = [build_programme(world.patient, phases=1, title=t) for t in ("A", "B")]
    db.session.commit()
    targets = [(d.id, d.version) for d in drafts]
    hold_after(monkeypatch, services, "programme_for")

    def activate(client, i):
        programme_id, version = targets[i % 2]
        return client.post(
            f"/programmes/{programme_id}/activate",
            data={"version": version, "complete_previous": "y"},
        )

    outcomes = race(therapists, activate)

    no_server_errors(outcomes)
    db.session.expire_all()
    statuses = sorted(db.session.get(Programme, pid).status for pid, _ in targets)
    assert statuses in (["active", "draft"], ["active", "completed"])
    active = db.session.scalars(
        select(Programme).where(
            Programme.patient_id == world.patient.id, Programme.status == "active"
        )
    ).all()
    assert len(active) == 1
    assert len(_entries("programme_activated")) == (2 if "completed" in statuses else 1)
    successes = [o for o in outcomes if "Het programma is actief" in " ".join(o.messages)]
    assert len(successes) == len(_entries("programme_activated"))


def test_parallel_completions_complete_once(world, therapists, monkeypatch):
    programme = build_programme(world.patient, phases=1, status="active")
    db.session.commit()
    version, programme_id = programme.version, programme.id
    hold_after(monkeypatch, services, "programme_for")

    outcomes = race(
        therapists,
        lambda client, i: client.post(
            f"/programmes/{programme_id}/complete",
            data={"version": version, "conclusion": f"klaar ({i})"},
        ),
    )

    no_server_errors(outcomes)
    assert sum(o.status == 302 for o in outcomes) == 1
    assert all(o.status == 409 for o in outcomes if o.status != 302)
    db.session.expire_all()
    row = db.session.get(Programme, programme_id)
    assert row.status == "completed"
    winner = next(i for i, o in enumerate(outcomes) if o.status == 302)
    assert row.conclusion == f"klaar ({winner})"
    assert len(_entries("programme_completed")) == 1
