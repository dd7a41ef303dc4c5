"""What the exit criteria read of a patient's movement analyses, in one query.

For other areas (rehab.programmes): the caller has already authorised the patient. It
reads, never writes: the latest red flags, the first and latest lumbar mobility, the
baselines of NPRS and the patient-specific activities, the activity score on whichever
instrument was used, the sport or work activity's own score and the latest single-leg
squat ratings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from rehab.extensions import db
from rehab.patients import vocabulary as vocab
from rehab.patients.models import AnalysisActivity, MovementAnalysis
from rehab.progress.criteria import ActivityScore, LumbarMobility

CHRONOLOGICAL = (MovementAnalysis.recorded_on, MovementAnalysis.id)
_RED_FLAG_COLUMNS = [f"red_flag_{code}" for code in vocab.RED_FLAGS]
_SQUAT_ITEMS = list(vocab.SINGLE_LEG_SQUAT_ITEMS)
_SQUAT_COLUMNS = [f"sls_{item}_{side}" for side in vocab.SIDES for item in _SQUAT_ITEMS]
_COLUMNS = [
    "recorded_on", "earlier_episodes", "modified_schober", "finger_floor_distance", "nprs",
    "activity_instrument", "psk", "psfs", *_RED_FLAG_COLUMNS, *_SQUAT_COLUMNS,
]  # fmt: skip


@dataclass(frozen=True)
class AnalysisFacts:
    """The facts of a patient's analyses that exit criteria are judged on."""

    screened: bool = False  # at least one analysis
    latest_day: dt.date | None = None
    latest_earlier_episodes: int | None = None
    red_flags: tuple[str, ...] = ()  # ticked on the latest analysis
    mobility: LumbarMobility = field(default_factory=lambda: LumbarMobility(None, None, None, None))
    nprs_baseline: float | None = None  # the first NPRS recorded
    activities_first: ActivityScore | None = None  # the first activity mean
    activities_latest: ActivityScore | None = None
    sport_activity: ActivityScore | None = None  # the latest sport or work activity's score
    squat: tuple[tuple[str | None, ...], tuple[str | None, ...]] | None = None  # left, right


def analysis_facts(patient_id: int) -> AnalysisFacts:
    """The facts, oldest analysis first (one query whatever the number of analyses)."""
    sport = (
        select(AnalysisActivity.score)
        .where(
            AnalysisActivity.analysis_id == MovementAnalysis.id,
            AnalysisActivity.sport_or_work.is_(True),
        )
        .limit(1)
        .scalar_subquery()
    )
    rows = [
        dict(zip([*_COLUMNS, "sport_score"], row, strict=True))
        for row in db.session.execute(
            select(*(getattr(MovementAnalysis, name) for name in _COLUMNS), sport)
            .where(MovementAnalysis.patient_id == patient_id)
            .order_by(*CHRONOLOGICAL)
        )
    ]
    if not rows:
        return AnalysisFacts()
    latest = rows[-1]
    means = [_mean(row) for row in rows if _mean(row) is not None]
    return AnalysisFacts(
        screened=True,
        latest_day=latest["recorded_on"],
        latest_earlier_episodes=latest["earlier_episodes"],
        red_flags=tuple(code for code in vocab.RED_FLAGS if latest[f"red_flag_{code}"]),
        mobility=_mobility(rows),
        nprs_baseline=_first_latest(rows, "nprs")[0],
        activities_first=means[0] if means else None,
        activities_latest=means[-1] if means else None,
        sport_activity=_sport_activity(rows),
        squat=_squat(rows),
    )


def _number(value) -> float | None:
    return None if value is None else float(value)


def _first_latest(rows: list[dict], name: str) -> tuple[float | None, float | None]:
    present = [_number(row[name]) for row in rows if row[name] is not None]
    return (present[0], present[-1]) if present else (None, None)


def _mobility(rows: list[dict]) -> LumbarMobility:
    schober = _first_latest(rows, "modified_schober")
    floor = _first_latest(rows, "finger_floor_distance")
    return LumbarMobility(*schober, *floor)


def _mean(row: dict) -> ActivityScore | None:
    instrument = row["activity_instrument"]
    value = row.get(instrument) if instrument else None
    return ActivityScore(instrument, float(value)) if value is not None else None


def _squat(rows: list[dict]):
    """The ratings of the most recent analysis that rated the single-leg squat at all."""
    for row in reversed(rows):
        if any(row[column] for column in _SQUAT_COLUMNS):
            return tuple(
                tuple(row[f"sls_{item}_{side}"] for item in _SQUAT_ITEMS) for side in vocab.SIDES
            )
    return None


def _sport_activity(rows: list[dict]) -> ActivityScore | None:
    """The sport or work activity's score on the most recent analysis that marked one."""
    for row in reversed(rows):
        if row["sport_score"] is not None and row["activity_instrument"]:
            return ActivityScore(row["activity_instrument"], float(row["sport_score"]))
    return None
