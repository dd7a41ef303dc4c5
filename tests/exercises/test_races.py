"""Archiving raced by parallel clicks: archived once, logged once; a built-in copied once."""

from __future__ import annotations

from sqlalchemy import func, select

from rehab.audit.models import AuditEntry
from rehab.exercises import services
from rehab.exercises.models import Exercise
from rehab.extensions import db
from tests.factories import login_as, make_exercise
from tests.races import PARALLEL, hold_after, no_server_errors, race


def _archive_entries() -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_type == "exercise",
                AuditEntry.summary_code.in_(["exercise_archived", "exercise_builtin_archived"]),
            )
        )
    )


def test_parallel_archiving_of_a_clinic_exercise_archives_and_logs_once(app, world, monkeypatch):
    own = make_exercise(world.clinic, name="Eigen brug")
    db.session.commit()
    clients = [login_as(app.test_client(), world.therapist) for _ in range(PARALLEL)]
    hold_after(monkeypatch, services, "exercise_for")

    url = f"/exercises/{own.id}/archive"

    outcomes = race(clients, lambda client, _i: client.post(url))

    no_server_errors(outcomes)
    assert {o.status for o in outcomes} == {302}
    db.session.expire_all()
    assert db.session.get(Exercise, own.id).archived_at is not None
    assert len(_archive_entries()) == 1


def test_parallel_archiving_of_a_built_in_makes_one_archived_copy(app, world, monkeypatch):
    builtin = make_exercise(name="Ingebouwde brug")
    db.session.commit()
    clients = [login_as(app.test_client(), world.therapist) for _ in range(PARALLEL)]
    hold_after(monkeypatch, services, "exercise_for")

    url = f"/exercises/{builtin.id}/archive"

    outcomes = race(clients, lambda client, _i: client.post(url))

    no_server_errors(outcomes)
    assert {o.status for o in outcomes} <= {302, 409}
    copies = db.session.scalars(select(Exercise).where(Exercise.source_id == builtin.id)).all()
    assert len(copies) == 1 and copies[0].archived_at is not None
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.object_type == "exercise", AuditEntry.object_id == copies[0].id
    )) == 1  # fmt: skip
