"""Exit criteria that recorded data answers, in the builder and on the programme page
(issue 14): the therapist adds them without a target to tick, and the page says what each
was judged on and what it still waits for."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from rehab.extensions import db
from rehab.programmes.models import ExitCriterion, Programme
from tests.factories import make_programme
from tests.patients.factories import make_analysis
from tests.programmes.factories import build_programme


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _criteria(programme_id: int) -> list[ExitCriterion]:
    db.session.expire_all()
    return list(db.session.get(Programme, programme_id).phases[0].criteria)


@pytest.mark.parametrize(
    ("data", "stored"),
    [
        ({"kind": "red_flags_clear"}, ("red_flags_clear", None, None, None)),
        ({"kind": "lumbar_mobility", "target": "99"}, ("lumbar_mobility", None, None, Decimal(1))),
        ({"kind": "single_leg_squat"}, ("single_leg_squat", None, "each", Decimal(1))),
        (
            {"kind": "activity_score", "measure": "sport_work", "comparison": ">=", "target": "9"},
            ("activity_score", "sport_work", None, Decimal(9)),
        ),
        (
            {"kind": "outcome_change", "measure": "activities", "comparison": ">=", "target": "2"},
            ("outcome_change", "activities", None, Decimal(2)),
        ),
        (
            {
                "kind": "ratio",
                "measure": "side_bridge_asymmetry",
                "comparison": "<=",
                "target": "5",
            },
            ("ratio", "side_bridge_asymmetry", None, Decimal(5)),
        ),
    ],
)
def test_the_therapist_adds_a_criterion_that_data_answers(world, client_for, data, stored):
    programme = build_programme(world.patient)
    phase = programme.phases[0]
    response = client_for("therapist").post(
        f"/programmes/{programme.id}/phases/{phase.id}/criteria/new",
        data={"comparison": "==", **data, "version": programme.version},
    )
    assert response.status_code == 302, response.text
    added = _criteria(programme.id)[-1]
    kind, measure, side, target = stored
    assert (added.kind, added.measure, added.side) == (kind, measure, side)
    if target is not None:
        assert added.target == target
    assert added.label  # described automatically when the therapist gives no label


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "activity_score", "comparison": ">=", "target": "9"}, "measure",
         "Kies de sport- of werkactiviteit of het gemiddelde."),
        ({"kind": "activity_score", "measure": "sport_work", "comparison": ">=",
          "target": "11"}, "target", "Geef een waarde van 0 tot 10"),
        ({"kind": "full_load_without_red", "window_weeks": "40"}, "window_weeks", ""),
    ],
)  # fmt: skip
def test_bad_data_criteria_get_a_clear_message(world, client_for, data, field, message):
    programme = build_programme(world.patient)
    phase = programme.phases[0]
    before = len(phase.criteria)
    response = client_for("therapist").post(
        f"/programmes/{programme.id}/phases/{phase.id}/criteria/new",
        data={"comparison": "==", **data, "version": programme.version},
    )
    assert response.status_code == 200
    assert f'id="{field}"' in response.text and "is-invalid" in response.text
    assert message in response.text
    assert len(_criteria(programme.id)) == before


def test_the_programme_page_says_what_each_criterion_waits_for(world, client_for):
    # A phase started 5 days ago with "pain at most 3 for 2 weeks": not yet judged, and it
    # says why; no red flags met with the suggested flag the therapist did not tick;
    # Schober 3 → 5.2 cm met (normal); the summary counts what is met.
    today = dt.date.today()
    world.patient.date_of_birth = dt.date(today.year - 60, 1, 1)
    world.patient.episode = "first"
    world.therapist.locale = "en"
    programme = make_programme(world.patient, started_on=today - dt.timedelta(days=5))
    phase = programme.phases[0]
    phase.started_on = programme.started_on
    make_analysis(world.patient, recorded_on=today - dt.timedelta(days=20), modified_schober=3)
    make_analysis(world.patient, kind="reassessment", recorded_on=today, modified_schober=5.2)
    db.session.add_all([
        ExitCriterion(phase_id=phase.id, position=1, kind="pain_during_max", comparison="<=",
                      target=Decimal(3), window_weeks=2, label="Pijn ≤ 3, 2 weken"),
        ExitCriterion(phase_id=phase.id, position=2, kind="red_flags_clear", comparison="==",
                      target=Decimal(1), label="Geen rode vlaggen"),
        ExitCriterion(phase_id=phase.id, position=3, kind="lumbar_mobility", comparison="==",
                      target=Decimal(1), label="Schober of vinger-vloer"),
    ])  # fmt: skip
    db.session.commit()
    from tests.factories import make_exercise, make_prescription
    from tests.programmes.factories import log_session

    rx = make_prescription(phase, make_exercise(name="Squat"))
    log_session(world.patient, today - dt.timedelta(days=1), rx, pain_during=2, key="p1")
    db.session.commit()
    text = _text(client_for("therapist").get(f"/programmes/{programme.id}").text)
    assert "Not yet judged: the phase has run 0 of the 2 weeks this needs." in text
    assert "Age 60 at a first episode is a suggested red flag the therapist did not tick." in text
    assert "Schober 3 → 5.2 cm" in text
    assert "Schober 5.2 cm is normal (5 cm or more)." in text
    assert "2 of 3 exit criteria met, judged from the recorded data." in text
    # Nothing of these is ticked by hand: no tick button for them.
    assert "Tick off" not in text


def test_criteria_from_data_read_a_fixed_number_of_queries(world, count_queries):
    # Every kind at once, for a patient with many analyses: the judging does not grow.
    from rehab.programmes.advancement import phase_status

    programme = make_programme(world.patient)
    phase = programme.phases[0]
    phase.started_on = programme.started_on
    kinds = ["red_flags_clear", "baselines_recorded", "lumbar_mobility", "single_leg_squat",
             "full_load_without_red"]  # fmt: skip
    for position, kind in enumerate(kinds, start=1):
        db.session.add(ExitCriterion(phase_id=phase.id, position=position, kind=kind,
                                     comparison="==", target=Decimal(1), window_weeks=2,
                                     label=kind))  # fmt: skip
    db.session.add(ExitCriterion(phase_id=phase.id, position=9, kind="activity_score",
                                 measure="sport_work", comparison=">=", target=Decimal(9),
                                 label="sport"))  # fmt: skip
    db.session.commit()
    counts = []
    for analyses in (1, 12):
        for n in range(analyses):
            make_analysis(
                world.patient,
                recorded_on=dt.date(2025, 1, 1) + dt.timedelta(days=n),
                nprs=5,
                modified_schober=3,
                activities=[("A", 5), ("B", 6), ("C", 7)],
            )
        db.session.commit()
        db.session.expire_all()
        programme = db.session.get(Programme, programme.id)
        phase = programme.phases[0]
        list(phase.criteria)
        with count_queries() as counted:
            phase_status(programme, phase, today=dt.date.today())
        counts.append(counted.count)
    assert counts[0] == counts[1]
