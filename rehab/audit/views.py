"""The clinic admin's view of the access log."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from rehab.audit import bp
from rehab.audit.forms import AuditFilterForm, action_choices
from rehab.audit.models import AuditEntry
from rehab.auth.access import admin_required
from rehab.auth.models import User
from rehab.core.forms import choices
from rehab.extensions import db

PAGE_SIZE = 50


def _filtered(form: AuditFilterForm):
    # Dates are the clinic's calendar days, not UTC ones.
    tz = ZoneInfo(current_user.clinic.timezone)
    stmt = select(AuditEntry).where(AuditEntry.clinic_id == current_user.clinic_id)
    if form.patient_id.data:
        stmt = stmt.where(AuditEntry.patient_id == form.patient_id.data)
    if form.actor_id.data and form.actor_id.data.isdigit():
        stmt = stmt.where(AuditEntry.actor_id == int(form.actor_id.data))
    if form.action.data:
        stmt = stmt.where(AuditEntry.action == form.action.data)
    if form.date_from.data:
        start = dt.datetime.combine(form.date_from.data, dt.time(), tzinfo=tz)
        stmt = stmt.where(AuditEntry.at >= start)
    if form.date_to.data:
        end = dt.datetime.combine(form.date_to.data + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        stmt = stmt.where(AuditEntry.at < end)
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


@bp.route("/")
@admin_required
def index():
    form = AuditFilterForm(request.args)
    users = db.session.execute(
        select(User.id, User.full_name)
        .where(User.clinic_id == current_user.clinic_id)
        .order_by(User.full_name)
    ).all()
    form.actor_id.choices = choices([("", "—"), *((str(u.id), u.full_name) for u in users)])
    if not form.validate():
        form = AuditFilterForm(formdata=None)
        form.actor_id.choices = choices([("", "—")])
    pagination = db.paginate(
        _filtered(form),
        page=request.args.get("page", 1, type=int),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "audit/index.html",
        form=form,
        pagination=pagination,
        action_labels={c.value: c.label for c in action_choices()},
    )
