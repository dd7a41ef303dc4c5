"""Acute:chronic workload ratio (ACWR): descriptive only, never an alert by default.

Every function takes daily loads, one per calendar day, oldest first (``None`` = missing
data, see ``load.daily_loads``), and returns one value per day, ``None`` where no ratio can
be given: fewer than 28 days of data (35 for the uncoupled form), a missing day in the
window, or a chronic load of 0. Nothing here divides by zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
UNCOUPLED_CHRONIC_OFFSET = 7  # the uncoupled chronic window ends where the acute one begins

# Impellizzeri 2020/2021: the ratio adds little predictive value, so Rehab raises no alert
# from ACWR alone unless the clinic turns it on.
ACWR_ALERTS_ENABLED_BY_DEFAULT = False


@dataclass(frozen=True)
class AcwrBand:
    """The commonly cited ACWR band: a "sweet spot" and the start of a "danger zone"."""

    sweet_spot_low: float
    sweet_spot_high: float
    danger_from: float


def commonly_cited_band() -> AcwrBand:
    """Gabbett 2016's 0.8–1.3 "sweet spot" and ≥ 1.5 "danger zone"; contested, not validated.

    Impellizzeri et al. (IJSPP 2020;15:907; Sports Med 2021, "time to dismiss ACWR") showed
    the chronic denominator adds little; draw the band only with that caveat in words and
    do not alert on it by default (``ACWR_ALERTS_ENABLED_BY_DEFAULT``).
    """
    return AcwrBand(sweet_spot_low=0.8, sweet_spot_high=1.3, danger_from=1.5)


def rolling_mean(loads: Sequence[float | None], days: int) -> list[float | None]:
    """Mean load of the ``days`` days ending on each day; None if too early or a day is missing."""
    _check_loads(loads)
    means: list[float | None] = []
    missing = 0  # missing days in the window ending on day t
    for t, load in enumerate(loads):
        missing += load is None
        if t >= days:
            missing -= loads[t - days] is None
        complete = t >= days - 1 and not missing
        # The window summed as it stands (not a running total): the same sum, bit for bit.
        means.append(sum(loads[t - days + 1 : t + 1]) / days if complete else None)
    return means


def acwr_coupled(loads: Sequence[float | None]) -> list[float | None]:
    """Coupled ACWR = mean(t−6..t) ÷ mean(t−27..t) (rolling average; Gabbett 2016)."""
    acute = rolling_mean(loads, ACUTE_DAYS)
    chronic = rolling_mean(loads, CHRONIC_DAYS)
    return [_ratio(a, c) for a, c in zip(acute, chronic, strict=True)]


def acwr_uncoupled(loads: Sequence[float | None]) -> list[float | None]:
    """Uncoupled ACWR = mean(t−6..t) ÷ mean(t−34..t−7), needs 35 days (Lolli 2019)."""
    acute = rolling_mean(loads, ACUTE_DAYS)
    chronic = rolling_mean(loads, CHRONIC_DAYS)
    ratios: list[float | None] = []
    for t, acute_mean in enumerate(acute):
        # The chronic window ending the day before the acute window starts: t−34..t−7.
        earlier = t - UNCOUPLED_CHRONIC_OFFSET
        ratios.append(_ratio(acute_mean, chronic[earlier]) if earlier >= 0 else None)
    return ratios


def ewma_lambda(days: int) -> float:
    """Decay λ = 2 ÷ (N + 1): N = 7 → 0.25, N = 28 → 2/29 ≈ 0.0690 (Williams 2017)."""
    if days < 1:
        raise ValueError("an EWMA needs N ≥ 1 days")
    return 2 / (days + 1)


def ewma(loads: Sequence[float | None], days: int) -> list[float | None]:
    """E(t) = λ·L(t) + (1 − λ)·E(t−1), seeded with the first day's load (Williams 2017).

    A missing day breaks the average: it is None that day and re-seeds on the next known
    day, because carrying an average across a gap would invent the gap's load.
    """
    _check_loads(loads)
    decay = ewma_lambda(days)
    series: list[float | None] = []
    previous: float | None = None
    for load in loads:
        if load is None:
            previous = None
        elif previous is None:
            previous = float(load)
        else:
            previous = decay * load + (1 - decay) * previous
        series.append(previous)
    return series


def acwr_ewma(loads: Sequence[float | None]) -> list[float | None]:
    """EWMA ACWR = EWMA(N=7) ÷ EWMA(N=28), both seeded with day 1 (Williams 2017).

    A ratio is given once 28 consecutive days are known since the (re)seed.
    """
    acute = ewma(loads, ACUTE_DAYS)
    chronic = ewma(loads, CHRONIC_DAYS)
    ratios: list[float | None] = []
    known_run = 0
    for load, a, c in zip(loads, acute, chronic, strict=True):
        known_run = known_run + 1 if load is not None else 0
        ratios.append(_ratio(a, c) if known_run >= CHRONIC_DAYS else None)
    return ratios


def _ratio(acute: float | None, chronic: float | None) -> float | None:
    if acute is None or chronic is None or chronic == 0:
        return None
    return acute / chronic


def _check_loads(loads: Sequence[float | None]) -> None:
    if any(load is not None and load < 0 for load in loads):
        raise ValueError("loads must not be negative")
