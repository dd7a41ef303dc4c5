"""Property tests for the prescription form: whatever a therapist types, the form either
accepts a dose the engine and the database accept, or names a field that is wrong."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from rehab.extensions import db
from rehab.programmes.forms import PrescriptionForm
from rehab.programmes.models import Prescription
from rehab.programmes.rules import engine_dose, engine_rule
from tests.factories import make_exercise
from tests.programmes.factories import build_programme


def _mostly(valid, invalid):
    # Nine in ten plausible: many examples pass and reach the database; the rest are
    # out of range, negative, empty or not a number.
    return st.integers(min_value=0, max_value=9).flatmap(lambda n: invalid if n == 0 else valid)


def _int(low, high):
    bad = st.one_of(st.none(), st.just("x"), st.integers(min_value=-5, max_value=700).map(str))
    return _mostly(st.integers(min_value=low, max_value=high).map(str), bad)


def _dec(low, high):
    bad = st.one_of(
        st.none(), st.just("1,5"), st.decimals(min_value=-10, max_value=600, places=2).map(str)
    )
    return _mostly(st.decimals(min_value=low, max_value=high, places=2).map(str), bad)


RULES_FOR = {
    "reps": ["double_progression", "load_percent_per_week", "ladder_step", "therapist_decides"],
    "hold": ["hold_progression", "ladder_step", "therapist_decides"],
    "time": ["ladder_step", "therapist_decides"],
    "distance": ["load_percent_per_week", "ladder_step", "therapist_decides"],
}
ALL_RULES = sorted({rule for rules in RULES_FOR.values() for rule in rules})


@st.composite
def form_data(draw):
    dosage = draw(_mostly(st.sampled_from(sorted(RULES_FOR)), st.just("jumps")))
    rule = draw(
        _mostly(st.sampled_from(RULES_FOR.get(dosage, ALL_RULES)), st.sampled_from(ALL_RULES))
    )
    low = draw(st.integers(min_value=1, max_value=15))
    data = {
        "version": "1",
        "sets": draw(_int(1, 20)),
        "dosage_type": dosage,
        "reps_min": draw(_mostly(st.just(str(low)), st.integers(-2, 120).map(str))),
        "reps_max": draw(_mostly(st.integers(low + 1, low + 10).map(str), _int(1, 100))),
        "hold_seconds": draw(_int(1, 60)),
        "duration_minutes": draw(_dec(1, 60)),
        "distance_m": draw(_int(1, 5000)),
        "load_kind": draw(st.sampled_from(["bodyweight", "kg", "band"])),
        "load_kg": draw(_dec(0, 200)),
        "band_colour": draw(_mostly(st.just("groen"), st.sampled_from(["", "x" * 40]))),
        "effort_kind": draw(st.sampled_from(["rpe", "rir"])),
        "target_effort": draw(st.one_of(st.none(), _dec(0, 10))),
        "rest_seconds": draw(st.one_of(st.none(), _int(0, 900))),
        "tempo": draw(_mostly(st.sampled_from(["", "3-1-2", "3-0-1-0"]), st.just("fast"))),
        "sides": draw(st.sampled_from(["both", "each", "left", "right"])),
        "mode": draw(st.sampled_from(["pain_contingent", "time_contingent"])),
        "rule_kind": rule,
        "load_increment_kg": draw(_dec(Decimal("0.5"), 10)),
        "load_increment_pct": draw(st.one_of(st.none(), _dec(1, 20))),
        "seconds_per_week": draw(_int(1, 20)),
        "max_hold_seconds": draw(_int(60, 120)),
        "percent_per_week": draw(_dec(1, 20)),
    }
    if rule == "load_percent_per_week" and draw(_mostly(st.just(True), st.just(False))):
        data["load_kind"] = "kg"
    return data


def _validate(app, data: dict, harder: bool) -> PrescriptionForm:
    clean = {k: v for k, v in data.items() if v is not None}
    with app.test_request_context(method="POST", data=MultiDict(clean)):
        form = PrescriptionForm(has_harder_step=harder)
        form.validate()
        return form


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=form_data(), harder=st.booleans())
def test_accepted_doses_fit_the_engine_and_the_database(app, world, data, harder):
    form = _validate(app, data, harder)
    event("accepted" if not form.errors else "refused")
    if form.errors:
        return
    values = form.cleaned
    engine_dose(values)
    engine_rule(values)
    programme = getattr(app, "_programme", None) or build_programme(world.patient, exercises=1)
    app._programme = programme
    exercise = getattr(app, "_exercise", None) or make_exercise()
    app._exercise = exercise
    savepoint = db.session.begin_nested()
    db.session.add(
        Prescription(phase_id=programme.phases[0].id, exercise_id=exercise.id, position=9,
                     **{k: v for k, v in values.items() if k != "session_label"})
    )  # fmt: skip
    db.session.flush()  # the CHECK constraints agree with the form
    savepoint.rollback()


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=form_data())
def test_a_refused_dose_always_names_a_field(app, data):
    form = _validate(app, data, True)
    if form.errors:
        assert all(messages for messages in form.errors.values())
        assert set(form.errors) <= set(form._fields)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    low=st.integers(min_value=1, max_value=100),
    high=st.integers(min_value=1, max_value=100),
    load=st.decimals(min_value=-500, max_value=Decimal("-0.01"), places=2),
)
def test_backwards_ranges_and_negative_loads_are_always_refused(app, low, high, load):
    base = {"version": "1", "sets": "3", "dosage_type": "reps", "load_kind": "kg",
            "load_kg": "10", "effort_kind": "rpe", "sides": "both", "mode": "pain_contingent",
            "rule_kind": "therapist_decides"}  # fmt: skip
    ranged = _validate(app, {**base, "reps_min": str(low), "reps_max": str(high)}, True)
    assert bool(ranged.reps_max.errors) is (high < low)
    negative = _validate(app, {**base, "reps_min": "8", "load_kg": str(load)}, True)
    assert negative.load_kg.errors
