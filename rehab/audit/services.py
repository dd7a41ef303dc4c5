"""Writing the access log. Changes are logged in the same transaction as the change itself;
reads are collected during the request and written once it has been answered."""

from __future__ import annotations

import enum

from flask import Flask, Response, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import insert

from rehab.audit.models import AuditEntry
from rehab.audit.summaries import Summary
from rehab.core.db import utcnow
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


def _entry(action: str, actor, summary: Summary | None = None, **fields) -> AuditEntry:
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(action=str(action), **fields)
    if summary is not None:
        if not isinstance(summary, Summary):
            raise TypeError("an audit summary is a code with values: Summary.of(code, ...)")
        entry.summary_code = summary.code
        entry.summary_values = summary.values or None
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
    summary: Summary | None = None,
    clinic_id: int | None = None,
    actor=None,
) -> AuditEntry:
    """Add an entry to the current transaction; the caller's commit writes it.

    ``summary`` is a code with values (``Summary.of(...)``), worded when the log is read.
    """
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


def record_many(
    action: str, *, patient_ids: list[int], object_type: str, summary: Summary, actor
) -> None:
    """The same action on many records (an export of a caseload) in one INSERT; the caller's
    commit writes them."""
    if not patient_ids:
        return
    template = _entry(action, actor, object_type=object_type, summary=summary)
    columns = ("at", "clinic_id", "actor_id", "actor_name", "actor_role", "action",
               "object_type", "summary_code", "summary_values", "ip_address")  # fmt: skip
    values = {column: getattr(template, column) for column in columns}
    values["at"] = values["at"] or utcnow()
    db.session.execute(
        insert(AuditEntry), [values | {"patient_id": patient_id} for patient_id in patient_ids]
    )


def record_read(
    *,
    patient_id: int,
    object_type: str,
    object_id: int | None = None,
    action: str = Action.VIEW,
    summary: Summary | None = None,
    clinic_id: int | None = None,
) -> None:
    """Note that this request read (or was refused) a patient's data; written after the view.

    The entry goes into the actor's clinic's log unless ``clinic_id`` names another one.
    """
    reads = g.setdefault("audit_reads", [])
    key = (action, patient_id, object_type, object_id, clinic_id)
    if key not in {r[0] for r in reads}:
        reads.append((key, summary))


def write_pending_reads(response: Response) -> Response:
    """after_request hook: persist the reads of this request in their own transaction.

    Anything a view left uncommitted is rolled back first: services commit their own work,
    so an uncommitted change here is a half-finished action that must not be written.
    The page's objects are detached as they are (still readable, no longer refreshed).
    """
    reads = g.pop("audit_reads", None)
    if not reads or response.status_code >= 500:
        return response
    # The actor, their row read again now if the view's commit expired it: after the close
    # below it could no longer be read (one statement, as the reload after a rollback was).
    actor = current_user._get_current_object() if current_user.is_authenticated else None
    # Closing rolls back as rollback() would, but lets go of the page's objects instead of
    # expiring each one (a progress page holds about 900): nothing reads them after this.
    db.session.close()
    # Reads through the API say so (rehab.api.access sets the channel).
    channel = g.get("audit_channel")
    for (action, patient_id, object_type, object_id, clinic_id), summary in reads:
        summary = summary or channel  # a Summary (rehab.api.access: read_through_api)
        db.session.add(
            _entry(
                action,
                actor,
                patient_id=patient_id,
                object_type=object_type,
                object_id=object_id,
                summary=summary,
                clinic_id=clinic_id,
            )
        )
    db.session.commit()
    return response


def init_app(app: Flask) -> None:
    app.after_request(write_pending_reads)
