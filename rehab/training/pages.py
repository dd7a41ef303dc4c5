"""What each page shows, assembled from the services, the metrics and the charts.

Kept apart from views.py so the views stay thin: load and authorise, validate, call a
service, render. Every function here runs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from flask import request
from flask_babel import get_locale
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from rehab.auth.models import Role
from rehab.core.i18n import gettext as _
from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.patients.models import Patient, PatientStatus
from rehab.programmes import services as programme_services
from rehab.programmes.models import Prescription, Programme, Suggestion
from rehab.programmes.wording import dose_text
from rehab.reports import charts
from rehab.training import services
from rehab.training.alerts import scan_clinic_daily, severity_order
from rehab.training.forms import LogSessionForm
from rehab.training.metrics import PatientMetrics, patient_metrics
from rehab.training.models import Alert, TrainingSession
from rehab.training.schedule import monday_of
from rehab.training.suggestions import Evaluation, evaluate_prescriptions
from rehab.training.wording import describe

DASHBOARD_PAGE_SIZE = 20
# The most urgent open alerts a dashboard row shows; the rest are counted and linked to the
# progress page (a patient nobody looked at for weeks should not make the page unbounded).
DASHBOARD_ALERTS_SHOWN = 3
HISTORY_WEEKS = 12
TIMER_MAX_SECONDS = 3600


# --- the logging form ---------------------------------------------------------------------------


@dataclass
class ExerciseRow:
    """One exercise of the logging form with what the page shows about it."""

    entry: object
    prescription: Prescription | None
    exercise: Exercise | None
    dose: str = ""
    timer_seconds: int | None = None
    duration_in_minutes: bool = False
    prescribed: dict = field(default_factory=dict)

    def text(self, name: str) -> str:
        if self.exercise is None:
            return ""
        return self.exercise.text(name, str(get_locale() or "nl"))


def prepare_session_form(
    form: LogSessionForm,
    prescriptions: list[Prescription],
    today: dt.date,
    *,
    new: bool = False,
    session: TrainingSession | None = None,
) -> None:
    """Give the form one entry per exercise (on GET) and what the page shows for each."""
    form.allowed_ids = {p.id for p in prescriptions}
    by_id = {p.id: p for p in prescriptions}
    if request.method != "POST":
        _fill_entries(form, prescriptions, today, new=new, session=session)
    exercises = services.exercises_by_id(p.exercise_id for p in prescriptions)
    rows = []
    for entry in form.exercises:
        prescription = by_id.get(_int(entry.form.prescription_id.data))
        exercise = exercises.get(prescription.exercise_id) if prescription else None
        rows.append(_row(entry.form, prescription, exercise))
    form.rows = rows


def _fill_entries(form, prescriptions, today, *, new, session) -> None:
    while form.exercises.entries:
        form.exercises.pop_entry()
    logs = {log.prescription_id: log for log in session.exercises} if session else {}
    for prescription in prescriptions:
        form.exercises.append_entry(_entry_data(prescription, logs.get(prescription.id)))
    if session is not None:
        form.submission_key.data = session.submission_key
        form.session_date.data = session.session_date
        form.duration_minutes.data = session.duration_minutes
        form.session_rpe.data = session.session_rpe
        form.pain_after.data = session.pain_after
        form.note.data = session.note
    else:
        form.submission_key.data = services.new_submission_key()
        form.session_date.data = today


def _entry_data(prescription: Prescription, log) -> dict:
    data: dict = {"prescription_id": str(prescription.id)}
    if log is None:
        return data
    in_minutes = _duration_in_minutes(prescription)
    seconds = log.duration_seconds_done
    data.update(
        skipped=log.skipped,
        skip_reason=log.skip_reason,
        sets=log.sets_done,
        reps=log.reps_done,
        hold_seconds=log.hold_seconds_done,
        duration_minutes=seconds // 60 if in_minutes and seconds is not None else None,
        duration_seconds=seconds if not in_minutes else None,
        distance_m=log.distance_m_done,
        load_kg=log.load_kg,
        pain_during=log.pain_during,
        effort=int(log.effort) if log.effort is not None else None,
    )
    return data


def _duration_in_minutes(prescription: Prescription) -> bool:
    return prescription.dosage_type == "time" and (prescription.duration_seconds or 0) >= 120


def _row(entry, prescription, exercise) -> ExerciseRow:
    if prescription is None:
        return ExerciseRow(entry, None, exercise)
    amounts = services.prescribed_amounts(prescription)
    in_minutes = _duration_in_minutes(prescription)
    prescribed = {
        "sets": amounts["sets_done"],
        "reps": amounts["reps_done"],
        "hold_seconds": amounts["hold_seconds_done"],
        "distance_m": amounts["distance_m_done"],
        "load_kg": amounts["load_kg"],
        "effort": int(prescription.target_effort) if prescription.target_effort else None,
    }
    seconds = amounts["duration_seconds_done"]
    if in_minutes:
        prescribed["duration_minutes"] = seconds // 60 if seconds else None
    else:
        prescribed["duration_seconds"] = seconds
    timer = prescription.hold_seconds if prescription.dosage_type == "hold" else None
    if prescription.dosage_type == "time":
        timer = prescription.duration_seconds
    return ExerciseRow(
        entry=entry,
        prescription=prescription,
        exercise=exercise,
        dose=dose_text(prescription),
        timer_seconds=timer if timer and timer <= TIMER_MAX_SECONDS else None,
        duration_in_minutes=in_minutes,
        prescribed={k: v for k, v in prescribed.items() if v is not None},
    )


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def entry_from_form(form: LogSessionForm, prescriptions) -> services.SessionEntry:
    """The validated form as plain values for the service (blank exercises left out)."""
    entries = []
    for item in form.exercises:
        f = item.form
        if f.is_blank:
            continue
        seconds = f.duration_seconds.data
        if seconds is None and f.duration_minutes.data is not None:
            seconds = f.duration_minutes.data * 60
        entries.append(
            services.ExerciseEntry(
                prescription_id=int(f.prescription_id.data),
                as_prescribed=bool(f.as_prescribed.data),
                skipped=bool(f.skipped.data),
                skip_reason=f.skip_reason.data or None,
                sets=f.sets.data,
                reps=f.reps.data,
                hold_seconds=f.hold_seconds.data,
                duration_seconds=seconds,
                distance_m=f.distance_m.data,
                load_kg=f.load_kg.data,
                pain_during=f.pain_during.data,
                effort=Decimal(f.effort.data) if f.effort.data is not None else None,
            )
        )
    return services.SessionEntry(
        submission_key=form.submission_key.data,
        session_date=form.session_date.data,
        duration_minutes=form.duration_minutes.data,
        session_rpe=form.session_rpe.data,
        pain_after=form.pain_after.data,
        note=form.note.data,
        exercises=tuple(entries),
    )


def prescriptions_for_correction(patient: Patient, session: TrainingSession) -> list:
    """The session's logged prescriptions, then the current phase's others."""
    current = services.current_prescriptions(services.active_programme(patient.id))
    logged_ids = [log.prescription_id for log in session.exercises]
    known = {p.id: p for p in current}
    missing = [pid for pid in logged_ids if pid not in known]
    if missing:
        known.update(
            {
                p.id: p
                for p in db.session.scalars(
                    select(Prescription).where(Prescription.id.in_(missing))
                )
            }
        )
    ordered = [known[pid] for pid in logged_ids]
    return ordered + [p for p in current if p.id not in set(logged_ids)]


def session_context(session: TrainingSession) -> dict:
    exercises = services.exercises_by_id(log.exercise_id for log in session.exercises)
    language = str(get_locale() or "nl")
    names = {eid: e.text("name", language) for eid, e in exercises.items()}
    return {"exercise_names": names}


# --- charts from metrics --------------------------------------------------------------------------


# Drawing is most of a progress page's time (pygal), and a chart is a pure function of its
# data, width and language: charts already drawn in this process are reused while the data is
# the same (a new session or check-in changes the data, so it draws anew).
# About 180 KB for a patient's four metric charts, 15 KB for a dose chart: at most ~16 MB a
# process.
METRIC_CHARTS_KEPT = 64
DOSE_CHARTS_KEPT = 256


def clear_chart_caches() -> None:
    """Forget every drawn chart (benchmarks time a first drawing with this)."""
    _metric_charts.cache_clear()
    _dose_chart.cache_clear()


def metric_charts(metrics: PatientMetrics, *, width: int) -> dict[str, str]:
    """The page's charts as data: URIs (weekly load, load trend, pain, adherence)."""
    locale = str(get_locale())
    return dict(_metric_charts(tuple(metrics.days), tuple(metrics.weeks), width, locale))


@lru_cache(maxsize=METRIC_CHARTS_KEPT)
def _metric_charts(days_data: tuple, weeks_data: tuple, width: int, _locale: str) -> tuple:
    days = [d.day for d in days_data]
    weeks = [w.week_start for w in weeks_data]
    return (
        (
            "weekly_load",
            charts.data_uri(
                charts.weekly_load_chart(weeks, [w.load for w in weeks_data], width=width)
            ),
        ),
        (
            "load_trend",
            charts.data_uri(
                charts.load_trend_chart(
                    days,
                    [d.acute for d in days_data],
                    [d.chronic for d in days_data],
                    width=width,
                )
            ),
        ),
        (
            "pain",
            charts.data_uri(
                charts.pain_chart(
                    days,
                    [d.pain_during for d in days_data],
                    [d.pain_after for d in days_data],
                    [d.morning_pain for d in days_data],
                    width=width,
                )
            ),
        ),
        (
            "adherence",
            charts.data_uri(
                charts.adherence_chart(
                    weeks,
                    [w.session_adherence for w in weeks_data],
                    [w.exercise_adherence for w in weeks_data],
                    width=width,
                )
            ),
        ),
    )


def exercise_charts(metrics: PatientMetrics, names: dict[int, str], *, width: int) -> list:
    """Per exercise: its dose over time (weight, reps or hold) next to the prescribed dose."""
    result = []
    locale = str(get_locale())
    for series in metrics.exercises:
        points = [p for p in series.points if not p.skipped]
        if not points:
            continue
        days = tuple(p.day for p in points)
        lines = tuple((label, tuple(values)) for label, values in _dose_lines(points))
        if not lines:
            continue
        title = names.get(series.exercise_id, "")
        result.append((series, _dose_chart(title, days, lines, width, locale)))
    return result


@lru_cache(maxsize=DOSE_CHARTS_KEPT)
def _dose_chart(title: str, days: tuple, lines: tuple, width: int, _locale: str) -> str:
    plotted = [(label, list(values)) for label, values in lines]
    return charts.data_uri(charts.dose_chart(title, list(days), plotted, width=width))


def _dose_lines(points) -> list[tuple[str, list]]:
    def prescribed(name):
        values = [p.prescribed.get(name) for p in points]
        return [float(v) if v is not None else None for v in values]

    if any(p.load_kg is not None for p in points):
        return [
            (_("Weight (kg)"), [p.load_kg for p in points]),
            (_("Prescribed weight (kg)"), prescribed("load_kg")),
        ]
    if any(p.hold_seconds is not None for p in points):
        return [
            (_("Hold (s)"), [p.hold_seconds for p in points]),
            (_("Prescribed hold (s)"), prescribed("hold_seconds")),
        ]
    if any(p.duration_seconds is not None for p in points):
        return [
            (_("Duration (s)"), [p.duration_seconds for p in points]),
            (_("Prescribed duration (s)"), prescribed("duration_seconds")),
        ]
    if any(p.distance_m is not None for p in points):
        return [
            (_("Distance (m)"), [p.distance_m for p in points]),
            (_("Prescribed distance (m)"), prescribed("distance_m")),
        ]
    if any(p.reps is not None for p in points):
        return [
            (_("Reps per set"), [p.reps for p in points]),
            (_("Prescribed reps (top of range)"), prescribed("reps_max")),
        ]
    return []


# --- the patient's history ------------------------------------------------------------------------


def history_context(patient: Patient, today: dt.date, page: int) -> dict:
    programme = services.active_programme(patient.id)
    metrics = patient_metrics(patient, programme, end=today, weeks=HISTORY_WEEKS)
    pagination = db.paginate(
        services.patient_sessions_statement(patient),
        page=page,
        per_page=services.SESSIONS_PER_PAGE,
        error_out=False,
    )
    return {
        "metrics": metrics,
        "charts": metric_charts(metrics, width=charts.NARROW),
        "pagination": pagination,
    }


# --- the therapist's progress page ----------------------------------------------------------------


def progress_context(patient: Patient, *, end: dt.date, weeks: int, today: dt.date) -> dict:
    programme = services.active_programme(patient.id)
    prescriptions = services.current_prescriptions(programme)
    metrics = patient_metrics(patient, programme, end=end, weeks=weeks)
    evaluations = evaluate_prescriptions(patient, prescriptions, today=today)
    suggestions = services.open_suggestions([patient.id])
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
    )
    by_prescription = {p.id: p for p in prescriptions}
    return {
        "programme": programme,
        "phase": programme_services.current_phase(programme) if programme else None,
        "metrics": metrics,
        "evaluations": evaluations,
        "suggestions": [
            suggestion_view(s, by_prescription.get(s.prescription_id), names) for s in suggestions
        ],
        "open_alerts": [alert_view(a) for a in alerts if a.acknowledged_at is None],
        "closed_alerts": [alert_view(a) for a in alerts if a.acknowledged_at is not None],
        "names": names,
        "charts": metric_charts(metrics, width=charts.WIDE),
        "exercise_charts": exercise_charts(metrics, names, width=charts.WIDE),
        "today": today,
        "end": end,
    }


def _ladder_ids(evaluations: list[Evaluation]) -> list[int]:
    """Exercises named in the advice's reasons (a step up or down the ladder)."""
    return [
        reason.values["exercise_id"]
        for ev in evaluations
        if ev.advice is not None
        for reason in ev.advice.reasons
        if "exercise_id" in reason.values
    ]


def exercise_names(ids) -> dict[int, str]:
    """Exercise names in the page's language (the names only: no rows, no regions)."""
    ids = set(ids)
    if not ids:
        return {}
    language = str(get_locale() or "nl")
    rows = db.session.execute(
        select(Exercise.id, Exercise.name_nl, Exercise.name_en).where(Exercise.id.in_(ids))
    ).all()
    return {
        eid: (name_nl or name_en) if language == "nl" else (name_en or name_nl)
        for eid, name_nl, name_en in rows
    }


@dataclass
class SuggestionView:
    suggestion: Suggestion
    prescription: Prescription | None
    exercise_name: str
    new_exercise_name: str | None
    current_dose: str
    new_dose: str
    reasons: list[str]


def suggestion_view(suggestion: Suggestion, prescription, names: dict[int, str]) -> SuggestionView:
    reason_names = dict(names)
    return SuggestionView(
        suggestion=suggestion,
        prescription=prescription,
        exercise_name=names.get(prescription.exercise_id, "") if prescription else "",
        new_exercise_name=names.get(suggestion.new_exercise_id)
        if suggestion.new_exercise_id
        else None,
        current_dose=dose_text(prescription) if prescription else "",
        new_dose=dose_text(suggestion.new_dose or {}),
        reasons=[describe(r, reason_names) for r in suggestion.reasons or []],
    )


def suggestion_reason_text(suggestion: Suggestion) -> str:
    """The reason kept with the new dose version: the suggestion's reasons in words."""
    ids = [suggestion.new_exercise_id] if suggestion.new_exercise_id else []
    names = exercise_names(ids)
    reasons = " ".join(describe(r, names) for r in suggestion.reasons or [])
    return _("Suggestion accepted (%(action)s): %(reasons)s", action=suggestion.action,
             reasons=reasons)[:2000]  # fmt: skip


@dataclass
class AlertView:
    alert: Alert
    reasons: list[str]
    day: dt.date | None
    week_start: dt.date | None

    @property
    def anchor(self) -> str:
        if self.alert.session_id:
            return f"session-{self.alert.session_id}"
        if self.alert.check_in_id:
            return f"check-in-{self.alert.check_in_id}"
        if self.week_start:
            return f"week-{self.week_start.isoformat()}"
        return "alerts"

    @property
    def evidence_end(self) -> dt.date | None:
        """The end of a progress-page window that shows the evidence."""
        day = self.day or self.week_start
        return day + dt.timedelta(days=7) if day else None


def alert_view(alert: Alert) -> AlertView:
    evidence = alert.evidence or {}
    return AlertView(
        alert=alert,
        reasons=[describe(r) for r in evidence.get("reasons", [])],
        day=_iso(evidence.get("day")),
        week_start=_iso(evidence.get("week_start")),
    )


def _iso(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


# --- the dashboard --------------------------------------------------------------------------------


@dataclass
class DashboardRow:
    patient: Patient
    alerts: list[AlertView]
    more_alerts: int
    suggestions: list[SuggestionView]
    last_session: dt.date | None
    has_programme: bool
    load_this_week: float | None
    load_last_week: float | None


def dashboard_statement(actor, scope: str):
    """The caseload (or clinic), most urgent first: open alerts by severity, then suggestions."""
    mine = scope == "mine" and actor.role == Role.THERAPIST
    # The counts cover the patients listed only: a therapist's own caseload need not
    # aggregate the open alerts of a whole clinic chain (benchmarks/README.md).
    shown = select(Patient.id).where(
        Patient.clinic_id == actor.clinic_id, Patient.status == PatientStatus.ACTIVE
    )
    if mine:
        shown = shown.where(Patient.therapist_id == actor.id)
    alert_stats = (
        select(
            Alert.patient_id.label("patient_id"),
            func.min(severity_order()).label("rank"),
            func.count(Alert.id).label("count"),
        )
        .where(
            Alert.clinic_id == actor.clinic_id,
            Alert.acknowledged_at.is_(None),
            Alert.patient_id.in_(shown),
        )
        .group_by(Alert.patient_id)
        .subquery()
    )
    suggestion_stats = (
        select(Suggestion.patient_id.label("patient_id"), func.count(Suggestion.id).label("count"))
        .where(Suggestion.status == "open", Suggestion.patient_id.in_(shown))
        .group_by(Suggestion.patient_id)
        .subquery()
    )
    stmt = (
        select(Patient)
        .outerjoin(alert_stats, alert_stats.c.patient_id == Patient.id)
        .outerjoin(suggestion_stats, suggestion_stats.c.patient_id == Patient.id)
        .where(Patient.clinic_id == actor.clinic_id, Patient.status == PatientStatus.ACTIVE)
        .options(joinedload(Patient.therapist))
        .order_by(
            func.coalesce(alert_stats.c.rank, 9),
            func.coalesce(alert_stats.c.count, 0).desc(),
            func.coalesce(suggestion_stats.c.count, 0).desc(),
            Patient.last_name,
            Patient.first_name,
            Patient.id,
        )
    )
    if mine:
        stmt = stmt.where(Patient.therapist_id == actor.id)
    return stmt


def dashboard_page(actor, *, scope: str, page: int) -> dict:
    """Scan the clinic's alerts (set-based, once a day), then one page of patients."""
    today = services.clinic_today(actor.clinic)
    scan_clinic_daily(actor.clinic, today)
    pagination = db.paginate(
        dashboard_statement(actor, scope),
        page=page,
        per_page=DASHBOARD_PAGE_SIZE,
        error_out=False,
    )
    patients = list(pagination.items)
    ids = [p.id for p in patients]
    alerts: dict[int, list[AlertView]] = defaultdict(list)
    for alert in services.open_alerts(ids, per_patient=DASHBOARD_ALERTS_SHOWN):
        alerts[alert.patient_id].append(alert_view(alert))
    alert_counts = services.open_alert_counts(ids)
    suggestions = services.open_suggestions(ids)
    prescriptions = _prescriptions([s.prescription_id for s in suggestions])
    names = exercise_names(
        [p.exercise_id for p in prescriptions.values()]
        + [s.new_exercise_id for s in suggestions if s.new_exercise_id]
    )
    by_patient: dict[int, list[SuggestionView]] = defaultdict(list)
    for suggestion in suggestions:
        by_patient[suggestion.patient_id].append(
            suggestion_view(suggestion, prescriptions.get(suggestion.prescription_id), names)
        )
    last = services.last_logged_days(ids)
    programmes = _with_programme(ids)
    loads = _weekly_loads(ids, today)
    this_week, last_week = monday_of(today), monday_of(today) - dt.timedelta(weeks=1)
    rows = [
        DashboardRow(
            patient=p,
            alerts=alerts.get(p.id, []),
            more_alerts=alert_counts.get(p.id, 0) - len(alerts.get(p.id, [])),
            suggestions=by_patient.get(p.id, []),
            last_session=last.get(p.id),
            has_programme=p.id in programmes,
            load_this_week=loads.get((p.id, this_week)),
            load_last_week=loads.get((p.id, last_week)),
        )
        for p in patients
    ]
    return {"pagination": pagination, "rows": rows, "today": today}


def _prescriptions(ids) -> dict[int, Prescription]:
    ids = set(ids)
    if not ids:
        return {}
    return {
        p.id: p for p in db.session.scalars(select(Prescription).where(Prescription.id.in_(ids)))
    }


def _with_programme(patient_ids) -> set[int]:
    if not patient_ids:
        return set()
    return set(
        db.session.scalars(
            select(Programme.patient_id).where(
                Programme.patient_id.in_(patient_ids), Programme.status == "active"
            )
        )
    )


def _weekly_loads(patient_ids, today: dt.date) -> dict[tuple[int, dt.date], float]:
    """This week's and last week's load per patient (daily sums in SQL, at most 14 a patient)."""
    if not patient_ids:
        return {}
    last_week = monday_of(today) - dt.timedelta(weeks=1)
    rows = db.session.execute(
        select(
            TrainingSession.patient_id,
            TrainingSession.session_date,
            func.sum(TrainingSession.session_rpe * TrainingSession.duration_minutes),
        )
        .where(
            TrainingSession.patient_id.in_(patient_ids),
            TrainingSession.session_date >= last_week,
            TrainingSession.session_date <= today,
        )
        .group_by(TrainingSession.patient_id, TrainingSession.session_date)
    ).all()
    totals: dict[tuple[int, dt.date], float] = defaultdict(float)
    for patient_id, day, load in rows:
        totals[(patient_id, monday_of(day))] += float(load)
    return dict(totals)


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
        "alert": alert_view(alert) if alert else None,
        "alert_title": ALERT_TITLES.get(alert.kind, alert.kind) if alert else None,
        "open_alerts": open_alerts or 0,
        "open_suggestions": suggestions or 0,
    }
