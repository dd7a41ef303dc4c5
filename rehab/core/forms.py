"""Fields and validators shared by the forms of several areas."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import wtforms
from markupsafe import Markup
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import Select

from rehab.core.clock import local_today
from rehab.core.i18n import lazy_gettext as _l
from rehab.core.urls import MAX_ID
from rehab.core.widgets import quick_html_params

# The dates a clinic can mean: a birth date after 1900, nothing planned beyond 2199. Beyond
# these, date arithmetic overflows (the day after 9999-12-31) and so do time zones
# (midnight of 0001-01-01 in Amsterdam is before the first UTC instant Python can hold).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


class DateField(wtforms.DateField):
    """A calendar date from EARLIEST_DATE to LATEST_DATE; every form's dates are these.
    What is not a date gets our own translated sentence, not WTForms' English one."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a valid date.")) from None
        if self.data is not None and not EARLIEST_DATE <= self.data <= LATEST_DATE:
            self.data = None
            raise ValueError(
                _l(
                    "Enter a date between %(first)s and %(last)s.",
                    first=EARLIEST_DATE.year,
                    last=LATEST_DATE.year,
                )
            )


class DecimalField(wtforms.DecimalField):
    """A decimal number as people type it: "NaN", "sNaN", "Infinity" or 1e999 are refused as
    not a number, before any range check compares them (a signalling NaN raises there) or
    the database stores them."""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and (not self.data.is_finite() or abs(self.data) >= 10**15):
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


class NotInFuture:
    """A date that has already happened (a birth date, an assessment date, a logged session)."""

    def __init__(self, message=None):
        self.message = message or _l("This date lies in the future.")

    def __call__(self, form, field) -> None:
        if field.data is not None and field.data > local_today():
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


def error_summary(form) -> list[tuple[str, str, str]]:
    """(input id, label, message) of every error in ``form``, nested lists and forms included,
    for the summary above the form whose items link to their fields (WCAG 3.3.1)."""
    from wtforms.fields import FieldList, FormField

    found: list[tuple[str, str, str]] = []
    for message in getattr(form, "form_errors", []) or []:
        found.append(("", "", str(message)))
    for field in form:
        if isinstance(field, FieldList | FormField):
            entries = field.entries if isinstance(field, FieldList) else [field]
            for entry in entries:
                inner = entry.form if isinstance(entry, FormField) else None
                if inner is not None:
                    found += error_summary(inner)
                else:
                    label = str(entry.label.text)
                    found += [(entry.id, label, str(error)) for error in entry.errors]
            continue
        if field.type in {"CSRFTokenField", "HiddenField"}:
            found += [("", "", str(error)) for error in field.errors]
            continue
        label = getattr(field, "summary_label", None) or field.label.text
        found += [(field.id, str(label), str(error)) for error in field.errors]
    return found


class QuickSelect(Select):
    """WTForms' ``<select>``, byte for byte, with its options written once per list.

    WTForms writes every ``<option>`` through ``html_params`` and ``Markup.format``: the
    session form's two dozen 0–10 scales were a third of the patient's Today page (issue
    24). The same choices in the same language give the same options; only which one is
    chosen differs, so each option is kept written both ways. For lists of fixed choices
    without optgroups or per-option attributes; anything else is left to WTForms.
    """

    _written: ClassVar[dict[tuple, tuple[tuple[str, str], ...]]] = {}
    KEPT = 256  # distinct option lists (a scale in two languages is two)

    def __call__(self, field, **kwargs):
        found = list(field.iter_choices())
        if self.multiple or field.has_groups() or any(c.render_kw for c in found):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in self.validation_attrs:
            if key not in kwargs and getattr(flags, key, False):
                kwargs[key] = getattr(flags, key)
        written = self._options(tuple((c.value, c.label) for c in found))
        options = "".join(w[1] if c.selected else w[0] for c, w in zip(found, written, strict=True))
        # Both parts come escaped: quick_html_params escapes, and the options are WTForms' own.
        select = f"<select {quick_html_params(name=field.name, **kwargs)}>{options}</select>"
        return Markup(select)  # noqa: S704

    @classmethod
    def _options(cls, pairs: tuple) -> tuple[tuple[str, str], ...]:
        key = tuple((value, str(label)) for value, label in pairs)
        written = cls._written.get(key)
        if written is None:
            written = tuple(
                (
                    Select.render_option(Choice(value, label, False, None)),
                    Select.render_option(Choice(value, label, True, None)),
                )
                for value, label in key
            )
            if len(cls._written) >= cls.KEPT:
                cls._written.clear()
            cls._written[key] = written
        return written
