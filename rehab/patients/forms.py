"""Forms for patient records."""

from __future__ import annotations

import datetime as dt
import re

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from rehab.core.forms import (
    DateField,
    NotBefore,
    NotInFuture,
    choices,
    record_id,
    strip_filter,
)
from rehab.core.i18n import lazy_gettext as _l
from rehab.core.vocabulary import BODY_REGIONS
from rehab.patients.vocabulary import SEXES

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value):
    """Trimmed text without control characters (PostgreSQL refuses NUL in text); "" → None."""
    if isinstance(value, str):
        value = _CONTROL.sub("", value)
    return strip_filter(value)


def body_region_choices():
    return choices([("", _l("— choose —")), *BODY_REGIONS.items()])


LANGUAGE_CHOICES = choices([("nl", "Nederlands"), ("en", "English")])


class PatientForm(FlaskForm):
    first_name = StringField(
        _l("First name"), filters=[clean_text], validators=[InputRequired(), Length(max=80)]
    )
    last_name = StringField(
        _l("Last name"), filters=[clean_text], validators=[InputRequired(), Length(max=80)]
    )
    date_of_birth = DateField(
        _l("Date of birth"),
        validators=[Optional(), NotInFuture(), NotBefore(dt.date(1900, 1, 1))],
    )
    sex = SelectField(
        _l("Sex"),
        description=_l("Only for references that differ by sex (Biering-Sørensen). Staff only."),
        choices=choices([("", _l("Not recorded")), *SEXES.items()]),
        validators=[Optional()],
    )
    email = EmailField(
        _l("E-mail address"),
        description=_l("The patient logs in with this address."),
        filters=[clean_text],
        validators=[InputRequired(), Length(max=254), Email(check_deliverability=False)],
    )
    phone = StringField(_l("Phone"), filters=[clean_text], validators=[Optional(), Length(max=40)])
    preferred_language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
    therapist_id = SelectField(_l("Therapist"), coerce=record_id)
    main_complaint = TextAreaField(
        _l("Main complaint"), filters=[clean_text], validators=[Optional(), Length(max=2000)]
    )
    body_region = SelectField(
        _l("Body region"), choices=body_region_choices, validators=[Optional()]
    )
    onset_date = DateField(
        _l("Onset of the complaint"),
        validators=[Optional(), NotInFuture(), NotBefore(dt.date(1900, 1, 1))],
    )
    episode = SelectField(
        _l("Episode"),
        choices=choices(
            [
                ("", _l("— choose —")),
                ("first", _l("First episode")),
                ("recurrence", _l("Recurrence")),
            ]
        ),
        validators=[Optional()],
    )
    earlier_episodes = IntegerField(
        _l("Number of earlier episodes"), validators=[Optional(), NumberRange(min=0, max=200)]
    )
    history = TextAreaField(
        _l("History"), filters=[clean_text], validators=[Optional(), Length(max=5000)]
    )
    goals = TextAreaField(
        _l("Goals in the patient's own words"),
        description=_l('For example "run 10 km again" or "lift my child without fear".'),
        filters=[clean_text],
        validators=[Optional(), Length(max=2000)],
    )
    demands = TextAreaField(
        _l("Sport and work demands"),
        filters=[clean_text],
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField(_l("Save"))


class CaseloadFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = SearchField(_l("Search"), filters=[clean_text], validators=[Optional(), Length(max=100)])
    status = SelectField(
        _l("Status"),
        choices=choices(
            [("active", _l("Active")), ("discharged", _l("Discharged")), ("all", _l("All"))]
        ),
        default="active",
    )
    scope = SelectField(
        _l("Patients"),
        choices=choices([("mine", _l("My caseload")), ("clinic", _l("Whole clinic"))]),
        default="mine",
    )


class DischargeForm(FlaskForm):
    discharged_on = DateField(
        _l("Date of discharge"),
        validators=[InputRequired(), NotInFuture(), NotBefore(dt.date(1900, 1, 1))],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("For example the reason for discharge or the advice given."),
        filters=[clean_text],
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField(_l("Discharge patient"))


class TransferForm(FlaskForm):
    therapist_id = SelectField(_l("New therapist"), coerce=record_id, validators=[InputRequired()])
    submit = SubmitField(_l("Transfer"))
