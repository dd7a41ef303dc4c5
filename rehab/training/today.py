"""What the Today page shows around the logging form: the morning check-in when it is due,
the step down after a red session, the safety net after a warning sign, and whose page this
is (for the copy a phone keeps offline)."""

from __future__ import annotations

import datetime as dt

from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import literal, select

from rehab.core.offline import owner_marker
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.models import Suggestion
from rehab.training import services
from rehab.training.feedback import step_downs
from rehab.training.models import CheckIn, TrainingSession
from rehab.training.plan import TodayPlan


def session_names(session: TrainingSession) -> dict[int, str]:
    exercises = services.exercises_by_id(log.exercise_id for log in session.exercises)
    language = str(get_locale() or "nl")
    return {eid: e.text("name", language) for eid, e in exercises.items()}


def check_in_state(patient: Patient, today: dt.date) -> tuple[bool, CheckIn | None]:
    """Whether the morning check-in is due, and today's check-in when it holds a warning
    sign (the page repeats the safety net), in one query.

    The check-in is due the morning after a session, until it is done: it tells whether
    the pain settled by the next morning (domain.md §3).
    """
    yesterday = today - dt.timedelta(days=1)
    session_yesterday = (
        select(TrainingSession.id)
        .where(TrainingSession.patient_id == patient.id, TrainingSession.session_date == yesterday)
        .exists()
    )
    one = select(literal(1).label("one")).subquery()
    found, check_in = db.session.execute(
        select(session_yesterday.label("session_yesterday"), CheckIn)
        .select_from(one)
        .outerjoin(CheckIn, (CheckIn.patient_id == patient.id) & (CheckIn.check_date == today))
    ).one()
    due = bool(found) and check_in is None
    if check_in is None or not needs_safety_net(check_in, patient.clinic):
        return due, None
    return due, check_in


def needs_safety_net(check_in: CheckIn, clinic) -> bool:
    """Morning stiffness above the clinic's limit (30 minutes by default) or a yes to pain
    into the leg, numbness, or bladder or bowel changes (domain.md §3, §8)."""
    return bool(check_in.warning_signs) or check_in.stiffness_minutes > (
        clinic.stiffness_review_minutes
    )


def today_context(patient: Patient, plan: TodayPlan, today: dt.date) -> dict:
    """The page's extras, in a fixed number of queries."""
    from rehab.core.i18n import gettext as _

    open_regressions = (
        list(
            db.session.scalars(
                select(Suggestion).where(
                    Suggestion.patient_id == patient.id,
                    Suggestion.status == "open",
                    Suggestion.action == "regress",
                )
            )
        )
        if plan.has_programme
        else []
    )
    language = str(get_locale() or "nl")
    names = {eid: e.text("name", language) for eid, e in plan.exercises.items()}
    found = step_downs(
        patient,
        [s.prescription_id for s in open_regressions],
        names,
        loaded=plan.allowed,
        open_regressions=open_regressions,
    )
    steps = {step.prescription_id: step for step in found}
    due, warning = check_in_state(patient, today)
    return {
        "check_in_due": due,
        "warning_check_in": warning,
        "step_downs": steps,
        "owner": owner_marker(current_user),
        "clinic": patient.clinic,
        "offline_words": {
            "saved": _("Saved on this phone; it will be sent when you are online again."),
            "sending": _("Sending the session saved on this phone…"),
            "sent": _("Sent: the session saved on this phone has reached your therapist."),
            "refused": _("The session saved on this phone could not be sent:"),
            "login": _("Log in again to send the session saved on this phone."),
        },
    }
