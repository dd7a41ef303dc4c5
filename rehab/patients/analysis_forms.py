"""The movement-analysis form: one long form in sections, every field optional but the
date and the kind, each value checked against the measure catalogue's range."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, StopValidation
from wtforms.widgets import TextInput

from rehab.core.forms import DateField, NotBefore, NotInFuture, choices
from rehab.core.i18n import format_decimal
from rehab.core.i18n import lazy_gettext as _l
from rehab.patients import vocabulary as vocab
from rehab.patients.forms import clean_text
from rehab.patients.measures import MEASURES, Measure

MAX_ACTIVITIES = 5
MIN_ACTIVITIES = 3
MAX_EXTRA_TESTS = 30
BLANK_EXTRA_TESTS = 3
EXTRA_TEST_LIMIT = Decimal(1_000_000)

# Digits with an optional decimal comma or point: "12", "-3", "4,5", "4.5". No exponents,
# no thousands separators, no "NaN"/"inf" (float() would take those).
_NUMBER = re.compile(r"[+-]?[0-9]{1,9}(?:[.,][0-9]+)?")


def _shown(value: Decimal | int | float) -> str:
    """A number as the user's language writes it, without grouping ("4,5" in Dutch)."""
    return format_decimal(value, format="0.##")


class NumberField(Field):
    """A number typed as text, checked against a valid range with a message that says so.

    Text, a value outside ``low``–``high``, too many decimals or a fraction where a whole
    number belongs each get their own message; the value then stays None.
    """

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        low: float,
        high: float,
        unit: object = "",
        integer: bool = False,
        places: int = 2,
        summary_label: object = None,
        **kwargs,
    ):
        render_kw = {"inputmode": "numeric" if integer else "decimal", "autocomplete": "off"}
        if low < 0:
            render_kw = {"autocomplete": "off"}  # phone number pads often lack the minus sign
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.low, self.high, self.unit = Decimal(str(low)), Decimal(str(high)), unit
        self.integer, self.places = integer, places
        self.summary_label = summary_label  # the label out of its context, e.g. "Side bridge, left"
        self.raw = ""
        self.problem = None

    widget = TextInput()

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "") or ""
        self.raw = self.raw.strip()[:40]
        self.data, self.problem = self._parse(self.raw)

    def _parse(self, text: str):
        if not text:
            return None, None
        if not _NUMBER.fullmatch(text):
            return None, _l("Enter a number, for example 12 or 4,5.")
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            return None, _l("Enter a number, for example 12 or 4,5.")
        if self.integer and value != value.to_integral_value():
            return None, _l("Enter a whole number.")
        if not self.integer and -value.as_tuple().exponent > self.places:
            return None, _l("Use at most %(places)s decimals.", places=self.places)
        if not self.low <= value <= self.high:
            return None, self._range_message()
        return (int(value) if self.integer else value), None

    def _range_message(self):
        # A scale's "unit" is its range ("0–10"): repeating it after the range says nothing.
        unit = f" {self.unit}" if self.unit and "–" not in str(self.unit) else ""
        return _l(
            "Enter a value from %(low)s to %(high)s%(unit)s.",
            low=_shown(self.low),
            high=_shown(self.high),
            unit=unit,
        )

    def pre_validate(self, form):
        if self.problem is not None:
            raise StopValidation(str(self.problem))

    def _value(self):
        if self.raw:
            return self.raw
        return "" if self.data is None else _shown(self.data)


def _choice_field(label, vocabulary: dict, *, blank=None, **kwargs) -> SelectField:
    """A select whose first option, "", stores nothing."""
    options = [("", blank or _l("— not recorded —")), *((str(k), v) for k, v in vocabulary.items())]
    return SelectField(label, choices=choices(options), validators=[Optional()], **kwargs)


def _text(label, max_length: int, *, area: bool = True, **kwargs):
    kind = TextAreaField if area else StringField
    return kind(
        label,
        filters=[clean_text],
        validators=[Optional(), Length(max=max_length)],
        **kwargs,
    )


def _whole(label, low: int, high: int, unit: object = "", **kwargs) -> NumberField:
    return NumberField(label, low=low, high=high, unit=unit, integer=True, **kwargs)


class ActivityForm(FlaskForm):
    """One patient-specific activity and its 0–10 score."""

    class Meta:
        csrf = False  # part of the analysis form, which carries the token

    description = StringField(
        _l("Activity"), filters=[clean_text], validators=[Optional(), Length(max=200)]
    )
    score = NumberField(_l("Score (0–10)"), low=0, high=10, integer=True)

    @property
    def filled(self) -> bool:
        return bool(self.description.data) or self.scored

    @property
    def scored(self) -> bool:
        return self.score.data is not None or bool(self.score.raw)


def _extra_number(label):
    return NumberField(label, low=-EXTRA_TEST_LIMIT, high=EXTRA_TEST_LIMIT)


class ExtraTestForm(FlaskForm):
    """A clinic-defined test: name, unit, value and an optional reference range."""

    class Meta:
        csrf = False

    name = StringField(_l("Test"), filters=[clean_text], validators=[Optional(), Length(max=80)])
    unit = StringField(_l("Unit"), filters=[clean_text], validators=[Optional(), Length(max=20)])
    value = _extra_number(_l("Value"))
    reference_low = _extra_number(_l("Reference from"))
    reference_high = _extra_number(_l("Reference to"))

    @property
    def filled(self) -> bool:
        return any(
            (f.raw if isinstance(f, NumberField) else f.data)
            for f in (self.name, self.unit, self.value, self.reference_low, self.reference_high)
        )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not ok or not self.filled:
            return ok
        if not self.name.data:
            self.name.errors.append(_l("Name the test."))
            ok = False
        if self.value.data is None:
            self.value.errors.append(_l("Enter the measured value."))
            ok = False
        low, high = self.reference_low.data, self.reference_high.data
        if low is not None and high is not None and low > high:
            self.reference_high.errors.append(
                _l("The upper reference must not be below the lower one.")
            )
            ok = False
        return ok


class AnalysisForm(FlaskForm):
    """The whole analysis. Catalogue measures are added below the class, one field per key."""

    recorded_on = DateField(
        _l("Date of the analysis"),
        validators=[InputRequired(), NotInFuture(), NotBefore(dt.date(1900, 1, 1))],
    )
    kind = SelectField(
        _l("Kind"),
        choices=choices(vocab.ANALYSIS_KINDS.items()),
        validators=[InputRequired()],
    )

    # Intake (KNGF 2021).
    request_for_help = _text(_l("Request for help"), 2000)
    onset = _choice_field(_l("Onset"), vocab.ONSETS)
    complaint_weeks = _whole(_l("Duration of this episode"), 0, 5200, _l("weeks"))
    course = _choice_field(_l("Course so far"), vocab.COURSES)
    pain_location = _text(_l("Pain location"), 200, area=False)
    pain_nature = _choice_field(_l("Nature of the pain"), vocab.PAIN_NATURES)
    pain_pattern = _choice_field(_l("Constant or intermittent"), vocab.PAIN_PATTERNS)
    radiation = _choice_field(_l("Radiation to buttock or leg"), vocab.RADIATION)
    effect_rest = _choice_field(vocab.EFFECT_FACTORS["rest"], vocab.EFFECTS)
    effect_sleep = _choice_field(vocab.EFFECT_FACTORS["sleep"], vocab.EFFECTS)
    effect_posture = _choice_field(vocab.EFFECT_FACTORS["posture"], vocab.EFFECTS)
    effect_cough = _choice_field(vocab.EFFECT_FACTORS["cough"], vocab.EFFECTS)
    earlier_episodes = _whole(_l("Number of earlier episodes"), 0, 200)
    weakness = BooleanField(_l("Weakness in the leg(s)"))
    numbness = BooleanField(_l("Numbness or tingling in the leg(s)"))

    red_flag_notes = _text(_l("Notes on the red flags and the contact with the GP/referrer"), 2000)

    treatment_profile = _choice_field(
        _l("Treatment profile"), vocab.TREATMENT_PROFILES, blank=_l("— not chosen yet —")
    )
    start_back_group = _choice_field(_l("STarT Back risk group"), vocab.START_BACK_GROUPS)

    activity_instrument = _choice_field(_l("Instrument"), vocab.ACTIVITY_INSTRUMENTS)
    activities = FieldList(
        FormField(ActivityForm), min_entries=MAX_ACTIVITIES, max_entries=MAX_ACTIVITIES
    )
    # Which activity is the patient's sport or work activity (its row number): the
    # return-to-sport criterion reads that activity's own score (domain.md §5).
    sport_activity = RadioField(
        _l("Sport or work activity"),
        choices=choices(
            [("", _l("None of these")), *((str(n), str(n)) for n in range(1, MAX_ACTIVITIES + 1))]
        ),
        validators=[Optional()],
        default="",
    )

    morning_stiffness_minutes = _whole(_l("Morning stiffness"), 0, 1440, _l("minutes"))

    sitting_posture = _choice_field(*vocab.OBSERVATIONS["sitting_posture"])
    standing_posture = _choice_field(*vocab.OBSERVATIONS["standing_posture"])
    lifting_pattern = _choice_field(*vocab.OBSERVATIONS["lifting_pattern"])
    compensation = _choice_field(*vocab.OBSERVATIONS["compensation"])
    fear_avoidance = _choice_field(*vocab.OBSERVATIONS["fear_avoidance"])
    observation_notes = _text(_l("Observations in your own words"), 4000)

    slr_symptoms_left = _choice_field(_l("Symptoms, left"), vocab.SLR_SYMPTOMS)
    slr_symptoms_right = _choice_field(_l("Symptoms, right"), vocab.SLR_SYMPTOMS)

    extra_tests = FieldList(FormField(ExtraTestForm), max_entries=MAX_EXTRA_TESTS)

    findings = _text(_l("Findings"), 8000)
    plan = _text(_l("Plan"), 8000)
    private_notes = _text(
        _l("Private notes"),
        8000,
        description=_l("Only for the clinic's staff: the patient never sees these notes."),
    )
    submit = SubmitField(_l("Save analysis"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return self._validate_activities() and ok

    def _validate_activities(self) -> bool:
        """PSK/PSFS: 3–5 activities, each named and scored, on one instrument.

        Without a single score the activities were not measured this time (their wording
        may have been carried over from the last analysis): nothing is stored or refused.
        """
        rows = [entry.form for entry in self.activities if entry.form.filled]
        if not any(row.scored for row in rows):
            return True
        ok = True
        for row in rows:
            if row.description.data and not row.scored:
                row.score.errors.append(_l("Give this activity a score from 0 to 10."))
                ok = False
            elif row.scored and not row.description.data:
                row.description.errors.append(_l("Name the activity this score belongs to."))
                ok = False
        if not self.activity_instrument.data:
            self.activity_instrument.errors.append(_l("Choose PSK or PSFS for these activities."))
            ok = False
        elif not MIN_ACTIVITIES <= len(rows) <= MAX_ACTIVITIES:
            self.activity_instrument.errors.append(
                _l("Enter 3 to 5 activities, each with a score.")
            )
            ok = False
        chosen = self._sport_row()
        if chosen is not None and not self.activities[chosen].form.scored:
            self.sport_activity.errors.append(
                _l("The sport or work activity must be one of the scored activities.")
            )
            ok = False
        return ok

    def _sport_row(self) -> int | None:
        """The index of the sport or work activity's row; None for none (or an unknown
        value, which the field's own check refuses)."""
        chosen = self.sport_activity.data or ""
        if chosen.isdigit() and 1 <= int(chosen) <= MAX_ACTIVITIES:
            return int(chosen) - 1
        return None

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(input id, label, message) of every error, for the list above a long form."""
        found = []
        for field in self:
            if isinstance(field, FieldList):
                for number, entry in enumerate(field, start=1):
                    for sub in entry.form:
                        label = _l("%(row)s, row %(n)s: %(field)s", row=_ROW_NAMES[field.name],
                                   n=number, field=sub.label.text)  # fmt: skip
                        found += [(sub.id, str(label), str(error)) for error in sub.errors]
            else:
                label = getattr(field, "summary_label", None) or field.label.text
                found += [(field.id, str(label), str(error)) for error in field.errors]
        return found

    # --- the values to store -------------------------------------------------------------

    def analysis_values(self) -> dict:
        """Column → value for the analysis row (children and derived means excluded)."""
        values = {}
        for name, field in self._fields.items():
            if name in _NOT_COLUMNS:
                continue
            value = field.data
            if isinstance(field, SelectField):
                value = value or None
                if name == "treatment_profile" and value is not None:
                    value = int(value)
            values[name] = value
        if not self.activity_rows():
            values["activity_instrument"] = None
        return values

    def activity_rows(self) -> list[tuple[str, int, bool]]:
        """The scored activities as (description, score, sport or work); none when nothing
        was scored (not measured this time)."""
        entries = [entry.form for entry in self.activities]
        rows = [row for row in entries if row.filled]
        if not any(row.scored for row in rows):
            return []
        sport = self._sport_row()
        return [
            (row.description.data, row.score.data, sport is not None and row is entries[sport])
            for row in rows
        ]

    def extra_test_rows(self) -> list[dict]:
        return [
            {
                "name": entry.form.name.data,
                "unit": entry.form.unit.data,
                "value": entry.form.value.data,
                "reference_low": entry.form.reference_low.data,
                "reference_high": entry.form.reference_high.data,
            }
            for entry in self.extra_tests
            if entry.form.filled
        ]


_NOT_COLUMNS = {"csrf_token", "submit", "activities", "extra_tests", "sport_activity"}
_ROW_NAMES = {"activities": _l("Activity"), "extra_tests": _l("Extra test")}


def _measure_field(measure: Measure, side: str | None) -> NumberField:
    label = measure.label if side is None else vocab.SIDES[side]
    summary = None
    if side is not None:
        summary = _l("%(measure)s, %(side)s", measure=measure.label, side=vocab.SIDE_NAMES[side])
    return NumberField(
        label,
        low=measure.low,
        high=measure.high,
        unit=measure.unit,
        integer=measure.integer,
        summary_label=summary,
    )


# One field per stored catalogue key, e.g. ``side_bridge_left``; the PSK/PSFS means are
# derived from the activities, not typed.
DERIVED_MEASURES = {"psk", "psfs"}
for _measure in MEASURES.values():
    if _measure.key in DERIVED_MEASURES:
        continue
    for _side, _name in zip(
        ("left", "right") if _measure.sided else (None,), _measure.field_names(), strict=True
    ):
        setattr(AnalysisForm, _name, _measure_field(_measure, _side))
for _name, (_group, _label) in vocab.flag_columns().items():
    setattr(AnalysisForm, _name, BooleanField(_label))
for _name in vocab.squat_columns():
    _item, _side = _name.removeprefix("sls_").rsplit("_", 1)
    setattr(
        AnalysisForm,
        _name,
        _choice_field(
            _l("%(item)s, %(side)s", item=vocab.SINGLE_LEG_SQUAT_ITEMS[_item],
               side=vocab.SIDES[_side]),
            vocab.SQUAT_RATINGS,
            blank="–",
        ),
    )  # fmt: skip


def blank_extra_tests(form: AnalysisForm) -> None:
    """Offer a few empty rows for tests not yet entered (the page works without script)."""
    for _ in range(BLANK_EXTRA_TESTS):
        if len(form.extra_tests) >= MAX_EXTRA_TESTS:
            break
        form.extra_tests.append_entry()
