"""Known answers and properties for rehab.progress.volume (domain.md §1)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.progress.volume import SetBlock, time_under_tension, volume_load


def test_volume_load_is_sets_times_reps_times_kg():
    blocks = [SetBlock(3, 10, Decimal(20)), SetBlock(2, 8, Decimal("22.5"))]
    # 3 × 10 × 20 = 600; 2 × 8 × 22.5 = 360; Σ = 960 kg
    result = volume_load(blocks)
    assert result.kg == Decimal(960)
    assert result.bodyweight is False
    assert result.reps == 46  # 30 + 16


def test_body_weight_is_flagged_never_zero_kg():
    # 3 × 12 glute bridges on body weight: no kg, flagged, 36 reps
    result = volume_load([SetBlock(3, 12)])
    assert result.kg is None
    assert result.bodyweight is True
    assert result.reps == 36


def test_mixed_blocks_count_kg_only_where_there_is_a_load():
    # 2 × 10 × 16 kg = 320 kg, plus 1 × 10 on body weight (flagged, not counted as 0 kg)
    result = volume_load([SetBlock(2, 10, Decimal(16)), SetBlock(1, 10)])
    assert result.kg == Decimal(320)
    assert result.bodyweight is True
    assert result.reps == 30


def test_no_blocks():
    result = volume_load([])
    assert (result.kg, result.bodyweight, result.reps) == (None, False, 0)


def test_time_under_tension_for_holds():
    # side bridge 3 sets × 5 holds × 10 s = 150 s; bird dog 2 × 6 × 8 s = 96 s; Σ = 246 s
    blocks = [SetBlock(3, 5, hold_seconds=10), SetBlock(2, 6, hold_seconds=8)]
    assert time_under_tension(blocks) == 246


def test_time_under_tension_needs_hold_seconds():
    with pytest.raises(ValueError):
        time_under_tension([SetBlock(3, 10, Decimal(20))])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sets": -1, "reps": 10},
        {"sets": 3, "reps": -1},
        {"sets": 3, "reps": 10, "load_kg": Decimal(-1)},
        {"sets": 3, "reps": 10, "hold_seconds": -5},
    ],
)
def test_negative_values_are_rejected(kwargs):
    with pytest.raises(ValueError):
        SetBlock(**kwargs)


blocks = st.lists(
    st.builds(
        SetBlock,
        sets=st.integers(0, 10),
        reps=st.integers(0, 30),
        load_kg=st.one_of(st.none(), st.decimals(0, 300, places=1)),
    ),
    max_size=8,
)


@given(blocks)
def test_volume_is_additive_over_blocks(items):
    whole = volume_load(items)
    parts = [volume_load([block]) for block in items]
    assert whole.reps == sum(p.reps for p in parts)
    assert whole.bodyweight == any(p.bodyweight for p in parts)
    assert (whole.kg or 0) == sum((p.kg or 0) for p in parts)
    assert whole.kg is None or whole.kg >= 0
