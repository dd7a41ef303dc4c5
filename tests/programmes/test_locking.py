"""Optimistic locking: two therapists open the same programme; the second save gets 409
with a clear message and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from rehab.extensions import db
from rehab.programmes.models import Phase, Prescription, Programme
from tests.factories import make_user
from tests.programmes.factories import build_programme, dose_form


def _reload(programme_id: int) -> Programme:
    db.session.expire_all()
    return db.session.get(Programme, programme_id)


def test_second_save_of_a_stale_form_gets_409_and_nothing_changes(world, client_for):
    from tests.factories import login_as

    programme = build_programme(world.patient)
    colleague = make_user(world.clinic, "therapist", full_name="Fatima Collega")
    db.session.commit()
    first = client_for("therapist")
    second = login_as(first.application.test_client(), colleague)
    opened_at = programme.version  # both open the builder at this version
    prescription = programme.phases[0].prescriptions[1]
    url = f"/programmes/{programme.id}/prescriptions/{prescription.id}/edit"

    saved = first.post(url, data=dose_form(opened_at, load_kg="14", reason="eerste"))
    assert saved.status_code == 302
    assert _reload(programme.id).version == opened_at + 1

    stale = second.post(url, data=dose_form(opened_at, load_kg="20", reason="tweede"))
    assert stale.status_code == 409
    assert "Gewijzigd door iemand anders" in stale.text
    assert "Jouw wijziging is niet opgeslagen" in stale.text
    db.session.expire_all()
    assert db.session.get(Prescription, prescription.id).load_kg == 14
    assert db.session.get(Prescription, prescription.id).current_version == 2
    assert _reload(programme.id).version == opened_at + 1


def test_every_builder_change_bumps_the_version_and_stale_forms_all_get_409(world, client_for):
    programme = build_programme(world.patient, phases=2)
    therapist = client_for("therapist")
    phase = programme.phases[0]
    criterion = phase.criteria[0]
    rx = phase.prescriptions[1]
    base = f"/programmes/{programme.id}"
    actions = [
        (f"{base}/details", {"title": "Nieuwe titel"}),
        (
            f"{base}/phases/new",
            {"name": "Fase 3", "schedule_kind": "per_week", "sessions_per_week": 3},
        ),
        (
            f"{base}/phases/{phase.id}/edit",
            {"name": "Fase A", "schedule_kind": "per_week", "sessions_per_week": 2},
        ),
        (f"{base}/phases/{phase.id}/move", {"direction": "down"}),
        (
            f"{base}/criteria/{criterion.id}/edit",
            {"kind": "pain_during_max", "comparison": "<=", "target": "2"},
        ),
        (f"{base}/criteria/{phase.criteria[1].id}/tick", {"checked": "y"}),
        (
            f"{base}/phases/{phase.id}/criteria/new",
            {"kind": "adherence", "comparison": ">=", "target": "80"},
        ),
        (f"{base}/prescriptions/{rx.id}/move", {"direction": "up"}),
        (f"{base}/prescriptions/{rx.id}/edit", dose_form(0, reason="x", load_kg="13")),
    ]
    for url, data in actions:
        version = _reload(programme.id).version
        stale = therapist.post(url, data={**data, "version": version - 1})
        assert stale.status_code == 409, url
        assert _reload(programme.id).version == version, url
        fresh = therapist.post(url, data={**data, "version": version})
        assert fresh.status_code == 302, url
        assert _reload(programme.id).version == version + 1, url


def test_a_stale_delete_or_activation_changes_nothing(world, client_for):
    programme = build_programme(world.patient, phases=2)
    therapist = client_for("therapist")
    phase_count = db.session.scalar(select(func.count(Phase.id)))
    stale = programme.version - 1
    assert (
        therapist.post(
            f"/programmes/{programme.id}/phases/{programme.phases[1].id}/delete",
            data={"version": stale},
        ).status_code
        == 409
    )
    assert (
        therapist.post(f"/programmes/{programme.id}/activate", data={"version": stale}).status_code
        == 409
    )
    assert (
        therapist.post(f"/programmes/{programme.id}/delete", data={"version": stale}).status_code
        == 409
    )
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Phase.id))) == phase_count
    assert db.session.get(Programme, programme.id).status == "draft"


def test_a_form_without_its_version_is_refused(world, client_for):
    programme = build_programme(world.patient)
    response = client_for("therapist").post(
        f"/programmes/{programme.id}/details", data={"title": "Zonder versie"}
    )
    assert response.status_code == 400
    assert _reload(programme.id).title != "Zonder versie"


def test_a_save_racing_another_one_is_caught_by_the_version_column(world):
    import pytest
    from sqlalchemy import text

    from rehab.programmes import services

    programme = build_programme(world.patient)
    loaded = services.load_tree(programme.id)
    version = loaded.version
    # Another request saves between our version check and our write.
    db.session.execute(
        text("UPDATE programmes SET version = version + 1 WHERE id = :id"), {"id": programme.id}
    )
    with pytest.raises(services.ProgrammeChanged):
        services.update_details(world.therapist, loaded, version, title="Mijn titel",
                                description=None)  # fmt: skip
    assert _reload(programme.id).title != "Mijn titel"
