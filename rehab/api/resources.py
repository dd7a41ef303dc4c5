"""The API's library and caseload resources: thin views over the pages' loaders.

Patient records are always loaded through ``patient_for`` (404 for another clinic's or
another patient's record, and the read goes into the access log like a page view).
"""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from rehab.api import bp
from rehab.api.access import ANYONE, STAFF, api_roles, current_token
from rehab.api.paging import INT, PageArgs, conditional, keyset_page, page_schema
from rehab.api.schemas import CaseloadArgs, ExerciseSchema, MeSchema, PatientSchema
from rehab.audit.services import record_read
from rehab.auth.models import Role
from rehab.exercises.models import Exercise
from rehab.exercises.services import exercise_for, visible_exercises
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.patients.services import patient_for

ExercisePage = page_schema(ExerciseSchema, "ExercisePage")
PatientPage = page_schema(PatientSchema, "PatientPage")


def _user():
    return current_user._get_current_object()


@bp.route("/me")
@api_roles(*ANYONE)
@bp.response(200, MeSchema)
@conditional
def me():
    """Who this request acts as: the token's owner, their role, clinic and scope."""
    user = _user()
    token = current_token()
    patient_id = None
    if user.role == Role.PATIENT:
        patient_id = db.session.scalar(select(Patient.id).where(Patient.user_id == user.id))
    return {
        "id": user.id,
        "full_name": user.full_name,
        "role": user.role,
        "clinic_id": user.clinic_id,
        "clinic_name": user.clinic.name,
        "token_scope": token.scope if token is not None else None,
        "patient_id": patient_id,
    }


# --- the exercise library (staff, like the library pages) ------------------------------------


def _exercise(exercise: Exercise) -> dict:
    fields = ExerciseSchema().fields
    data = {name: getattr(exercise, name) for name in fields if name != "builtin"}
    data["builtin"] = exercise.clinic_id is None
    return data


@bp.route("/exercises")
@api_roles(*STAFF)
@bp.arguments(PageArgs, location="query")
@bp.response(200, ExercisePage)
@conditional
def exercises(args):
    """The clinic's exercise library: its own exercises and the built-ins it uses."""
    rows, cursor = keyset_page(
        visible_exercises(_user().clinic_id),
        keys=[Exercise.id],
        parsers=[INT],
        descending=False,
        args=args,
    )
    return {"items": [_exercise(e) for e in rows], "next_cursor": cursor}


@bp.route("/exercises/<int:exercise_id>")
@api_roles(*STAFF)
@bp.response(200, ExerciseSchema)
@conditional
def exercise(exercise_id: int):
    return _exercise(exercise_for(_user(), exercise_id))


# --- the caseload -----------------------------------------------------------------------------


@bp.route("/patients")
@api_roles(*STAFF)
@bp.arguments(CaseloadArgs, location="query")
@bp.arguments(PageArgs, location="query")
@bp.response(200, PatientPage)
@conditional
def patients(filters, args):
    """The clinic's patients (a therapist's own with scope=mine), by record number."""
    user = _user()
    stmt = (
        select(Patient)
        .where(Patient.clinic_id == user.clinic_id)
        .options(joinedload(Patient.therapist))
    )
    if filters["scope"] == "mine":
        stmt = stmt.where(Patient.therapist_id == user.id)
    if filters["status"] != "all":
        stmt = stmt.where(Patient.status == filters["status"])
    rows, cursor = keyset_page(stmt, keys=[Patient.id], parsers=[INT], descending=False, args=args)
    for patient in rows:
        # A list of records is a read of each (written in one transaction after the answer).
        record_read(patient_id=patient.id, object_type="patient", object_id=patient.id)
    return {"items": rows, "next_cursor": cursor}


@bp.route("/patients/<int:patient_id>")
@api_roles(*ANYONE)
@bp.response(200, PatientSchema)
@conditional
def patient(patient_id: int):
    """One record: staff of the patient's clinic, or the patient themself."""
    return patient_for(_user(), patient_id)
