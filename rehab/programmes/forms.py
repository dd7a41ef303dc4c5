"""The builder's forms. Every form that changes a programme carries the version it was
opened at (optimistic locking); the dose and criterion checks live in rules.py."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from rehab.core.forms import DecimalField, choices, strip_filter
from rehab.core.i18n import lazy_gettext as _l
from rehab.core.urls import MAX_ID
from rehab.core.vocabulary import (
    BODY_REGIONS,
    DOSAGE_TYPES,
    EFFORT_KINDS,
    EXERCISE_CATEGORIES,
    LOAD_KINDS,
    PROGRESSION_MODES,
    RULE_KINDS,
    SIDES,
)
from rehab.patients.measures import MEASURES, RATIOS
from rehab.programmes import rules

ROTATION_LABEL = re.compile(r"^[A-Za-z0-9]{1,8}$")
CRITERION_KINDS = {
    "measure": _l("A measure from the movement analysis"),
    "ratio": _l("A ratio of two measures (McGill)"),
    "outcome_change": _l("Improvement on PSK or PSFS since intake"),
    "pain_during_max": _l("Highest pain during exercise over a window"),
    "next_morning_baseline_days": _l("Days with the next morning at baseline (last 7)"),
    "adherence": _l("Adherence: sessions done vs prescribed"),
    "hold_time": _l("Hold time of an exercise in this phase"),
    "activity_score": _l(
        "Patient-specific activity score, PSK or PSFS (0 = unable … 10 = as before)"
    ),
    "red_flags_clear": _l("No red flags on the latest analysis"),
    "baselines_recorded": _l("Baselines of NPRS and PSK/PSFS recorded"),
    "lumbar_mobility": _l("Schober or finger-floor distance improved beyond its SDC, or normal"),
    "single_leg_squat": _l("Single-leg squat good on all five items, each side"),
    "full_load_without_red": _l("Weeks at the full planned load without a red response"),
    "therapist_check": _l("A check the therapist ticks (only what no recorded value answers)"),
}
ACTIVITY_CHOICES = {
    "activities": _l("Patient-specific activities, PSK or PSFS (mean)"),
    "sport_work": _l("The sport or work activity (PSK or PSFS)"),
    "mean": _l("Mean of the patient-specific activities (PSK or PSFS)"),
}
COMPARISON_LABELS = {
    ">=": _l("at least (≥)"),
    "<=": _l("at most (≤)"),
    ">": _l("more than (>)"),
    "<": _l("less than (<)"),
    "==": _l("exactly (=)"),
    "between": _l("between (both ends included)"),
}
WEEKDAYS = [
    ("1", _l("Monday")),
    ("2", _l("Tuesday")),
    ("3", _l("Wednesday")),
    ("4", _l("Thursday")),
    ("5", _l("Friday")),
    ("6", _l("Saturday")),
    ("7", _l("Sunday")),
]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VersionForm(FlaskForm):
    """A button that changes the programme: it carries the version the page showed."""

    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0, max=MAX_ID)]
    )
    direction = StringField(widget=HiddenInput(), validators=[Optional()])


class NewProgrammeForm(FlaskForm):
    source = RadioField(_l("Start from"), validators=[InputRequired()], default="blank")
    title = StringField(
        _l("Title"),
        description=_l("Leave empty to use the template's title."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=160)],
    )
    submit = SubmitField(_l("Create the programme"))


class DetailsForm(VersionForm):
    title = StringField(
        _l("Title"), filters=[strip_filter], validators=[DataRequired(), Length(max=160)]
    )
    description = TextAreaField(
        _l("Description"), filters=[strip_filter], validators=[Optional(), Length(max=5000)]
    )
    submit = SubmitField(_l("Save"))


class TemplateForm(FlaskForm):
    title = StringField(
        _l("Template name"), filters=[strip_filter], validators=[DataRequired(), Length(max=160)]
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("Visible to your colleagues. Leave out anything about the patient."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=5000)],
    )
    submit = SubmitField(_l("Save as template"))


class RenameTemplateForm(VersionForm, TemplateForm):
    submit = SubmitField(_l("Save"))


class PhaseForm(VersionForm):
    name = StringField(
        _l("Name"), filters=[strip_filter], validators=[DataRequired(), Length(max=120)]
    )
    goal = TextAreaField(
        _l("Goal"),
        description=_l("In plain language: the patient reads it."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000)],
    )
    planned_weeks = IntegerField(
        _l("Planned weeks"), validators=[Optional(), NumberRange(min=1, max=52)]
    )
    schedule_kind = RadioField(
        _l("Schedule"),
        choices=choices(
            [
                ("per_week", _l("A number of sessions per week")),
                ("weekdays", _l("Fixed weekdays")),
                ("rotation", _l("A rotation of session days (e.g. A/B)")),
            ]
        ),
        default="per_week",
    )
    sessions_per_week = IntegerField(
        _l("Sessions per week"),
        description=_l("Also for a rotation: how many sessions a week, whichever day is next."),
        validators=[Optional(), NumberRange(min=1, max=14)],
    )
    weekdays = MultiCheckboxField(_l("Weekdays"), choices=choices(WEEKDAYS))
    rotation = StringField(
        _l("Session days of the rotation"),
        description=_l("Labels separated by a slash, e.g. A/B or A/B/C."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=40)],
    )
    submit = SubmitField(_l("Save the phase"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        kind = self.schedule_kind.data
        if kind in ("per_week", "rotation") and self.sessions_per_week.data is None:
            self.sessions_per_week.errors.append(_l("Give the number of sessions per week."))
            valid = False
        if kind == "weekdays" and not self.weekdays.data:
            self.weekdays.errors.append(_l("Tick at least one weekday."))
            valid = False
        if kind == "rotation":
            labels = self.rotation_labels()
            if len(labels) < 2:
                self.rotation.errors.append(_l("A rotation has at least two session days."))
                valid = False
            elif len(set(labels)) != len(labels) or not all(
                ROTATION_LABEL.match(label) for label in labels
            ):
                self.rotation.errors.append(
                    _l("Use short different labels (letters or digits), e.g. A/B.")
                )
                valid = False
        return valid

    def rotation_labels(self) -> list[str]:
        return [part for part in re.split(r"[\s,/;]+", self.rotation.data or "") if part]

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "goal": self.goal.data,
            "planned_weeks": self.planned_weeks.data,
            "schedule_kind": self.schedule_kind.data,
            "sessions_per_week": self.sessions_per_week.data,
            "weekdays": [int(day) for day in self.weekdays.data or []],
            "rotation": [label.upper() for label in self.rotation_labels()],
        }

    def load(self, phase) -> None:
        self.name.data = phase.name
        self.goal.data = phase.goal
        self.planned_weeks.data = phase.planned_weeks
        self.schedule_kind.data = phase.schedule_kind
        self.sessions_per_week.data = phase.sessions_per_week
        self.weekdays.data = (phase.weekdays or "").split(",") if phase.weekdays else []
        self.rotation.data = "/".join((phase.rotation or "").split(",")) or None


CHOOSE = _l("— choose —")


def _optional_choice(pairs, empty=CHOOSE):
    return choices([("", empty), *pairs])


class CriterionForm(VersionForm):
    kind = SelectField(_l("Kind"), choices=choices(CRITERION_KINDS.items()))
    measure = SelectField(
        _l("Measure"),
        description=_l("For a measure, a ratio or an improvement (PSK/PSFS)."),
        choices=_optional_choice(
            [
                *((key, m.label) for key, m in MEASURES.items()),
                *RATIOS.items(),
                *ACTIVITY_CHOICES.items(),
            ]
        ),
        validators=[Optional()],
    )
    side = SelectField(
        _l("Side"),
        choices=_optional_choice(
            [("each", _l("Each side")), ("left", _l("Left")), ("right", _l("Right"))],
            _l("— not sided —"),
        ),
        validators=[Optional()],
    )
    comparison = SelectField(
        _l("Comparison"), choices=choices(COMPARISON_LABELS.items()), default=">="
    )
    target = DecimalField(
        _l("Target"),
        description=_l("Adherence in % (e.g. 80); a ratio as a number (e.g. 0.95)."),
        validators=[Optional()],
    )
    target_high = DecimalField(_l("High target (for “between”)"), validators=[Optional()])
    window_weeks = IntegerField(
        _l("Window in weeks"),
        description=_l("For pain, adherence and holds; 2 when left empty."),
        validators=[Optional(), NumberRange(min=1, max=26)],
    )
    prescription_id = SelectField(
        _l("Exercise (for a hold time)"), choices=[], validators=[Optional()]
    )
    label = StringField(
        _l("Label"),
        description=_l("Leave empty to describe the criterion automatically."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=200)],
    )
    submit = SubmitField(_l("Save the criterion"))

    def __init__(self, *args, hold_prescriptions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.prescription_id.choices = _optional_choice(
            (str(p.id), name) for p, name in hold_prescriptions
        )
        self._hold_ids = {p.id for p, _name in hold_prescriptions}
        self.cleaned: dict = {}

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        target = self.target.data
        high = self.target_high.data
        if self.kind.data == "adherence":
            # The therapist thinks in %, the criteria module in fractions.
            target = target / 100 if target is not None else None
            high = high / 100 if high is not None else None
        values = {
            "kind": self.kind.data,
            "measure": self.measure.data or None,
            "side": self.side.data or None,
            "comparison": self.comparison.data,
            "target": target,
            "target_high": high,
            "window_weeks": self.window_weeks.data,
            "prescription_id": int(self.prescription_id.data)
            if (self.prescription_id.data or "").isdigit()
            else None,
            "label": self.label.data,
        }
        self.cleaned, problems = rules.clean_criterion(values, hold_prescription_ids=self._hold_ids)
        for name, message in problems.items():
            getattr(self, name).errors.append(message)
        return not problems

    def load(self, criterion) -> None:
        factor = 100 if criterion.kind == "adherence" else 1
        self.kind.data = criterion.kind
        self.measure.data = criterion.measure or ""
        self.side.data = criterion.side or ""
        self.comparison.data = criterion.comparison
        self.target.data = (
            (criterion.target * factor).normalize() if criterion.target is not None else None
        )
        self.target_high.data = (
            (criterion.target_high * factor).normalize()
            if criterion.target_high is not None
            else None
        )
        self.window_weeks.data = criterion.window_weeks
        self.prescription_id.data = str(criterion.prescription_id or "")
        self.label.data = criterion.label


class TickForm(VersionForm):
    checked = BooleanField(_l("Ticked"))


class PrescriptionForm(VersionForm):
    """The full dose, the progression mode and the rule with its parameters."""

    sets = IntegerField(
        _l("Sets"),
        validators=[
            InputRequired(message=_l("Give the number of sets (1 to 20).")),
            NumberRange(min=1, max=20, message=_l("Give 1 to 20 sets.")),
        ],
    )
    dosage_type = SelectField(_l("Dosage"), choices=choices(DOSAGE_TYPES.items()))
    reps_min = IntegerField(
        _l("Repetitions, from"),
        description=_l("For a timed hold: how many holds per set."),
        validators=[Optional(), NumberRange(min=1, max=100)],
    )
    reps_max = IntegerField(
        _l("to"),
        description=_l("Leave empty for a fixed number; a range like 8–12 for double progression."),
        validators=[Optional(), NumberRange(min=1, max=100)],
    )
    hold_seconds = IntegerField(
        _l("Hold (seconds)"), validators=[Optional(), NumberRange(min=1, max=600)]
    )
    duration_minutes = DecimalField(
        _l("Duration (minutes)"),
        description=_l("E.g. 10, or 0.5 for 30 seconds."),
        validators=[Optional(), NumberRange(min=Decimal("0.1"), max=240)],
    )
    distance_m = IntegerField(
        _l("Distance (metres)"), validators=[Optional(), NumberRange(min=1, max=100000)]
    )
    load_kind = SelectField(_l("Load"), choices=choices(LOAD_KINDS.items()), default="bodyweight")
    load_kg = DecimalField(
        _l("Load in kg"),
        validators=[
            Optional(),
            NumberRange(
                min=0, max=500, message=_l("A load is 0 to 500 kg; it cannot be negative.")
            ),
        ],
        places=None,
    )
    band_colour = StringField(
        _l("Band colour or strength"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=30)],
    )
    effort_kind = SelectField(_l("Effort scale"), choices=choices(EFFORT_KINDS.items()))
    target_effort = DecimalField(
        _l("Target effort"),
        description=_l("0–10; RPE 7 ≈ 3 reps in reserve (Helms 2016)."),
        validators=[Optional(), NumberRange(min=0, max=10)],
    )
    rest_seconds = IntegerField(
        _l("Rest (seconds)"), validators=[Optional(), NumberRange(min=0, max=900)]
    )
    tempo = StringField(
        _l("Tempo"),
        description=_l("Seconds down-pause-up, e.g. 3-1-2."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=20)],
    )
    days_per_week = IntegerField(
        _l("Days per week"), validators=[Optional(), NumberRange(min=1, max=7)]
    )
    sides = SelectField(_l("Sides"), choices=choices(SIDES.items()), default="both")
    notes = TextAreaField(
        _l("Notes for the patient"),
        description=_l("Plain language; the patient reads this with the instructions."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000)],
    )
    session_label = SelectField(_l("Session day"), choices=[], validators=[Optional()])
    mode = RadioField(
        _l("Progression mode"),
        choices=choices(PROGRESSION_MODES.items()),
        default="pain_contingent",
    )
    rule_kind = SelectField(
        _l("Progression rule"), choices=choices(RULE_KINDS.items()), default="therapist_decides"
    )
    load_increment_kg = DecimalField(
        _l("Load step (kg)"),
        description=_l("The smallest step of the equipment, e.g. 2 for dumbbells."),
        validators=[Optional(), NumberRange(min=Decimal("0.01"), max=50)],
    )
    load_increment_pct = DecimalField(
        _l("Or add this % (optional)"),
        description=_l("Rounded to the load step, at least one step."),
        validators=[Optional(), NumberRange(min=Decimal("0.01"), max=50)],
    )
    seconds_per_week = IntegerField(
        _l("Seconds added per week"), validators=[Optional(), NumberRange(min=1, max=120)]
    )
    max_hold_seconds = IntegerField(
        _l("Longest hold (seconds)"),
        description=_l("Then the next step on the ladder."),
        validators=[Optional(), NumberRange(min=1, max=600)],
    )
    percent_per_week = DecimalField(
        _l("Load added per week (%)"),
        validators=[Optional(), NumberRange(min=Decimal("0.01"), max=50)],
    )
    minutes_per_week = IntegerField(
        _l("Minutes added per week"), validators=[Optional(), NumberRange(min=1, max=60)]
    )
    target_duration_minutes = IntegerField(
        _l("Target duration (minutes)"),
        description=_l("The duration stops growing here."),
        validators=[Optional(), NumberRange(min=1, max=240)],
    )
    reason = StringField(
        _l("Why does the dose change?"),
        description=_l("A short reason, kept in the prescription's history."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=200)],
    )
    submit = SubmitField(_l("Save the exercise"))

    def __init__(
        self,
        *args,
        rotation_labels=(),
        has_harder_step: bool | None = None,
        require_reason: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.rotation_labels = list(rotation_labels)
        self.session_label.choices = _optional_choice((label, label) for label in rotation_labels)
        self.has_harder_step = has_harder_step
        self.require_reason = require_reason
        self.cleaned: dict = {}

    def validate_reason(self, field) -> None:
        if self.require_reason and not field.data:
            raise ValidationError(_l("Say briefly why the dose changes."))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        minutes = self.duration_minutes.data
        values = {
            "sets": self.sets.data,
            "dosage_type": self.dosage_type.data,
            "reps_min": self.reps_min.data,
            "reps_max": self.reps_max.data,
            "hold_seconds": self.hold_seconds.data,
            "duration_seconds": int((minutes * 60).to_integral_value(ROUND_HALF_UP))
            if minutes is not None
            else None,
            "distance_m": self.distance_m.data,
            "load_kind": self.load_kind.data,
            "load_kg": self.load_kg.data,
            "band_colour": self.band_colour.data,
            "effort_kind": self.effort_kind.data,
            "target_effort": self.target_effort.data,
            "rest_seconds": self.rest_seconds.data,
            "tempo": self.tempo.data,
            "days_per_week": self.days_per_week.data,
            "sides": self.sides.data,
            "notes": self.notes.data,
            "mode": self.mode.data,
            "rule_kind": self.rule_kind.data,
            "load_increment_kg": self.load_increment_kg.data,
            "load_increment_pct": self.load_increment_pct.data,
            "seconds_per_week": self.seconds_per_week.data,
            "max_hold_seconds": self.max_hold_seconds.data,
            "percent_per_week": self.percent_per_week.data,
            "minutes_per_week": self.minutes_per_week.data,
            "target_duration_seconds": self.target_duration_minutes.data * 60
            if self.target_duration_minutes.data is not None
            else None,
            "session_label": self.session_label.data or None,
        }
        self.cleaned, problems = rules.clean_prescription(
            values, has_harder_step=self.has_harder_step, rotation_labels=self.rotation_labels
        )
        for name, message in problems.items():
            field = {
                "duration_seconds": "duration_minutes",
                "target_duration_seconds": "target_duration_minutes",
            }.get(name, name)
            getattr(self, field).errors.append(message)
        return not problems

    def load(self, source) -> None:
        """Fill from a prescription (its current dose) or an exercise (the library default)."""
        for name in (
            "sets", "dosage_type", "reps_min", "reps_max", "hold_seconds", "distance_m",
            "load_kind", "load_kg", "band_colour", "effort_kind", "target_effort",
            "rest_seconds", "tempo", "days_per_week", "sides", "notes", "mode", "rule_kind",
            "load_increment_kg", "load_increment_pct", "seconds_per_week", "max_hold_seconds",
            "percent_per_week", "session_label", "minutes_per_week",
        ):  # fmt: skip
            if hasattr(source, name):
                value = getattr(source, name)
                if isinstance(value, Decimal):
                    value = value.normalize()
                getattr(self, name).data = value
        seconds = getattr(source, "duration_seconds", None)
        self.duration_minutes.data = (
            (Decimal(seconds) / 60).quantize(Decimal("0.01")).normalize() if seconds else None
        )
        target = getattr(source, "target_duration_seconds", None)
        self.target_duration_minutes.data = target // 60 if target else None

    def load_exercise_defaults(self, exercise) -> None:
        """A new prescription starts at the library's suggested dose."""
        self.sets.data = exercise.sets
        self.dosage_type.data = exercise.dosage_type
        self.reps_min.data = exercise.reps
        self.hold_seconds.data = exercise.hold_seconds
        self.distance_m.data = exercise.distance_m
        self.rest_seconds.data = exercise.rest_seconds
        self.tempo.data = exercise.tempo
        self.sides.data = "each" if exercise.unilateral else "both"
        seconds = exercise.duration_seconds
        self.duration_minutes.data = (
            (Decimal(seconds) / 60).quantize(Decimal("0.01")).normalize() if seconds else None
        )
        if exercise.progression_id is not None:
            self.rule_kind.data = "ladder_step"


class ActivateForm(VersionForm):
    complete_previous = BooleanField(_l("Complete the patient's current programme"))


class CompleteForm(VersionForm):
    conclusion = TextAreaField(
        _l("Conclusion"),
        description=_l("For the report: where the patient stands now."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=5000)],
    )


class PhaseChangeForm(VersionForm):
    note = StringField(
        _l("Note"),
        description=_l("Why the phase changes, e.g. “criteria met, pain green”."),
        filters=[strip_filter],
        validators=[DataRequired(message=_l("Add a short note.")), Length(max=500)],
    )


class PickerForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = SearchField(_l("Search"), filters=[strip_filter], validators=[Optional(), Length(max=100)])
    category = SelectField(
        _l("Category"),
        choices=_optional_choice(EXERCISE_CATEGORIES.items(), _l("All categories")),
        validators=[Optional()],
    )
    region = SelectField(
        _l("Body region"),
        choices=_optional_choice(BODY_REGIONS.items(), _l("All regions")),
        validators=[Optional()],
    )
