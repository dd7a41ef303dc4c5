"""Scenarios for the pain-monitoring model (Silbernagel 2007; domain.md §3)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.progress.pain import (
    Light,
    PainLimits,
    at_baseline,
    current_light,
    green_run,
    morning_baseline,
    progress_eligible,
    session_light,
    stiffness_review,
    trend_rising_two_weeks,
    weekly_mean_pain,
)

MONDAY = date(2024, 1, 1)
G, A, R, U = Light.GREEN, Light.AMBER, Light.RED, Light.UNKNOWN


def test_baseline_is_the_median_of_the_last_seven_mornings():
    mornings = [9, 9, 2, 3, 1, 4, 2, 2, 3]  # oldest first; the two 9s are older than 7 days
    # last 7 = 2, 3, 1, 4, 2, 2, 3 → sorted 1, 2, 2, 2, 3, 3, 4 → median = 2
    assert morning_baseline(mornings) == 2


def test_baseline_needs_seven_mornings_by_default():
    assert morning_baseline([2, 3, 1, 4, 2, 2]) is None
    # a clinic may accept fewer: median of 2, 3, 1, 4 = (2 + 3) / 2 = 2.5
    assert morning_baseline([2, 3, 1, 4], min_mornings=4) == 2.5


def test_at_baseline_means_not_above_it():
    assert at_baseline(2, 2) is True
    assert at_baseline(3, 2) is False
    assert at_baseline(None, 2) is None


# (pain during, next morning, baseline) → light, first reason code; default limits 3 / 5
DEFAULT_SCENARIOS = [
    (0, 2, 2, G, "pain_green"),
    (3, 2, 2, G, "pain_green"),  # 3 is still safe
    (3.5, 2, 2, A, "pain_during_acceptable"),
    (4, 2, 2, A, "pain_during_acceptable"),
    (5, 1, 2, A, "pain_during_acceptable"),  # 5 is still acceptable
    (5.5, 2, 2, R, "pain_during_high"),
    (6, 2, 2, R, "pain_during_high"),
    (2, 3, 2, R, "next_morning_above_baseline"),
    (6, None, None, R, "pain_during_high"),  # too much pain is red without the morning
    (2, None, 2, U, "next_morning_missing"),
    (2, 2, None, U, "baseline_missing"),
    (None, 2, 2, U, "pain_during_missing"),
    (4, None, 2, U, "next_morning_missing"),  # amber needs the next morning at baseline
]


@pytest.mark.parametrize(("during", "morning", "baseline", "light", "code"), DEFAULT_SCENARIOS)
def test_traffic_light_at_the_default_boundaries(during, morning, baseline, light, code):
    verdict = session_light(during, morning, baseline)
    assert verdict.light is light
    assert verdict.reasons[0].code == code


@pytest.mark.parametrize(("during", "light"), [(0, G), (2, G), (2.5, A), (3, A), (5, A), (6, R)])
def test_traffic_light_with_safe_max_two(during, light):
    # some clinics draw "safe" as 0–2: then 3 is amber
    assert session_light(during, 1, 1, PainLimits(safe_max=2)).light is light


def test_red_reasons_carry_the_numbers():
    verdict = session_light(7, 4, 2)
    assert verdict.light is R
    assert [(r.code, r.values) for r in verdict.reasons] == [
        ("pain_during_high", {"pain": 7, "limit": 5}),
        ("next_morning_above_baseline", {"pain": 4, "baseline": 2}),
    ]


def test_a_rising_weekly_trend_is_red_and_an_unknown_trend_changes_nothing():
    assert session_light(1, 1, 2, trend_rising_two_weeks=True).light is R
    assert session_light(1, 1, 2, trend_rising_two_weeks=True).reasons[0].code == (
        "weekly_trend_rising"
    )
    assert session_light(1, 1, 2, trend_rising_two_weeks=None).light is G
    assert session_light(1, 1, 2, trend_rising_two_weeks=False).light is G


def test_pain_limits_must_be_ordered():
    with pytest.raises(ValueError):
        PainLimits(safe_max=6, amber_max=5)


def test_weekly_mean_pain_per_calendar_week():
    mornings = [(MONDAY + timedelta(days=n), p) for n, p in [(0, 2), (3, 4), (8, 3), (20, 5)]]
    # week 1: (2 + 4) / 2 = 3; week 2: 3; week 3: 5; week 4: no mornings → None
    assert weekly_mean_pain(mornings, MONDAY, 4) == [3, 3, 5, None]
    with pytest.raises(ValueError):
        weekly_mean_pain(mornings, MONDAY + timedelta(days=1), 1)


@pytest.mark.parametrize(
    ("means", "rising"),
    [
        ([2, 3, 4], True),  # up, then up again: two weeks running
        ([1, 2, 3, 4], True),
        ([2, 3, 3], False),  # "rising" is strictly higher
        ([3, 2, 3], False),
        ([4, 3, 2], False),
        ([None, 3, 4], None),
        ([3, 4], None),
    ],
)
def test_weekly_trend_rising_two_weeks_running(means, rising):
    assert trend_rising_two_weeks(means) is rising


@pytest.mark.parametrize(
    ("lights", "run", "eligible", "current"),
    [
        ([G, G], 2, True, G),
        ([G], 1, False, G),  # fewer than 2 green sessions → not yet
        ([G, A, G], 1, False, G),
        ([G, G, U], 2, True, G),  # waiting for the next morning neither counts nor breaks
        ([R, G, G, G], 3, True, G),
        ([G, G, R], 0, False, R),
        ([U, U], 0, False, U),
        ([], 0, False, U),
    ],
)
def test_green_run_and_progress_eligibility(lights, run, eligible, current):
    assert green_run(lights) == run
    assert progress_eligible(lights) is eligible
    assert current_light(lights) is current


def test_progress_eligibility_takes_the_clinic_setting():
    assert progress_eligible([G, G], sessions_required=3) is False
    assert progress_eligible([G, G, G], sessions_required=3) is True


def test_long_morning_stiffness_goes_to_therapist_review():
    assert stiffness_review(30) is None  # "more than 30 minutes"
    reason = stiffness_review(45)
    assert reason is not None
    assert (reason.code, reason.values) == ("morning_stiffness_long", {"minutes": 45, "limit": 30})
    assert stiffness_review(None) is None
    assert stiffness_review(20, limit_minutes=15) is not None


pain = st.one_of(st.none(), st.integers(0, 10))


@given(pain, pain, pain, st.integers(0, 10), st.integers(0, 10))
def test_light_is_always_decided_and_green_only_within_the_safe_range(
    during, morning, baseline, safe_max, extra
):
    limits = PainLimits(safe_max=safe_max, amber_max=min(10, safe_max + extra))
    verdict = session_light(during, morning, baseline, limits)
    assert verdict.reasons
    if verdict.light is G:
        assert during is not None and during <= limits.safe_max
        assert morning is not None and baseline is not None and morning <= baseline
    if during is not None and during > limits.amber_max:
        assert verdict.light is R


# --- pain after exercise (Silbernagel 2007; domain.md §3) -----------------------------------


def test_pain_after_nine_with_a_normal_morning_is_red():
    # Pain during 2 (safe), next morning 2 at the baseline of 2, but pain after the session
    # 9/10: after-pain may reach 5 and no more → red, even though pain during was fine.
    verdict = session_light(2, 2, 2, pain_after=9)
    assert verdict.light is R
    assert [r.code for r in verdict.reasons] == ["pain_after_high"]
    assert verdict.reasons[0].values == {"pain": 9, "limit": 5}


def test_pain_after_five_that_settles_by_the_morning_is_green():
    # After-pain 5 is allowed when it has settled by the next morning (2 at baseline 2).
    assert session_light(2, 2, 2, pain_after=5).light is G


def test_after_pain_that_has_not_settled_by_the_morning_is_red():
    # Pain during 1 and after 4 (both fine), but the next morning 4 against a baseline of
    # 2: the after-pain did not settle → red.
    verdict = session_light(1, 4, 2, pain_after=4)
    assert verdict.light is R
    assert [r.code for r in verdict.reasons] == ["next_morning_above_baseline"]


def test_pain_after_above_five_is_red_before_the_next_morning_is_known():
    # Too much after-pain needs no morning to be red (like too much pain during).
    assert session_light(2, None, None, pain_after=6).light is R
    # Pain after 5.5 with a clinic limit of 6 is within it.
    assert session_light(2, 2, 2, PainLimits(after_max=6), pain_after=5.5).light is G


@given(
    during=st.integers(0, 10),
    after=st.integers(0, 10),
    morning=st.integers(0, 10),
    baseline=st.integers(0, 10),
)
def test_pain_after_above_five_is_always_red(during, after, morning, baseline):
    verdict = session_light(during, morning, baseline, pain_after=after)
    if after > 5:
        assert verdict.light is R
        assert "pain_after_high" in [r.code for r in verdict.reasons]
    else:
        # After-pain up to 5 never changes the light on its own.
        assert verdict == session_light(during, morning, baseline)
