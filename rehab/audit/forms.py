"""Filters for the access log."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from rehab.audit.services import Action
from rehab.core.forms import DateField, choices, optional_record_id
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
    # Any row id is accepted (someone of another clinic may appear in this clinic's log when
    # they were refused a record here), but only a row id: digits within the id range.
    actor_id = SelectField(
        _l("User"),
        coerce=optional_record_id,
        validate_choice=False,
        invalid_value_message=_l("This is not a user of the list."),
    )
    action = SelectField(_l("Action"), choices=action_choices, validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
