"""Suggestions and alerts as the therapist reads them: the whole dose now and proposed, the
reasons in words, and for an alert the exercise and the session dates it comes from.

Used by the dashboard, the progress page, the patient page's panel and the progress report;
exercise names for a page come in one query (``exercise_names``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import get_locale
from sqlalchemy import select

from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.programmes.models import Prescription, Suggestion
from rehab.programmes.wording import dose_text, proposed_dose
from rehab.training.models import Alert
from rehab.training.wording import describe


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
    evidence_alerts: int = 0  # open alerts the decision will resolve


def rests_on(suggestion: Suggestion, alert: Alert) -> bool:
    """Is this open alert evidence for the suggestion? A regress rests on the red pain
    responses of its exercise: its own, or a session-wide one whose sessions included it."""
    if suggestion.action != "regress" or alert.kind != "pain_red" or alert.acknowledged_at:
        return False
    if alert.prescription_id is not None:
        return alert.prescription_id == suggestion.prescription_id
    return suggestion.prescription_id in (alert.evidence or {}).get("prescription_ids", [])


def suggestion_view(
    suggestion: Suggestion, prescription, names: dict[int, str], alerts=()
) -> SuggestionView:
    reason_names = dict(names)
    return SuggestionView(
        suggestion=suggestion,
        prescription=prescription,
        exercise_name=names.get(prescription.exercise_id, "") if prescription else "",
        new_exercise_name=names.get(suggestion.new_exercise_id)
        if suggestion.new_exercise_id
        else None,
        current_dose=dose_text(prescription) if prescription else "",
        new_dose=dose_text(proposed_dose(prescription, suggestion.new_dose or {}))
        if prescription
        else dose_text(suggestion.new_dose or {}),
        reasons=[describe(r, reason_names) for r in suggestion.reasons or []],
        evidence_alerts=sum(1 for alert in alerts if rests_on(suggestion, alert)),
    )


@dataclass
class AlertView:
    alert: Alert
    reasons: list[str]
    day: dt.date | None
    week_start: dt.date | None
    exercises: list[str] = field(default_factory=list)  # the exercise(s) it comes from
    session_days: list[dt.date] = field(default_factory=list)  # the sessions, oldest first

    @property
    def count(self) -> int:
        return len(self.session_days)

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


def alert_exercise_ids(alerts) -> list[int]:
    """The exercises the alerts name (for the page's one ``exercise_names`` query)."""
    return [i for alert in alerts for i in (alert.evidence or {}).get("exercise_ids", [])]


def alert_view(alert: Alert, names: dict[int, str] | None = None) -> AlertView:
    evidence = alert.evidence or {}
    names = names or {}
    return AlertView(
        alert=alert,
        reasons=[describe(r, names) for r in evidence.get("reasons", [])],
        day=_iso(evidence.get("day")),
        week_start=_iso(evidence.get("week_start")),
        exercises=[names[i] for i in evidence.get("exercise_ids", []) if i in names],
        session_days=[d for s in evidence.get("sessions", []) if (d := _iso(s.get("day")))],
    )


def _iso(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
