"""Everything that belongs to one patient, found by walking the schema.

Tables are not listed by hand: a row belongs to the patient when its table has a
``patient_id`` equal to theirs, or a foreign key to a row that belongs to them (a phase of
their programme, a log of their session…), starting from their record and their account.
Tables other areas add later are included without a change here.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from decimal import Decimal

from sqlalchemy import Table, select

from rehab.auth.models import User
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.patients.models import Patient

# Credentials are not personal data to hand out: hashes, tokens and secrets stay behind.
SECRET_COLUMN = re.compile(r"password|secret|token|hash|salt", re.IGNORECASE)
# Tables that only hold credentials.
SECRET_TABLES = frozenset({"recovery_codes", "api_tokens"})
_CHUNK = 500

# Files added to the export by other areas (the reports area adds the PDFs):
# each callable takes (actor, patient) and yields (file name, bytes).
Attachment = Callable[[User, Patient], Iterable[tuple[str, bytes]]]
ATTACHMENTS: list[Attachment] = []


def register_attachment(make: Attachment) -> None:
    if make not in ATTACHMENTS:
        ATTACHMENTS.append(make)


Rows = dict[str, dict[tuple, dict]]  # table name → primary key → row


def _key(table: Table, row: dict) -> tuple:
    return tuple(row[column.name] for column in table.primary_key.columns)


def _chunks(values: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _owned_by(table: Table, patient: Patient, rows: Rows) -> list:
    """Conditions under which a row of ``table`` belongs to the patient, given ``rows``."""
    conditions = []
    if "patient_id" in table.c:
        conditions.append([table.c.patient_id == patient.id])
    if table.name == "audit_entries" and patient.user_id is not None:
        conditions.append([table.c.actor_id == patient.user_id])  # their own log-ins
    for fk in table.foreign_keys:
        parent = fk.column.table
        found = rows.get(parent.name)
        if not found or not fk.column.primary_key or len(parent.primary_key.columns) != 1:
            continue
        ids = sorted(key[0] for key in found)
        conditions.append([fk.parent.in_(chunk) for chunk in _chunks(ids)])
    return conditions


def patient_rows(patient: Patient) -> Rows:
    """Every row, in every table, that belongs to ``patient`` (with all its columns)."""
    metadata = db.metadata
    rows: Rows = {}

    def add(table: Table, found) -> bool:
        bucket = rows.setdefault(table.name, {})
        before = len(bucket)
        for row in found:
            mapping = dict(row._mapping)
            bucket.setdefault(_key(table, mapping), mapping)
        return len(bucket) > before

    patients, users = metadata.tables["patients"], metadata.tables["users"]
    add(patients, db.session.execute(select(patients).where(patients.c.id == patient.id)))
    if patient.user_id is not None:
        add(users, db.session.execute(select(users).where(users.c.id == patient.user_id)))

    changed = True
    while changed:  # until no table gains a row: children of children are found too
        changed = False
        for table in metadata.sorted_tables:
            if table.name in ("patients", "users"):
                continue
            for group in _owned_by(table, patient, rows):
                for condition in group:
                    stmt = select(table).where(condition)
                    if add(table, db.session.execute(stmt)):
                        changed = True
    return {name: found for name, found in rows.items() if found}


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def exportable(rows: Rows) -> dict[str, list[dict]]:
    """The rows as plain values, without credential tables or columns, in a stable order."""
    out: dict[str, list[dict]] = {}
    for name in sorted(rows):
        if name in SECRET_TABLES:
            continue
        out[name] = [
            {k: _plain(v) for k, v in row.items() if not SECRET_COLUMN.search(k)}
            for _, row in sorted(rows[name].items(), key=lambda item: str(item[0]))
        ]
    return out


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_safe(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read é and ë


def _csv_safe(value):
    """A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def build_export(actor: User, patient: Patient) -> bytes:
    """The zip: record.json with every table, one CSV per table, and attached files."""
    tables = exportable(patient_rows(patient))
    document = {
        "format": "rehab-patient-export/1",
        "exported_at": utcnow().isoformat(),
        "patient_id": patient.id,
        "about": (
            "Every row that belongs to this patient, per database table. Rows refer to each "
            "other by id (e.g. phases.programme_id = programmes.id). Passwords, tokens and "
            "other credentials are left out."
        ),
        "tables": tables,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "record.json", json.dumps(document, ensure_ascii=False, indent=2, default=str)
        )
        for name, table_rows in tables.items():
            archive.writestr(f"csv/{name}.csv", _csv(table_rows))
        for make in ATTACHMENTS:
            for filename, content in make(actor, patient):
                archive.writestr(f"files/{filename}", content)
    return buffer.getvalue()


def export_filename(patient: Patient) -> str:
    return f"rehab-patient-{patient.id}-{utcnow():%Y%m%d}.zip"


__all__ = ["ATTACHMENTS", "build_export", "patient_rows", "register_attachment"]
