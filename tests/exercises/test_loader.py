"""Loading the built-in library: idempotent, ladders linked, set-based, loud about bad files."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from rehab.exercises.models import Exercise, ExerciseRegion
from rehab.exercises.services import LibraryError, load_library, read_library
from rehab.extensions import db
from tests.exercises.factories import MINI_LIBRARY, builtin


def count(model=Exercise) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_mini_library_loads_as_built_ins_with_tags_and_ladders(app):
    assert load_library(MINI_LIBRARY) == (6, 0)
    bridge = builtin("mini-bridge")
    single = builtin("mini-bridge-single-leg")
    thrust = builtin("mini-hip-thrust")
    assert bridge.clinic_id is None
    assert (bridge.name_nl, bridge.name_en) == ("Bekkenbrug", "Glute bridge")
    assert set(bridge.regions) == {"hip", "lumbar_spine"}
    assert list(thrust.equipment) == ["barbell", "bench"]
    assert bridge.progression_id == single.id and bridge.regression_id is None
    assert single.regression_id == bridge.id and single.progression_id == thrust.id
    assert thrust.regression_id == single.id
    walk = builtin("mini-walk")
    assert (walk.dosage_type, walk.duration_seconds, walk.reps) == ("time", 1200, None)
    assert builtin("mini-plank-knees").hold_seconds == 10


def test_loading_twice_creates_and_changes_nothing(app):
    load_library(MINI_LIBRARY)
    before = (count(), count(ExerciseRegion))
    stamps = dict(db.session.execute(select(Exercise.slug, Exercise.updated_at)).all())
    assert load_library(MINI_LIBRARY) == (0, 0)
    assert (count(), count(ExerciseRegion)) == before
    db.session.expire_all()
    assert dict(db.session.execute(select(Exercise.slug, Exercise.updated_at)).all()) == stamps


def test_a_changed_file_updates_the_built_in_in_place(app, tmp_path):
    load_library(MINI_LIBRARY)
    original_id = builtin("mini-plank").id
    library = tmp_path / "library"
    shutil.copytree(MINI_LIBRARY, library)
    core = library / "core.toml"
    text = core.read_text()
    text = text.replace('name = "Plank"\nstarting_position = "Steun', 'name = "Plank (volledig)"\n'
                        'starting_position = "Steun', 1)  # fmt: skip
    text = text.replace('regions = ["lumbar_spine", "shoulder"]', 'regions = ["lumbar_spine"]')
    core.write_text(text)
    assert load_library(library) == (0, 1)
    db.session.expire_all()
    plank = builtin("mini-plank")
    assert plank.id == original_id
    assert plank.name_nl == "Plank (volledig)"
    assert list(plank.regions) == ["lumbar_spine"]
    assert load_library(library) == (0, 0)


def test_a_new_ladder_link_in_the_file_is_applied(app, tmp_path):
    load_library(MINI_LIBRARY)
    library = tmp_path / "library"
    shutil.copytree(MINI_LIBRARY, library)
    core = library / "core.toml"
    core.write_text(
        core.read_text().replace(
            'regression = "mini-plank-knees"',
            'regression = "mini-plank-knees"\nprogression = "mini-walk"',
        )
    )
    assert load_library(library) == (0, 1)
    db.session.expire_all()
    assert builtin("mini-plank").progression_id == builtin("mini-walk").id


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('category = "endurance"', 'category = "yoga"', "unknown category"),
        ('regions = ["whole_body"]', 'regions = ["tail"]', "unknown regions"),
        ('regression = "mini-plank-knees"', 'regression = "mini-nothing"', "mini-nothing"),
        ('slug = "mini-walk"', 'slug = "mini-plank"', "duplicate slug mini-plank"),
    ],
)
def test_a_broken_file_is_refused_with_its_problem_and_nothing_is_written(
    app, tmp_path, old, new, problem
):
    library = tmp_path / "library"
    shutil.copytree(MINI_LIBRARY, library)
    core = library / "core.toml"
    core.write_text(core.read_text().replace(old, new, 1))
    with pytest.raises(LibraryError, match=problem):
        load_library(library)
    assert count() == 0


def test_the_loader_uses_a_fixed_number_of_statements(app):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        load_library()
        first = len(statements)
        statements.clear()
        load_library()
        again = len(statements)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert len(read_library()) >= 75
    # Whatever the library's size: a handful of multi-row statements, not one per exercise.
    assert first <= 15, first
    assert again <= 6, again


def test_the_shipped_library_loads_with_its_ladders(app):
    created, updated = load_library()
    assert created >= 75 and updated == 0
    assert load_library() == (0, 0)
    linked = db.session.scalar(
        select(func.count()).select_from(Exercise).where(Exercise.progression_id.is_not(None))
    )
    assert linked >= 20
    assert builtin("plank-knees").progression_id == builtin("plank-full").id
    assert builtin("plank-full").regression_id == builtin("plank-knees").id


def test_cli_loads_the_library_and_reports_counts(runner):
    first = runner.invoke(args=["rehab", "load-library"])
    assert first.exit_code == 0, first.output
    assert "0 updated" in first.output and " 0 created" not in first.output
    again = runner.invoke(args=["rehab", "load-library"])
    assert "0 created, 0 updated" in again.output


def test_cli_reports_a_broken_library(runner, tmp_path):
    (tmp_path / "bad.toml").write_text('[[exercise]]\nslug = "x"\n')
    result = runner.invoke(args=["rehab", "load-library", "--directory", str(tmp_path)])
    assert result.exit_code != 0
    assert "problems" in result.output


def test_the_demo_clinic_has_the_library_and_an_exercise_of_its_own(runner):
    result = runner.invoke(args=["rehab", "seed-demo", "--any-database"])
    assert result.exit_code == 0, result.output
    assert count() >= 76
    own = db.session.scalar(select(Exercise).where(Exercise.clinic_id.is_not(None)))
    assert own.regression_id == builtin("kettlebell-deadlift-block").id
