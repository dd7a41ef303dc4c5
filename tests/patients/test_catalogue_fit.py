"""The model, the form and the pages use exactly the measure catalogue's keys."""

from __future__ import annotations

import sqlalchemy as sa

from rehab.patients import vocabulary as vocab
from rehab.patients.analysis_forms import AnalysisForm
from rehab.patients.evaluation import MEASURE_GROUPS, profile_disagrees
from rehab.patients.measures import MEASURES, stored_fields
from rehab.patients.models import MovementAnalysis


def test_every_catalogue_field_is_a_column_of_the_right_type():
    columns = MovementAnalysis.__table__.columns
    for measure in MEASURES.values():
        for name in measure.field_names():
            column = columns[name]
            assert column.nullable, name
            kind = sa.Integer if measure.integer else sa.Numeric
            assert isinstance(column.type, kind), name


def test_every_catalogue_range_is_a_check_constraint():
    checks = {
        c.name: str(c.sqltext)
        for c in MovementAnalysis.__table__.constraints
        if isinstance(c, sa.CheckConstraint)
    }
    for measure in MEASURES.values():
        for name in measure.field_names():
            sql = next(
                text for key, text in checks.items() if key.endswith(f"_{name}") or key == name
            )
            assert f"BETWEEN {measure.low:g} AND {measure.high:g}" in sql, name


def test_each_flag_and_squat_item_has_a_column():
    columns = set(MovementAnalysis.__table__.columns.keys())
    assert set(vocab.flag_columns()) <= columns
    assert set(vocab.squat_columns()) <= columns
    assert {f"effect_{f}" for f in vocab.EFFECT_FACTORS} <= columns
    assert set(vocab.OBSERVATIONS) <= columns


def test_the_form_has_a_field_for_each_typed_measure(app):
    with app.test_request_context():
        form = AnalysisForm()
        for name in stored_fields():
            if name in ("psk", "psfs"):  # derived from the activities
                assert name not in form
            else:
                assert name in form, name


def test_the_page_sections_cover_the_catalogue_once():
    keys = [key for _, _, keys in MEASURE_GROUPS for key in keys]
    assert sorted(keys) == sorted(MEASURES)
    assert len(keys) == len(set(keys))


def test_profile_hint():
    assert profile_disagrees("high", 1)
    assert not profile_disagrees("low", 1)
    assert not profile_disagrees(None, 3)
    assert not profile_disagrees("medium", None)
