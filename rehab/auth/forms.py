"""Forms for logging in, setting passwords and managing staff accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from rehab.auth.passwords import MAX_LENGTH, password_problems
from rehab.core.forms import choices


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024)])
    submit = SubmitField(_l("Log in"))


class NewPasswordMixin:
    """A new password typed twice, checked against the policy."""

    email_for_policy: str | None = None

    new_password = PasswordField(
        _l("New password"),
        description=_l("At least 8 characters. A sentence you can remember works well."),
        validators=[InputRequired(), Length(max=MAX_LENGTH * 8)],
    )
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(),
            EqualTo("new_password", message=_l("The two passwords are not the same.")),
        ],
    )

    def validate_new_password(self, field) -> None:
        problems = password_problems(field.data or "", email=self.email_for_policy)
        if problems:
            raise ValidationError(" ".join(problems))


class SetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(), Length(max=1024)]
    )
    submit = SubmitField(_l("Change password"))


class StaffForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[InputRequired(), Length(max=120)])
    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(), Length(max=254), Email(check_deliverability=False)],
    )
    role = SelectField(
        _l("Role"),
        choices=choices([("therapist", _l("Therapist")), ("admin", _l("Clinic administrator"))]),
    )
    submit = SubmitField(_l("Create account"))


class ConfirmForm(FlaskForm):
    """An empty form: a button that carries the CSRF token for a state-changing POST."""

    submit = SubmitField(_l("Confirm"))
