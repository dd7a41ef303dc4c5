"""The destruction request form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from rehab.core.forms import strip_filter
from rehab.core.i18n import lazy_gettext as _l


class DestructionRequestForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        filters=[strip_filter],
        validators=[InputRequired(), Length(min=5, max=2000)],
        description=_l(
            "E.g. the patient's written request and its date. It is kept in the access log."
        ),
    )
    submit = SubmitField(_l("Request destruction"))
