"""Writing the access log. Changes are logged in the same transaction as the change itself;
reads are collected during the request and written once it has been answered."""

from __future__ import annotations

import enum

from flask import Flask, Response, g, has_request_context, request
from flask_login import current_user

from rehab.audit.models import AuditEntry
from rehab.extensions import db


class Action(enum.StrEnum):
    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    PRINT = "print"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    ACCESS_DENIED = "access_denied"
    ACCOUNT = "account"


def _entry(action: str, actor, **fields) -> AuditEntry:
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(action=str(action), **fields)
    if actor is not None:
        entry.actor_id = actor.id
        entry.actor_name = actor.full_name
        entry.actor_role = actor.role
        if entry.clinic_id is None:
            entry.clinic_id = actor.clinic_id
    if has_request_context():
        entry.ip_address = request.remote_addr
    return entry


def record(
    action: str,
    *,
    patient_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    summary: str | None = None,
    clinic_id: int | None = None,
    actor=None,
) -> AuditEntry:
    """Add an entry to the current transaction; the caller's commit writes it."""
    entry = _entry(
        action,
        actor,
        patient_id=patient_id,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        clinic_id=clinic_id,
    )
    db.session.add(entry)
    return entry


def record_read(
    *,
    patient_id: int,
    object_type: str,
    object_id: int | None = None,
    action: str = Action.VIEW,
    summary: str | None = None,
) -> None:
    """Note that this request read (or was refused) a patient's data; written after the view."""
    reads = g.setdefault("audit_reads", [])
    key = (action, patient_id, object_type, object_id)
    if key not in {r[0] for r in reads}:
        reads.append((key, summary))


def write_pending_reads(response: Response) -> Response:
    """after_request hook: persist the reads of this request in their own transaction.

    Anything a view left uncommitted is rolled back first: services commit their own work,
    so an uncommitted change here is a half-finished action that must not be written.
    """
    reads = g.pop("audit_reads", None)
    if not reads or response.status_code >= 500:
        return response
    db.session.rollback()
    for (action, patient_id, object_type, object_id), summary in reads:
        db.session.add(
            _entry(
                action,
                None,
                patient_id=patient_id,
                object_type=object_type,
                object_id=object_id,
                summary=summary,
            )
        )
    db.session.commit()
    return response


def init_app(app: Flask) -> None:
    app.after_request(write_pending_reads)
