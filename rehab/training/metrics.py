"""A patient's training metrics gathered from stored rows, for their pages and reports.

Daily loads are summed in SQL (SUM(session RPE × minutes) per day); which days are rest and
which are missing data, the weekly load, monotony, strain, ACWR, volume load, adherence and
the pain lights come from rehab.progress. ``patient_metrics`` runs a fixed number of
queries whatever the length of the history, and reads the window it shows plus the days
before it that its numbers depend on: the five weeks the rolling ratios look back, and for
the EWMA the patient's first logged day (within ``EWMA_HORIZON_DAYS``), so that the ratio
shown for a day does not change with the number of weeks shown (issue 14).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import selectinload

from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.models import Phase, PrescriptionVersion, Programme
from rehab.progress.acwr import (
    ACUTE_DAYS,
    CHRONIC_DAYS,
    acwr_coupled,
    acwr_ewma,
    acwr_uncoupled,
    rolling_mean,
)
from rehab.progress.adherence import PlanShare
from rehab.progress.load import (
    DailyLoad,
    daily_loads,
    week_on_week_changes,
    weekly_loads,
)
from rehab.progress.pain import Light, PainVerdict
from rehab.progress.volume import SetBlock, VolumeLoad, time_under_tension, volume_load
from rehab.training.models import CheckIn, ExerciseLog, TrainingSession
from rehab.training.mornings import Mornings
from rehab.training.schedule import Schedule, exercises_per_session, monday_of
from rehab.training.suggestions import pain_limits

# The uncoupled ratio needs 35 days before a day; one more week bounds a gap at the edge.
LOOKBACK_DAYS = 42
# The EWMA is seeded with the patient's first logged day (Williams 2017; domain.md §2), not
# with the first day of the window shown. After this many days the seed's weight in the
# chronic EWMA is (1 − 2/29)^400 ≈ 4 × 10⁻¹³: a longer history is read from here on, and
# 400 days cover the longest window the progress page offers (52 weeks).
EWMA_HORIZON_DAYS = 400
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DayMetrics:
    """One calendar day: ``load`` None means missing data (not logged), 0 a rest day."""

    day: dt.date
    load: float | None
    sessions: int
    acute: float | None
    chronic: float | None
    acwr_coupled: float | None
    acwr_uncoupled: float | None
    acwr_ewma: float | None
    pain_during: int | None
    pain_after: int | None
    morning_pain: int | None


@dataclass(frozen=True)
class WeekMetrics:
    week_start: dt.date
    load: float | None
    known_days: int
    monotony: float | None
    strain: float | None
    change_pct: float | None
    sessions_done: int
    sessions_prescribed: int | None
    session_adherence: float | None  # share of the plan done, at most 1
    exercises_done: int
    exercises_prescribed: int | None
    exercise_adherence: float | None  # share of the plan done, at most 1
    sessions_extra: int = 0  # done beyond the plan: shown as extra, not as > 100 %
    exercises_extra: int = 0

    @property
    def complete(self) -> bool:
        return self.known_days == 7

    @property
    def sessions_within_plan(self) -> int:
        return self.sessions_done - self.sessions_extra

    @property
    def exercises_within_plan(self) -> int:
        return self.exercises_done - self.exercises_extra


@dataclass(frozen=True)
class DosePoint:
    """What was done of one prescription on one day, next to what was prescribed then."""

    day: dt.date
    session_id: int
    skipped: bool
    sets: int | None
    load_kg: Decimal | None
    reps: int | None
    hold_seconds: int | None
    duration_seconds: int | None
    distance_m: int | None
    prescribed: dict


@dataclass(frozen=True)
class ExerciseWeek:
    week_start: dt.date
    volume: VolumeLoad | None
    time_under_tension: float | None


@dataclass
class ExerciseSeries:
    """One prescription over the window: its dose over time and weekly volume."""

    prescription_id: int
    exercise_id: int
    points: list[DosePoint] = field(default_factory=list)
    weeks: list[ExerciseWeek] = field(default_factory=list)


@dataclass(frozen=True)
class SessionLight:
    session: TrainingSession
    verdict: PainVerdict

    @property
    def light(self) -> Light:
        return self.verdict.light


@dataclass
class PatientMetrics:
    start: dt.date
    end: dt.date
    days: list[DayMetrics]
    weeks: list[WeekMetrics]
    sessions: list[SessionLight]
    check_ins: list[CheckIn]
    exercises: list[ExerciseSeries]
    ewma_seed: dt.date | None = None  # the first logged day of the run the EWMA stands on

    @property
    def latest(self) -> DayMetrics | None:
        return self.days[-1] if self.days else None

    @property
    def enough_for_acwr(self) -> bool:
        """The ratio exists on the last day: 28 days of logging without a gap (acwr)."""
        return self.latest is not None and self.latest.acwr_coupled is not None


def window(end: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    """The calendar weeks shown: ``weeks`` Monday-to-Sunday weeks ending with ``end``'s."""
    return monday_of(end) - dt.timedelta(weeks=weeks - 1), end


def patient_metrics(
    patient: Patient, programme: Programme | None, *, end: dt.date, weeks: int
) -> PatientMetrics:
    """Everything the progress and history pages show, from ``weeks`` weeks up to ``end``."""
    start, end = window(end, weeks)
    fetch_start = min(
        start - dt.timedelta(days=LOOKBACK_DAYS), end - dt.timedelta(days=EWMA_HORIZON_DAYS)
    )
    per_day = _daily_rows(patient.id, fetch_start, end)
    check_ins = list(
        db.session.scalars(
            select(CheckIn)
            .where(
                CheckIn.patient_id == patient.id,
                CheckIn.check_date >= fetch_start - dt.timedelta(days=7),
                CheckIn.check_date <= end + _ONE_DAY,
            )
            .order_by(CheckIn.check_date)
        )
    )
    sessions = list(
        db.session.scalars(
            select(TrainingSession)
            .where(
                TrainingSession.patient_id == patient.id,
                TrainingSession.session_date >= start,
                TrainingSession.session_date <= end,
            )
            .options(selectinload(TrainingSession.exercises))
            .order_by(TrainingSession.session_date, TrainingSession.id)
        )
    )
    mornings = Mornings((c.check_date, float(c.morning_pain)) for c in check_ins)
    daily = _before_first_log_missing(_daily_loads(per_day, check_ins, fetch_start, end), per_day,
                                      check_ins)  # fmt: skip
    days = _days(daily, per_day, sessions, mornings, start)
    phases = _phases(programme)
    limits = pain_limits(patient.clinic)
    session_lights = [
        SessionLight(
            s,
            mornings.light(
                s.session_date,
                _highest_pain(s),
                limits,
                week_start=monday_of(s.session_date),
                pain_after=s.pain_after,
            ),
        )
        for s in sessions
    ]
    return PatientMetrics(
        start=start,
        end=end,
        days=days,
        weeks=_weeks(daily, per_day, sessions, programme, phases, start),
        sessions=session_lights,
        check_ins=[c for c in check_ins if start <= c.check_date <= end],
        exercises=_exercise_series(sessions),
        ewma_seed=ewma_seed(daily),
    )


def ewma_seed(daily: list[DailyLoad]) -> dt.date | None:
    """The first day of the last unbroken run of logged days: the EWMA's seed (a gap in
    logging starts it again, rehab.progress.acwr.ewma); None when the last day is missing."""
    seed = None
    for entry in daily:
        if entry.load is None:
            seed = None
        elif seed is None:
            seed = entry.day
    return seed


def _daily_rows(patient_id: int, start: dt.date, end: dt.date) -> dict[dt.date, tuple]:
    """Per day: (load in AU, number of sessions, highest pain after) — summed in SQL."""
    rows = db.session.execute(
        select(
            TrainingSession.session_date,
            func.sum(TrainingSession.load),
            func.count(TrainingSession.id),
            func.max(TrainingSession.pain_after),
        )
        .where(
            TrainingSession.patient_id == patient_id,
            TrainingSession.session_date >= start,
            TrainingSession.session_date <= end,
        )
        .group_by(TrainingSession.session_date)
    ).all()
    return {day: (float(load), count, pain_after) for day, load, count, pain_after in rows}


def _daily_loads(per_day, check_ins, start: dt.date, end: dt.date) -> list[DailyLoad]:
    """Daily loads: the SQL sums on days with sessions, rest (0) or missing (None) elsewhere.

    ``load.daily_loads`` decides rest versus missing from the days with any logging; the
    check-in the day after ``end`` bounds a gap at the end like any logged day would.
    """
    logged = set(per_day) | {c.check_date for c in check_ins}
    skeleton = daily_loads([], logged, start, end)
    return [DailyLoad(d.day, per_day[d.day][0] if d.day in per_day else d.load) for d in skeleton]


def _before_first_log_missing(daily, per_day, check_ins) -> list[DailyLoad]:
    """Days before the patient's first logged day are missing data, never rest: the EWMA
    is seeded with the first logged day's load (Williams 2017), not with a 0 before it."""
    logged = [*per_day, *(c.check_date for c in check_ins)]
    first = min(logged) if logged else None
    return [d if first is not None and d.day >= first else DailyLoad(d.day, None) for d in daily]


def _days(daily, per_day, sessions, mornings: Mornings, start: dt.date) -> list[DayMetrics]:
    loads = [d.load for d in daily]
    acute = rolling_mean(loads, ACUTE_DAYS)
    chronic = rolling_mean(loads, CHRONIC_DAYS)
    coupled, uncoupled, ewma = acwr_coupled(loads), acwr_uncoupled(loads), acwr_ewma(loads)
    pain_during: dict[dt.date, int] = {}
    for session in sessions:
        highest = _highest_pain(session)
        if highest is not None:
            pain_during[session.session_date] = max(
                highest, pain_during.get(session.session_date, highest)
            )
    days = []
    for i, entry in enumerate(daily):
        if entry.day < start:
            continue
        morning = mornings.on(entry.day)
        days.append(
            DayMetrics(
                day=entry.day,
                load=entry.load,
                sessions=per_day.get(entry.day, (0, 0, None))[1],
                acute=acute[i],
                chronic=chronic[i],
                acwr_coupled=coupled[i],
                acwr_uncoupled=uncoupled[i],
                acwr_ewma=ewma[i],
                pain_during=pain_during.get(entry.day),
                pain_after=per_day.get(entry.day, (0, 0, None))[2],
                morning_pain=int(morning) if morning is not None else None,
            )
        )
    return days


def _highest_pain(session: TrainingSession) -> int | None:
    pains = [log.pain_during for log in session.exercises if log.pain_during is not None]
    return max(pains) if pains else None


def _phases(programme: Programme | None) -> list[Phase]:
    """The programme's phases with their prescriptions: as loaded with the programme (the
    progress and history pages load the whole tree), else in two queries."""
    if programme is None:
        return []
    if "phases" not in inspect(programme).unloaded and all(
        "prescriptions" not in inspect(phase).unloaded for phase in programme.phases
    ):
        return list(programme.phases)  # ordered by position (Programme.phases)
    return list(
        db.session.scalars(
            select(Phase)
            .where(Phase.programme_id == programme.id)
            .options(selectinload(Phase.prescriptions))
            .order_by(Phase.position)
        )
    )


def phase_in_week(programme: Programme | None, phases: list[Phase], monday: dt.date):
    """The phase in effect in a calendar week (the latest one started by its Sunday)."""
    if programme is None:
        return None
    sunday = monday + dt.timedelta(days=6)
    if programme.started_on and sunday < programme.started_on:
        return None
    if programme.ended_on and monday > programme.ended_on:
        return None
    dated = [
        phase
        for phase in phases
        if phase.started_on
        and phase.started_on <= sunday
        and (phase.ended_on is None or phase.ended_on >= monday)
    ]
    if dated:
        return max(dated, key=lambda phase: phase.started_on)
    current = programme.current_phase_id
    return next((phase for phase in phases if phase.id == current), None)


def _weeks(daily, per_day, sessions, programme, phases, start: dt.date) -> list[WeekMetrics]:
    weekly = weekly_loads(daily)
    changes = week_on_week_changes(weekly)
    sessions_done: dict[dt.date, int] = defaultdict(int)
    for day, (_, count, _) in per_day.items():
        sessions_done[monday_of(day)] += count
    exercises_done: dict[dt.date, int] = defaultdict(int)
    for session in sessions:
        done = sum(1 for log in session.exercises if not log.skipped)
        exercises_done[monday_of(session.session_date)] += done
    result = []
    for week, change in zip(weekly, changes, strict=True):
        if week.week_start < start:
            continue
        phase = phase_in_week(programme, phases, week.week_start)
        prescribed = exercises = None
        if phase is not None:
            schedule = Schedule.of(phase)
            prescribed = schedule.sessions_prescribed_per_week
            if prescribed is not None:
                per_session = exercises_per_session(phase.prescriptions, schedule)
                exercises = round(prescribed * per_session)
        done = sessions_done.get(week.week_start, 0)
        ex_done = exercises_done.get(week.week_start, 0)
        sessions = PlanShare(done, prescribed or 0)
        exercise_share = PlanShare(ex_done, exercises or 0)
        result.append(
            WeekMetrics(
                week_start=week.week_start,
                load=week.load,
                known_days=week.known_days,
                monotony=week.monotony,
                strain=week.strain,
                change_pct=change,
                sessions_done=done,
                sessions_prescribed=prescribed,
                session_adherence=sessions.fraction,
                exercises_done=ex_done,
                exercises_prescribed=exercises,
                exercise_adherence=exercise_share.fraction,
                sessions_extra=sessions.extra if prescribed else 0,
                exercises_extra=exercise_share.extra if exercises else 0,
            )
        )
    return result


def _exercise_series(sessions: list[TrainingSession]) -> list[ExerciseSeries]:
    """Per prescription: the dose done next to the dose prescribed, and weekly volume."""
    version_ids = {log.prescription_version_id for s in sessions for log in s.exercises}
    doses = {}
    if version_ids:
        doses = dict(
            db.session.execute(
                select(PrescriptionVersion.id, PrescriptionVersion.dose).where(
                    PrescriptionVersion.id.in_(version_ids)
                )
            ).all()
        )
    series: dict[int, ExerciseSeries] = {}
    for session in sessions:
        for log in session.exercises:
            entry = series.setdefault(
                log.prescription_id, ExerciseSeries(log.prescription_id, log.exercise_id)
            )
            entry.exercise_id = log.exercise_id  # the latest rung of the ladder
            entry.points.append(_point(session, log, doses.get(log.prescription_version_id)))
    for entry in series.values():
        entry.weeks = _exercise_weeks(entry.points)
    return list(series.values())


def _point(session: TrainingSession, log: ExerciseLog, dose: dict | None) -> DosePoint:
    return DosePoint(
        day=session.session_date,
        session_id=session.id,
        skipped=log.skipped,
        sets=log.sets_done,
        load_kg=log.load_kg,
        reps=log.reps_done,
        hold_seconds=log.hold_seconds_done,
        duration_seconds=log.duration_seconds_done,
        distance_m=log.distance_m_done,
        prescribed=dose or {},
    )


def _exercise_weeks(points: list[DosePoint]) -> list[ExerciseWeek]:
    """Volume load and time under tension per calendar week (volume.volume_load, …)."""
    by_week: dict[dt.date, list[SetBlock]] = defaultdict(list)
    for point in points:
        monday = monday_of(point.day)
        by_week.setdefault(monday, [])
        if point.skipped or point.sets is None or point.reps is None:
            continue
        by_week[monday].append(SetBlock(point.sets, point.reps, point.load_kg, point.hold_seconds))
    weeks = []
    for monday, blocks in sorted(by_week.items()):
        holds = [block for block in blocks if block.hold_seconds is not None]
        weeks.append(
            ExerciseWeek(
                week_start=monday,
                volume=volume_load(blocks) if blocks else None,
                time_under_tension=time_under_tension(holds) if holds else None,
            )
        )
    return weeks
