"""Adherence: sessions and exercises done versus prescribed.

Adherence is the share of the plan that was done: it never exceeds 100 %; sessions beyond
the plan are counted as extra and shown as such ("3 of 3, 1 extra", not 133 %), so that
an extra session in one week never hides a missed one in another (issue 14).
``adherence_fraction`` is the plain ratio done ÷ prescribed, for callers that say why it
exceeds 1. Nothing prescribed → None (no fraction to give).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol


class _MaybeSkipped(Protocol):
    @property
    def skipped(self) -> bool: ...


@dataclass(frozen=True)
class PlanShare:
    """Done against planned: the share of the plan done (at most 1) and what came on top."""

    done: int
    planned: int

    def __post_init__(self) -> None:
        if self.done < 0 or self.planned < 0:
            raise ValueError("counts must not be negative")

    @property
    def fraction(self) -> float | None:
        """Planned sessions done ÷ planned, capped at 1; None when nothing was planned."""
        return adherence_fraction(min(self.done, self.planned), self.planned)

    @property
    def extra(self) -> int:
        """Sessions beyond the plan (0 when the plan was not exceeded)."""
        return max(0, self.done - self.planned)


@dataclass(frozen=True)
class WeekAdherence:
    """Sessions done in a calendar week (Monday–Sunday) against the prescription.

    ``fraction`` is the plain ratio (it may exceed 1); ``share`` caps it and counts extras.
    """

    week_start: date
    done: int
    prescribed: int
    fraction: float | None

    @property
    def share(self) -> PlanShare:
        return PlanShare(self.done, self.prescribed)


def adherence_fraction(done: float, prescribed: float) -> float | None:
    """Adherence = done ÷ prescribed; None when nothing was prescribed."""
    if done < 0 or prescribed < 0:
        raise ValueError("counts must not be negative")
    if prescribed == 0:
        return None
    return done / prescribed


def weekly_session_adherence(
    session_days: Iterable[date], prescribed_per_week: int, first_monday: date, weeks: int
) -> list[WeekAdherence]:
    """Sessions done ÷ sessions prescribed per calendar week, for ``weeks`` weeks."""
    if first_monday.weekday() != 0:
        raise ValueError("weeks start on a Monday")
    counts = [0] * weeks
    for day in session_days:
        index = (day - first_monday).days // 7
        if 0 <= index < weeks:
            counts[index] += 1
    return [
        WeekAdherence(
            week_start=first_monday + timedelta(weeks=i),
            done=done,
            prescribed=prescribed_per_week,
            fraction=adherence_fraction(done, prescribed_per_week),
        )
        for i, done in enumerate(counts)
    ]


def exercise_adherence(logged: Iterable[_MaybeSkipped], prescribed: int) -> float | None:
    """Exercises done ÷ prescribed, where done = logged and not marked skipped."""
    done = sum(1 for entry in logged if not entry.skipped)
    return adherence_fraction(done, prescribed)
