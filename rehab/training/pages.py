"""What each page shows, assembled from the services, the metrics and the charts.

Kept apart from views.py so the views stay thin: load and authorise, validate, call a
service, render. Every function here runs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache

from flask import url_for
from flask_babel import get_locale
from sqlalchemy import func, select

from rehab.core.clock import clinic_today
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes import services as programme_services
from rehab.programmes.models import Suggestion
from rehab.reports import chart_views, charts
from rehab.reports.chart_views import ChartView
from rehab.training import open_items, services
from rehab.training.alerts import severity_order
from rehab.training.evidence import (
    alert_exercise_ids,
    alert_view,
    exercise_names,
    suggestion_view,
)
from rehab.training.metrics import PatientMetrics, patient_metrics
from rehab.training.models import Alert, CheckIn, TrainingSession
from rehab.training.schedule import monday_of
from rehab.training.suggestions import Evaluation, evaluate_prescriptions

HISTORY_WEEKS = (2, 4, 12)  # the patient's own charts: fitted to their data, at most 12
PROGRESS_WEEKS = (2, 4, 12, 26, 52)  # the therapist's choices
PROGRESS_MAX_DAYS_BACK = 10 * 366
# The session and check-in tables and the dose charts show the last weeks of the period; the
# rest is one click away (``?full=1``). Half a year of sessions, check-ins and a dozen past
# exercises' charts made the page 250 KB that no one reads at once (issue 24).
PROGRESS_RECENT_WEEKS = 4


# --- charts from metrics --------------------------------------------------------------------------


# Drawing is most of a progress page's time (pygal), and a chart is a pure function of its
# data, width and language: charts already drawn in this process are reused while the data is
# the same (a new session or check-in changes the data, so it draws anew).
# About 180 KB for a patient's four metric charts, 15 KB for a dose chart: at most ~16 MB a
# process.
METRIC_CHARTS_KEPT = 64
DOSE_CHARTS_KEPT = 256


DOSE_PREFIX = "dose-"  # a dose chart's name: dose-<exercise id>


def linked(view: ChartView, endpoint: str, **values) -> ChartView:
    """The view with the address of its picture (rehab.training.chart_images); ``v`` is the
    digest of what it draws, so the browser may keep it."""
    if not view.drawn:
        return view
    return replace(view, src=url_for(endpoint, v=view.drawing.digest, **values))


def clear_chart_caches() -> None:
    """Forget every drawn chart (benchmarks time a first drawing with this)."""
    _metric_charts.cache_clear()
    _dose_chart.cache_clear()
    chart_views.numbers_table.cache_clear()


def metric_charts(metrics: PatientMetrics, *, width: int) -> dict[str, ChartView]:
    """The page's charts (weekly load, load trend, pain, adherence) with their numbers."""
    locale = str(get_locale())
    return dict(_metric_charts(tuple(metrics.days), tuple(metrics.weeks), width, locale))


@lru_cache(maxsize=METRIC_CHARTS_KEPT)
def _metric_charts(days_data: tuple, weeks_data: tuple, width: int, _locale: str) -> tuple:
    return tuple(chart_views.metric_views(days_data, weeks_data, width=width).items())


def exercise_charts(
    metrics: PatientMetrics, names: dict[int, str], *, width: int, only=None
) -> list:
    """Per exercise: its dose over time (weight, reps, hold…) next to the prescribed dose
    (``only``: these of the metrics' series)."""
    result = []
    locale = str(get_locale())
    for series in metrics.exercises if only is None else only:
        points = _done(series)
        if not points:
            continue
        lines, whole = chart_views.dose_lines(points)
        if not lines:
            continue
        title = names.get(series.exercise_id, "")
        days = tuple(p.day for p in points)
        result.append((series, _dose_chart(title, days, lines, whole, width, locale)))
    return result


@lru_cache(maxsize=DOSE_CHARTS_KEPT)
def _dose_chart(
    title: str, days: tuple, lines: tuple, whole: bool, width: int, _locale: str
) -> ChartView:
    return chart_views.dose_view(title, days, lines, whole=whole, width=width)


def first_data_day(patient_id: int) -> dt.date | None:
    """The first day with a logged session or a morning check-in (one query)."""
    first_session = (
        select(func.min(TrainingSession.session_date))
        .where(TrainingSession.patient_id == patient_id)
        .scalar_subquery()
    )
    first_check_in = (
        select(func.min(CheckIn.check_date)).where(CheckIn.patient_id == patient_id)
    ).scalar_subquery()
    found = db.session.execute(select(first_session, first_check_in)).one()
    days = [day for day in found if day is not None]
    return min(days) if days else None


def fitted_weeks(first_day: dt.date | None, end: dt.date, choices: tuple[int, ...]) -> int:
    """The shortest choice of calendar weeks that reaches back to ``first_day``."""
    if first_day is None:
        return choices[0]
    needed = (monday_of(end) - monday_of(first_day)).days // 7 + 1
    return next((weeks for weeks in choices if weeks >= needed), choices[-1])


# --- the patient's history ------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekSummary:
    """The patient's week in numbers for one sentence: sessions done (of those planned) and
    the lowest and highest pain during exercise (each day's highest)."""

    sessions_done: int
    sessions_planned: int | None
    pain_low: int | None
    pain_high: int | None


def week_summary(metrics: PatientMetrics, today: dt.date) -> WeekSummary | None:
    week = next((w for w in metrics.weeks if w.week_start == monday_of(today)), None)
    if week is None:
        return None
    pains = [
        d.pain_during
        for d in metrics.days
        if d.pain_during is not None and monday_of(d.day) == week.week_start and d.day <= today
    ]
    return WeekSummary(
        sessions_done=week.sessions_done,
        sessions_planned=week.sessions_prescribed,
        pain_low=min(pains) if pains else None,
        pain_high=max(pains) if pains else None,
    )


def history_context(patient: Patient, today: dt.date, page: int) -> dict:
    programme = services.active_programme(patient.id)
    weeks = fitted_weeks(first_data_day(patient.id), today, HISTORY_WEEKS)
    metrics = patient_metrics(patient, programme, end=today, weeks=weeks)
    pagination = db.paginate(
        services.patient_sessions_statement(patient),
        page=page,
        per_page=services.SESSIONS_PER_PAGE,
        error_out=False,
    )
    return {
        "metrics": metrics,
        "summary": week_summary(metrics, today),
        "charts": {
            key: linked(view, "training.history_chart", name=key)
            for key, view in metric_charts(metrics, width=charts.NARROW).items()
        },
        "pagination": pagination,
    }


# --- the therapist's progress page ----------------------------------------------------------------


def progress_window(patient: Patient, args) -> tuple[dt.date, int, dt.date]:
    """Today, the weeks shown and their last day, from the page's ?weeks= and ?end=."""
    today = clinic_today(patient.clinic)
    weeks = args.get("weeks", type=int)
    if weeks not in PROGRESS_WEEKS:
        # Unchosen (or mistyped): the shortest window that holds all the patient's data, so a
        # week of sessions is not squeezed against the right edge of twelve empty weeks.
        weeks = fitted_weeks(first_data_day(patient.id), today, PROGRESS_WEEKS)
    try:
        end = dt.date.fromisoformat(args.get("end") or "") if args.get("end") else today
    except ValueError:
        end = today
    if not today - dt.timedelta(days=PROGRESS_MAX_DAYS_BACK) <= end <= today:
        end = today  # a hostile or mistyped ?end= shows the latest weeks
    return today, weeks, end


def recent_start(end: dt.date, weeks: int) -> dt.date | None:
    """The first day of the period's recent part, None when that is the whole period."""
    if weeks <= PROGRESS_RECENT_WEEKS:
        return None
    return end - dt.timedelta(weeks=PROGRESS_RECENT_WEEKS) + dt.timedelta(days=1)


def progress_context(
    patient: Patient, *, end: dt.date, weeks: int, today: dt.date, full: bool = False
) -> dict:
    programme = services.active_programme(patient.id)
    prescriptions = services.current_prescriptions(programme)
    metrics = patient_metrics(patient, programme, end=end, weeks=weeks)
    evaluations = evaluate_prescriptions(patient, prescriptions, today=today)
    suggestions = open_items.open_suggestions([patient.id])
    alerts = list(
        db.session.scalars(
            select(Alert)
            .where(Alert.patient_id == patient.id)
            .order_by(
                Alert.acknowledged_at.is_not(None),
                severity_order(),
                Alert.created_at.desc(),
                Alert.id.desc(),
            )
            .limit(50)
        )
    )
    names = exercise_names(
        [p.exercise_id for p in prescriptions]
        + [log.exercise_id for item in metrics.sessions for log in item.session.exercises]
        + [s.new_exercise_id for s in suggestions if s.new_exercise_id]
        + _ladder_ids(evaluations)
        + alert_exercise_ids(alerts)
    )
    by_prescription = {p.id: p for p in prescriptions}
    window = {"patient_id": patient.id, "weeks": weeks, "end": end.isoformat()}
    since = None if full else recent_start(end, weeks)
    sessions, check_ins, series = metrics.sessions, metrics.check_ins, metrics.exercises
    if since is not None:
        sessions = [item for item in sessions if item.session.session_date >= since]
        check_ins = [c for c in check_ins if c.check_date >= since]
        series = [s for s in series if any(p.day >= since for p in _done(s))]
    return {
        "programme": programme,
        "phase": programme_services.current_phase(programme) if programme else None,
        "metrics": metrics,
        "evaluations": evaluations,
        "suggestions": [
            suggestion_view(s, by_prescription.get(s.prescription_id), names, alerts)
            for s in suggestions
        ],
        "open_alerts": [alert_view(a, names) for a in alerts if a.acknowledged_at is None],
        "closed_alerts": [alert_view(a, names) for a in alerts if a.acknowledged_at is not None],
        "names": names,
        "charts": {
            key: linked(view, "training.progress_chart", **window, name=key)
            for key, view in metric_charts(metrics, width=charts.WIDE).items()
        },
        "exercise_charts": [
            (one, linked(view, "training.progress_chart", **window, name=_dose_name(one)))
            for one, view in exercise_charts(metrics, names, width=charts.WIDE, only=series)
        ],
        "sessions": sessions,
        "check_ins": check_ins,
        "recent_weeks": PROGRESS_RECENT_WEEKS,
        "hidden": {
            "sessions": len(metrics.sessions) - len(sessions),
            "check_ins": len(metrics.check_ins) - len(check_ins),
            "exercises": _charted(metrics.exercises) - _charted(series),
        },
        "today": today,
        "end": end,
    }


def _done(series) -> list:
    """The exercise's logged points that were done (a skipped one has no dose to chart)."""
    return [p for p in series.points if not p.skipped]


def _charted(series_list) -> int:
    """How many of the exercises would have a dose chart (one done, not skipped)."""
    return sum(1 for s in series_list if _done(s))


def _dose_name(series) -> str:
    return f"{DOSE_PREFIX}{series.exercise_id}"


def _ladder_ids(evaluations: list[Evaluation]) -> list[int]:
    """Exercises named in the advice's reasons (a step up or down the ladder)."""
    return [
        reason.values["exercise_id"]
        for ev in evaluations
        if ev.advice is not None
        for reason in ev.advice.reasons
        if "exercise_id" in reason.values
    ]


# The panel on the patient's page (registered in rehab/training/__init__.py).


def panel(actor, patient: Patient) -> dict:
    """Latest open alert, open suggestions and a link to the progress page (3 queries)."""
    alert = db.session.scalar(
        select(Alert)
        .where(Alert.patient_id == patient.id, Alert.acknowledged_at.is_(None))
        .order_by(severity_order(), Alert.created_at.desc(), Alert.id.desc())
        .limit(1)
    )
    open_alerts = db.session.scalar(
        select(func.count(Alert.id)).where(
            Alert.patient_id == patient.id, Alert.acknowledged_at.is_(None)
        )
    )
    suggestions = db.session.scalar(
        select(func.count(Suggestion.id)).where(
            Suggestion.patient_id == patient.id, Suggestion.status == "open"
        )
    )
    from rehab.training.wording import ALERT_TITLES

    return {
        "patient": patient,
        # The panel names the latest alert and its session; the exercise it comes from is on
        # the progress page it links to (no names query here: the count stays the same).
        "alert": alert_view(alert) if alert else None,
        "alert_title": ALERT_TITLES.get(alert.kind, alert.kind) if alert else None,
        "open_alerts": open_alerts or 0,
        "open_suggestions": suggestions or 0,
    }
