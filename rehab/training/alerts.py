"""Alerts for the therapist, raised set-based for many patients at once.

``scan_alerts`` reads a bounded window (six weeks) of sessions and check-ins for all the
patients it scans in a fixed number of queries, applies the rules of rehab.progress with
the clinic's thresholds, and writes the findings in one INSERT that skips what was already
raised (the unique patient + kind + period index decides, also when two scans race):

- ``pain_red`` (alert): a recent session red by the pain-monitoring model (Silbernagel
  2007) — pain during above the clinic's limit (one alert per exercise and week), pain after
  above 5 or the next morning above baseline (one per week; rehab.training.pain_alerts). A
  rising
  weekly trend is its own finding (``pain_rising``) rather than a red on every session.
- ``two_week_alert`` (alert) / ``week_on_week_caution`` (caution): a complete week's load
  above the clinic's thresholds (Nielsen 2014), for the last two complete weeks.
- ``session_spike`` (alert): a recent session above the 30-day maximum (BJSM 2025).
- ``acwr_high`` (caution): only when the clinic turned ACWR alerts on (Impellizzeri 2020).
- ``morning_stiffness``, ``sleep_worse``, ``pain_rising`` (review): the check-ins' warning
  signs, for the therapist's review rather than the load rules (domain.md §3, §8).
- ``no_logs`` (caution): nothing logged for more than the clinic's number of days.
- ``warning_signs`` (alert): a check-in with pain spreading into a leg, numbness, or bladder
  or bowel changes (the patient was shown the clinic's safety net).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from rehab.auth.models import Clinic
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.patients.models import Patient, PatientStatus
from rehab.programmes.models import Programme
from rehab.progress.acwr import acwr_coupled, commonly_cited_band
from rehab.progress.load import (
    TrainingSession as LoadSession,
)
from rehab.progress.load import (
    daily_loads,
    session_spike,
    spikes_by_week,
    weekly_loads,
)
from rehab.progress.pain import (
    PainLimits,
    stiffness_review,
    trend_rising_two_weeks,
)
from rehab.progress.reasons import Reason
from rehab.training.models import WARNING_SIGNS, Alert, CheckIn, TrainingSession
from rehab.training.mornings import Mornings
from rehab.training.pain_alerts import exercise_pains, red_pain_groups, upsert_open_alerts
from rehab.training.schedule import monday_of
from rehab.training.wording import jsonable, reasons_json

SEVERITY = {
    "pain_red": "alert",
    "two_week_alert": "alert",
    "session_spike": "alert",
    "week_on_week_caution": "caution",
    "acwr_high": "caution",
    "no_logs": "caution",
    "morning_stiffness": "review",
    "sleep_worse": "review",
    "pain_rising": "review",
    "warning_signs": "alert",
}
# Most urgent first: a red pain response, then load spikes, then warning signs to review,
# then cautions (dashboard order; the severity is what the badge says).
URGENCY = {
    "pain_red": 0,
    "warning_signs": 0,
    "two_week_alert": 1,
    "session_spike": 1,
    "morning_stiffness": 2,
    "pain_rising": 2,
    "sleep_worse": 2,
    "week_on_week_caution": 3,
    "acwr_high": 3,
    "no_logs": 3,
}
RECENT_DAYS = 7  # sessions and check-ins this recent are judged; older ones were judged then
WINDOW_WEEKS = 6  # enough for the 30-day session maximum and two complete weeks back
SPIKE_WEEKS = 4  # the last two complete weeks and the two weeks each is compared with
SLEEP_SCORES = {"good": 0, "fair": 1, "poor": 2}
SLEEP_WORSE_BY = 0.5  # product convention, not a published threshold: shown for review
SLEEP_MIN_NIGHTS = 3


def severity_order():
    """SQL ordering of alerts, most urgent first (see URGENCY)."""
    return case(URGENCY, value=Alert.kind, else_=len(URGENCY))


@dataclass(frozen=True)
class _Target:
    patient_id: int
    clinic: Clinic
    programme_started_on: dt.date | None


@dataclass(frozen=True)
class _SessionRow:
    id: int
    day: dt.date
    rpe: int
    minutes: int
    created_at: dt.datetime
    pain_after: int | None


@dataclass(frozen=True)
class _CheckInRow:
    id: int
    day: dt.date
    pain: int
    stiffness: int
    sleep: str | None
    created_at: dt.datetime
    leg_pain_spreading: bool = False
    numbness: bool = False
    bladder_bowel: bool = False


def scan_alerts(
    *,
    today: dt.date,
    clinic_ids: Sequence[int] | None = None,
    patient_ids: Sequence[int] | None = None,
) -> int:
    """Raise the alerts due for these clinics' or patients' active programmes.

    A fixed number of queries whatever the number of patients; returns how many alert
    rows were offered (already raised ones are skipped by the database). Caller commits.
    """
    targets_stmt = _targets_statement(clinic_ids, patient_ids)
    targets = [
        _Target(patient_id, clinic, started)
        for patient_id, clinic, started in db.session.execute(targets_stmt).all()
    ]
    if not targets:
        return 0
    return _scan(targets, targets_stmt.with_only_columns(Patient.id).scalar_subquery(), today)


def scan_patient_alerts(patient: Patient, programme: Programme, *, today: dt.date) -> int:
    """``scan_alerts`` for one patient, with the active programme the caller has loaded (a
    session just logged against it): the same findings, without reading the patient, the
    clinic and the programme again. Caller commits."""
    if programme.status != "active" or patient.status != PatientStatus.ACTIVE:
        return 0
    target = _Target(patient.id, patient.clinic, programme.started_on)
    return _scan([target], [patient.id], today, look_up_quiet=False)


def _scan(targets: list[_Target], ids, today: dt.date, *, look_up_quiet: bool = True) -> int:
    """The findings for these targets; ``ids`` selects their patients (a list or a subquery).
    ``look_up_quiet=False``: none of them can be quiet all window (each has just logged),
    so their last logging before it is not looked up."""
    window_start = monday_of(today) - dt.timedelta(weeks=WINDOW_WEEKS)
    sessions = _sessions(ids, window_start, today)
    # Whole weeks around the recent sessions: a red squat earlier in the week counts too.
    pains = exercise_pains(ids, monday_of(today - dt.timedelta(days=RECENT_DAYS)), today)
    check_ins = _check_ins(ids, window_start, today)
    # The last day with any logging: from the window, or (for patients quiet all window)
    # from their older history — one query either way.
    active = set(sessions) | set(check_ins)
    quiet = [t.patient_id for t in targets if t.patient_id not in active]
    last_logged = _last_logged(quiet, window_start) if quiet or look_up_quiet else {}
    for target in targets:
        if target.patient_id in active:
            rows = [*sessions.get(target.patient_id, []), *check_ins.get(target.patient_id, [])]
            last_logged[target.patient_id] = _last_activity(rows, target.clinic)
    rows: list[dict] = []
    for target in targets:
        finder = _PatientFindings(
            target,
            today,
            window_start,
            sessions.get(target.patient_id, []),
            check_ins.get(target.patient_id, []),
            pains,
        )
        rows.extend(finder.all(last_logged.get(target.patient_id)))
    upsert_open_alerts(rows)
    return len(rows)


def scan_clinic_daily(clinic: Clinic, today: dt.date) -> bool:
    """Scan a clinic once a day: on the first dashboard load, unless a scan ran today.

    The findings a scan can add without new logging change with the date only (a week
    ends, a gap grows); new logging scans its own patient at once. The day of the last scan
    is kept on the clinic, so one app process (or the nightly ``scan-alerts``) does it for
    all; each process also remembers it, so later loads send nothing. Returns whether it ran.
    """
    done = current_app.extensions.setdefault("training_alert_scans", {})
    if done.get(clinic.id) == today:
        return False
    ran = False
    if clinic.alerts_scanned_on is None or clinic.alerts_scanned_on < today:
        ran = claim_daily_scan(clinic.id, today)
        if ran:
            scan_alerts(today=today, clinic_ids=[clinic.id])
        db.session.commit()  # ends the claim's write transaction, scanned or not
    done[clinic.id] = today
    return ran


def claim_daily_scan(clinic_id: int, today: dt.date) -> bool:
    """Mark the clinic scanned today; False when it already was (by this or another process).

    One UPDATE: a second process waits for the first one's transaction and then finds the
    day already set, so two app servers do not both scan.
    """
    result = db.session.execute(
        update(Clinic)
        .where(
            Clinic.id == clinic_id,
            or_(Clinic.alerts_scanned_on.is_(None), Clinic.alerts_scanned_on < today),
        )
        .values(alerts_scanned_on=today)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _targets_statement(clinic_ids, patient_ids):
    stmt = (
        select(Patient.id, Clinic, Programme.started_on)
        .join(Clinic, Clinic.id == Patient.clinic_id)
        .join(
            Programme,
            (Programme.patient_id == Patient.id) & (Programme.status == "active"),
        )
        .where(Patient.status == PatientStatus.ACTIVE)
    )
    if clinic_ids is not None:
        stmt = stmt.where(Patient.clinic_id.in_(list(clinic_ids)))
    if patient_ids is not None:
        stmt = stmt.where(Patient.id.in_(list(patient_ids)))
    return stmt


def _sessions(ids, start: dt.date, end: dt.date) -> dict[int, list[_SessionRow]]:
    rows = db.session.execute(
        select(
            TrainingSession.patient_id,
            TrainingSession.id,
            TrainingSession.session_date,
            TrainingSession.session_rpe,
            TrainingSession.duration_minutes,
            TrainingSession.created_at,
            TrainingSession.pain_after,
        )
        .where(
            TrainingSession.patient_id.in_(ids),
            TrainingSession.session_date >= start,
            TrainingSession.session_date <= end,
        )
        .order_by(TrainingSession.session_date, TrainingSession.id)
    ).all()
    grouped: dict[int, list[_SessionRow]] = defaultdict(list)
    for patient_id, *values in rows:
        grouped[patient_id].append(_SessionRow(*values))
    return grouped


def _check_ins(ids, start: dt.date, end: dt.date) -> dict[int, list[_CheckInRow]]:
    rows = db.session.execute(
        select(
            CheckIn.patient_id,
            CheckIn.id,
            CheckIn.check_date,
            CheckIn.morning_pain,
            CheckIn.stiffness_minutes,
            CheckIn.sleep_quality,
            CheckIn.created_at,
            CheckIn.leg_pain_spreading,
            CheckIn.numbness,
            CheckIn.bladder_bowel,
        )
        .where(CheckIn.patient_id.in_(ids), CheckIn.check_date >= start, CheckIn.check_date <= end)
        .order_by(CheckIn.check_date)
    ).all()
    grouped: dict[int, list[_CheckInRow]] = defaultdict(list)
    for patient_id, *values in rows:
        grouped[patient_id].append(_CheckInRow(*values))
    return grouped


def _last_logged(patient_ids: list[int], before: dt.date) -> dict[int, dt.date]:
    """The latest day before ``before`` with a session or a check-in, per patient.

    One aggregate query, run even for no patients so that the scan's count stays fixed.
    """
    days = (
        select(
            TrainingSession.patient_id.label("patient_id"),
            TrainingSession.session_date.label("day"),
        )
        .where(TrainingSession.patient_id.in_(patient_ids), TrainingSession.session_date < before)
        .union_all(
            select(CheckIn.patient_id, CheckIn.check_date).where(
                CheckIn.patient_id.in_(patient_ids), CheckIn.check_date < before
            )
        )
        .subquery()
    )
    rows = db.session.execute(
        select(days.c.patient_id, func.max(days.c.day)).group_by(days.c.patient_id)
    ).all()
    return {patient_id: _as_date(day) for patient_id, day in rows}


def _last_activity(rows, clinic) -> dt.date:
    """The latest day logged *or logged on*: a patient filling in last week today is active."""
    zone = ZoneInfo(clinic.timezone)
    return max(max(row.day, row.created_at.astimezone(zone).date()) for row in rows)


def _as_date(value) -> dt.date:
    # SQLite returns MAX() over a UNION as text: the column type is lost in the union.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class _PatientFindings:
    """The findings for one patient from the bounded window the scan loaded."""

    def __init__(self, target, today, window_start, sessions, check_ins, pains):
        self.target = target
        self.clinic = target.clinic
        self.today = today
        self.window_start = window_start
        self.recent_from = today - dt.timedelta(days=RECENT_DAYS)
        self.sessions = sessions
        self.check_ins = check_ins
        self.pains = pains
        self.load_sessions = [LoadSession(s.day, s.rpe, s.minutes) for s in sessions]
        self.mornings = Mornings((c.day, float(c.pain)) for c in check_ins)
        self.rows: list[dict] = []

    def all(self, last_logged: dt.date | None) -> list[dict]:
        daily = daily_loads(
            self.load_sessions, [c.day for c in self.check_ins], self.window_start, self.today
        )
        self.weekly_spikes(daily)
        self.session_spikes()
        if self.clinic.acwr_alerts_enabled:
            self.acwr(daily)
        self.pain_red()
        self.stiffness()
        self.warning_signs()
        self.pain_rising()
        self.sleep_worse()
        self.no_logs(last_logged)
        return self.rows

    def add(
        self,
        kind: str,
        key: str,
        reasons: list[Reason],
        *,
        session_id: int | None = None,
        check_in_id: int | None = None,
        day: dt.date | None = None,
        week_start: dt.date | None = None,
        prescription_id: int | None = None,
        details: dict | None = None,
    ) -> None:
        """Offer one finding; ``day``/``week_start`` say where its evidence is shown,
        ``details`` what else it carries (e.g. the sessions of a red pain response)."""
        evidence = {"reasons": reasons_json(reasons), "day": jsonable(day)}
        evidence["week_start"] = jsonable(week_start or (monday_of(day) if day else None))
        evidence.update(details or {})
        self.rows.append(
            {
                "clinic_id": self.clinic.id,
                "patient_id": self.target.patient_id,
                "kind": kind,
                "severity": SEVERITY[kind],
                "dedupe_key": key,
                "evidence": evidence,
                "session_id": session_id,
                "check_in_id": check_in_id,
                "prescription_id": prescription_id,
                "created_at": utcnow(),
            }
        )

    def weekly_spikes(self, daily) -> None:
        # The last two complete weeks are judged, against up to two weeks before each.
        this_monday = monday_of(self.today)
        first = this_monday - dt.timedelta(weeks=SPIKE_WEEKS)
        weeks = weekly_loads([d for d in daily if first <= d.day < this_monday])
        spikes = spikes_by_week(
            weeks,
            float(self.clinic.spike_week_caution_pct),
            float(self.clinic.spike_two_week_alert_pct),
        )
        for weeks_back in (2, 1):
            monday = this_monday - dt.timedelta(weeks=weeks_back)
            for reason in spikes.get(monday, []):
                self.add(reason.code, monday.isoformat(), [reason], week_start=monday)

    def session_spikes(self) -> None:
        limit = float(self.clinic.spike_session_pct)
        for row, session in zip(self.sessions, self.load_sessions, strict=True):
            if row.day < self.recent_from:
                continue
            reason = session_spike(session, self.load_sessions, limit)
            if reason is not None:
                self.add(
                    "session_spike", row.day.isoformat(), [reason], session_id=row.id, day=row.day
                )

    def acwr(self, daily) -> None:
        limit = commonly_cited_band().danger_from
        ratios = acwr_coupled([d.load for d in daily])
        for entry, ratio in zip(daily, ratios, strict=True):
            if entry.day >= self.recent_from and ratio is not None and ratio >= limit:
                monday = monday_of(entry.day)
                reason = Reason("acwr_high", {"ratio": ratio, "day": entry.day, "limit": limit})
                self.add("acwr_high", monday.isoformat(), [reason], week_start=monday)

    def pain_red(self) -> None:
        """Per exercise and week, and per week for the session-wide reasons (pain_alerts)."""
        limits = PainLimits(self.clinic.pain_safe_max, self.clinic.pain_amber_max)
        weeks_from = monday_of(self.recent_from)
        sessions = [row for row in self.sessions if row.day >= weeks_from]
        for group in red_pain_groups(sessions, self.pains, self.mornings, limits,
                                     self.recent_from):  # fmt: skip
            session_id, day = group.sessions[-1]
            self.add(
                "pain_red", group.key, group.reasons, session_id=session_id, day=day,
                week_start=group.monday, prescription_id=group.prescription_id,
                details=group.evidence(),
            )  # fmt: skip

    def stiffness(self) -> None:
        limit = self.clinic.stiffness_review_minutes
        for row in self.check_ins:
            if row.day < self.recent_from:
                continue
            reason = stiffness_review(row.stiffness, limit)
            if reason is not None:
                reason = Reason(reason.code, {**reason.values, "day": row.day})
                self.add(
                    "morning_stiffness", row.day.isoformat(), [reason], check_in_id=row.id,
                    day=row.day,
                )  # fmt: skip

    def warning_signs(self) -> None:
        # Pain into the leg, numbness, bladder or bowel changes: the patient was shown the
        # clinic's safety net; the therapist hears of it at once (domain.md §5, §8).
        for row in self.check_ins:
            if row.day < self.recent_from:
                continue
            signs = [name for name in WARNING_SIGNS if getattr(row, name)]
            if signs:
                reasons = [Reason(f"warning_{name}", {"day": row.day}) for name in signs]
                self.add(
                    "warning_signs", row.day.isoformat(), reasons, check_in_id=row.id,
                    day=row.day,
                )  # fmt: skip

    def pain_rising(self) -> None:
        last_monday = monday_of(self.today) - dt.timedelta(weeks=1)
        means = self.mornings.weekly_means(last_monday - dt.timedelta(weeks=2), 3)
        if trend_rising_two_weeks(means):
            first, second, third = means
            reason = Reason(
                "morning_pain_rising",
                {"first": first, "second": second, "third": third, "week_start": last_monday},
            )
            self.add("pain_rising", last_monday.isoformat(), [reason], week_start=last_monday)

    def sleep_worse(self) -> None:
        last_monday = monday_of(self.today) - dt.timedelta(weeks=1)
        previous = last_monday - dt.timedelta(weeks=1)
        scores: dict[dt.date, list[int]] = {last_monday: [], previous: []}
        for row in self.check_ins:
            week = monday_of(row.day)
            if week in scores and row.sleep in SLEEP_SCORES:
                scores[week].append(SLEEP_SCORES[row.sleep])
        reason = sleep_worse_reason(scores[previous], scores[last_monday], last_monday)
        if reason is not None:
            self.add("sleep_worse", last_monday.isoformat(), [reason], week_start=last_monday)

    def no_logs(self, last_logged: dt.date | None) -> None:
        last = last_logged or self.target.programme_started_on
        if last is None:
            return
        days = (self.today - last).days
        if days > self.clinic.no_log_alert_days:
            reason = Reason("no_logs", {"last": last, "days": days})
            self.add("no_logs", f"since:{last.isoformat()}", [reason], day=last)


def sleep_worse_reason(
    previous_week: Sequence[int], last_week: Sequence[int], week_start: dt.date
) -> Reason | None:
    """Sleep worse: the week's mean sleep score (good 0, fair 1, poor 2) rose ≥ 0.5.

    A product convention for the therapist's review, not a published threshold: both
    weeks need at least 3 nights rated, so that one bad night is not a trend.
    """
    if len(previous_week) < SLEEP_MIN_NIGHTS or len(last_week) < SLEEP_MIN_NIGHTS:
        return None
    before, after = statistics.fmean(previous_week), statistics.fmean(last_week)
    if after - before < SLEEP_WORSE_BY:
        return None
    return Reason(
        "sleep_worse", {"score": after, "previous_score": before, "week_start": week_start}
    )


def insert_ignoring_conflicts(table, rows: list[dict]) -> None:
    """One INSERT for all rows; rows that hit a unique index are skipped (both databases)."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(table).on_conflict_do_nothing(), rows)
