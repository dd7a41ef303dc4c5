"""QuickSelect writes the same <select> as WTForms, byte for byte, whatever the choices,
labels, chosen value, attributes and errors (property test against WTForms itself)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField
from wtforms.widgets import Select

from rehab.core.forms import QuickSelect, choices

# Values and labels with what HTML must escape (&, <, >, ", ') and non-ASCII (é, ĳ, –).
TEXT = st.text(alphabet=st.sampled_from("ab1 &<>\"'é–ĳ"), max_size=8)
PAIRS = st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=12, unique_by=lambda p: p[0])
ATTRIBUTES = st.dictionaries(
    st.sampled_from(["class_", "aria_invalid", "aria_describedby", "data_scale", "disabled"]),
    st.one_of(TEXT, st.booleans()),
    max_size=4,
)


def _forms(pairs):
    class Plain(Form):
        scale = SelectField("Scale", choices=choices(pairs))

    class Quick(Form):
        scale = SelectField("Scale", choices=choices(pairs), widget=QuickSelect())

    return Plain, Quick


@settings(max_examples=200, deadline=None)
@given(PAIRS, st.data(), ATTRIBUTES)
def test_quick_select_writes_what_wtforms_writes(pairs, data, attributes):
    chosen = data.draw(st.sampled_from([value for value, _ in pairs] + ["not-a-choice"]))
    plain_form, quick_form = _forms(pairs)
    plain = plain_form(MultiDict({"scale": chosen}))
    quick = quick_form(MultiDict({"scale": chosen}))
    assert plain.validate() == quick.validate()
    written = quick.scale(**attributes)
    assert isinstance(written, Markup)
    assert str(written) == str(plain.scale(**attributes))
    assert written.count(" selected ") == (1 if chosen != "not-a-choice" else 0)


def test_the_chosen_value_differs_between_two_forms_with_the_same_options():
    """Options are kept written per list of choices; the chosen one is the form's own."""
    pairs = [(str(n), str(n)) for n in range(11)]
    _plain, quick_form = _forms(pairs)
    three = str(quick_form(MultiDict({"scale": "3"})).scale())
    seven = str(quick_form(MultiDict({"scale": "7"})).scale())
    assert '<option selected value="3">3</option>' in three
    assert '<option selected value="3">' not in seven
    assert '<option selected value="7">7</option>' in seven


def test_per_option_attributes_are_left_to_wtforms():
    from wtforms.fields.choices import SelectChoice

    class WithAttributes(Form):
        scale = SelectField(
            "Scale",
            choices=[SelectChoice("1", "one", render_kw={"data_x": "y"}), SelectChoice("2", "two")],
            widget=QuickSelect(),
        )

    class Plain(Form):
        scale = SelectField(
            "Scale",
            choices=[SelectChoice("1", "one", render_kw={"data_x": "y"}), SelectChoice("2", "two")],
            widget=Select(),
        )

    assert str(WithAttributes().scale()) == str(Plain().scale())
    assert 'data-x="y"' in str(WithAttributes().scale())
