"""The exercises a clinic may prescribe: the builder's picker and its loader.

Visibility is the exercise library's (rehab.exercises.services): built-ins the clinic has
not replaced by a copy, and its own exercises. Archived ones stay readable in old
programmes but cannot be prescribed again: 404, like another clinic's exercise.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, func, or_, select

from rehab.exercises import services as library
from rehab.exercises.models import Exercise, ExerciseRegion
from rehab.extensions import db

PICKER_PAGE_SIZE = 20


def visible_exercises(clinic_id: int) -> Select:
    """Exercises the clinic may prescribe (its library, without archived ones)."""
    return library.visible_exercises(clinic_id)


def exercise_for(actor, exercise_id: int) -> Exercise:
    """The exercise if the actor's clinic may prescribe it now, else 404."""
    exercise = library.exercise_for(actor, exercise_id)
    if exercise.archived_at is not None:
        abort(404)
    return exercise


def picker_statement(
    clinic_id: int,
    *,
    q: str | None = None,
    category: str | None = None,
    region: str | None = None,
    language: str = "nl",
) -> Select:
    """The picker's list: search in both languages, filter by category and body region."""
    stmt = visible_exercises(clinic_id)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(func.lower(Exercise.name_nl).like(like), func.lower(Exercise.name_en).like(like))
        )
    if category:
        stmt = stmt.where(Exercise.category == category)
    if region:
        stmt = stmt.where(
            Exercise.id.in_(
                select(ExerciseRegion.exercise_id).where(ExerciseRegion.region == region)
            )
        )
    name = Exercise.name_en if language == "en" else Exercise.name_nl
    return stmt.order_by(Exercise.category, Exercise.difficulty, name, Exercise.id)


def exercises_by_slug(slugs) -> dict[str, Exercise]:
    """Built-in exercises by slug (one query), for the built-in templates."""
    slugs = sorted(set(slugs))
    if not slugs:
        return {}
    rows = db.session.scalars(
        select(Exercise).where(Exercise.clinic_id.is_(None), Exercise.slug.in_(slugs))
    )
    return {exercise.slug: exercise for exercise in rows}
