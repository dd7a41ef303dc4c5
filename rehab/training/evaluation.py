"""A logged session's evaluation (the patient's suggestions and alerts), after the answer.

Recomputing a patient's suggestions and scanning their alerts is half the work of logging a
session, and the patient's phone need not wait for it. The session is stored with
``patients.evaluation_due`` set, in one transaction; the worker that answered runs the
evaluation once the answer has been sent (``evaluate_after_response``), in a transaction of
its own.

Nothing shows a stale evaluation: every page about a patient (``settle``, called by the
patient loaders and the dashboard) first runs an evaluation still due. Claiming it is one
conditional UPDATE: a page that meets an evaluation in progress waits on the patient's row
until it is committed, then reads its result; if the worker failed, the page evaluates.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, current_app
from sqlalchemy import update

from rehab.core.clock import clinic_today
from rehab.extensions import db
from rehab.patients.models import Patient


def mark_due(patient: Patient) -> None:
    """The patient's evaluation is due (part of the caller's transaction)."""
    patient.evaluation_due = True


def settle(patient_ids: Iterable[int]) -> int:
    """Run the evaluations still due of these patients (pass those that seemed due);
    returns how many ran here. Commits each claim with its evaluation, or after waiting
    for another's. Call it before reading a patient's suggestions or alerts."""
    from rehab.training.services import after_logging

    ran = 0
    for patient_id in sorted(set(patient_ids)):  # a row lock each, in id order
        claimed = db.session.execute(
            update(Patient)
            .where(Patient.id == patient_id, Patient.evaluation_due.is_(True))
            .values(evaluation_due=False)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            patient = db.session.get(Patient, patient_id, populate_existing=True)
            after_logging(patient, today=clinic_today(patient.clinic))
            ran += 1
        db.session.commit()
    return ran


def settle_one(patient: Patient) -> None:
    """``settle`` for a patient already loaded (no statement when nothing is due)."""
    if patient.evaluation_due:
        settle([patient.id])  # its commit expires ``patient``: read again when next used


def evaluate_after_response(response: Response, patient_id: int) -> Response:
    """Run the patient's due evaluation once ``response`` has been sent."""
    app = current_app._get_current_object()

    def evaluate() -> None:
        with app.app_context():
            try:
                settle([patient_id])
            except Exception:
                # The next page about the patient evaluates (settle); the patient's answer
                # was sent and their session is stored.
                db.session.rollback()
                app.logger.exception("evaluation after logging failed (patient %s)", patient_id)
            finally:
                db.session.remove()

    response.call_on_close(evaluate)
    return response
