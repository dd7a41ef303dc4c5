"""Patient records: the one loader views use, and the operations on a record."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from rehab.audit.services import Action, record, record_read
from rehab.auth.models import Role, TokenPurpose, User
from rehab.auth.services import EmailTaken, email_in_use, issue_token, normalise_email
from rehab.extensions import db
from rehab.patients.models import Patient, PatientStatus

PAGE_SIZE = 25


def patient_for(actor: User, patient_id: int, *, what: str = "patient") -> Patient:
    """The patient if ``actor`` may see them, else 404 (missing and foreign look the same).

    Staff see the patients of their own clinic; a patient sees only their own record.
    The read, or the refusal, goes into the access log.
    """
    patient = db.session.get(Patient, patient_id, options=[joinedload(Patient.therapist)])
    allowed = patient is not None and (
        patient.user_id == actor.id
        if actor.role == Role.PATIENT
        else patient.clinic_id == actor.clinic_id
    )
    if not allowed:
        if patient is not None:
            record_read(patient_id=patient.id, object_type=what, action=Action.ACCESS_DENIED)
        abort(404)
    record_read(patient_id=patient.id, object_type=what, object_id=patient.id)
    return patient


def own_patient_record(actor: User) -> Patient:
    """The record of the logged-in patient (404 if their record was removed)."""
    patient = db.session.scalar(select(Patient).where(Patient.user_id == actor.id))
    if patient is None:
        abort(404)
    return patient


def clinic_therapists(clinic_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.clinic_id == clinic_id,
                User.role.in_([Role.THERAPIST, Role.ADMIN]),
                User.active.is_(True),
            )
            .order_by(User.full_name)
        )
    )


@dataclass(frozen=True)
class CaseloadQuery:
    q: str | None = None
    status: str = "active"
    scope: str = "mine"
    page: int = 1


def caseload_statement(actor: User, query: CaseloadQuery):
    """The patients this actor's caseload page lists, before paging."""
    stmt = select(Patient).where(Patient.clinic_id == actor.clinic_id)
    if query.scope == "mine" and actor.role == Role.THERAPIST:
        stmt = stmt.where(Patient.therapist_id == actor.id)
    if query.status in (PatientStatus.ACTIVE, PatientStatus.DISCHARGED):
        stmt = stmt.where(Patient.status == query.status)
    if query.q:
        like = f"%{query.q.lower()}%"
        full = func.lower(Patient.first_name + " " + Patient.last_name)
        stmt = stmt.where(or_(full.like(like), func.lower(Patient.email).like(like)))
    return stmt.order_by(Patient.last_name, Patient.first_name, Patient.id)


def create_patient(actor: User, data: dict) -> tuple[Patient, str]:
    """Create the record and its (password-less) account; returns the activation token.

    Patients never register themselves: the link is the only way into the account.
    """
    email = normalise_email(data["email"])
    if email_in_use(email):
        raise EmailTaken(email)
    account = User(
        clinic_id=actor.clinic_id,
        email=email,
        full_name=f"{data['first_name']} {data['last_name']}"[:120],
        role=Role.PATIENT,
        locale=data.get("preferred_language") or "nl",
    )
    db.session.add(account)
    db.session.flush()
    patient = Patient(clinic_id=actor.clinic_id, user_id=account.id, **data)
    patient.email = email
    db.session.add(patient)
    db.session.flush()
    token = issue_token(account, TokenPurpose.ACTIVATION, actor=actor)
    record(Action.CREATE, patient_id=patient.id, object_type="patient", object_id=patient.id)
    db.session.commit()
    return patient, token


def new_activation_link(actor: User, patient: Patient) -> str:
    token = issue_token(
        patient.user,
        TokenPurpose.ACTIVATION if not patient.user.has_password else TokenPurpose.RESET,
        actor=actor,
    )
    record(
        Action.UPDATE,
        patient_id=patient.id,
        object_type="account_link",
        object_id=patient.user_id,
        summary="new account link issued",
    )
    db.session.commit()
    return token


# --- placeholder until wip/patients lands ---
def has_open_red_flags(patient_id: int) -> bool:
    """Whether the patient has a suspected red flag not yet cleared (wip/patients provides it)."""
    return False
