"""Phases and exit criteria in the builder: schedules (per week, weekdays, rotation A/B),
reordering, deleting, and criteria with a measure, side, comparison and window."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from rehab.extensions import db
from rehab.programmes.models import ExitCriterion, Phase, Programme
from tests.programmes.factories import build_programme


def _reload(programme_id: int) -> Programme:
    db.session.expire_all()
    return db.session.get(Programme, programme_id)


def test_phases_with_each_kind_of_schedule(world, client_for):
    programme = build_programme(world.patient, phases=1)
    therapist = client_for("therapist")
    url = f"/programmes/{programme.id}/phases/new"
    assert therapist.get(url).status_code == 200
    for data in (
        {"name": "Vaste dagen", "schedule_kind": "weekdays", "weekdays": ["1", "3", "5"]},
        {"name": "A/B", "schedule_kind": "rotation", "rotation": "a / b", "sessions_per_week": 3},
    ):
        version = _reload(programme.id).version
        assert therapist.post(url, data={**data, "version": version}).status_code == 302
    phases = _reload(programme.id).phases
    assert [(p.position, p.schedule_kind, p.weekdays, p.rotation, p.sessions_per_week)
            for p in phases[1:]] == [(2, "weekdays", "1,3,5", None, None),
                                     (3, "rotation", None, "A,B", 3)]  # fmt: skip
    page = therapist.get(f"/programmes/{programme.id}/builder")
    assert "op maandag, woensdag en vrijdag" in page.text
    assert "3 sessies per week, afwisselend dag A/B" in page.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "schedule_kind": "per_week", "sessions_per_week": 3}, "name"),
        ({"name": "X", "schedule_kind": "per_week"}, "Geef het aantal sessies per week."),
        ({"name": "X", "schedule_kind": "weekdays"}, "Vink ten minste één weekdag aan."),
        (
            {"name": "X", "schedule_kind": "rotation", "rotation": "A", "sessions_per_week": 3},
            "ten minste twee sessiedagen",
        ),
        (
            {"name": "X", "schedule_kind": "rotation", "rotation": "A/A", "sessions_per_week": 3},
            "verschillende labels",
        ),
        (
            {"name": "X", "schedule_kind": "per_week", "sessions_per_week": 3, "planned_weeks": 60},
            "planned_weeks",
        ),
    ],
)
def test_bad_phase_input_is_refused(world, client_for, data, message):
    programme = build_programme(world.patient)
    response = client_for("therapist").post(
        f"/programmes/{programme.id}/phases/new", data={**data, "version": programme.version}
    )
    assert response.status_code == 200
    assert message in response.text
    assert len(_reload(programme.id).phases) == 1


def test_a_rotation_day_with_exercises_cannot_disappear(world, client_for):
    programme = build_programme(world.patient)
    phase = programme.phases[0]
    phase.schedule_kind, phase.rotation = "rotation", "A,B"
    phase.prescriptions[0].session_label = "A"
    phase.prescriptions[1].session_label = "B"
    db.session.commit()
    response = client_for("therapist").post(
        f"/programmes/{programme.id}/phases/{phase.id}/edit",
        data={"version": programme.version, "name": "Fase", "schedule_kind": "rotation",
              "rotation": "A/C", "sessions_per_week": 3},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Sessiedag B heeft nog oefeningen" in response.text
    assert _reload(programme.id).phases[0].rotation == "A,B"


def test_phases_are_reordered_and_deleted_without_gaps(world, client_for):
    programme = build_programme(world.patient, phases=3)
    first, second, third = (p.id for p in programme.phases)
    therapist = client_for("therapist")
    moved = therapist.post(
        f"/programmes/{programme.id}/phases/{third}/move",
        data={"version": programme.version, "direction": "up"},
    )
    assert moved.status_code == 302
    assert [p.id for p in _reload(programme.id).phases] == [first, third, second]
    deleted = therapist.post(
        f"/programmes/{programme.id}/phases/{first}/delete",
        data={"version": _reload(programme.id).version},
    )
    assert deleted.status_code == 302
    phases = _reload(programme.id).phases
    assert [(p.id, p.position) for p in phases] == [(third, 1), (second, 2)]
    assert db.session.get(Phase, first) is None


def test_criteria_are_added_with_their_own_words_or_described_automatically(world, client_for):
    programme = build_programme(world.patient)
    phase = programme.phases[0]
    therapist = client_for("therapist")
    url = f"/programmes/{programme.id}/phases/{phase.id}/criteria/new"
    assert therapist.get(url).status_code == 200
    added = [
        {"kind": "measure", "measure": "side_bridge", "side": "each", "comparison": ">=",
         "target": "60"},
        {"kind": "ratio", "measure": "side_bridge_balance", "comparison": "between",
         "target": "0.95", "target_high": "1.05"},
        {"kind": "adherence", "comparison": ">=", "target": "80", "window_weeks": "2"},
        {"kind": "hold_time", "prescription_id": str(phase.prescriptions[0].id),
         "comparison": ">=", "target": "20", "label": "Zijplank 20 s"},
    ]  # fmt: skip
    for data in added:
        version = _reload(programme.id).version
        assert therapist.post(url, data={**data, "version": version}).status_code == 302
    criteria = db.session.scalars(
        select(ExitCriterion).where(ExitCriterion.phase_id == phase.id)
        .order_by(ExitCriterion.position)
    ).all()[3:]  # fmt: skip
    labels = [c.label for c in criteria]
    assert labels[0] == "Zijwaartse plank (side bridge) ≥ 60 s, per kant"
    assert labels[1].endswith(": tussen 0,95 en 1,05")
    assert labels[2:] == ["Therapietrouw ≥ 80 % over 2 weken", "Zijplank 20 s"]
    assert criteria[2].target == Decimal("0.8")  # adherence is kept as a fraction
    assert criteria[3].prescription_id == phase.prescriptions[0].id
    assert not any(c.is_default for c in criteria)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "measure", "measure": "side_bridge", "comparison": ">=", "target": "60"},
            "side",
            "kies een kant",
        ),
        ({"kind": "measure", "comparison": ">=", "target": "60"}, "measure", "Kies een meting"),
        (
            {"kind": "measure", "measure": "modified_schober", "comparison": ">=", "target": "99"},
            "target",
            "Geef een waarde van 0 tot 15",
        ),
        (
            {
                "kind": "ratio",
                "measure": "side_bridge_balance",
                "comparison": "between",
                "target": "1.05",
                "target_high": "0.95",
            },
            "target_high",
            "staat andersom",
        ),
        (
            {
                "kind": "ratio",
                "measure": "side_bridge_balance",
                "comparison": "between",
                "target": "0.95",
            },
            "target_high",
            "ook om een hoge waarde",
        ),
        (
            {"kind": "outcome_change", "measure": "odi", "comparison": ">=", "target": "2"},
            "measure",
            "Kies PSK, PSFS of de patiëntspecifieke activiteiten.",
        ),
        ({"kind": "pain_during_max", "comparison": "<=", "target": "12"}, "target", "0 tot 10"),
        ({"kind": "pain_during_max", "comparison": "<="}, "target", "Geef de streefwaarde."),
        (
            {"kind": "hold_time", "comparison": ">=", "target": "10"},
            "prescription_id",
            "tijd vasthouden",
        ),
        ({"kind": "therapist_check"}, "label", "wat de therapeut controleert"),
        (
            {"kind": "adherence", "comparison": ">=", "target": "80", "window_weeks": "40"},
            "window_weeks",
            "",
        ),
    ],
)
def test_bad_criteria_get_a_clear_message(world, client_for, data, field, message):
    programme = build_programme(world.patient)
    phase = programme.phases[0]
    before = len(phase.criteria)
    response = client_for("therapist").post(
        f"/programmes/{programme.id}/phases/{phase.id}/criteria/new",
        data={**data, "version": programme.version},
    )
    assert response.status_code == 200
    assert f'id="{field}"' in response.text and "is-invalid" in response.text
    assert message in response.text
    assert len(_reload(programme.id).phases[0].criteria) == before


def test_editing_a_default_criterion_makes_it_the_therapists_own(world, client_for):
    programme = build_programme(world.patient)
    criterion = programme.phases[0].criteria[0]
    assert criterion.is_default
    therapist = client_for("therapist")
    url = f"/programmes/{programme.id}/criteria/{criterion.id}/edit"
    form = therapist.get(url)
    assert 'value="3"' in form.text
    data = {"version": programme.version, "kind": "pain_during_max", "comparison": "<=",
            "target": "2", "window_weeks": "1"}  # fmt: skip
    response = therapist.post(url, data=data)
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(ExitCriterion, criterion.id)
    assert (changed.target, changed.window_weeks, changed.is_default) == (2, 1, False)
