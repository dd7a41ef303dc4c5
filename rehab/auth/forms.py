"""Forms for logging in, setting passwords and managing staff accounts."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from rehab.auth.passwords import MAX_LENGTH, password_problems
from rehab.core.forms import choices, strip_filter
from rehab.core.i18n import lazy_gettext as _l


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Log in"))


class NewPasswordMixin:
    """A new password typed twice, checked against the policy."""

    email_for_policy: str | None = None
    name_for_policy: str | None = None

    new_password = PasswordField(
        _l("New password"),
        description=_l("At least 8 characters. A sentence you can remember works well."),
        validators=[InputRequired(), Length(max=MAX_LENGTH * 8)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(),
            EqualTo("new_password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_new_password(self, field) -> None:
        problems = password_problems(
            field.data or "", email=self.email_for_policy, name=self.name_for_policy
        )
        if problems:
            raise ValidationError(" ".join(problems))


class SetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
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


class CodeField(StringField):
    """A one-time code: digits from the app, or a recovery code (letters, digits, dashes)."""


def code_field(label=None, **kwargs) -> CodeField:
    return CodeField(
        label or _l("Code"),
        validators=[InputRequired(), Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True},
        **kwargs,
    )


class SecondStepForm(FlaskForm):
    code = code_field(
        _l("Code from your authenticator app"),
        description=_l("Six digits. Lost your phone? Type one of your recovery codes instead."),
    )
    submit = SubmitField(_l("Verify"))


class EnrolForm(FlaskForm):
    code = code_field(_l("Code shown in the app"))
    submit = SubmitField(_l("Switch on two-step verification"))


class ReauthForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code from your authenticator app (or a recovery code)"),
        validators=[Length(max=32)],
        render_kw={"autocomplete": "one-time-code"},
    )
    submit = SubmitField(_l("Confirm"))


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("New e-mail address"),
        filters=[strip_filter],
        validators=[InputRequired(), Length(max=254), Email(check_deliverability=False)],
    )
    submit = SubmitField(_l("Change e-mail address"))


def _timezone_exists(form, field) -> None:
    name = (field.data or "").strip()
    if name not in _known_timezones():
        raise ValidationError(_l("Unknown time zone. Use a name such as Europe/Amsterdam."))
    field.data = name


@cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _as_time(value) -> dt.time | None:
    """A select's "HH:MM" as a time (a time stays one); anything else is no choice."""
    if isinstance(value, dt.time) or value is None:
        return value
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        return None


class ClinicSettingsForm(FlaskForm):
    name = StringField(_l("Clinic name"), validators=[InputRequired(), Length(max=120)])
    default_locale = SelectField(
        _l("Default language"), choices=choices([("nl", "Nederlands"), ("en", "English")])
    )
    timezone = StringField(
        _l("Time zone"),
        validators=[InputRequired(), Length(max=64), _timezone_exists],
        description=_l("An IANA name, e.g. Europe/Amsterdam."),
    )
    phone = StringField(
        _l("Phone number for patients"),
        description=_l("Patients see it with the advice for warning signs (e.g. 020 123 45 67)."),
        filters=[lambda value: " ".join(value.split()) if isinstance(value, str) else value],
        validators=[
            Optional(),
            Length(max=40),
            Regexp(
                r"^\+?[0-9][0-9 ()./-]{4,38}[0-9]$",
                message=_l("Enter a phone number: digits, spaces, brackets, - or a leading +."),
            ),
        ],
        render_kw={"inputmode": "tel", "autocomplete": "tel"},
    )
    require_staff_2fa = BooleanField(
        _l("Therapists and administrators must use two-step verification"),
        description=_l("Strongly advised for health records (NEN 7510)."),
    )
    uses_start_back = BooleanField(_l("Use the STarT Back screening tool"))
    pain_safe_max = SelectField(
        _l("Pain during exercise counts as safe up to"),
        choices=choices([(2, "0–2"), (3, "0–3")]),
        coerce=int,
    )
    pain_amber_max = IntegerField(
        _l("Pain up to this score is acceptable (amber)"),
        validators=[InputRequired(), NumberRange(min=2, max=10)],
    )
    spike_week_caution_pct = IntegerField(
        _l("Caution when weekly load rises more than (%) week on week"),
        validators=[InputRequired(), NumberRange(min=1, max=200)],
    )
    spike_two_week_alert_pct = IntegerField(
        _l("Alert when weekly load rises more than (%) over two weeks"),
        validators=[InputRequired(), NumberRange(min=1, max=300)],
    )
    spike_session_pct = IntegerField(
        _l("Alert when one session is more than (%) above the largest of the last 30 days"),
        validators=[InputRequired(), NumberRange(min=1, max=200)],
    )
    acwr_alerts_enabled = BooleanField(_l("Raise alerts from the acute:chronic workload ratio"))
    no_log_alert_days = IntegerField(
        _l("Alert after this many days without a logged session"),
        validators=[InputRequired(), NumberRange(min=1, max=60)],
    )
    stiffness_review_minutes = IntegerField(
        _l("Ask for a review when morning stiffness lasts longer than (minutes)"),
        validators=[InputRequired(), NumberRange(min=1, max=240)],
    )
    reminder_time = SelectField(
        _l("Exercise reminders are offered at"),
        description=_l("Patients choose their own time; this is what the form suggests."),
        coerce=_as_time,
    )
    submit = SubmitField(_l("Save settings"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The patients' choice of times (rehab.reminders.rules), read when the form is made:
        # importing it with this module would import the training area half-way.
        from rehab.reminders.rules import reminder_times

        self.reminder_time.choices = choices((t, f"{t:%H:%M}") for t in reminder_times())

    def validate_pain_amber_max(self, field) -> None:
        safe = self.pain_safe_max.data
        if field.data is not None and safe is not None and field.data <= int(safe):
            raise ValidationError(_l("The amber limit must be above the safe limit."))

    def validate_spike_two_week_alert_pct(self, field) -> None:
        caution = self.spike_week_caution_pct.data
        if field.data is not None and caution is not None and field.data < caution:
            raise ValidationError(
                _l("The two-week alert should not be lower than the week-on-week caution.")
            )


class ForgotPasswordForm(FlaskForm):
    # No format check: like the log-in form, any text gets the same answer (an address
    # that is not an account's simply gets no mail).
    email = EmailField(
        _l("E-mail address"),
        filters=[strip_filter],
        validators=[DataRequired(), Length(max=254)],  # after the strip: blanks are empty
        render_kw={"autocomplete": "username"},
    )
    submit = SubmitField(_l("Send me a link"))


class HandoverEmailForm(FlaskForm):
    """The hand-over page's "send by e-mail": the link shown there, and where to go back to."""

    link = HiddenField(validators=[InputRequired(), Length(max=500)])
    back = HiddenField(validators=[Length(max=500)])
    submit = SubmitField(_l("Send by e-mail"))
