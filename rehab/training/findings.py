"""What one patient's recent sessions and check-ins show: the findings an alert scan raises
(rehab.training.alerts reads the window for many patients at once and writes them). The
rules are rehab.progress's, with the clinic's thresholds; the kinds and their sources are
listed in rehab.training.alerts."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from rehab.auth.models import Clinic
from rehab.core.db import utcnow
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
from rehab.training.models import WARNING_SIGNS
from rehab.training.mornings import Mornings
from rehab.training.pain_alerts import red_pain_groups
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
RECENT_DAYS = 7  # sessions and check-ins this recent are judged; older ones were judged then
WINDOW_WEEKS = 6  # enough for the 30-day session maximum and two complete weeks back
SPIKE_WEEKS = 4  # the last two complete weeks and the two weeks each is compared with
SLEEP_SCORES = {"good": 0, "fair": 1, "poor": 2}
SLEEP_WORSE_BY = 0.5  # product convention, not a published threshold: shown for review
SLEEP_MIN_NIGHTS = 3


@dataclass(frozen=True)
class Target:
    patient_id: int
    clinic: Clinic
    programme_started_on: dt.date | None


@dataclass(frozen=True)
class SessionRow:
    id: int
    day: dt.date
    rpe: int
    minutes: int
    created_at: dt.datetime
    pain_after: int | None


@dataclass(frozen=True)
class CheckInRow:
    id: int
    day: dt.date
    pain: int
    stiffness: int
    sleep: str | None
    created_at: dt.datetime
    leg_pain_spreading: bool = False
    numbness: bool = False
    bladder_bowel: bool = False


class PatientFindings:
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
