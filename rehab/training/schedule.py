"""Which of a phase's prescriptions are due on a day, from the phase's schedule.

A phase has one of three schedules (rehab.programmes.models.Phase):
- ``per_week``: N sessions a week on days the patient picks; every session has all exercises.
- ``weekdays``: fixed ISO weekdays ("1,3,5" = Monday, Wednesday, Friday); other days rest.
- ``rotation``: session days "A,B" (or "A,B,C") follow each other whatever the week; each
  prescription belongs to one label (``session_label``); one without a label is in every session.
Plain functions on plain values, so the rules are tested without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Schedule:
    """A phase's schedule as plain values."""

    kind: str
    sessions_per_week: int | None = None
    weekdays: tuple[int, ...] = ()
    rotation: tuple[str, ...] = ()

    @classmethod
    def of(cls, phase) -> Schedule:
        return cls(
            kind=phase.schedule_kind or "per_week",
            sessions_per_week=phase.sessions_per_week,
            weekdays=parse_weekdays(phase.weekdays),
            rotation=parse_rotation(phase.rotation),
        )

    @property
    def sessions_prescribed_per_week(self) -> int | None:
        """Sessions a week: the fixed weekdays, else ``sessions_per_week``."""
        if self.kind == "weekdays" and self.weekdays:
            return len(self.weekdays)
        return self.sessions_per_week


def parse_weekdays(text: str | None) -> tuple[int, ...]:
    """ISO weekday numbers from "1,3,5" (Monday = 1); anything else is ignored."""
    numbers = set()
    for part in (text or "").split(","):
        part = part.strip()
        if part.isdigit() and 1 <= int(part) <= 7:
            numbers.add(int(part))
    return tuple(sorted(numbers))


def parse_rotation(text: str | None) -> tuple[str, ...]:
    """Session labels from "A,B,C", in order, without blanks."""
    return tuple(label.strip() for label in (text or "").split(",") if label.strip())


def is_session_day(schedule: Schedule, day: date) -> bool:
    """Only a fixed-weekday schedule has rest days; the others leave the day to the patient."""
    if schedule.kind != "weekdays" or not schedule.weekdays:
        return True
    return day.isoweekday() in schedule.weekdays


def next_session_day(schedule: Schedule, after: date) -> date | None:
    """The first scheduled weekday after ``after`` (None when the schedule has no weekdays)."""
    if schedule.kind != "weekdays" or not schedule.weekdays:
        return None
    for offset in range(1, 8):
        day = after + timedelta(days=offset)
        if day.isoweekday() in schedule.weekdays:
            return day
    return None


def next_rotation_label(rotation: Sequence[str], last_label: str | None) -> str | None:
    """The label after the last logged session's; the first when none was logged or known."""
    if not rotation:
        return None
    if last_label not in rotation:
        return rotation[0]
    return rotation[(rotation.index(last_label) + 1) % len(rotation)]


def session_label_of(labels: Sequence[str | None], rotation: Sequence[str]) -> str | None:
    """A logged session's rotation label: the most frequent label among its exercises."""
    known = [label for label in labels if label in rotation]
    if not known:
        return None
    return max(rotation, key=known.count)


def due_prescriptions(prescriptions: Sequence, schedule: Schedule, label: str | None) -> list:
    """The prescriptions of one session: all of them, or those of the rotation label."""
    if schedule.kind != "rotation" or not schedule.rotation or label is None:
        return list(prescriptions)
    return [p for p in prescriptions if p.session_label in (None, "", label)]


def exercises_per_session(prescriptions: Sequence, schedule: Schedule) -> float:
    """How many exercises one session holds on average (for exercise adherence)."""
    if schedule.kind != "rotation" or not schedule.rotation:
        return float(len(prescriptions))
    sizes = [len(due_prescriptions(prescriptions, schedule, label)) for label in schedule.rotation]
    return sum(sizes) / len(sizes)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
