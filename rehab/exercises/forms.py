"""Forms of the exercise library: the browse filters and the exercise editor."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask_babel import get_locale
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from rehab.core.forms import choices, optional_int, optional_record_id, strip_filter
from rehab.core.i18n import gettext
from rehab.core.i18n import lazy_gettext as _l
from rehab.core.vocabulary import BODY_REGIONS, DOSAGE_TYPES, EQUIPMENT, EXERCISE_CATEGORIES
from rehab.exercises.pictures import MAX_BYTES, PictureProblem, read_picture
from rehab.exercises.services import DOSE_COLUMNS_BY_TYPE, LANGUAGES, TEXT_FIELDS
from rehab.figures.library import figure_names

TEMPO_RE = re.compile(r"^[0-9X]{1,2}(-[0-9X]{1,2}){2,3}$")
DIFFICULTY_LABELS = {
    1: _l("1 · very easy"),
    2: _l("2 · easy"),
    3: _l("3 · moderate"),
    4: _l("4 · hard"),
    5: _l("5 · very hard"),
}
TEXT_LIMIT = 4000
# Control characters (NUL above all: PostgreSQL refuses it in text) have no place in the
# library; line breaks and tabs in instructions do.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(form, field) -> None:
    if isinstance(field.data, str) and CONTROL_RE.search(field.data):
        raise ValidationError(_l("Remove the invisible control characters from this text."))


class MultiCheckboxField(SelectMultipleField):
    """A list of check boxes (rendered by the `field` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _with_blank(label, pairs):
    return choices([("", label), *pairs])


class BrowseForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = SearchField(
        _l("Search"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=100), no_control_characters],
    )
    category = SelectField(
        _l("Category"),
        choices=_with_blank(_l("All categories"), EXERCISE_CATEGORIES.items()),
        validators=[Optional()],
    )
    region = SelectField(
        _l("Body region"),
        choices=_with_blank(_l("All regions"), BODY_REGIONS.items()),
        validators=[Optional()],
    )
    equipment = SelectField(
        _l("Equipment"),
        choices=_with_blank(_l("Any equipment"), EQUIPMENT.items()),
        validators=[Optional()],
    )
    difficulty_min = SelectField(
        _l("Level from"),
        coerce=optional_int,
        choices=_with_blank("–", DIFFICULTY_LABELS.items()),
        validators=[Optional()],
    )
    difficulty_max = SelectField(
        _l("Level up to"),
        coerce=optional_int,
        choices=_with_blank("–", DIFFICULTY_LABELS.items()),
        validators=[Optional()],
    )
    archived = BooleanField(_l("Show archived exercises"))

    @property
    def active_filters(self) -> int:
        """How many filters are set (the phone layout opens the filter bar when any are)."""
        names = ("category", "region", "equipment", "difficulty_min", "difficulty_max", "archived")
        return sum(1 for name in names if getattr(self, name).data)


def _text(label, *, required=False, area=True, limit=TEXT_LIMIT):
    # DataRequired, not InputRequired: a name of only spaces is empty once stripped.
    first = DataRequired(message=_l("Fill in a name in this language.")) if required else Optional()
    validators = [first, Length(max=limit), no_control_characters]
    field_class = TextAreaField if area else StringField
    return field_class(label, filters=[strip_filter], validators=validators)


def _number(label, low, high, description=None, *, required=False):
    message = _l("Enter a whole number from %(min)s to %(max)s.")
    return IntegerField(
        label,
        description=description,
        validators=[
            InputRequired(
                message=_l("Enter a whole number from %(min)s to %(max)s.", min=low, max=high)
            )
            if required
            else Optional(),
            NumberRange(min=low, max=high, message=message),
        ],
    )


class ExerciseForm(FlaskForm):
    """Both languages side by side; the view fills the ladder choices with what the clinic sees."""

    name_nl = _text(_l("Name (Dutch)"), required=True, area=False, limit=120)
    name_en = _text(_l("Name (English)"), required=True, area=False, limit=120)
    starting_position_nl = _text(_l("Starting position (Dutch)"))
    starting_position_en = _text(_l("Starting position (English)"))
    execution_nl = _text(_l("Execution (Dutch)"))
    execution_en = _text(_l("Execution (English)"))
    common_mistakes_nl = _text(_l("Common mistakes (Dutch)"))
    common_mistakes_en = _text(_l("Common mistakes (English)"))
    feel_nl = _text(_l("What the patient should feel (Dutch)"))
    feel_en = _text(_l("What the patient should feel (English)"))
    caution_nl = _text(_l("Contraindications and caution (Dutch)"))
    caution_en = _text(_l("Contraindications and caution (English)"))

    category = SelectField(
        _l("Category"),
        choices=_with_blank(_l("— choose —"), EXERCISE_CATEGORIES.items()),
        validators=[InputRequired(message=_l("Choose a category."))],
        invalid_choice_message=_l("Choose a category from the list."),
    )
    difficulty = SelectField(
        _l("Level"),
        coerce=optional_int,
        choices=_with_blank(_l("— choose —"), DIFFICULTY_LABELS.items()),
        validators=[InputRequired(message=_l("Choose a level from 1 to 5."))],
        invalid_choice_message=_l("Choose a level from 1 to 5."),
        invalid_value_message=_l("Choose a level from 1 to 5."),
    )
    regions = MultiCheckboxField(
        _l("Body regions"),
        choices=choices(BODY_REGIONS.items()),
        invalid_choice_message=_l("Choose body regions from the list."),
    )
    equipment = MultiCheckboxField(
        _l("Equipment"),
        choices=choices(EQUIPMENT.items()),
        invalid_choice_message=_l("Choose equipment from the list."),
    )
    unilateral = BooleanField(_l("One side at a time (dose is per side)"))

    dosage_type = SelectField(
        _l("Counted as"),
        choices=_with_blank(_l("— choose —"), DOSAGE_TYPES.items()),
        validators=[InputRequired(message=_l("Choose how the dose is counted."))],
        invalid_choice_message=_l("Choose how the dose is counted."),
    )
    sets = _number(_l("Sets"), 1, 20, required=True)
    reps = _number(_l("Repetitions"), 1, 100, _l("For repetitions and timed holds."))
    hold_seconds = _number(_l("Hold (seconds)"), 1, 600)
    duration_seconds = _number(_l("Duration (seconds)"), 1, 14400)
    distance_m = _number(_l("Distance (metres)"), 1, 100000)
    rest_seconds = _number(_l("Rest between sets (seconds)"), 0, 900)
    tempo = StringField(
        _l("Tempo"),
        description=_l("Seconds down-pause-up, e.g. 3-1-1 (X = explosive)."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=20), no_control_characters],
    )

    regression_id = SelectField(
        _l("Easier exercise (step down)"),
        coerce=optional_record_id,
        invalid_choice_message=_l("Choose an exercise from your clinic's library."),
        invalid_value_message=_l("Choose an exercise from your clinic's library."),
    )
    progression_id = SelectField(
        _l("Harder exercise (step up)"),
        coerce=optional_record_id,
        invalid_choice_message=_l("Choose an exercise from your clinic's library."),
        invalid_value_message=_l("Choose an exercise from your clinic's library."),
    )

    video_url = URLField(
        _l("Video link"),
        description=_l("An https:// address, e.g. the clinic's own video."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=500), no_control_characters],
    )
    figure_slug = SelectField(
        _l("Drawn figure"),
        default="",
        description=_l("The drawing of a built-in exercise that this exercise shows."),
        invalid_choice_message=_l("Choose a drawn figure from the list."),
    )
    figure_mirrored = BooleanField(_l("Mirror the drawing (the other side works)"))
    figure_hidden = BooleanField(
        _l("Hide the drawing (it is unclear): show our own picture instead")
    )
    picture = FileField(_l("Picture"), description=_l("PNG, JPEG or WebP, at most 2 MB."))
    remove_picture = BooleanField(_l("Remove the current picture"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Every drawn built-in figure, named in the page's language (the view may narrow it).
        language = "en" if str(get_locale()) == "en" else "nl"
        self.set_figure_choices(figure_names(language))

    def set_figure_choices(self, names: list[tuple[str, str]]) -> None:
        """Offer every drawn built-in figure, (slug, name) sorted by name."""
        self.figure_slug.choices = [("", gettext("— none —")), *names]

    def set_ladder_choices(self, rows) -> None:
        """Offer ``rows`` (id, name, difficulty, category) in both pickers, by category."""
        order = list(EXERCISE_CATEGORIES)
        options = [SelectChoice("", gettext("— none —"))]
        options += [
            SelectChoice(
                str(row[0]),
                gettext("%(name)s (level %(level)s)", name=row[1], level=row[2]),
                optgroup=str(EXERCISE_CATEGORIES.get(row[3], row[3])),
            )
            for row in sorted(rows, key=lambda r: order.index(r[3]) if r[3] in order else 99)
        ]
        self.regression_id.choices = options
        self.progression_id.choices = list(options)

    # Only the numbers the chosen dose uses are required, and only they are kept.
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        needed = DOSE_COLUMNS_BY_TYPE.get(self.dosage_type.data or "", ())
        for name in needed:
            field = getattr(self, name)
            if field.data is None and not field.errors:
                field.errors.append(_l("Needed for this kind of dose."))
                valid = False
        if not self.regions.data and not self.regions.errors:
            self.regions.errors.append(_l("Choose at least one body region."))
            valid = False
        if "none" in (self.equipment.data or ()) and len(self.equipment.data) > 1:
            self.equipment.errors.append(_l('"No equipment" cannot be combined with equipment.'))
            valid = False
        if (
            self.progression_id.data is not None
            and self.progression_id.data == self.regression_id.data
            and not self.regression_id.errors
        ):
            self.regression_id.errors.append(
                _l("The easier and the harder exercise cannot be the same exercise.")
            )
            valid = False
        return valid

    def validate_tempo(self, field) -> None:
        if field.data and not TEMPO_RE.fullmatch(field.data.upper()):
            raise ValidationError(
                _l("Write the tempo as seconds per phase, e.g. 3-1-1 or 2-0-X-1.")
            )

    def validate_video_url(self, field) -> None:
        if not field.data:
            return
        parts = urlsplit(field.data)
        if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in field.data):
            raise ValidationError(_l("Only https:// links are accepted."))

    def validate_picture(self, field) -> None:
        """Open the upload with Pillow; the re-encoded picture waits in ``self.picture_data``."""
        self.picture_data = None
        upload = field.data
        if not upload or not getattr(upload, "filename", None):
            return
        content = upload.stream.read(MAX_BYTES + 1)
        try:
            self.picture_data = read_picture(content)
        except PictureProblem as problem:
            if problem.code == "too_large":
                raise ValidationError(_l("The picture is larger than 2 MB.")) from None
            if problem.code == "too_many_pixels":
                raise ValidationError(
                    _l("The picture has too many pixels: at most 4000 × 4000. Make it smaller "
                       "first (a phone's “medium” size is plenty).")
                ) from None  # fmt: skip
            raise ValidationError(_l("This file is not a PNG, JPEG or WebP picture.")) from None

    def exercise_data(self) -> dict:
        """The values for services.save_exercise."""
        data = {
            f"{key}_{lang}": getattr(self, f"{key}_{lang}").data or ""
            for key in TEXT_FIELDS
            for lang in LANGUAGES
        }
        for name in (
            "category", "difficulty", "dosage_type", "sets", "reps", "hold_seconds",
            "duration_seconds", "distance_m", "rest_seconds", "unilateral", "video_url",
            "progression_id", "regression_id",
        ):  # fmt: skip
            data[name] = getattr(self, name).data
        data["tempo"] = self.tempo.data.upper() if self.tempo.data else None
        data["regions"] = list(self.regions.data or [])
        data["equipment"] = list(self.equipment.data or [])
        data["picture"] = getattr(self, "picture_data", None)
        data["remove_picture"] = bool(self.remove_picture.data)
        data["figure_slug"] = self.figure_slug.data or None
        data["figure_mirrored"] = bool(self.figure_mirrored.data)
        data["figure_hidden"] = bool(self.figure_hidden.data)
        return data
