"""Exit criteria on the programme page: met, unmet or unknown for data that meets, misses
and lacks each target. Worked examples, one set per kind of criterion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.patients import services as patient_data
from rehab.programmes.advancement import phase_status
from rehab.programmes.models import ExitCriterion
from tests.factories import make_exercise, make_prescription, make_programme
from tests.programmes.factories import check_in, log_session

TODAY = dt.date(2026, 3, 18)  # a Wednesday
MET, UNMET, UNKNOWN = "met", "unmet", "unknown"


@pytest.fixture
def phase(world):
    programme = make_programme(world.patient, started_on=TODAY - dt.timedelta(days=16))
    phase = programme.phases[0]
    phase.started_on = dt.date(2026, 3, 2)  # a Monday, two full weeks ago
    phase.sessions_per_week = 3
    db.session.flush()
    return phase


def judge(phase, monkeypatch=None, measures=None, outcomes=None, **criterion):
    if monkeypatch is not None:
        monkeypatch.setattr(patient_data, "latest_measure_values", lambda pid: measures or {})
        monkeypatch.setattr(
            patient_data, "outcome_scores", lambda pid, key: (outcomes or {}).get(key, (None, None))
        )
    for old in list(phase.criteria):
        db.session.delete(old)
    db.session.flush()
    values = {"comparison": ">=", "label": "criterion", **criterion}
    for name in ("target", "target_high"):
        if values.get(name) is not None:
            values[name] = Decimal(str(values[name]))
    db.session.add(ExitCriterion(phase_id=phase.id, **values))
    db.session.flush()
    db.session.expire(phase, ["criteria"])
    (status,) = phase_status(phase.programme, phase, today=TODAY)
    return status.status.value, status.actual


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"side_bridge_left": 62, "side_bridge_right": 61}, (MET, (62, 61))),
        ({"side_bridge_left": 65, "side_bridge_right": 55}, (UNMET, (65, 55))),
        ({"side_bridge_left": 65}, (UNKNOWN, (65, None))),
    ],
)
def test_side_bridge_at_least_sixty_seconds_each_side(phase, monkeypatch, values, expected):
    got = judge(phase, monkeypatch, values, kind="measure", measure="side_bridge", side="each",
                target=60)  # fmt: skip
    assert got == expected


@pytest.mark.parametrize(("value", "expected"), [(5.5, MET), (4.0, UNMET), (None, UNKNOWN)])
def test_modified_schober_normal_from_five_cm(phase, monkeypatch, value, expected):
    measures = {} if value is None else {"modified_schober": value}
    status, actual = judge(phase, monkeypatch, measures, kind="measure",
                           measure="modified_schober", target=5)  # fmt: skip
    assert (status, actual) == (expected, value)


# The analysis computes a ratio within one session (rehab.patients.services), so the
# criterion reads the ratio key; the values below are what it would compute.
@pytest.mark.parametrize(
    ("right", "left", "expected"),
    [(60, 62, MET), (50, 60, UNMET), (None, 60, UNKNOWN)],  # 0.968 in, 0.833 out, missing
)
def test_side_bridge_balance_right_over_left_within_5_percent(phase, monkeypatch, right, left,
                                                              expected):  # fmt: skip
    measures = {"side_bridge_balance": right / left} if right else {}
    status, actual = judge(phase, monkeypatch, measures, kind="ratio",
                           measure="side_bridge_balance", comparison="between", target=0.95,
                           target_high=1.05)  # fmt: skip
    assert status == expected
    if right is not None:
        assert actual == pytest.approx(right / left)


@pytest.mark.parametrize(
    ("flexor", "extensor", "expected"), [(90, 120, MET), (130, 120, UNMET), (90, None, UNKNOWN)]
)
def test_flexor_extensor_ratio_below_one(phase, monkeypatch, flexor, extensor, expected):
    measures = {"flexor_extensor_ratio": flexor / extensor} if extensor else {}
    status, _ = judge(phase, monkeypatch, measures, kind="ratio",
                      measure="flexor_extensor_ratio", comparison="<", target=1.0)  # fmt: skip
    assert status == expected


@pytest.mark.parametrize(
    ("right", "expected"),
    [(70, MET), (80, UNMET)],  # 0.70 and 0.80 against 0.75
)
def test_side_bridge_extensor_ratio_on_both_sides(phase, monkeypatch, right, expected):
    measures = {"side_bridge_left": 60, "side_bridge_right": right, "biering_sorensen": 100}
    status, actual = judge(phase, monkeypatch, measures, kind="ratio",
                           measure="side_bridge_extensor_ratio", side="each", comparison="<",
                           target=0.75)  # fmt: skip
    assert status == expected
    assert actual == pytest.approx((0.6, right / 100))
    missing = judge(phase, monkeypatch, {"side_bridge_left": 60}, kind="ratio",
                    measure="side_bridge_extensor_ratio", side="each", comparison="<",
                    target=0.75)  # fmt: skip
    assert missing[0] == UNKNOWN


@pytest.mark.parametrize(
    ("scores", "expected"), [((7, 4), (MET, 3)), ((6, 5), (UNMET, 1)), ((6, None), (UNKNOWN, None))]
)
def test_psk_improved_by_two_points(phase, monkeypatch, scores, expected):
    got = judge(phase, monkeypatch, outcomes={"psk": scores}, kind="outcome_change",
                measure="psk", target=2)  # fmt: skip
    assert got == expected


def _prescription(phase, **dose):
    exercise = make_exercise(dosage_type="hold", hold_seconds=10)
    return make_prescription(phase, exercise, **dose)


@pytest.mark.parametrize(
    ("pains", "expected"),
    [([2, 3], (MET, 3)), ([2, 5], (UNMET, 5)), ([], (UNKNOWN, None))],
)
def test_pain_during_exercise_at_most_three_for_two_weeks(world, phase, pains, expected):
    rx = _prescription(phase)
    # A 6 three weeks ago is outside the two-week window.
    log_session(world.patient, TODAY - dt.timedelta(days=21), rx, pain_during=6, key="old")
    for number, pain in enumerate(pains):
        log_session(world.patient, TODAY - dt.timedelta(days=number * 3), rx, pain_during=pain,
                    key=f"s{number}")  # fmt: skip
    got = judge(phase, kind="pain_during_max", comparison="<=", target=3, window_weeks=2)
    assert got == expected


@pytest.mark.parametrize(
    ("last_week", "expected"),
    [
        # Baseline 3 (median of the 7 mornings before each day): 5 of 7 days at baseline.
        ([2, 2, 4, 2, 2, 4, 2], (MET, 5)),
        ([4, 4, 4, 2, 2, 2, 2], (UNMET, 4)),
        ([], (UNKNOWN, None)),
    ],
)
def test_next_morning_at_baseline_five_of_seven_days(world, phase, last_week, expected):
    if last_week:
        for offset in range(13, 6, -1):
            check_in(world.patient, TODAY - dt.timedelta(days=offset), 3)
        for offset, pain in zip(range(6, -1, -1), last_week, strict=True):
            check_in(world.patient, TODAY - dt.timedelta(days=offset), pain)
    got = judge(phase, kind="next_morning_baseline_days", target=5)
    assert got == expected


@pytest.mark.parametrize(
    ("week_one", "week_two", "expected"),
    [(3, 2, (MET, 5 / 6)), (2, 2, (UNMET, 4 / 6))],
)
def test_adherence_eighty_percent_over_two_weeks(world, phase, week_one, week_two, expected):
    for number in range(week_one):
        log_session(world.patient, dt.date(2026, 3, 2 + number), key=f"a{number}")
    for number in range(week_two):
        log_session(world.patient, dt.date(2026, 3, 9 + number), key=f"b{number}")
    # This week's sessions do not count yet: the week is not over.
    log_session(world.patient, TODAY, key="today")
    status, actual = judge(phase, kind="adherence", target=0.8, window_weeks=2)
    assert status == expected[0]
    assert actual == pytest.approx(expected[1])


def test_adherence_is_unknown_before_a_full_week_of_the_phase(world, phase):
    phase.started_on = dt.date(2026, 3, 16)
    log_session(world.patient, TODAY, key="today")
    assert judge(phase, kind="adherence", target=0.8, window_weeks=2) == (UNKNOWN, None)


@pytest.mark.parametrize(
    ("holds", "expected"), [([8, 12], (MET, 12)), ([12, 8], (UNMET, 8)), ([], (UNKNOWN, None))]
)
def test_the_latest_hold_counts(world, phase, holds, expected):
    rx = _prescription(phase, dosage_type="hold", reps_min=5, reps_max=5, hold_seconds=10)
    for number, seconds in enumerate(holds):
        log_session(world.patient, TODAY - dt.timedelta(days=len(holds) - number), rx,
                    hold_seconds_done=seconds, key=f"h{number}")  # fmt: skip
    got = judge(phase, kind="hold_time", target=10, window_weeks=1, prescription_id=rx.id)
    assert got == expected


def test_a_therapist_check_is_met_once_ticked(world, phase):
    assert judge(phase, kind="therapist_check", comparison="==", target=1) == (UNMET, False)
    criterion = phase.criteria[0]
    criterion.checked_at = utcnow()
    criterion.checked_by_id = world.therapist.id
    db.session.flush()
    (status,) = phase_status(phase.programme, phase, today=TODAY)
    assert (status.status.value, status.actual) == (MET, True)


def test_the_programme_page_shows_status_and_value(world, client_for, monkeypatch):
    programme = make_programme(world.patient)
    phase = programme.phases[0]
    phase.started_on = programme.started_on
    db.session.add_all(
        [
            ExitCriterion(phase_id=phase.id, kind="measure", measure="side_bridge", side="each",
                          comparison=">=", target=Decimal(60), label="Zijplank ≥ 60 s",
                          is_default=True),
            ExitCriterion(phase_id=phase.id, kind="measure", measure="modified_schober",
                          comparison=">=", target=Decimal(5), label="Schober normaal"),
            ExitCriterion(phase_id=phase.id, kind="therapist_check", comparison="==",
                          target=Decimal(1), label="Geen rode vlaggen"),
        ]
    )  # fmt: skip
    db.session.commit()
    monkeypatch.setattr(
        patient_data, "latest_measure_values",
        lambda pid: {"side_bridge_left": 62, "side_bridge_right": 61, "modified_schober": 4},
    )  # fmt: skip
    page = client_for("therapist").get(f"/programmes/{programme.id}")
    assert page.status_code == 200
    text = page.text
    assert "links 62 s · rechts 61 s" in text
    assert "voldaan" in text and "nog niet" in text and "instelbare standaard" in text
    assert "4 cm" in text


def test_criteria_read_the_patients_latest_analyses(world):
    """End to end with recorded analyses: a measure, a ratio and the PSK change."""
    from tests.patients.factories import make_analysis

    programme = make_programme(world.patient)
    phase = programme.phases[0]
    phase.started_on = programme.started_on
    make_analysis(world.patient, recorded_on=TODAY - dt.timedelta(days=40), psk=Decimal(7),
                  side_bridge_left=Decimal(40), side_bridge_right=Decimal(30))  # fmt: skip
    make_analysis(world.patient, kind="reassessment", recorded_on=TODAY - dt.timedelta(days=2),
                  psk=Decimal(4), side_bridge_left=Decimal(62),
                  side_bridge_right=Decimal(60))  # fmt: skip
    db.session.add_all(
        [
            ExitCriterion(phase_id=phase.id, position=1, kind="measure", measure="side_bridge",
                          side="each", comparison=">=", target=Decimal(60), label="a"),
            ExitCriterion(phase_id=phase.id, position=2, kind="ratio",
                          measure="side_bridge_balance", comparison="between",
                          target=Decimal("0.95"), target_high=Decimal("1.05"), label="b"),
            ExitCriterion(phase_id=phase.id, position=3, kind="outcome_change", measure="psk",
                          comparison=">=", target=Decimal(2), label="c"),
        ]
    )  # fmt: skip
    db.session.flush()
    db.session.expire(phase, ["criteria"])
    statuses = phase_status(programme, phase, today=TODAY)
    assert [s.status.value for s in statuses] == [MET, MET, MET]
    assert statuses[0].actual == (62, 60)
    assert statuses[1].actual == pytest.approx(60 / 62)
    assert statuses[2].actual == 3  # PSK 7 → 4: three points better
