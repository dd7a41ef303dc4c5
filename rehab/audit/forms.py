"""Filters for the access log."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from rehab.audit.services import Action
from rehab.core.forms import choices
from rehab.core.i18n import lazy_gettext as _l
from rehab.core.urls import MAX_ID


def action_choices():
    labels = {
        Action.VIEW: _l("Viewed"),
        Action.CREATE: _l("Created"),
        Action.UPDATE: _l("Changed"),
        Action.DELETE: _l("Deleted"),
        Action.EXPORT: _l("Exported"),
        Action.PRINT: _l("Printed"),
        Action.LOGIN: _l("Logged in"),
        Action.LOGIN_FAILED: _l("Failed log-in"),
        Action.LOGOUT: _l("Logged out"),
        Action.ACCESS_DENIED: _l("Access refused"),
        Action.ACCOUNT: _l("Account change"),
    }
    return choices([("", _l("All actions")), *((a.value, labels[a]) for a in Action)])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    patient_id = IntegerField(
        _l("Patient number"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_ID, message=_l("This is not a patient number.")),
        ],
    )
    actor_id = SelectField(_l("User"), coerce=str, validate_choice=False)
    action = SelectField(_l("Action"), choices=action_choices, validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
