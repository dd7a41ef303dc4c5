"""Rows for the training routes: the patient's pages and the therapist's decisions."""

from __future__ import annotations

from decimal import Decimal

from rehab.extensions import db
from rehab.programmes.dosing import as_dose, dose_changes
from rehab.programmes.models import Suggestion
from rehab.training.models import Alert
from rehab.training.wording import jsonable
from tests.role_matrix import (
    PATIENT_OBJECT,
    PATIENT_PAGE,
    STAFF_OBJECT,
    STAFF_PAGE,
    Case,
    expect,
)
from tests.training.factories import check_in, log_session, make_plan, today

# Allowed staff act (302 back to the page); the admin, acting after the therapist, finds
# the suggestion or alert already decided and is sent back with a message (302 too).
DECISION = expect(302, 403, 403, 302, 404, 302)


def extend_world(world) -> None:
    """P has a programme, a session logged today, a check-in, a suggestion and an alert.

    Another area may already have given P an active programme (one per patient): the
    exercises then join its current phase.
    """
    from rehab.training.services import active_programme

    plan = make_plan(world.patient, programme=active_programme(world.patient.id))
    session = log_session(
        world.patient, today(), exercises=[(plan["squat"], {"sets_done": 3, "reps_done": 10})]
    )
    check_in(world.patient, today())
    squat = plan["squat"]
    suggestion = Suggestion(
        prescription_id=squat.id,
        patient_id=world.patient.id,
        action="progress",
        new_dose=jsonable(dose_changes(as_dose(squat))) | {"load_kg": "22"},
        reasons=[{"code": "green_sessions", "values": {"green": 2}}],
        based_on_version=squat.current_version,
    )
    alert = Alert(
        clinic_id=world.clinic.id,
        patient_id=world.patient.id,
        kind="pain_red",
        severity="alert",
        dedupe_key=today().isoformat(),
        evidence={
            "reasons": [{"code": "pain_during_high", "values": {"pain": 7, "limit": 5}}],
            "day": today().isoformat(),
        },
        session_id=session.id,
    )
    db.session.add_all([suggestion, alert])
    db.session.commit()
    world.extra.update(
        plan=plan, training_session=session, suggestion=suggestion, training_alert=alert
    )
    assert Decimal(suggestion.new_dose["load_kg"]) > squat.load_kg


CASES = [
    Case("training.today", PATIENT_PAGE),
    # Empty form: re-shown with messages (200); the other patient has no programme and is
    # sent back to the page that says so (302). Nothing is stored.
    Case("training.today", expect(302, 200, 302, 403, 403, 403), method="POST"),
    Case(
        "training.session_detail",
        PATIENT_OBJECT,
        params=lambda w: {"session_id": w.training_session.id},
    ),
    Case(
        "training.edit_session",
        PATIENT_OBJECT,
        params=lambda w: {"session_id": w.training_session.id},
    ),
    Case(
        "training.edit_session",
        PATIENT_OBJECT,
        method="POST",
        params=lambda w: {"session_id": w.training_session.id},
    ),
    Case("training.checkin", PATIENT_PAGE),
    Case("training.checkin", PATIENT_PAGE, method="POST"),
    Case("training.history", PATIENT_PAGE),
    # The pictures of the history and progress pages: who may see the page sees its charts.
    # Each patient sees their own (the other patient has logged nothing: nothing drawn, 404).
    Case("training.history_chart", PATIENT_OBJECT, params=lambda w: {"name": "weekly_load"}),
    Case(
        "training.progress_chart",
        STAFF_OBJECT,
        params=lambda w: {"patient_id": w.patient.id, "name": "weekly_load"},
    ),
    # What a phone needs to send a session it kept offline: the patient's own token.
    Case("training.offline_state", PATIENT_PAGE),
    Case("training.dashboard", STAFF_PAGE),
    Case("training.progress", STAFF_OBJECT, params=lambda w: {"patient_id": w.patient.id}),
    Case(
        "training.accept_suggestion",
        DECISION,
        method="POST",
        params=lambda w: {"patient_id": w.patient.id, "suggestion_id": w.suggestion.id},
    ),
    Case(
        "training.dismiss_suggestion",
        DECISION,
        method="POST",
        params=lambda w: {"patient_id": w.patient.id, "suggestion_id": w.suggestion.id},
    ),
    Case(
        "training.acknowledge_alert",
        DECISION,
        method="POST",
        params=lambda w: {"patient_id": w.patient.id, "alert_id": w.training_alert.id},
    ),
]
