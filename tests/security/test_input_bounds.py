"""The roots of the input 500s an attack test found: numbers that are not numbers, dates
outside any calendar a clinic uses, integers beyond the database's, redirect targets with
control characters, and query-string keywords passed on to ``url_for``.

The shared fields (rehab.core.forms) refuse them; a walk over every form class of the app
checks that every form uses those fields, so a new form cannot bring the 500 back.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
import unicodedata
from decimal import Decimal

import pytest
import wtforms
from flask import url_for
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField
from wtforms.validators import NumberRange

import rehab
from rehab.core import forms as core_forms
from rehab.core.pages import filter_args
from rehab.core.urls import safe_next
from tests.auth.factories import log_in


class Numbers(wtforms.Form):
    load = core_forms.DecimalField(validators=[NumberRange(min=0, max=500)])
    day = core_forms.DateField()


@pytest.mark.parametrize(
    "typed", ["NaN", "nan", "-NaN", "sNaN", "-sNaN", "Infinity", "-inf", "1e999", "1E15"]
)
def test_a_decimal_field_refuses_what_is_not_a_finite_number(app, typed):
    form = Numbers(MultiDict({"load": typed}))
    assert not form.validate()  # no InvalidOperation from the range check
    assert form.load.data is None and form.load.errors


@pytest.mark.parametrize(("typed", "value"), [("0", Decimal(0)), ("12.5", Decimal("12.5"))])
def test_a_decimal_field_keeps_ordinary_numbers(app, typed, value):
    form = Numbers(MultiDict({"load": typed, "day": "2024-05-01"}))
    assert form.validate() and form.load.data == value


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9999-12-31", "Vul een datum in tussen 1900 en 2199."),
        ("0001-01-01", "Vul een datum in tussen 1900 en 2199."),
        ("1899-12-31", "Vul een datum in tussen 1900 en 2199."),
        ("2024-02-30", "Vul een geldige datum in."),
        ("morgen", "Vul een geldige datum in."),
    ],
)
def test_a_date_field_refuses_dates_outside_the_clinic_calendar(app, typed, message):
    with app.test_request_context():
        form = Numbers(MultiDict({"day": typed}))
        assert not form.validate()
        assert form.day.data is None and [str(e) for e in form.day.errors] == [message]


@pytest.mark.parametrize("typed", ["1900-01-01", "2199-12-31"])
def test_a_date_field_accepts_its_bounds(app, typed):
    assert Numbers(MultiDict({"day": typed})).day.data == dt.date.fromisoformat(typed)


# --- every form of the app uses them ----------------------------------------------------------


def _form_classes() -> list[type]:
    found = set()
    for info in pkgutil.walk_packages(rehab.__path__, "rehab."):
        if not re.search(r"forms$", info.name):
            continue
        module = importlib.import_module(info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, wtforms.Form) and value.__module__ == module.__name__:
                found.add(value)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__name__}")


def _fields(form_class):
    for name in dir(form_class):
        value = getattr(form_class, name, None)
        if isinstance(value, UnboundField):
            yield name, value


FORMS = _form_classes()


def test_the_walk_finds_the_forms():
    names = {c.__name__ for c in FORMS}
    assert {"ExerciseEntryForm", "PrescriptionForm", "AuditFilterForm", "CheckInForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: c.__name__)
def test_every_number_and_date_field_is_bounded(form_class):
    for name, field in _fields(form_class):
        kind = field.field_class
        where = f"{form_class.__name__}.{name}"
        if issubclass(kind, wtforms.DecimalField | wtforms.FloatField):
            assert issubclass(kind, core_forms.DecimalField), f"{where}: not a finite decimal"
        if issubclass(kind, wtforms.DateField | wtforms.DateTimeField):
            assert issubclass(kind, core_forms.DateField), f"{where}: an unbounded date"
        if issubclass(kind, wtforms.IntegerField):
            validators = field.kwargs.get("validators") or ()
            ranges = [v for v in validators if isinstance(v, NumberRange)]
            assert ranges and all(r.min is not None and r.max is not None for r in ranges), (
                f"{where}: an integer without bounds reaches the database"
            )


# --- redirect targets ------------------------------------------------------------------------


CONTROL_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


@given(st.text(min_size=1, max_size=40))
def test_safe_next_returns_only_local_paths_without_control_characters(text):
    target = "/" + text
    result = safe_next(target)
    if result is not None:
        assert result == target and not result.startswith("//") and "\\" not in result
        assert not any(unicodedata.category(c) in CONTROL_CATEGORIES for c in result)


@pytest.mark.parametrize(
    "target", ["/patients/\r\nSet-Cookie: x=1", "/\t/evil.example", "/a\x00b", "/a\u2028b"]
)
def test_safe_next_refuses_control_characters(target):
    assert safe_next(target) is None


def test_a_next_with_a_line_break_logs_in_and_lands_home(client, world):
    """It signed the user in and then failed with a 500 while writing the Location header."""
    response = log_in(
        client, world.therapist.email, query_string={"next": "/patients/\r\nSet-Cookie: a=b"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/patients/"
    assert "a=b" not in response.headers.get("Set-Cookie", "")


def test_the_language_switch_and_the_re_authentication_refuse_such_targets(client_for, world):
    therapist = client_for("therapist")
    switched = therapist.post("/language", data={"language": "en", "next": "/\t/evil.example"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/"
    confirmed = therapist.post(
        "/account/confirm",
        query_string={"next": "/account\r\nX: 1"},
        data={"password": "correct horse battery staple"},
    )
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/account"


# --- page links --------------------------------------------------------------------------------


class Filter(wtforms.Form):
    q = wtforms.StringField()
    region = wtforms.SelectMultipleField(
        choices=core_forms.choices([("hip", "hip"), ("knee", "knee")])
    )


def test_page_links_carry_only_the_lists_own_filters(app, world, client_for):
    with app.test_request_context(
        "/exercises/?q=brug&region=hip&region=knee&_method=POST&endpoint=x&_external=1&page=2"
    ):
        from flask import request

        form = Filter(request.args)
        filters = filter_args(form)
        assert filters == {"q": ["brug"], "region": ["hip", "knee"]}
        link = app.jinja_env.globals["page_url"](3, filters)
        assert link == url_for("exercises.index", q="brug", region=["hip", "knee"], page=3)
        assert "_method" not in link and "endpoint" not in link and "external" not in link


def test_a_form_set_aside_as_invalid_carries_no_filters(app):
    with app.test_request_context("/"):
        assert filter_args(Filter(formdata=None)) == {}
