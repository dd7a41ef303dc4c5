"""The form that makes a personal access token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from rehab.api.models import TokenScope
from rehab.api.tokens import EXPIRY_DAYS
from rehab.core.forms import choices
from rehab.core.i18n import lazy_gettext as _l


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("What the token is for, e.g. 'practice-management link'."),
    )
    scope = RadioField(
        _l("May"),
        choices=choices(
            [
                (TokenScope.READ.value, _l("Read only")),
                (TokenScope.READ_WRITE.value, _l("Read and write")),
            ]
        ),
        default=TokenScope.READ.value,
        validators=[DataRequired()],
    )
    days = SelectField(
        _l("Valid for"),
        choices=choices([(days, _l("%(num)d days", num=days)) for days in EXPIRY_DAYS]),
        coerce=int,
        default=30,
    )
    submit = SubmitField(_l("Make token"))
