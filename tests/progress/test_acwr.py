"""Known answers and properties for rehab.progress.acwr (Williams 2017, Lolli 2019)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.progress.acwr import (
    ACWR_ALERTS_ENABLED_BY_DEFAULT,
    acwr_coupled,
    acwr_ewma,
    acwr_uncoupled,
    commonly_cited_band,
    ewma,
    ewma_lambda,
    rolling_mean,
)


def test_ewma_lambdas():
    # λ = 2 / (N + 1): N = 7 → 2/8 = 0.25; N = 28 → 2/29 = 0.068966
    assert ewma_lambda(7) == 0.25
    assert ewma_lambda(28) == 2 / 29
    assert ewma_lambda(28) == pytest.approx(0.0690, abs=5e-5)
    with pytest.raises(ValueError):
        ewma_lambda(0)


def test_ewma_three_days_by_hand():
    loads = [100.0, 200.0, 0.0]
    # acute (λ = 0.25), seeded with day 1:
    #   E1 = 100
    #   E2 = 0.25 × 200 + 0.75 × 100 = 50 + 75 = 125
    #   E3 = 0.25 × 0 + 0.75 × 125 = 93.75
    assert ewma(loads, 7) == pytest.approx([100.0, 125.0, 93.75])
    # chronic (λ = 2/29), seeded with day 1:
    #   E1 = 100
    #   E2 = (2/29) × 200 + (27/29) × 100 = 3100/29 = 106.8966
    #   E3 = (27/29) × 3100/29 = 83 700/841 = 99.5244
    assert ewma(loads, 28) == pytest.approx([100.0, 3100 / 29, 83700 / 841])
    assert ewma(loads, 28)[2] == pytest.approx(99.5244, abs=1e-4)


def test_ewma_reseeds_after_a_missing_day():
    # 100, gap, 200 → the gap is not filled in: E restarts at 200
    assert ewma([100.0, None, 200.0, 0.0], 7) == [100.0, None, 200.0, 150.0]


def test_coupled_ratio_and_the_28_day_boundary():
    loads = [100.0] * 21 + [200.0] * 7
    # day 28: acute = mean(last 7) = 200; chronic = (21 × 100 + 7 × 200) / 28 = 3500/28 = 125
    # ratio = 200 / 125 = 1.6
    ratios = acwr_coupled(loads)
    assert ratios[27] == pytest.approx(1.6)
    assert ratios[:27] == [None] * 27  # fewer than 28 days of data → no ratio
    # with only 27 days no day has a ratio
    assert acwr_coupled(loads[1:]) == [None] * 27


def test_uncoupled_versus_coupled_on_the_same_series():
    loads = [100.0] * 28 + [200.0] * 7  # 35 days
    # uncoupled at day 35: acute = mean(days 29–35) = 200; chronic = mean(days 1–28) = 100
    # → 200 / 100 = 2.0
    uncoupled = acwr_uncoupled(loads)
    assert uncoupled[34] == pytest.approx(2.0)
    assert uncoupled[:34] == [None] * 34  # needs 35 days
    # coupled at day 35: chronic = mean(days 8–35) = (21 × 100 + 7 × 200) / 28 = 125
    # → 200 / 125 = 1.6: the acute week inside the chronic window damps the ratio
    assert acwr_coupled(loads)[34] == pytest.approx(1.6)
    assert acwr_uncoupled(loads[1:]) == [None] * 34


def test_first_weeks_without_chronic_load_give_no_ratio():
    # 28 days of 0 AU: chronic = 0 → no ratio, never a division by zero
    zeros = [0.0] * 35
    assert acwr_coupled(zeros) == [None] * 35
    assert acwr_uncoupled(zeros) == [None] * 35
    assert acwr_ewma(zeros) == [None] * 35


def test_zero_load_days_count_in_the_means():
    loads = [0.0] * 21 + [100.0] * 7
    # acute = 100; chronic = 7 × 100 / 28 = 25 → 4.0 (rest days are 0, not missing)
    assert acwr_coupled(loads)[27] == pytest.approx(4.0)


def test_a_missing_day_in_the_window_gives_no_ratio():
    loads: list[float | None] = [100.0] * 40
    loads[10] = None
    ratios = acwr_coupled(loads)
    # day index 10 lies in the 28-day window of days 27..37 → None; day 38 is clear → 1.0
    assert ratios[27:38] == [None] * 11
    assert ratios[38] == pytest.approx(1.0)
    assert rolling_mean(loads, 7)[12] is None
    assert rolling_mean(loads, 7)[17] == pytest.approx(100.0)


def test_ewma_ratio_needs_28_known_days_since_the_seed():
    steady = [100.0] * 30
    ratios = acwr_ewma(steady)
    assert ratios[:27] == [None] * 27
    assert ratios[27] == pytest.approx(1.0)  # steady load: both averages stay 100
    gap = [100.0] * 30 + [None] + [100.0] * 30
    ratios = acwr_ewma(gap)
    assert ratios[30:58] == [None] * 28  # the gap and the 27 days after it
    assert ratios[58] == pytest.approx(1.0)


def test_ewma_ratio_on_a_load_increase():
    loads = [100.0] * 27 + [200.0]
    acute = ewma(loads, 7)[-1]
    chronic = ewma(loads, 28)[-1]
    # both averages sit at 100 for 27 days; day 28 adds 200:
    # acute = 0.25 × 200 + 0.75 × 100 = 125; chronic = (2/29) × 200 + (27/29) × 100 = 106.90
    assert acute == pytest.approx(125.0)
    assert chronic == pytest.approx(3100 / 29)
    # ratio = 125 / 106.90 = 1.1694
    assert acwr_ewma(loads)[-1] == pytest.approx(125 / (3100 / 29))
    assert acwr_ewma(loads)[-1] == pytest.approx(1.1694, abs=1e-4)


def test_negative_loads_are_rejected():
    with pytest.raises(ValueError):
        acwr_coupled([100.0, -1.0])


def test_the_commonly_cited_band_and_no_alert_by_default():
    band = commonly_cited_band()
    assert (band.sweet_spot_low, band.sweet_spot_high, band.danger_from) == (0.8, 1.3, 1.5)
    assert "contested" in (commonly_cited_band.__doc__ or "")
    assert ACWR_ALERTS_ENABLED_BY_DEFAULT is False


# --- properties -------------------------------------------------------------------------------

series = st.lists(st.one_of(st.none(), st.integers(0, 2000).map(float)), max_size=70)
RATIOS = (acwr_coupled, acwr_uncoupled, acwr_ewma)


@given(series)
def test_ratios_never_raise_and_are_none_or_non_negative(loads):
    for ratio in RATIOS:
        values = ratio(loads)
        assert len(values) == len(loads)
        assert all(v is None or (v >= 0 and math.isfinite(v)) for v in values)


@given(
    st.lists(st.integers(0, 2000).map(float), min_size=28, max_size=60),
    st.floats(0.01, 100),
)
def test_scaling_all_loads_leaves_the_ratio_unchanged(loads, factor):
    scaled = [load * factor for load in loads]
    for ratio in RATIOS:
        for before, after in zip(ratio(loads), ratio(scaled), strict=True):
            if before is None:
                assert after is None
            else:
                assert after == pytest.approx(before, rel=1e-9)


@given(series)
def test_fewer_than_28_days_never_give_a_ratio(loads):
    for ratio in RATIOS:
        assert ratio(loads)[:27] == [None] * min(27, len(loads))


@given(
    st.lists(st.one_of(st.none(), st.floats(0, 2000, allow_nan=False)), max_size=70),
    st.integers(1, 30),
)
def test_rolling_mean_is_the_mean_of_each_complete_window(loads, days):
    """Day t: the mean of days t−N+1..t when all N are known (the definition, written out)."""
    expected = []
    for t in range(len(loads)):
        window = loads[t - days + 1 : t + 1] if t >= days - 1 else []
        complete = len(window) == days and None not in window
        expected.append(sum(window) / days if complete else None)
    assert rolling_mean(loads, days) == expected
