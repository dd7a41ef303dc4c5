"""The patient's reminder settings, the therapist's appointment and pause forms."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from rehab.auth.forms import _timezone_exists
from rehab.core.clock import local_today
from rehab.core.forms import DateField, NotBefore, choices
from rehab.core.i18n import lazy_gettext as _l
from rehab.programmes.forms import WEEKDAYS, MultiCheckboxField
from rehab.reminders import rules
from rehab.reminders.models import APPOINTMENT_KINDS

APPOINTMENT_KIND_LABELS = {
    "check_in": _l("Check-in appointment"),
    "reassessment": _l("Re-assessment"),
}
assert set(APPOINTMENT_KIND_LABELS) == set(APPOINTMENT_KINDS)
MAX_DAYS_AHEAD = 2 * 366


def _time_choices():
    return choices((t.strftime("%H:%M"), t.strftime("%H:%M")) for t in rules.reminder_times())


def parse_time(value: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value) if value else None
    except ValueError:
        return None


class ReminderSettingsForm(FlaskForm):
    exercise_enabled = BooleanField(_l("E-mail me on my exercise days when I have not logged"))
    weekdays = MultiCheckboxField(_l("My exercise days"), choices=choices(WEEKDAYS))
    remind_at = SelectField(
        _l("At"),
        description=_l("Never at night: times between 07:00 and 22:00."),
    )
    timezone = StringField(
        _l("My time zone"),
        validators=[InputRequired(), Length(max=64), _timezone_exists],
        description=_l("An IANA name, e.g. Europe/Amsterdam. Change it when you travel."),
    )
    paused_until = DateField(
        _l("No exercise reminders up to and including"),
        validators=[Optional()],
        description=_l("For a holiday or a break your therapist agreed. Leave empty to go on."),
    )
    appointments_enabled = BooleanField(_l("E-mail me the day before an appointment"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.remind_at.choices = _time_choices()

    def validate_weekdays(self, field) -> None:
        if self.exercise_enabled.data and not field.data:
            raise ValidationError(_l("Choose at least one day, or switch the reminders off."))

    def validate_paused_until(self, field) -> None:
        if field.data is not None and field.data > local_today() + dt.timedelta(days=366):
            raise ValidationError(_l("Choose a date within a year."))

    def values(self) -> dict:
        return {
            "exercise_enabled": bool(self.exercise_enabled.data),
            "weekdays": ",".join(sorted(set(self.weekdays.data or []))),
            "remind_at": parse_time(self.remind_at.data),
            "timezone": self.timezone.data,
            "paused_until": self.paused_until.data,
            "appointments_enabled": bool(self.appointments_enabled.data),
        }


class AppointmentForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices(APPOINTMENT_KIND_LABELS.items()))
    day = DateField(
        _l("Date"),
        validators=[InputRequired(message=_l("Fill in a valid date.")),
                    NotBefore(dt.date(2000, 1, 1))],
    )  # fmt: skip
    time = SelectField(_l("Time"))
    duration_minutes = IntegerField(
        _l("Length (minutes)"), default=30, validators=[InputRequired(), NumberRange(5, 240)]
    )
    remind = BooleanField(_l("E-mail the patient a reminder the day before"), default=True)
    submit = SubmitField(_l("Plan the appointment"))

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.time.choices = _time_choices()

    def validate_day(self, field) -> None:
        if field.data is None:
            return
        if field.data < self.today:
            raise ValidationError(_l("This date has passed."))
        if field.data > self.today + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise ValidationError(_l("Choose a date within two years."))


class PauseForm(FlaskForm):
    paused_until = DateField(
        _l("Pause exercise reminders up to and including"),
        validators=[Optional(), NotBefore(dt.date(2000, 1, 1))],
    )
    submit = SubmitField(_l("Save"))

    def validate_paused_until(self, field) -> None:
        if field.data is not None and field.data > local_today() + dt.timedelta(days=366):
            raise ValidationError(_l("Choose a date within a year."))
