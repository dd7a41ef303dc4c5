"""Validators shared by the forms of several areas."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError


class NotInFuture:
    """A date that has already happened (a birth date, an assessment date, a logged session)."""

    def __init__(self, message=None):
        self.message = message or _l("This date lies in the future.")

    def __call__(self, form, field) -> None:
        if field.data is not None and field.data > dt.date.today():
            raise ValidationError(self.message)


class NotBefore:
    def __init__(self, earliest: dt.date, message=None):
        self.earliest = earliest
        self.message = message or _l("This date is too far in the past.")

    def __call__(self, form, field) -> None:
        if field.data is not None and field.data < self.earliest:
            raise ValidationError(self.message)


def strip_filter(value):
    """Trim surrounding white space; an empty text becomes None (stored as NULL)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def choices(pairs) -> list[SelectChoice]:
    """WTForms ≥ 3.3 options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
