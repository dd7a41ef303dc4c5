"""Adherence: sessions and exercises done versus prescribed.

Fractions are not capped at 1: more sessions than prescribed shows as more than 100 %,
which the therapist may want to see. Nothing prescribed → None (no fraction to give).
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
class WeekAdherence:
    """Sessions done in a calendar week (Monday–Sunday) against the prescription."""

    week_start: date
    done: int
    prescribed: int
    fraction: float | None


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
