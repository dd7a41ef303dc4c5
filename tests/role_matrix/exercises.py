"""Rows for the exercise library: staff pages; the picture also for the clinic's patients."""

from rehab.extensions import db
from tests.exercises.factories import png_bytes
from tests.factories import make_exercise
from tests.role_matrix import STAFF_OBJECT, STAFF_PAGE, Case, expect


def extend_world(world) -> None:
    """Clinic A's own exercise, with a picture."""
    world.extra["exercise"] = make_exercise(
        world.clinic, name="Eigen oefening", image_data=png_bytes(), image_mime="image/png"
    )
    db.session.commit()


# Allowed POSTs that change something redirect back to the exercise's page.
STAFF_OBJECT_POST = expect(302, 403, 403, 302, 404, 302)

CASES = [
    Case("exercises.index", STAFF_PAGE),
    Case("exercises.detail", STAFF_OBJECT, params=lambda w: {"exercise_id": w.exercise.id}),
    Case("exercises.new", STAFF_PAGE),
    # Empty form: re-shown with messages (200), nothing created.
    Case("exercises.new", STAFF_PAGE, method="POST"),
    Case("exercises.edit", STAFF_OBJECT, params=lambda w: {"exercise_id": w.exercise.id}),
    Case(
        "exercises.edit",
        STAFF_OBJECT,
        method="POST",
        params=lambda w: {"exercise_id": w.exercise.id},
        note="empty form: 200 with messages, nothing changed",
    ),
    Case(
        "exercises.archive",
        STAFF_OBJECT_POST,
        method="POST",
        params=lambda w: {"exercise_id": w.exercise.id},
    ),
    Case(
        "exercises.restore",
        STAFF_OBJECT_POST,
        method="POST",
        params=lambda w: {"exercise_id": w.exercise.id},
    ),
    # Patients of the clinic see the pictures of the exercises in their programmes.
    Case(
        "exercises.picture",
        expect(302, 200, 200, 200, 404, 200),
        params=lambda w: {"exercise_id": w.exercise.id},
    ),
]

# The drawn figures of built-in exercises: the same drawing for every clinic, for anyone
# logged in (patients see them on their Today page).
CASES.append(
    Case(
        "exercises.figure",
        expect(302, 200, 200, 200, 200, 200),
        params=lambda w: {"slug": "glute-bridge", "stage": "moving"},
    )
)
CASES += [
    Case("exercises.figure_review", STAFF_PAGE),
    Case("exercises.figure_review_pdf", STAFF_PAGE),
]
