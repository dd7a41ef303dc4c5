"""Export and destruction of a patient's record; each step is audited and commits once."""

from __future__ import annotations

import shutil

from sqlalchemy import Table, delete, select, update
from sqlalchemy.exc import IntegrityError

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import RecoveryCode, User, UserSession
from rehab.core.concurrency import claim
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.privacy.export import _chunks, build_export, patient_rows
from rehab.privacy.models import DestructionRequest, DestructionStatus

# What survives a destruction: the access log and the request itself (NEN 7513 asks to keep
# the trail), and the login account, which is disabled and anonymised instead of deleted so
# that the log's numbers still point somewhere.
KEPT_TABLES = frozenset({"audit_entries", "destruction_requests", "users", "user_sessions"})


class DestructionPending(Exception):
    """A request for this patient is already waiting for confirmation."""


class SameStaffMember(Exception):
    """The person who asked for a destruction cannot also confirm it."""


class RequestClosed(Exception):
    """The request was confirmed or cancelled by someone else meanwhile."""


def export_record(actor: User, patient: Patient) -> bytes:
    data = build_export(actor, patient)
    record(
        Action.EXPORT,
        actor=actor,
        patient_id=patient.id,
        object_type="patient_record",
        object_id=patient.id,
        summary=Summary.of("record_exported"),
    )
    db.session.commit()
    return data


def pending_request(patient: Patient) -> DestructionRequest | None:
    return db.session.scalar(
        select(DestructionRequest).where(
            DestructionRequest.patient_id == patient.id,
            DestructionRequest.status == DestructionStatus.PENDING,
        )
    )


def requests_for(patient: Patient) -> list[DestructionRequest]:
    from sqlalchemy.orm import selectinload

    return list(
        db.session.scalars(
            select(DestructionRequest)
            .where(DestructionRequest.patient_id == patient.id)
            .options(
                selectinload(DestructionRequest.requested_by),
                selectinload(DestructionRequest.confirmed_by),
                selectinload(DestructionRequest.cancelled_by),
            )
            .order_by(DestructionRequest.requested_at.desc(), DestructionRequest.id.desc())
        )
    )


def request_for(patient: Patient, request_id: int) -> DestructionRequest | None:
    """A request of this patient (the patient came from ``patient_for``), or None."""
    found = db.session.get(DestructionRequest, request_id)
    if found is None or found.patient_id != patient.id or found.clinic_id != patient.clinic_id:
        return None
    return found


def request_destruction(actor: User, patient: Patient, reason: str) -> DestructionRequest:
    if pending_request(patient) is not None:
        raise DestructionPending(patient.id)
    request = DestructionRequest(
        clinic_id=patient.clinic_id,
        patient_id=patient.id,
        reason=reason.strip(),
        requested_by_id=actor.id,
    )
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError:  # one pending request per patient: a parallel one was first
        db.session.rollback()
        raise DestructionPending(patient.id) from None
    record(
        Action.CREATE,
        actor=actor,
        patient_id=patient.id,
        object_type="destruction_request",
        object_id=request.id,
        summary=Summary.of("destruction_requested", reason=request.reason),
    )
    db.session.commit()
    return request


def _close(request: DestructionRequest, **values) -> None:
    """Claim the pending request (one conditional write): a parallel confirmation or
    cancellation that came first leaves it closed, and this one changes nothing."""
    if not claim(request, DestructionRequest.status == DestructionStatus.PENDING,
                 decided_at=utcnow(), **values):  # fmt: skip
        db.session.rollback()
        raise RequestClosed(request.id)


def cancel_destruction(actor: User, request: DestructionRequest) -> None:
    _close(request, status=DestructionStatus.CANCELLED, cancelled_by_id=actor.id)
    record(
        Action.UPDATE,
        actor=actor,
        patient_id=request.patient_id,
        object_type="destruction_request",
        object_id=request.id,
        summary=Summary.of("destruction_cancelled"),
    )
    db.session.commit()


def confirm_destruction(actor: User, request: DestructionRequest, patient: Patient) -> None:
    """The second person confirms: the clinical data goes, the account is anonymised, the
    access log stays with an entry for the destruction itself."""
    if actor.id == request.requested_by_id:
        raise SameStaffMember(actor.id)
    from rehab.reports.batch import drop_jobs_with_patient

    _close(request, status=DestructionStatus.COMPLETED, confirmed_by_id=actor.id)

    account_id = patient.user_id
    rows = patient_rows(patient)
    counts = _delete_rows(rows)
    print_folders = drop_jobs_with_patient(patient.clinic_id, patient.id)
    if print_folders:
        counts["print_jobs"] = len(print_folders)
    if account_id is not None:
        _anonymise_account(account_id)
    summary = Summary.of("record_destroyed", rows=counts)
    record(
        Action.DELETE,
        actor=actor,
        patient_id=request.patient_id,
        object_type="patient_record",
        object_id=request.patient_id,
        summary=summary,
    )
    db.session.commit()
    for folder in print_folders:  # batch prints with the patient's report, once it is final
        shutil.rmtree(folder, ignore_errors=True)


def _delete_rows(rows) -> dict[str, int]:
    """Delete children before parents (the reverse of the schema's dependency order)."""
    counts: dict[str, int] = {}
    db.session.flush()
    for table in reversed(db.metadata.sorted_tables):
        found = rows.get(table.name)
        if not found or table.name in KEPT_TABLES:
            continue
        counts[table.name] = len(found)
        _delete_keys(table, list(found))
    return counts


def _delete_keys(table: Table, keys: list[tuple]) -> None:
    columns = list(table.primary_key.columns)
    if len(columns) == 1:
        for chunk in _chunks([key[0] for key in keys]):
            db.session.execute(delete(table).where(columns[0].in_(chunk)))
        return
    for key in keys:
        db.session.execute(
            delete(table).where(
                *(column == value for column, value in zip(columns, key, strict=True))
            )
        )


def _anonymise_account(user_id: int) -> None:
    now = utcnow()
    db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            email=f"destroyed-{user_id}@invalid",
            full_name="—",
            password_hash=None,
            active=False,
            locale=None,
            totp_secret_encrypted=None,
            totp_enabled_at=None,
            totp_last_step=None,
            failed_logins=0,
            locked_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
