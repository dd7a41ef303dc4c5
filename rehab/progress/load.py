"""Training load from session RPE: daily and weekly load, monotony, strain and load spikes.

Missing data is kept apart from rest: a day inside a logged stretch without a session is a
rest day (load 0), but a run of ``missing_run_days`` or more consecutive days on which the
patient logged nothing at all (no session, no check-in) is a gap (``None``), shown as such.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from rehab.progress.reasons import Reason

# Clinic settings (domain.md §1–2); these are the defaults.
DEFAULT_MISSING_RUN_DAYS = 7
DEFAULT_WEEK_ON_WEEK_CAUTION_PCT = 10.0
DEFAULT_TWO_WEEK_ALERT_PCT = 30.0
DEFAULT_SESSION_SPIKE_PCT = 10.0
SESSION_SPIKE_LOOKBACK_DAYS = 30

_ONE_DAY = timedelta(days=1)
_ONE_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class TrainingSession:
    """One logged session: its day, the patient's session RPE (CR-10) and its minutes."""

    day: date
    rpe: float
    minutes: float

    @property
    def load(self) -> float:
        """Session load in AU (Foster 2001)."""
        return session_load(self.rpe, self.minutes)


@dataclass(frozen=True)
class DailyLoad:
    """A calendar day's load in AU; ``None`` means missing data, not rest."""

    day: date
    load: float | None


@dataclass(frozen=True)
class WeeklyLoad:
    """A calendar week (Monday–Sunday) of daily loads.

    ``load`` sums the known days only (``None`` when no day is known); ``complete`` is False
    when any of the 7 days is missing or outside the range the caller asked for.
    """

    week_start: date
    load: float | None
    known_days: int
    monotony: float | None
    strain: float | None

    @property
    def complete(self) -> bool:
        return self.known_days == 7


def session_load(rpe: float, minutes: float) -> float:
    """Session load = session RPE (CR-10, 0–10) × duration in minutes, in AU (Foster 2001)."""
    if not 0 <= rpe <= 10:
        raise ValueError(f"session RPE must be 0–10 on the CR-10 scale, got {rpe}")
    if minutes < 0:
        raise ValueError(f"duration must not be negative, got {minutes}")
    return float(rpe * minutes)


def daily_loads(
    sessions: Iterable[TrainingSession],
    logged_days: Iterable[date],
    start: date,
    end: date,
    missing_run_days: int = DEFAULT_MISSING_RUN_DAYS,
) -> list[DailyLoad]:
    """Daily load = sum of the day's session loads, rest = 0, long gaps = None (Foster 2001).

    ``logged_days`` are the days with any logging (sessions' days count automatically). A
    gap is judged on the calendar: logged days outside ``start``–``end`` bound a run, and
    where none is given the range edge does.
    """
    if end < start:
        raise ValueError("end must not be before start")
    if missing_run_days < 1:
        raise ValueError("missing_run_days must be at least 1")
    totals: dict[date, float] = defaultdict(float)
    logged = set(logged_days)
    for session in sessions:
        totals[session.day] += session.load
        logged.add(session.day)
    missing = _days_in_long_gaps(logged, start, end, missing_run_days)
    return [
        DailyLoad(day, None if day in missing else totals.get(day, 0.0))
        for day in _calendar(start, end)
    ]


def _days_in_long_gaps(logged: set[date], start: date, end: date, run_days: int) -> set[date]:
    before = [day for day in logged if day < start]
    after = [day for day in logged if day > end]
    first = max(before) + _ONE_DAY if before else start
    last = min(after) - _ONE_DAY if after else end
    missing: set[date] = set()
    run: list[date] = []
    for day in _calendar(first, last):
        if day in logged:
            if len(run) >= run_days:
                missing.update(run)
            run = []
        else:
            run.append(day)
    if len(run) >= run_days:
        missing.update(run)
    return missing


def _calendar(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def weekly_loads(daily: Sequence[DailyLoad]) -> list[WeeklyLoad]:
    """Weekly load = Σ of a calendar week's daily loads, with monotony and strain (Foster 1998)."""
    by_day: dict[date, float | None] = {}
    for entry in daily:
        if entry.day in by_day:
            raise ValueError(f"two daily loads for {entry.day}")
        by_day[entry.day] = entry.load
    mondays = sorted({day - timedelta(days=day.weekday()) for day in by_day})
    return [_week(monday, by_day) for monday in mondays]


def _week(monday: date, by_day: dict[date, float | None]) -> WeeklyLoad:
    days = [by_day.get(monday + timedelta(days=i)) for i in range(7)]
    known = [load for load in days if load is not None]
    return WeeklyLoad(
        week_start=monday,
        load=sum(known) if known else None,
        known_days=len(known),
        monotony=monotony(days),
        strain=strain(days),
    )


def monotony(week: Sequence[float | None]) -> float | None:
    """Monotony = mean ÷ sample SD (n − 1) of the week's 7 daily loads, rest = 0 (Foster 1998).

    Sources differ on population or sample SD; Rehab uses the sample SD. SD 0 → None
    (undefined, shown as "–"); a missing day → None. No threshold: show it, don't alarm.
    """
    if len(week) != 7:
        raise ValueError(f"monotony needs the 7 daily loads of a week, got {len(week)}")
    known = [load for load in week if load is not None]
    if len(known) != 7:
        return None
    if max(known) == min(known):  # SD 0 exactly: every day the same
        return None
    # The sample SD in floats: statistics.stdev works in exact fractions, which made
    # monotony the larger part of a clinic's daily alert scan (7000 weeks).
    mean = math.fsum(known) / 7
    sd = math.sqrt(math.fsum((load - mean) ** 2 for load in known) / 6)
    return mean / sd if sd > 0 else None


def strain(week: Sequence[float | None]) -> float | None:
    """Strain = weekly load × monotony (Foster 1998); None when monotony is undefined."""
    week_monotony = monotony(week)
    if week_monotony is None:
        return None
    return sum(load for load in week if load is not None) * week_monotony


def percent_change(current: float, previous: float) -> float | None:
    """Change in % = (current − previous) ÷ previous × 100; previous 0 → None (no base)."""
    if previous == 0:
        return None
    return (current - previous) / previous * 100


def week_on_week_changes(weeks: Sequence[WeeklyLoad]) -> list[float | None]:
    """Week-on-week change in % per week (Nielsen 2014); None without a complete previous week."""
    by_start = {week.week_start: week for week in weeks}
    return [_change(week, by_start.get(week.week_start - _ONE_WEEK)) for week in weeks]


def _change(current: WeeklyLoad, reference: WeeklyLoad | None) -> float | None:
    # An incomplete week compared with a full one would show a fake drop or spike.
    if reference is None or not (current.complete and reference.complete):
        return None
    assert current.load is not None and reference.load is not None
    return percent_change(current.load, reference.load)


def week_spike_reasons(
    current: WeeklyLoad,
    previous: WeeklyLoad | None,
    two_back: WeeklyLoad | None,
    caution_pct: float = DEFAULT_WEEK_ON_WEEK_CAUTION_PCT,
    alert_pct: float = DEFAULT_TWO_WEEK_ALERT_PCT,
) -> list[Reason]:
    """Weekly spikes: caution above +10 % week on week, alert above +30 % over two weeks.

    Nielsen 2014 (JOSPT; > 30 % over two weeks). "Above" is strict: exactly the threshold is
    no spike. The two-week change compares this week with the week two weeks back
    (W(t) vs W(t−2)); both must be complete. Codes: ``week_on_week_caution`` (caution),
    ``two_week_alert`` (alert).
    """
    reasons: list[Reason] = []
    if _is_spike(current, previous, caution_pct):
        assert previous is not None
        reasons.append(_spike_reason("week_on_week_caution", current, previous, caution_pct))
    if _is_spike(current, two_back, alert_pct):
        assert two_back is not None
        reasons.append(_spike_reason("two_week_alert", current, two_back, alert_pct))
    return reasons


def _is_spike(current: WeeklyLoad, reference: WeeklyLoad | None, limit_pct: float) -> bool:
    if reference is None or not (current.complete and reference.complete):
        return False
    assert current.load is not None and reference.load is not None
    return exceeds_by_pct(current.load, reference.load, limit_pct)


def _spike_reason(code: str, current: WeeklyLoad, reference: WeeklyLoad, limit: float) -> Reason:
    assert current.load is not None and reference.load is not None
    return Reason(
        code,
        {
            "week_start": current.week_start,
            "load": current.load,
            "reference_week_start": reference.week_start,
            "reference_load": reference.load,
            "change_pct": percent_change(current.load, reference.load),
            "limit_pct": limit,
        },
    )


def spikes_by_week(
    weeks: Sequence[WeeklyLoad],
    caution_pct: float = DEFAULT_WEEK_ON_WEEK_CAUTION_PCT,
    alert_pct: float = DEFAULT_TWO_WEEK_ALERT_PCT,
) -> dict[date, list[Reason]]:
    """``week_spike_reasons`` for every week, keyed by its Monday (Nielsen 2014)."""
    by_start = {week.week_start: week for week in weeks}
    return {
        week.week_start: week_spike_reasons(
            week,
            by_start.get(week.week_start - _ONE_WEEK),
            by_start.get(week.week_start - 2 * _ONE_WEEK),
            caution_pct,
            alert_pct,
        )
        for week in weeks
    }


def session_spike(
    session: TrainingSession,
    history: Iterable[TrainingSession],
    limit_pct: float = DEFAULT_SESSION_SPIKE_PCT,
) -> Reason | None:
    """A session more than 10 % above the largest session load of the previous 30 days (BJSM 2025).

    "Previous 30 days" = the 30 calendar days before the session's day (same-day sessions
    are not compared with each other). No earlier session, or an earlier maximum of 0 → no
    spike (no base to compare with). "Above" is strict. Code: ``session_spike`` (alert).
    """
    window_start = session.day - timedelta(days=SESSION_SPIKE_LOOKBACK_DAYS)
    earlier = [past.load for past in history if window_start <= past.day < session.day]
    if not earlier:
        return None
    largest = max(earlier)
    if not exceeds_by_pct(session.load, largest, limit_pct):
        return None
    return Reason(
        "session_spike",
        {
            "day": session.day,
            "load": session.load,
            "max_previous": largest,
            "change_pct": percent_change(session.load, largest),
            "limit_pct": limit_pct,
        },
    )


def exceeds_by_pct(value: float, reference: float, limit_pct: float) -> bool:
    """True when value is more than ``limit_pct`` % above reference (reference 0: False)."""
    if reference <= 0:
        return False
    # Exact rational arithmetic: 110 vs 100 at 10 % must be "not above", which floats get wrong.
    return Fraction(value) * 100 > Fraction(reference) * (100 + Fraction(limit_pct))
