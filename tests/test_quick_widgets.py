"""The quick input widgets write what WTForms writes, byte for byte (property tests against
WTForms itself): attributes with what HTML must escape, Markup values, True and False, and
the fields of the session form as the patient fills them in."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DecimalField, Form, HiddenField, IntegerField, RadioField
from wtforms.widgets import html_params

from rehab.core import widgets
from rehab.core.forms import choices
from rehab.core.widgets import quick_html_params

# Text with what HTML must escape (&, <, >, ", ') and non-ASCII (é, ĳ, –).
TEXT = st.text(alphabet=st.sampled_from("ab1 &<>\"'é–ĳ"), max_size=8)
NAMES = st.sampled_from(
    ["class_", "for_", "id", "name", "value", "data_prescribed", "aria_describedby", "min", "a<b"]
)
VALUES = st.one_of(
    TEXT,
    TEXT.map(Markup),  # already safe: left as it is, except that " becomes &quot;
    st.booleans(),
    st.none(),
    st.integers(-5, 500),
    st.decimals(0, 500, places=2),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(NAMES, VALUES, max_size=6))
def test_quick_params_write_what_wtforms_writes(attributes):
    assert quick_html_params(**attributes) == html_params(**attributes)
    assert isinstance(quick_html_params(**attributes), Markup)


def test_a_known_input():
    written = quick_html_params(
        name="exercises-0-sets", class_="form-control", value=3, checked=True, disabled=False,
        data_prescribed='3 "sets"', title=Markup('<b title="x">'),
    )  # fmt: skip
    assert written == (
        'checked class="form-control" data-prescribed="3 &#34;sets&#34;" '
        'name="exercises-0-sets" title="<b title=&quot;x&quot;>" value="3"'
    )


def _form(quick: bool):
    def widget(plain, fast):
        return {"widget": fast} if quick else {"widget": plain}

    from wtforms import widgets as plain

    class Entry(Form):
        prescription_id = HiddenField(**widget(plain.HiddenInput(), widgets.HiddenInput()))
        done = BooleanField("Done", **widget(plain.CheckboxInput(), widgets.CheckboxInput()))
        sets = IntegerField(
            "Sets", render_kw={"min": 0, "max": 20},
            **widget(plain.NumberInput(), widgets.NumberInput()),
        )  # fmt: skip
        load = DecimalField(
            "Weight", render_kw={"step": "0.5"},
            **widget(plain.NumberInput(step="any"), widgets.NumberInput(step="any")),
        )  # fmt: skip
        feel = RadioField(
            "Feel",
            choices=choices(
                [("", "About right"), ("too_hard", "Too hard"), ("too_easy", 'Too "ea"')]
            ),
            **({"option_widget": widgets.RadioInput()} if quick else {}),
        )

    return Entry


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "prescription_id": TEXT,
            "done": st.sampled_from(["", "y"]),
            "sets": st.one_of(TEXT, st.integers(-3, 30).map(str)),
            "load": st.one_of(TEXT, st.decimals(0, 50, places=1).map(str)),
            "feel": st.sampled_from(["", "too_hard", "too_easy", "x"]),
        }
    ),
    st.dictionaries(st.sampled_from(["class_", "aria_invalid", "data_x"]), TEXT, max_size=2),
)
def test_the_session_forms_fields_are_written_as_wtforms_writes_them(typed, attributes):
    plain, quick = _form(False)(MultiDict(typed)), _form(True)(MultiDict(typed))
    plain.validate(), quick.validate()
    for name in ("prescription_id", "done", "sets", "load"):
        assert quick[name](**attributes) == plain[name](**attributes), name
    for mine, theirs in zip(quick.feel, plain.feel, strict=True):
        assert mine(**attributes) == theirs(**attributes)


def test_decimal_values_print_as_typed():
    form = _form(True)(MultiDict({"load": "12.5"}))
    assert 'value="12.5"' in form.load() and Decimal("12.5") == form.load.data
