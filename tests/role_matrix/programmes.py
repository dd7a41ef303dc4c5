"""Rows for the programme routes: the builder, the programme page, templates and the
patient's own programme. World objects are named ``pg_*`` (the world is shared by every area).
Changes are posted with version 0 (a stale form): the allowed
roles get 409 or the form back, so that the rows do not depend on each other."""

from tests.role_matrix import PATIENT_PAGE, STAFF_OBJECT, STAFF_PAGE, Case, expect

# A stale version: the loader lets staff of the clinic through, then the lock refuses.
STALE = expect(302, 403, 403, 409, 404, 409)
STALE_DATA = {"version": 0, "direction": "up", "note": "x"}


def extend_world(world) -> None:
    from rehab.extensions import db
    from rehab.programmes.templates import save_as_template
    from tests.factories import make_exercise
    from tests.programmes.factories import build_programme

    if "pg_programme" in world.extra:
        return
    programme = build_programme(world.patient, phases=2)
    world.extra["pg_programme"] = programme
    world.extra["pg_phase"] = programme.phases[0]
    world.extra["pg_criterion"] = programme.phases[0].criteria[0]
    world.extra["pg_check"] = programme.phases[0].criteria[1]
    world.extra["pg_prescription"] = programme.phases[0].prescriptions[1]
    world.extra["pg_exercise"] = make_exercise(name="Bird dog")
    world.extra["pg_template"] = save_as_template(
        world.therapist, programme, title="Praktijksjabloon", description=None
    )
    db.session.commit()


def _programme(w):
    return {"programme_id": w.pg_programme.id}


def _phase(w):
    return {"programme_id": w.pg_programme.id, "phase_id": w.pg_phase.id}


def _criterion(w):
    return {"programme_id": w.pg_programme.id, "criterion_id": w.pg_criterion.id}


def _prescription(w):
    return {"programme_id": w.pg_programme.id, "prescription_id": w.pg_prescription.id}


def _stale(w):
    return STALE_DATA


def _form(w):
    return {"version": 0}


CASES = [
    Case("programmes.new", STAFF_OBJECT, params=lambda w: {"patient_id": w.patient.id}),
    # An empty form comes back with its messages.
    Case("programmes.new", STAFF_OBJECT, method="POST",
         params=lambda w: {"patient_id": w.patient.id}),
    Case("programmes.show", STAFF_OBJECT, params=_programme),
    Case("programmes.builder", STAFF_OBJECT, params=_programme),
    Case("programmes.edit_details", STAFF_OBJECT, method="POST", params=_programme, data=_form),
    Case("programmes.activate", STALE, method="POST", params=_programme, data=_stale),
    Case("programmes.complete", STALE, method="POST", params=_programme, data=_stale),
    Case("programmes.change_phase", STALE, method="POST", params=_programme, data=_stale),
    Case("programmes.new_phase", STAFF_OBJECT, params=_programme),
    Case("programmes.new_phase", STAFF_OBJECT, method="POST", params=_programme, data=_form),
    Case("programmes.edit_phase", STAFF_OBJECT, params=_phase),
    Case("programmes.edit_phase", STAFF_OBJECT, method="POST", params=_phase, data=_form),
    Case("programmes.move_phase", STALE, method="POST", params=_phase, data=_stale),
    Case("programmes.delete_phase", STALE, method="POST", params=_phase, data=_stale),
    Case("programmes.new_criterion", STAFF_OBJECT, params=_phase),
    Case("programmes.new_criterion", STAFF_OBJECT, method="POST", params=_phase, data=_form),
    Case("programmes.edit_criterion", STAFF_OBJECT, params=_criterion),
    Case("programmes.edit_criterion", STAFF_OBJECT, method="POST", params=_criterion,
         data=_form),
    Case("programmes.delete_criterion", STALE, method="POST", params=_criterion, data=_stale),
    Case("programmes.tick_criterion", STALE, method="POST",
         params=lambda w: {"programme_id": w.pg_programme.id, "criterion_id": w.pg_check.id},
         data=_stale),
    Case("programmes.pick_exercise", STAFF_OBJECT, params=_phase),
    Case("programmes.new_prescription", STAFF_OBJECT,
         params=lambda w: {**_phase(w), "exercise_id": w.pg_exercise.id}),
    Case("programmes.new_prescription", STAFF_OBJECT, method="POST",
         params=lambda w: {**_phase(w), "exercise_id": w.pg_exercise.id}, data=_form),
    Case("programmes.edit_prescription", STAFF_OBJECT, params=_prescription),
    Case("programmes.edit_prescription", STAFF_OBJECT, method="POST", params=_prescription,
         data=_form),
    Case("programmes.prescription_history", STAFF_OBJECT, params=_prescription),
    Case("programmes.move_prescription", STALE, method="POST", params=_prescription,
         data=_stale),
    Case("programmes.remove_prescription", STALE, method="POST", params=_prescription,
         data=_stale),
    Case("programmes.save_as_template", STAFF_OBJECT, params=_programme),
    Case("programmes.save_as_template", STAFF_OBJECT, method="POST", params=_programme),
    Case("programmes.delete", STALE, method="POST", params=_programme, data=_stale),
    # A clinic template belongs to its clinic: another clinic's therapist gets 404.
    Case("programmes.rename_template", STAFF_OBJECT,
         params=lambda w: {"programme_id": w.pg_template.id}),
    Case("programmes.rename_template", STAFF_OBJECT, method="POST",
         params=lambda w: {"programme_id": w.pg_template.id}, data=_form),
    Case("programmes.templates", STAFF_PAGE),
    Case("programmes.builtin_template", STAFF_PAGE,
         params=lambda w: {"slug": "low-back-recurrent"}),
    # The patient's own programme (none yet for the other patient: a friendly page).
    Case("programmes.mine", PATIENT_PAGE),
]  # fmt: skip
