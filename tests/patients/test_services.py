"""What other areas read from the analyses: latest values, first and latest scores, open
red flags and the pair of analyses a report compares — each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab.extensions import db
from rehab.patients.services import (
    analyses_for_report,
    has_open_red_flags,
    latest_measure_values,
    outcome_scores,
)
from tests.factories import clinic_today
from tests.patients.factories import make_analysis

DAY = dt.timedelta(days=1)


def start() -> dt.date:
    return clinic_today() - 60 * DAY


@pytest.fixture
def history(world):
    """An intake with full trunk endurance, a re-assessment with side bridges only."""
    intake = make_analysis(
        world.patient, recorded_on=start(), nprs=7, mcgill_flexor=90, biering_sorensen=100,
        side_bridge_left=50, side_bridge_right=60, modified_schober=3,
        activities=[("Lopen", 8), ("Tillen", 7), ("Zitten", 6)], instrument="psk",
        red_flag_night_pain=True,
    )  # fmt: skip
    later = make_analysis(
        world.patient, kind="reassessment", recorded_on=start() + 35 * DAY, nprs=3,
        side_bridge_left=70, side_bridge_right=72,
        activities=[("Lopen", 4), ("Tillen", 4), ("Zitten", 4)], instrument="psk",
    )  # fmt: skip
    make_analysis(world.foreign_patient, nprs=1, modified_schober=9)  # never mixed in
    db.session.commit()
    return intake, later


def test_latest_measure_values_take_each_from_the_most_recent_analysis_that_has_it(world, history):
    values = latest_measure_values(world.patient.id)
    assert values["nprs"] == 3
    assert values["side_bridge_left"] == 70 and values["side_bridge_right"] == 72
    assert values["modified_schober"] == 3  # only the intake measured it
    assert values["mcgill_flexor"] == 90 and values["biering_sorensen"] == 100
    assert values["psk"] == 4
    assert "psfs" not in values and "odi" not in values
    assert all(isinstance(v, float) for v in values.values())
    # Ratios come from one analysis each: the latest with all their inputs (the intake).
    assert values["flexor_extensor_ratio"] == pytest.approx(0.9)
    assert values["side_bridge_balance"] == pytest.approx(72 / 70)  # from the later one
    assert values["side_bridge_extensor_ratio"] == pytest.approx(0.6)  # max(50, 60) / 100


def test_latest_measure_values_of_a_patient_without_analyses(world):
    assert latest_measure_values(world.patient.id) == {}


def test_outcome_scores_are_first_and_latest(world, history):
    assert outcome_scores(world.patient.id, "psk") == (7.0, 4.0)
    assert outcome_scores(world.patient.id, "nprs") == (7.0, 3.0)
    assert outcome_scores(world.patient.id, "modified_schober") == (3.0, 3.0)
    assert outcome_scores(world.patient.id, "odi") == (None, None)
    assert outcome_scores(world.patient.id, "side_bridge_balance") == (
        pytest.approx(1.2),
        pytest.approx(72 / 70),
    )
    with pytest.raises(ValueError):
        outcome_scores(world.patient.id, "side_bridge")  # a catalogue key, not a field


def test_red_flags_are_open_only_while_the_latest_analysis_has_one(world, history):
    assert has_open_red_flags(world.patient.id) is False  # the re-assessment cleared them
    make_analysis(world.patient, kind="reassessment", red_flag_bladder_bowel=True)
    db.session.commit()
    assert has_open_red_flags(world.patient.id) is True
    assert has_open_red_flags(world.other_patient.id) is False


def test_analyses_for_report_gives_first_and_latest_with_children(world, history):
    intake, later = history
    first, latest = analyses_for_report(world.patient.id)
    assert (first.id, latest.id) == (intake.id, later.id)
    assert [a.score for a in latest.activities] == [4, 4, 4]
    assert analyses_for_report(world.other_patient.id) == (None, None)
    only = make_analysis(world.other_patient, nprs=2)
    db.session.commit()
    assert analyses_for_report(world.other_patient.id) == (only, only)


def test_same_day_analyses_are_ordered_by_when_they_were_recorded(world):
    first = make_analysis(world.patient, recorded_on=start(), nprs=8)
    second = make_analysis(world.patient, recorded_on=start(), nprs=6, red_flag_cancer=True)
    db.session.commit()
    assert outcome_scores(world.patient.id, "nprs") == (8.0, 6.0)
    assert has_open_red_flags(world.patient.id)
    assert [a.id for a in analyses_for_report(world.patient.id)] == [first.id, second.id]


def test_each_reads_in_a_fixed_number_of_queries(world, count_queries):
    patient_id = world.patient.id

    def run():
        db.session.expire_all()
        counts = []
        for call in (
            lambda: latest_measure_values(patient_id),
            lambda: outcome_scores(patient_id, "psk"),
            lambda: has_open_red_flags(patient_id),
            lambda: [a.activities + a.extra_tests for a in analyses_for_report(patient_id)],
        ):
            with count_queries() as counted:
                call()
            counts.append(counted.count)
        return counts

    make_analysis(world.patient, recorded_on=start(), nprs=5,
                  activities=[("Lopen", 5)] * 3, instrument="psfs")  # fmt: skip
    db.session.commit()
    few = run()
    for n in range(20):
        make_analysis(
            world.patient, recorded_on=start() + n * DAY, nprs=n % 10,
            activities=[("Lopen", 5)] * 3, instrument="psfs",
            extra_tests=[{"name": f"T{t}", "value": t} for t in range(10)],
        )  # fmt: skip
    db.session.commit()
    assert run() == few == [1, 1, 1, 3]
