"""Validators shared by the forms of several areas."""

from __future__ import annotations

import datetime as dt

from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from rehab.core.i18n import lazy_gettext as _l
from rehab.core.urls import MAX_ID


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


def optional_int(value) -> int | None:
    """A select's value as a whole number; the empty option is None."""
    if value is None or value in ("", "None"):
        return None
    return int(value)


def record_id(value) -> int:
    """A select's value as a row id: a whole number the database can hold (1 … 2³¹ − 1).

    Used as ``coerce`` for id pickers: a forged enormous id fails as an invalid choice instead
    of reaching a query (SQLite refuses integers beyond 64 bits).
    """
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError("not a row id")
    return number


def optional_record_id(value) -> int | None:
    """``record_id`` with the empty option as None."""
    if value is None or value in ("", "None"):
        return None
    return record_id(value)
