"""The access log (NEN 7513): who read or changed which patient record, when, from where."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DDL, JSON, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from rehab.core.db import utcnow
from rehab.extensions import db


class AuditEntry(db.Model):
    """One logged action. Append-only: the database refuses UPDATE and DELETE.

    The actor and patient are plain integers, not foreign keys: a destroyed patient record
    (WGBO art. 7:455) must leave its audit trail behind, and a foreign key would have to
    cascade or block.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_patient_at", "patient_id", "at"),
        Index("ix_audit_entries_actor_at", "actor_id", "at"),
        Index("ix_audit_entries_clinic_at", "clinic_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    clinic_id: Mapped[int | None]
    actor_id: Mapped[int | None]
    actor_name: Mapped[str | None] = mapped_column(String(120))
    actor_role: Mapped[str | None] = mapped_column(String(16))
    on_behalf_of: Mapped[str | None] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(32))
    patient_id: Mapped[int | None]
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    # What the entry says, as a code and its values (rehab.audit.summaries words them in the
    # reader's language); ``summary`` is the English sentence of entries written before.
    summary_code: Mapped[str | None] = mapped_column(String(48))
    summary_values: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    summary: Mapped[str | None] = mapped_column(Text)
    ip_address: Mapped[str | None] = mapped_column(String(45))


# Append-only in the database itself, not just in the code (NEN 7513 §5): a trigger refuses
# UPDATE and DELETE for every role on both backends.
_sqlite_guards = [
    DDL(
        f"CREATE TRIGGER audit_entries_no_{verb.lower()} BEFORE {verb} ON audit_entries "
        "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END"
    ).execute_if(dialect="sqlite")
    for verb in ("UPDATE", "DELETE")
]
_postgres_guard = [
    DDL(
        "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'audit_entries is append-only'; END $$"
    ).execute_if(dialect="postgresql"),
    DDL(
        "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
        "ON audit_entries FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()"
    ).execute_if(dialect="postgresql"),
]
for _ddl in (*_sqlite_guards, *_postgres_guard):
    event.listen(AuditEntry.__table__, "after_create", _ddl)
