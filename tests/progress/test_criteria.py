"""Known answers for phase exit criteria (domain.md §5)."""

import pytest

from rehab.progress.criteria import (
    Criterion,
    OutcomeScores,
    Status,
    compare,
    evaluate,
    evaluate_adherence,
    evaluate_baseline_days,
    evaluate_hold_time,
    evaluate_measure,
    evaluate_outcome_change,
    evaluate_pain_during_max,
    evaluate_ratio,
    evaluate_therapist_check,
)

MET, UNMET, UNKNOWN = Status.MET, Status.UNMET, Status.UNKNOWN


@pytest.mark.parametrize(
    ("value", "comparison", "target", "expected"),
    [
        (3, "<=", 3, True),
        (3.1, "<=", 3, False),
        (60, ">=", 60, True),
        (59, ">=", 60, False),
        (2, "<", 3, True),
        (3, "<", 3, False),
        (4, ">", 3, True),
        (3, ">", 3, False),
        (1, "==", 1, True),
        (0, "==", 1, False),
        (0.95, "between", (0.95, 1.05), True),  # both ends included
        (1.05, "between", (0.95, 1.05), True),
        (1.06, "between", (0.95, 1.05), False),
    ],
)
def test_comparisons(value, comparison, target, expected):
    assert compare(value, comparison, target) is expected


def test_criterion_targets_match_their_comparison():
    with pytest.raises(ValueError):
        Criterion("ratio", "between", 1.0)
    with pytest.raises(ValueError):
        Criterion("ratio", "between", (1.05, 0.95))
    with pytest.raises(ValueError):
        Criterion("measure", ">=", (1, 2))
    with pytest.raises(ValueError):
        Criterion("measure", "~", 1)


def test_measure_side_bridge_at_least_sixty_seconds():
    criterion = Criterion("measure", ">=", 60)
    assert evaluate_measure(criterion, 62) == evaluate(criterion, 62)
    assert (evaluate(criterion, 62).status, evaluate(criterion, 62).actual) == (MET, 62)
    assert evaluate(criterion, 55).status is UNMET
    assert evaluate(criterion, None).status is UNKNOWN


@pytest.mark.parametrize(
    ("left_right", "status"),
    [
        ((60, 61), MET),
        ((65, 58), UNMET),  # both sides must meet
        ((None, 50), UNMET),  # one known side already fails
        ((65, None), UNKNOWN),
    ],
)
def test_measure_on_each_side(left_right, status):
    result = evaluate(Criterion("measure", ">=", 60, side="each"), left_right)
    assert (result.status, result.actual) == (status, left_right)


def test_measure_pairs_need_side_each():
    with pytest.raises(ValueError):
        evaluate(Criterion("measure", ">=", 60), (60, 61))
    with pytest.raises(ValueError):
        evaluate(Criterion("measure", ">=", 60, side="each"), 60)


def test_ratio_right_over_left_side_bridge():
    criterion = Criterion("ratio", "between", (0.95, 1.05))
    # 60 / 62 = 0.968 → within 0.95–1.05
    result = evaluate(criterion, (60, 62))
    assert result.status is MET
    assert result.actual == pytest.approx(0.9677, abs=1e-4)
    # 50 / 60 = 0.833 → outside
    assert evaluate_ratio(criterion, 50, 60).status is UNMET
    assert evaluate_ratio(criterion, 50, 0).status is UNKNOWN
    assert evaluate_ratio(criterion, None, 60).status is UNKNOWN


def test_highest_pain_during_over_the_window():
    criterion = Criterion("pain_during_max", "<=", 3, window_weeks=2)
    assert (evaluate(criterion, [1, 3, 2]).status, evaluate(criterion, [1, 3, 2]).actual) == (
        MET,
        3,
    )
    assert evaluate_pain_during_max(criterion, [1, 4]).status is UNMET
    assert evaluate_pain_during_max(criterion, []).status is UNKNOWN


T, F, N = True, False, None


@pytest.mark.parametrize(
    ("days", "status", "actual"),
    [
        ([T, T, T, T, T, F, F], MET, 5),  # 5 of 7 → met
        ([T, T, T, T, F, F, F], UNMET, 4),
        ([T, T, T, T, N, N, F], UNKNOWN, 4),  # 4 now; 4–6 once the two missing days are in
        ([T, T, T, T, T], MET, 5),  # two days not logged yet: 5–7 is met either way
        ([F, F, F, N, N, N, N], UNMET, 0),  # at most 4 can be at baseline
        ([F, F, T, T, T, T, T, T, T], MET, 7),  # only the last 7 days count
    ],
)
def test_next_morning_at_baseline_days(days, status, actual):
    criterion = Criterion("next_morning_baseline_days", ">=", 5)
    result = evaluate_baseline_days(criterion, days)
    assert (result.status, result.actual) == (status, actual)
    assert evaluate(criterion, days) == result


def test_adherence_and_hold_time():
    adherence = Criterion("adherence", ">=", 0.8, window_weeks=2)
    assert evaluate(adherence, 0.8).status is MET
    assert evaluate_adherence(adherence, 0.75).status is UNMET
    assert evaluate_adherence(adherence, None).status is UNKNOWN
    hold = Criterion("hold_time", ">=", 10)
    assert evaluate(hold, 10).status is MET
    assert evaluate_hold_time(hold, 8).status is UNMET


def test_therapist_check():
    check = Criterion("therapist_check", "==", 1)
    assert evaluate(check, True).status is MET
    assert evaluate_therapist_check(check, False).status is UNMET
    assert evaluate_therapist_check(check, None).status is UNMET  # not ticked yet


@pytest.mark.parametrize(
    ("instrument", "before", "after", "status", "improvement"),
    [
        ("psk", 7, 4, MET, 3),  # PSK lower is better: 7 → 4 = 3 points better
        ("psk", 6, 4, MET, 2),
        ("psk", 4, 5, UNMET, -1),
        ("psfs", 3, 5, MET, 2),  # PSFS higher is better: 3 → 5 = 2 points better
        ("psfs", 5, 3, UNMET, -2),
        ("psfs", None, 3, UNKNOWN, None),
    ],
)
def test_outcome_change_is_direction_aware(instrument, before, after, status, improvement):
    criterion = Criterion("outcome_change", ">=", 2)
    result = evaluate(criterion, OutcomeScores(instrument, before, after))
    assert (result.status, result.actual) == (status, improvement)
    assert evaluate_outcome_change(criterion, OutcomeScores(instrument, before, after)) == result
