"""Red pain responses as the therapist reads them: one alert per exercise and week.

The pain-monitoring model (Silbernagel 2007; domain.md §3) judges a session red for two
kinds of reasons. Pain *during* above the clinic's limit belongs to the exercise that hurt;
pain *after* the session above 5, or a next morning above baseline, belongs to the session
as a whole. So a red response is raised

- per exercise and calendar week when an exercise hurt (``rx<prescription>:<monday>``), and
- per calendar week for the session-wide reasons (``session:<monday>``),

each naming the exercise (or the session's exercises) and the dates of the sessions it comes
from, with their count: a second red squat in the same week adds to the first alert instead of
raising an identical card. A group is offered while one of its sessions is recent; it is
updated (upserted) while it is open, and left as it was once acknowledged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import case, select
from sqlalchemy.dialects import postgresql, sqlite

from rehab.extensions import db
from rehab.progress.pain import Light, PainLimits, session_light
from rehab.progress.reasons import Reason
from rehab.training.models import Alert, ExerciseLog, TrainingSession
from rehab.training.schedule import monday_of
from rehab.training.wording import jsonable

SESSION_WIDE = frozenset({"pain_after_high", "next_morning_above_baseline"})


@dataclass(frozen=True)
class LoggedPain:
    prescription_id: int
    exercise_id: int
    pain_during: int | None


def exercise_pains(patient_ids, start: dt.date, end: dt.date) -> dict[int, list[LoggedPain]]:
    """Each session's exercises with their pain during, for sessions in [start, end]."""
    rows = db.session.execute(
        select(
            ExerciseLog.session_id,
            ExerciseLog.prescription_id,
            ExerciseLog.exercise_id,
            ExerciseLog.pain_during,
        )
        .join(TrainingSession, TrainingSession.id == ExerciseLog.session_id)
        .where(
            TrainingSession.patient_id.in_(patient_ids),
            TrainingSession.session_date >= start,
            TrainingSession.session_date <= end,
            ExerciseLog.skipped.is_(False),
        )
        .order_by(ExerciseLog.session_id, ExerciseLog.id)
    ).all()
    found: dict[int, list[LoggedPain]] = defaultdict(list)
    for session_id, prescription_id, exercise_id, pain in rows:
        found[session_id].append(LoggedPain(prescription_id, exercise_id, pain))
    return found


@dataclass
class _Group:
    key: str
    monday: dt.date
    prescription_id: int | None
    sessions: list[tuple[int, dt.date]] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    exercise_ids: list[int] = field(default_factory=list)
    prescription_ids: list[int] = field(default_factory=list)

    def add(self, session_id: int, day: dt.date, reasons, exercises: Iterable[LoggedPain]):
        self.sessions.append((session_id, day))
        self.reasons = list(reasons)  # the latest session's, sessions come oldest first
        for item in exercises:
            if item.exercise_id not in self.exercise_ids:
                self.exercise_ids.append(item.exercise_id)
            if item.prescription_id not in self.prescription_ids:
                self.prescription_ids.append(item.prescription_id)

    def evidence(self) -> dict:
        """What the alert shows besides its reasons: the sessions, their count, the
        exercises (the alert's own ``day`` and ``week_start`` are the latest session's)."""
        return {
            "sessions": [{"id": sid, "day": jsonable(day)} for sid, day in self.sessions],
            "count": len(self.sessions),
            "exercise_ids": self.exercise_ids,
            "prescription_ids": self.prescription_ids,
        }


def red_pain_groups(sessions, pains: dict[int, list[LoggedPain]], mornings, limits: PainLimits,
                    recent_from: dt.date) -> list[_Group]:  # fmt: skip
    """The red responses in the weeks of the recent sessions, grouped per exercise and week
    (pain during) and per week (pain after, next morning). ``sessions`` oldest first."""
    groups: dict[str, _Group] = {}

    def group(key: str, monday: dt.date, prescription_id: int | None) -> _Group:
        return groups.setdefault(key, _Group(key, monday, prescription_id))

    for row in sessions:
        monday = monday_of(row.day)
        exercises = pains.get(row.id, [])
        # The session-wide reasons: its pain after and the next morning (the trend is a
        # finding of its own, pain_rising).
        whole = session_light(
            None, mornings.next_morning(row.day), mornings.baseline(row.day), limits, None,
            pain_after=row.pain_after,
        )  # fmt: skip
        wide = [r for r in whole.reasons if r.code in SESSION_WIDE]
        if whole.light is Light.RED and wide:
            group(f"session:{monday.isoformat()}", monday, None).add(
                row.id, row.day, wide, exercises
            )
        for item in exercises:
            verdict = session_light(item.pain_during, None, None, limits, None)
            during = [r for r in verdict.reasons if r.code == "pain_during_high"]
            if verdict.light is Light.RED and during:
                key = f"rx{item.prescription_id}:{monday.isoformat()}"
                group(key, monday, item.prescription_id).add(row.id, row.day, during, [item])
    return [g for g in groups.values() if any(day >= recent_from for _, day in g.sessions)]


def upsert_open_alerts(rows: list[dict]) -> None:
    """Write a scan's findings in one statement. A finding already raised is kept as it is,
    except an open red pain response, which takes the new evidence (another session of that
    exercise that week); one already acknowledged stays as the therapist left it."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    table = Alert.__table__
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    grows = table.c.kind == "pain_red"
    stmt = insert.on_conflict_do_update(
        index_elements=["patient_id", "kind", "dedupe_key"],
        set_={
            "evidence": case((grows, insert.excluded.evidence), else_=table.c.evidence),
            "session_id": case((grows, insert.excluded.session_id), else_=table.c.session_id),
        },
        where=table.c.acknowledged_at.is_(None),
    )
    db.session.execute(stmt, rows)
