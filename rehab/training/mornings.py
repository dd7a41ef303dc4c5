"""A patient's morning check-ins as the pain-monitoring model reads them (Silbernagel 2007).

Gathers what ``rehab.progress.pain`` needs from stored check-ins: the pain the morning after
a session, the baseline that morning (median of the last 7 mornings up to the session day)
and whether the weekly trend rose two weeks running. The formulas stay in rehab.progress.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import date, timedelta

from rehab.progress.pain import (
    PainLimits,
    PainVerdict,
    morning_baseline,
    session_light,
    trend_rising_two_weeks,
    weekly_mean_pain,
)

_ONE_DAY = timedelta(days=1)
_TREND_WEEKS = 3


class Mornings:
    """Morning pain scores by day, for one patient."""

    def __init__(self, scores: Iterable[tuple[date, float]]):
        self._by_day = dict(scores)
        self._days = sorted(self._by_day)
        self._trends: dict[date, bool | None] = {}

    def __len__(self) -> int:
        return len(self._days)

    def items(self) -> list[tuple[date, float]]:
        return [(day, self._by_day[day]) for day in self._days]

    def on(self, day: date) -> float | None:
        return self._by_day.get(day)

    def next_morning(self, day: date) -> float | None:
        """The pain the morning after ``day`` (the check-in of the next day)."""
        return self._by_day.get(day + _ONE_DAY)

    def baseline(self, day: date) -> float | None:
        """Median of the last 7 mornings up to and including ``day`` (pain.morning_baseline)."""
        end = bisect.bisect_right(self._days, day)
        recent = [self._by_day[d] for d in self._days[max(0, end - 7) : end]]
        return morning_baseline(recent)

    def trend_rising(self, week_start: date) -> bool | None:
        """Trend rising over the three complete weeks before the week of ``week_start``."""
        if week_start not in self._trends:
            first = week_start - timedelta(days=7 * _TREND_WEEKS)
            means = weekly_mean_pain(self.items(), first, _TREND_WEEKS)
            self._trends[week_start] = trend_rising_two_weeks(means)
        return self._trends[week_start]

    def weekly_means(self, first_monday: date, weeks: int) -> list[float | None]:
        return weekly_mean_pain(self.items(), first_monday, weeks)

    def light(
        self,
        day: date,
        pain_during: float | None,
        limits: PainLimits,
        *,
        week_start: date,
        pain_after: float | None = None,
    ) -> PainVerdict:
        """The traffic light of a session (or one exercise of it) done on ``day``."""
        return session_light(
            pain_during,
            self.next_morning(day),
            self.baseline(day),
            limits,
            self.trend_rising(week_start),
            pain_after=pain_after,
        )
