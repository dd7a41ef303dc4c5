"""The clinic admin's view of the access log (with CSV export), and the patient's own
"who viewed my record" page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

from flask import Response, render_template, request
from flask_login import current_user
from sqlalchemy import false, select

from rehab.audit import bp
from rehab.audit.forms import AuditFilterForm, action_choices
from rehab.audit.models import AuditEntry
from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary, describe
from rehab.auth.access import admin_required, patient_required
from rehab.auth.models import STAFF_ROLES, User
from rehab.core.db import utcnow
from rehab.core.errors import render_error
from rehab.core.forms import choices
from rehab.core.i18n import gettext as _
from rehab.core.pages import filter_args, page_arg
from rehab.core.spreadsheet import csv_cell
from rehab.extensions import db

PAGE_SIZE = 50


def _filtered(form: AuditFilterForm):
    # Dates are the clinic's calendar days, not UTC ones.
    tz = ZoneInfo(current_user.clinic.timezone)
    stmt = select(AuditEntry).where(AuditEntry.clinic_id == current_user.clinic_id)
    if form.errors:  # never half a filter: an unreadable one matches nothing
        return stmt.where(false())
    if form.patient_id.data:
        stmt = stmt.where(AuditEntry.patient_id == form.patient_id.data)
    if form.actor_id.data is not None:
        stmt = stmt.where(AuditEntry.actor_id == form.actor_id.data)
    if form.action.data:
        stmt = stmt.where(AuditEntry.action == form.action.data)
    if form.date_from.data:
        start = dt.datetime.combine(form.date_from.data, dt.time(), tzinfo=tz)
        stmt = stmt.where(AuditEntry.at >= start)
    if form.date_to.data:
        end = dt.datetime.combine(form.date_to.data + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        stmt = stmt.where(AuditEntry.at < end)
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    users = db.session.execute(
        select(User.id, User.full_name)
        .where(User.clinic_id == current_user.clinic_id)
        .order_by(User.full_name)
    ).all()
    form.actor_id.choices = choices([("", "—"), *((str(u.id), u.full_name) for u in users)])
    form.validate()  # a filter that does not validate shows its errors and lists nothing
    return form


def _patient_names(patient_ids) -> dict[int, str]:
    """Names of the listed patients of the admin's own clinic, in one query."""
    from rehab.patients.models import Patient

    ids = {pid for pid in patient_ids if pid}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Patient.id, Patient.first_name, Patient.last_name).where(
            Patient.id.in_(ids), Patient.clinic_id == current_user.clinic_id
        )
    ).all()
    return {row.id: f"{row.first_name} {row.last_name}" for row in rows}


@bp.route("/")
@admin_required
def index():
    form = _filter_form()
    pagination = db.paginate(
        _filtered(form),
        page=page_arg(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "audit/index.html",
        form=form,
        pagination=pagination,
        action_labels={c.value: c.label for c in action_choices()},
        record_labels=record_labels(),
        summaries={e.id: describe(e) for e in pagination.items},
        patient_names=_patient_names(e.patient_id for e in pagination.items),
        filters=filter_args(form),
    )


CSV_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_name",
    "actor_role",
    "on_behalf_of",
    "action",
    "patient_id",
    "object_type",
    "object_id",
    "summary",
    "ip_address",
)
# After them: the summary's code and values as stored (empty for entries from before the
# codes), for whoever reads the file with a program rather than in the reader's language.
CSV_CODE_COLUMNS = ("summary_code", "summary_values")
EXPORT_LIMIT = 100_000


# The guard is shared with the therapists' exports (rehab.interop.exports).
_csv_cell = csv_cell


@bp.route("/export.csv")
@admin_required
def export():
    """The filtered log as CSV, for an inspection or a patient's request; logged itself."""
    form = _filter_form()
    if form.errors:
        return render_error(400, _("The filter is not valid: correct it on the access log first."))
    entries = db.session.scalars(_filtered(form).limit(EXPORT_LIMIT)).all()
    names = _patient_names(e.patient_id for e in entries)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*CSV_COLUMNS, "patient_name", *CSV_CODE_COLUMNS])
    for entry in entries:
        values = [getattr(entry, column) for column in CSV_COLUMNS]
        values[1] = entry.at.isoformat()
        values[CSV_COLUMNS.index("summary")] = describe(entry)
        stored = (
            entry.summary_code,
            json.dumps(entry.summary_values, ensure_ascii=False, sort_keys=True)
            if entry.summary_values is not None
            else None,
        )
        row = (*values, names.get(entry.patient_id), *stored)
        writer.writerow([_csv_cell(v) for v in row])
    filters = [f"{k}={v}" for k, v in sorted(request.args.items()) if v]
    record(
        Action.EXPORT,
        actor=current_user,
        object_type="audit_log",
        summary=Summary.of("audit_log_exported", count=len(entries), filters=filters),
    )
    db.session.commit()
    filename = f"access-log-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(
        buffer.getvalue().encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


MY_PAGE_SIZE = 25


def record_labels() -> dict[str, str]:
    """What an entry is about, in the reader's language (the summary after it is worded by
    rehab.audit.summaries; an entry from before the codes shows its sentence as written)."""
    return {
        "account_link": _("account link"),
        "alert": _("alert"),
        "api_token": _("API token"),
        "analysis": _("movement analysis"),
        "appointment": _("appointment"),
        "audit_log": _("access log"),
        "calendar_feed": _("calendar link"),
        "chart": _("progress chart"),
        "check_in": _("check-in"),
        "clinic": _("clinic"),
        "destruction_request": _("destruction request"),
        "exercise": _("exercise"),
        "exit_criterion": _("exit criterion"),
        "handout": _("programme handout"),
        "movement_analysis": _("movement analysis"),
        "outgoing_email": _("e-mail"),
        "patient": _("patient record"),
        "patient_record": _("complete record"),
        "phase": _("phase"),
        "prescription": _("prescription"),
        "print_job": _("batch print"),
        "programme": _("programme"),
        "progress": _("progress page"),
        "progress_report": _("progress report"),
        "reminder_settings": _("reminder settings"),
        "suggestion": _("suggestion"),
        "template": _("template"),
        "training_session": _("session"),
        "user": _("user account"),
        "user_session": _("login session"),
    }


def object_labels() -> dict[str, str]:
    """What was looked at, in the patient's words; other areas' types fall back to "data"."""
    return {
        "patient": _("your record"),
        "patient_record": _("your complete record"),
        "analysis": _("a movement analysis"),
        "programme": _("your programme"),
        "report": _("a report"),
        "training_session": _("a logged session"),
        "check_in": _("a check-in"),
        "progress": _("your progress"),
        "chart": _("a chart of your progress"),
        "destruction_request": _("a request to destroy your record"),
        "appointment": _("an appointment"),
        "calendar_feed": _("your calendar link"),
        "outgoing_email": _("an e-mail to you"),
        "reminder_settings": _("your reminder settings"),
    }


@bp.route("/my-record")
@patient_required
def my_record_access():
    """Who at the clinic viewed or changed my record, and when (NEN 7513 §6)."""
    from rehab.patients.services import own_patient_record

    patient = own_patient_record(current_user)
    stmt = (
        select(AuditEntry)
        .where(
            AuditEntry.patient_id == patient.id,
            AuditEntry.clinic_id == patient.clinic_id,
            # Staff only: another patient's name is never shown here.
            AuditEntry.actor_role.in_([str(role) for role in STAFF_ROLES]),
            # What was opened or changed; a refused attempt (someone of another clinic)
            # opened nothing and is for the clinic's administrator.
            AuditEntry.action != Action.ACCESS_DENIED,
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    pagination = db.paginate(stmt, page=page_arg(), per_page=MY_PAGE_SIZE, error_out=False)
    return render_template(
        "audit/my_record_access.html",
        pagination=pagination,
        action_labels={c.value: c.label for c in action_choices()},
        object_labels=object_labels(),
    )
