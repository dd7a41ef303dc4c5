"""The export forms: one progress report, and a batch of them for the clinic."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from rehab.core.forms import DateField, choices, strip_filter
from rehab.core.i18n import lazy_gettext as _l

# A report covers at most two years: longer periods make unreadable charts and slow prints.
MAX_PERIOD_DAYS = 731
CONCLUSION_MAX = 4000

LANGUAGE_CHOICES = (
    ("patient", _l("The patient's language")),
    ("clinic", _l("The clinic's language")),
)
FORMAT_CHOICES = (
    ("pdf", _l("One PDF with a cover page and a table of contents")),
    ("zip", _l("A ZIP file with one PDF per patient (accessible)")),
)
SCOPE_CHOICES = (
    ("mine", _l("My patients")),
    ("clinic", _l("All patients of the clinic")),
)


class PeriodForm(FlaskForm):
    """A period (start and end date, at most two years, not in the future) and a language."""

    start = DateField(
        _l("From"),
        validators=[InputRequired(_l("Enter the first day of the period."))],
        format="%Y-%m-%d",
    )
    end = DateField(
        _l("Until"),
        validators=[InputRequired(_l("Enter the last day of the period."))],
        format="%Y-%m-%d",
    )
    language = RadioField(
        _l("Language of the report"),
        choices=choices(LANGUAGE_CHOICES),
        default="patient",
        validators=[InputRequired(_l("Choose the language of the report."))],
        invalid_choice_message=_l("Choose the language of the report."),
    )
    today: dt.date | None = None  # the clinic's today, set by the view

    def validate_start(self, field) -> None:
        if field.data is not None and field.data.year < 2000:
            raise ValidationError(_l("This date is too far in the past."))

    def validate_end(self, field) -> None:
        start, end = self.start.data, field.data
        if end is None:
            return
        if self.today is not None and end > self.today:
            raise ValidationError(_l("The period cannot end in the future."))
        if start is None:
            return
        if end < start:
            raise ValidationError(_l("The end of the period lies before its start."))
        if (end - start).days + 1 > MAX_PERIOD_DAYS:
            raise ValidationError(_l("A report covers at most two years: choose a shorter period."))


class ProgressReportForm(PeriodForm):
    conclusion = TextAreaField(
        _l("Conclusion"),
        description=_l("Your conclusion and advice, printed at the end of the report."),
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(
                max=CONCLUSION_MAX,
                message=_l("Keep the conclusion to at most %(max)d characters."),
            ),
        ],
        render_kw={"rows": 6, "maxlength": CONCLUSION_MAX},
    )
    submit = SubmitField(_l("Make the PDF"))


class BatchPrintForm(PeriodForm):
    scope = SelectField(
        _l("Whose reports"),
        choices=choices(SCOPE_CHOICES),
        default="mine",
        validators=[InputRequired(_l("Choose whose reports to print."))],
        invalid_choice_message=_l("Choose whose reports to print."),
    )
    file_format = RadioField(
        _l("File"),
        choices=choices(FORMAT_CHOICES),
        default="pdf",
        # Putting the reports together keeps their pages and bookmarks, not their tags.
        description=_l(
            "For a screen reader, choose the ZIP file: each report in it is a tagged PDF "
            "(PDF/UA) with its reading order and headings. The single PDF has the pages and "
            "bookmarks, but not those tags."
        ),
        validators=[InputRequired(_l("Choose the kind of file."))],
        invalid_choice_message=_l("Choose the kind of file."),
    )
    submit = SubmitField(_l("Start printing"))
