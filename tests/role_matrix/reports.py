"""Rows for the printed documents: the exercise card and the programme handout."""

from tests.role_matrix import STAFF_OBJECT, Case, expect


def extend_world(world) -> None:
    """An exercise of clinic A for the card; an active programme for patient P only."""
    from tests.reports.factories import bilingual_exercise, printable_programme

    world.extra["card_exercise"] = bilingual_exercise(
        world.clinic, name_nl="Dode kever", name_en="Dead bug"
    )
    printable_programme(world.patient, exercises=1)


CASES = [
    # Clinic A's own exercise: another clinic's therapist gets 404, patients 403.
    Case(
        "reports.exercise_card",
        STAFF_OBJECT,
        params=lambda w: {"exercise_id": w.card_exercise.id},
    ),
    Case("reports.handout", STAFF_OBJECT, params=lambda w: {"patient_id": w.patient.id}),
    # The patient's own handout; the other patient has no active programme: a 404 page.
    Case("reports.my_handout", expect(302, 200, 404, 403, 403, 403)),
]
