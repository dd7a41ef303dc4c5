"""The progress report: one patient over a chosen period, for the referrer, the insurer or
the patient's file.

What it shows comes from the areas that own it, never re-computed here: the movement-
analysis comparison (rehab.patients.comparison), the weekly metrics and the very SVG charts
of the web progress page (rehab.training.metrics / pages.metric_charts), the phases of the
programme and the suggestions the therapist accepted. Loading runs a fixed number of queries
whatever the number of sessions (tests/reports/test_progress_report.py pins it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import User
from rehab.core.i18n import gettext
from rehab.extensions import db
from rehab.patients import evaluation
from rehab.patients import services as patient_services
from rehab.patients import vocabulary as patient_vocab
from rehab.patients.comparison import comparison as analysis_comparison
from rehab.patients.evaluation import AnalysisView
from rehab.patients.models import Patient
from rehab.programmes.models import Phase, Prescription, Programme, Suggestion
from rehab.programmes.wording import dose_text
from rehab.reports import charts
from rehab.reports.chart_views import ChartView
from rehab.reports.pdf import html_to_pdf, render_html
from rehab.training import evidence, pages
from rehab.training.metrics import PatientMetrics, patient_metrics
from rehab.training.schedule import monday_of
from rehab.training.wording import ACTION_WORDS

DEFAULT_WEEKS = 12
TEMPLATE = "pdf/progress_report.html"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def weeks(self) -> int:
        """Calendar weeks (Monday to Sunday) the period touches."""
        return (self.end - monday_of(self.start)).days // 7 + 1


def report_language(patient: Patient, choice: str) -> str:
    """ "patient" → the patient's language, "clinic" → the clinic's (else Dutch)."""
    language = patient.preferred_language if choice == "patient" else patient.clinic.default_locale
    return language if language in ("nl", "en") else "nl"


def default_period(programme_start: dt.date | None, today: dt.date) -> Period:
    """From the programme's start to today, or the last 12 weeks without a programme; never
    longer than the two years a report may cover."""
    earliest = today - dt.timedelta(days=730)
    start = programme_start or today - dt.timedelta(weeks=DEFAULT_WEEKS) + dt.timedelta(days=1)
    return Period(min(max(start, earliest), today), today)


def reported_programme(patient_id: int, end: dt.date) -> Programme | None:
    """The active programme, else the latest one started by ``end`` (with its phases)."""
    programmes = list(
        db.session.scalars(
            select(Programme)
            .where(
                Programme.patient_id == patient_id,
                Programme.status != "draft",
                Programme.is_template.is_(False),
            )
            .options(selectinload(Programme.phases).selectinload(Phase.prescriptions))
            .order_by(Programme.started_on.desc(), Programme.id.desc())
        )
    )
    active = next((p for p in programmes if p.status == "active"), None)
    if active is not None:
        return active
    return next((p for p in programmes if p.started_on and p.started_on <= end), None)


@dataclass(frozen=True)
class PhaseRow:
    position: int
    name: str
    goal: str | None
    started_on: dt.date | None
    ended_on: dt.date | None
    planned_weeks: int | None
    current: bool


@dataclass(frozen=True)
class CurrentExercise:
    name: str
    dose: str
    session_label: str | None


def _current_exercises(programme: Programme | None) -> list[CurrentExercise]:
    """What the patient does now: the current phase's exercises with their doses in words."""
    if programme is None or programme.status != "active":
        return []
    phase = next((p for p in programme.phases if p.id == programme.current_phase_id), None)
    if phase is None:
        return []
    prescriptions = [p for p in phase.prescriptions if p.archived_at is None]
    names = evidence.exercise_names([p.exercise_id for p in prescriptions])
    return [
        CurrentExercise(names.get(p.exercise_id, ""), dose_text(p), p.session_label)
        for p in prescriptions
    ]


@dataclass(frozen=True)
class Comparison:
    """The first and the latest analysis up to the period's end, compared (patients.comparison)."""

    before: object
    after: object
    groups: list
    ratios: list
    activities: list
    extra_tests: list
    instrument: object | None


@dataclass(frozen=True)
class AcceptedSuggestion:
    decided_on: dt.date
    action: str
    exercise_name: str
    new_exercise_name: str | None
    new_dose: str
    reasons: list[str]


@dataclass(frozen=True)
class Adherence:
    """Over the period: done, planned, the planned share done (extras in one week never
    make up for a missed session in another) and the sessions beyond the plan."""

    sessions_done: int
    sessions_prescribed: int | None
    exercises_done: int
    exercises_prescribed: int | None
    sessions_within_plan: int = 0
    exercises_within_plan: int = 0

    @property
    def session_fraction(self) -> float | None:
        return _fraction(self.sessions_within_plan, self.sessions_prescribed)

    @property
    def exercise_fraction(self) -> float | None:
        return _fraction(self.exercises_within_plan, self.exercises_prescribed)

    @property
    def sessions_extra(self) -> int:
        return self.sessions_done - self.sessions_within_plan if self.sessions_prescribed else 0

    @property
    def exercises_extra(self) -> int:
        within = self.exercises_within_plan
        return self.exercises_done - within if self.exercises_prescribed else 0


def _fraction(done: int, prescribed: int | None) -> float | None:
    return done / prescribed if prescribed else None


@dataclass
class ProgressReport:
    patient: Patient
    period: Period
    language: str
    conclusion: str | None
    programme: Programme | None
    phases: list[PhaseRow]
    analyses_count: int
    comparison: Comparison | None
    latest: AnalysisView | None  # the latest analysis's values and flags, always printed
    metrics: PatientMetrics
    charts: dict[str, ChartView]
    adherence: Adherence
    weekly_rows: list = field(default_factory=list)
    suggestions: list[AcceptedSuggestion] = field(default_factory=list)
    current_exercises: list[CurrentExercise] = field(default_factory=list)

    @property
    def has_sessions(self) -> bool:
        return bool(self.metrics.sessions)


def _phase_rows(programme: Programme | None) -> list[PhaseRow]:
    if programme is None:
        return []
    return [
        PhaseRow(
            position=phase.position,
            name=phase.shown("name"),
            goal=phase.shown("goal"),
            started_on=phase.started_on,
            ended_on=phase.ended_on,
            planned_weeks=phase.planned_weeks,
            current=programme.status == "active" and phase.id == programme.current_phase_id,
        )
        for phase in programme.phases
    ]


def _analyses(patient: Patient, end: dt.date) -> tuple[int, Comparison | None, AnalysisView | None]:
    """(analyses up to ``end``, the first-versus-latest comparison when there are two or more,
    the latest analysis's values with their flags)."""
    choices = [c for c in patient_services.analysis_choices(patient.id) if c.recorded_on <= end]
    if not choices:
        return 0, None, None
    first, latest = choices[0].id, choices[-1].id
    found = patient_services.analyses_by_id(patient, [first, latest])
    latest_view = evaluation.analysis_view(
        found[latest], stiffness_review_minutes=patient.clinic.stiffness_review_minutes
    )
    if first == latest:
        return 1, None, latest_view
    before, after = found[first], found[latest]
    comparison = Comparison(before=before, after=after, **analysis_comparison(before, after))
    return len(choices), comparison, latest_view


def _accepted_suggestions(patient: Patient, period: Period) -> list[AcceptedSuggestion]:
    """Suggestions the therapist accepted within the period, oldest first (three queries)."""
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    suggestions = list(
        db.session.scalars(
            select(Suggestion)
            .where(
                Suggestion.patient_id == patient.id,
                Suggestion.status == "accepted",
                Suggestion.decided_at >= start,
                Suggestion.decided_at < end,
            )
            .order_by(Suggestion.decided_at, Suggestion.id)
        )
    )
    if not suggestions:
        return []
    prescriptions = {
        p.id: p
        for p in db.session.scalars(
            select(Prescription).where(
                Prescription.id.in_({s.prescription_id for s in suggestions})
            )
        )
    }
    names = evidence.exercise_names(
        [p.exercise_id for p in prescriptions.values()]
        + [s.new_exercise_id for s in suggestions if s.new_exercise_id]
    )
    rows = []
    for suggestion in suggestions:
        view = evidence.suggestion_view(
            suggestion, prescriptions.get(suggestion.prescription_id), names
        )
        rows.append(
            AcceptedSuggestion(
                decided_on=suggestion.decided_at.date(),
                action=suggestion.action,
                exercise_name=view.exercise_name,
                new_exercise_name=view.new_exercise_name,
                new_dose=view.new_dose,
                reasons=view.reasons,
            )
        )
    return rows


def report_charts(metrics: PatientMetrics) -> dict[str, ChartView]:
    """The progress page's four charts for these metrics, in the current locale (drawn once
    for the same data and language: pages.metric_charts keeps what it drew)."""
    if not metrics.sessions:
        return {}
    return pages.metric_charts(metrics, width=charts.WIDE)


def _adherence(metrics: PatientMetrics) -> Adherence:
    def total(values) -> int | None:
        known = [v for v in values if v is not None]
        return sum(known) if known else None

    return Adherence(
        sessions_done=sum(w.sessions_done for w in metrics.weeks),
        sessions_prescribed=total(w.sessions_prescribed for w in metrics.weeks),
        exercises_done=sum(w.exercises_done for w in metrics.weeks),
        exercises_prescribed=total(w.exercises_prescribed for w in metrics.weeks),
        sessions_within_plan=sum(w.sessions_done - w.sessions_extra for w in metrics.weeks),
        exercises_within_plan=sum(w.exercises_done - w.exercises_extra for w in metrics.weeks),
    )


def progress_report(
    patient: Patient, period: Period, *, language: str, conclusion: str | None = None
) -> ProgressReport:
    """Everything the report shows, with its words in ``language``."""
    with force_locale(language):
        programme = reported_programme(patient.id, period.end)
        metrics = patient_metrics(patient, programme, end=period.end, weeks=period.weeks)
        count, comparison, latest = _analyses(patient, period.end)
        return ProgressReport(
            patient=patient,
            period=period,
            language=language,
            conclusion=conclusion,
            programme=programme,
            phases=_phase_rows(programme),
            analyses_count=count,
            comparison=comparison,
            latest=latest,
            metrics=metrics,
            charts=report_charts(metrics),
            adherence=_adherence(metrics),
            weekly_rows=[w for w in metrics.weeks if w.week_start <= period.end],
            suggestions=_accepted_suggestions(patient, period),
            current_exercises=_current_exercises(programme),
        )


def report_title(report: ProgressReport) -> str:
    with force_locale(report.language):
        return gettext("Progress report for %(name)s", name=report.patient.full_name)


def report_html(report: ProgressReport) -> str:
    patient = report.patient
    return render_html(
        TEMPLATE,
        language=report.language,
        title=report_title(report),
        author=patient.therapist.full_name,
        context={
            "report": report,
            "patient": patient,
            "clinic": patient.clinic,
            "therapist": patient.therapist,
            "kinds": patient_vocab.ANALYSIS_KINDS,
            "patient_vocab": patient_vocab,
            "action_words": ACTION_WORDS,
        },
    )


def render_report(
    patient: Patient, period: Period, *, language: str, conclusion: str | None = None
) -> bytes:
    """The report as PDF bytes; nothing is logged (the callers do)."""
    report = progress_report(patient, period, language=language, conclusion=conclusion)
    return html_to_pdf(report_html(report))


def print_progress_report(
    actor: User,
    patient: Patient,
    period: Period,
    *,
    language_choice: str,
    conclusion: str | None,
) -> bytes:
    """The patient's progress report as a PDF; the print goes into the access log."""
    language = report_language(patient, language_choice)
    pdf = render_report(patient, period, language=language, conclusion=conclusion)
    record(
        Action.PRINT,
        actor=actor,
        patient_id=patient.id,
        object_type="progress_report",
        object_id=patient.id,
        summary=Summary.of(
            "progress_report_printed", start=period.start, end=period.end, language=language
        ),
    )
    db.session.commit()
    return pdf


__all__ = [
    "Period",
    "ProgressReport",
    "default_period",
    "print_progress_report",
    "progress_report",
    "render_report",
    "report_language",
]
