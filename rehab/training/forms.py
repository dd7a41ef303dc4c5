"""Forms for logging a session, the daily check-in, and the therapist's decisions.

Each bound mirrors a CHECK constraint of rehab.training.models, so that the form says in
words what the database would refuse.
"""

from __future__ import annotations

import datetime as dt
import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from rehab.core import widgets
from rehab.core.clock import local_today
from rehab.core.forms import (
    DateField,
    DecimalField,
    QuickSelect,
    choices,
    optional_int,
    strip_filter,
)
from rehab.core.i18n import lazy_gettext as _l
from rehab.training.models import EXERCISE_FEELS, SLEEP_QUALITIES

DAYS_BACK = 7  # sessions and check-ins may be logged up to a week late, never ahead

# Foster's modified CR-10 scale (Foster 2001) with its verbal anchors, the words patients rate
# by (domain.md §10); 6, 8 and 9 have none.
CR10_WORDS = {
    0: _l("Rest"),
    1: _l("Very, very easy"),
    2: _l("Easy"),
    3: _l("Moderate"),
    4: _l("Somewhat hard"),
    5: _l("Hard"),
    7: _l("Very hard"),
    10: _l("Maximal"),
}

# The numeric pain rating scale's anchors (NPRS 0–10).
PAIN_WORDS = {0: _l("no pain"), 10: _l("worst pain imaginable")}

SKIP_REASONS = {
    "pain": _l("Too painful"),
    "time": _l("No time"),
    "equipment": _l("No equipment at hand"),
    "unclear": _l("Not sure how to do it"),
    "tired": _l("Too tired or ill"),
    "other": _l("Other reason"),
}

FEEL_LABELS = {
    "too_hard": _l("Too hard"),
    "too_easy": _l("Too easy"),
}
assert set(FEEL_LABELS) == set(EXERCISE_FEELS)

SLEEP_LABELS = {
    "good": _l("Well"),
    "fair": _l("Fairly well"),
    "poor": _l("Badly"),
}
assert set(SLEEP_LABELS) == set(SLEEP_QUALITIES)

_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _scale(words: dict | None = None, blank: str | None = None):
    pairs = [("", blank)] if blank is not None else []
    for n in range(11):
        word = (words or {}).get(n)
        pairs.append((str(n), f"{n} – {word}" if word else str(n)))
    return choices(pairs)


def pain_choices():
    return _scale(PAIN_WORDS, blank="–")


def cr10_choices():
    return _scale(CR10_WORDS, blank=_l("— choose —"))


def effort_choices():
    return _scale(blank="–")


class WithinLoggingWindow:
    """Today or up to 7 days back, in the clinic's calendar (``form.today``)."""

    def __call__(self, form, field) -> None:
        today = getattr(form, "today", None) or local_today()
        if field.data is None:
            return
        if field.data > today:
            raise ValidationError(_l("This date lies in the future. Log what you have done."))
        if field.data < today - dt.timedelta(days=DAYS_BACK):
            raise ValidationError(
                _l(
                    "You can log up to %(days)s days back. Tell your therapist about earlier days.",
                    days=DAYS_BACK,
                )
            )


def _count(label, maximum: int, *, description=None):
    message = _l("Enter a whole number from 0 to %(max)s.", max=maximum)
    return IntegerField(
        label,
        description=description,
        validators=[Optional(), NumberRange(min=0, max=maximum, message=message)],
        render_kw={"inputmode": "numeric", "min": 0, "max": maximum},
        widget=widgets.NumberInput(),
    )


class ExerciseEntryForm(Form):
    """One exercise of the session (no CSRF of its own: it is part of the session form)."""

    prescription_id = HiddenField(validators=[InputRequired()], widget=widgets.HiddenInput())
    as_prescribed = BooleanField(_l("Done as prescribed"), widget=widgets.CheckboxInput())
    skipped = BooleanField(_l("Skipped"), widget=widgets.CheckboxInput())
    skip_reason = SelectField(
        _l("Why skipped?"),
        widget=QuickSelect(),
        choices=choices([("", "–"), *SKIP_REASONS.items()]),
        validators=[Optional()],
        invalid_choice_message=_l("Choose one of the reasons."),
    )
    sets = _count(_l("Sets"), 20)
    reps = _count(_l("Reps per set"), 100)
    hold_seconds = _count(_l("Seconds per hold"), 600)
    duration_minutes = _count(_l("Minutes"), 240)
    duration_seconds = _count(_l("Seconds"), 14400)
    distance_m = _count(_l("Metres"), 100000)
    load_kg = DecimalField(
        _l("Weight (kg)"),
        places=2,
        validators=[
            Optional(),
            NumberRange(min=0, max=500, message=_l("Enter a weight from 0 to 500 kg.")),
        ],
        render_kw={"inputmode": "decimal", "step": "0.5", "min": 0, "max": 500},
        widget=widgets.NumberInput(step="any"),
    )
    pain_during = SelectField(
        _l("Pain during (0–10)"),
        widget=QuickSelect(),
        coerce=optional_int,
        choices=pain_choices,
        invalid_value_message=_l("Pain is a number from 0 to 10."),
        invalid_choice_message=_l("Pain is a number from 0 to 10."),
    )
    effort = SelectField(
        _l("Effort"),
        widget=QuickSelect(),
        coerce=optional_int,
        choices=effort_choices,
        invalid_value_message=_l("Effort is a number from 0 to 10."),
        invalid_choice_message=_l("Effort is a number from 0 to 10."),
    )
    feel = RadioField(
        _l("How did it feel?"),
        choices=lambda: choices([("", _l("About right")), *FEEL_LABELS.items()]),
        option_widget=widgets.RadioInput(),
        default="",
        validators=[Optional()],
        invalid_choice_message=_l("Choose too hard, too easy or about right."),
    )

    AMOUNT_FIELDS = ("sets", "reps", "hold_seconds", "duration_minutes", "duration_seconds",
                     "distance_m", "load_kg")  # fmt: skip

    @property
    def is_blank(self) -> bool:
        """Nothing ticked or entered: the exercise was not logged."""
        return not (
            self.as_prescribed.data
            or self.skipped.data
            or any(getattr(self, name).data is not None for name in self.AMOUNT_FIELDS)
            or self.pain_during.data is not None
            or self.effort.data is not None
            or bool(self.feel.data)
        )

    def validate_prescription_id(self, field) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError(_l("This exercise is not in your programme."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_blank:
            return valid
        if self.skipped.data:
            if not self.skip_reason.data:
                self.skip_reason.errors = [_l("Choose why you skipped it.")]
                valid = False
        elif not self.as_prescribed.data and self.sets.data is None and not self.sets.errors:
            self.sets.errors = [_l("Enter the sets you did, or tick “done as prescribed”.")]
            valid = False
        return valid


class LogSessionForm(FlaskForm):
    today: dt.date | None = None
    allowed_ids: set[int] = frozenset()  # the prescriptions this patient may log now

    submission_key = HiddenField(validators=[InputRequired()])
    session_date = DateField(
        _l("Date"), validators=[InputRequired(_l("Enter the date.")), WithinLoggingWindow()]
    )
    exercises = FieldList(FormField(ExerciseEntryForm), max_entries=40)
    pain_during = SelectField(
        _l("Pain during the exercises"),
        widget=QuickSelect(),
        description=_l("0 = no pain, 10 = worst pain imaginable"),
        coerce=optional_int,
        choices=pain_choices,
        invalid_value_message=_l("Pain is a number from 0 to 10."),
        invalid_choice_message=_l("Pain is a number from 0 to 10."),
    )
    duration_minutes = IntegerField(
        _l("Minutes"),
        validators=[
            InputRequired(_l("Enter how many minutes the session took.")),
            NumberRange(min=1, max=600, message=_l("Enter a number of minutes from 1 to 600.")),
        ],
        render_kw={"inputmode": "numeric", "min": 1, "max": 600},
    )
    session_rpe = SelectField(
        _l("How hard was it?"),
        widget=QuickSelect(),
        description=_l("The whole session, as it feels now (0 = rest, 10 = maximal)."),
        coerce=optional_int,
        choices=cr10_choices,
        validators=[InputRequired(_l("Choose how hard the session was."))],
        invalid_value_message=_l("Choose a number from 0 to 10."),
        invalid_choice_message=_l("Choose a number from 0 to 10."),
    )
    pain_after = SelectField(
        _l("Pain afterwards (0–10)"),
        widget=QuickSelect(),
        coerce=optional_int,
        choices=pain_choices,
        invalid_value_message=_l("Pain is a number from 0 to 10."),
        invalid_choice_message=_l("Pain is a number from 0 to 10."),
    )
    note = TextAreaField(
        _l("Note for your therapist"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Save session"))

    def validate_submission_key(self, field) -> None:
        if not _KEY.match(field.data or ""):
            raise ValidationError(_l("This form is incomplete. Reload the page and try again."))

    def validate_session_rpe(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose how hard the session was."))

    def validate_pain_during(self, field) -> None:
        # The pain-monitoring model needs pain during each exercise done (domain.md §3): one
        # answer for the session does, unless every exercise done has its own.
        done = [
            entry.form
            for entry in self.exercises.entries
            if not entry.form.is_blank and not entry.form.skipped.data
        ]
        if field.data is None and any(f.pain_during.data is None for f in done):
            raise ValidationError(
                _l("Choose how much pain you had during the exercises (0 = no pain).")
            )

    def validate_exercises(self, field) -> None:
        logged = [entry.form for entry in field.entries if not entry.form.is_blank]
        if not logged:
            raise ValidationError(
                _l("Tick at least one exercise as done (or skipped), or enter what you did.")
            )
        ids = [entry.prescription_id.data or "" for entry in logged]
        foreign = [pid for pid in ids if not pid.isdigit() or int(pid) not in self.allowed_ids]
        if foreign or len(set(ids)) != len(ids):
            raise ValidationError(_l("This exercise is not in your programme."))


class CheckInForm(FlaskForm):
    today: dt.date | None = None

    check_date = DateField(
        _l("Date"), validators=[InputRequired(_l("Enter the date.")), WithinLoggingWindow()]
    )
    morning_pain = SelectField(
        _l("Pain this morning (0–10)"),
        widget=QuickSelect(),
        coerce=optional_int,
        choices=lambda: _scale(PAIN_WORDS, blank=_l("— choose —")),
        validators=[InputRequired(_l("Choose your pain this morning."))],
        invalid_value_message=_l("Pain is a number from 0 to 10."),
        invalid_choice_message=_l("Pain is a number from 0 to 10."),
    )
    stiffness_minutes = IntegerField(
        _l("Morning stiffness (minutes)"),
        description=_l("How long it took this morning until you moved freely; 0 if not stiff."),
        validators=[
            InputRequired(_l("Enter the minutes (0 if you were not stiff).")),
            NumberRange(min=0, max=1440, message=_l("Enter a number of minutes from 0 to 1440.")),
        ],
        render_kw={"inputmode": "numeric", "min": 0, "max": 1440},
    )
    sleep_quality = RadioField(
        _l("How did you sleep?"),
        choices=lambda: choices(SLEEP_LABELS.items()),
        validators=[InputRequired(_l("Choose how you slept."))],
        invalid_choice_message=_l("Choose how you slept: well, fairly well or badly."),
    )
    worse_than_yesterday = RadioField(
        _l("Is the pain worse than yesterday?"),
        choices=lambda: choices([("no", _l("No")), ("yes", _l("Yes"))]),
        validators=[InputRequired(_l("Answer yes or no."))],
        invalid_choice_message=_l("Answer yes or no."),
    )
    # Warning signs (domain.md §5, §8): each yes shows the clinic's safety-net advice.
    leg_pain_spreading = BooleanField(_l("Pain spreading into a leg"))
    numbness = BooleanField(_l("Numbness or tingling (in a leg, a foot or between the legs)"))
    bladder_bowel = BooleanField(_l("Changes in passing urine or stools"))
    note = TextAreaField(
        _l("Note for your therapist"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Save check-in"))

    def validate_morning_pain(self, field) -> None:
        if field.data is None:  # "" passed InputRequired only if sent as a blank choice
            raise ValidationError(_l("Choose your pain this morning."))


class DismissForm(FlaskForm):
    note = StringField(
        _l("Note (optional)"), filters=[strip_filter], validators=[Optional(), Length(max=500)]
    )


class AcknowledgeForm(FlaskForm):
    note = StringField(
        _l("Note (optional)"), filters=[strip_filter], validators=[Optional(), Length(max=500)]
    )


class DecisionForm(FlaskForm):
    """Accepting or dismissing a suggestion, with an optional note; the note also goes with
    the alerts the decision resolves."""

    note = StringField(
        _l("Note (optional)"), filters=[strip_filter], validators=[Optional(), Length(max=500)]
    )
