"""Rows for the printed documents: the exercise card, the programme handout, the progress
report and batch printing."""

from tests.factories import clinic_today
from tests.role_matrix import STAFF_OBJECT, STAFF_PAGE, Case, expect


def extend_world(world) -> None:
    """An exercise of clinic A for the card; an active programme for patient P only; a
    finished batch print of the therapist, with its file."""
    import datetime as dt

    from rehab.extensions import db
    from rehab.reports.batch import jobs_folder
    from rehab.reports.models import PrintJob
    from tests.reports.factories import bilingual_exercise, printable_programme

    world.extra["card_exercise"] = bilingual_exercise(
        world.clinic, name_nl="Dode kever", name_en="Dead bug"
    )
    printable_programme(world.patient, exercises=1)
    today = clinic_today()
    job = PrintJob(
        clinic_id=world.clinic.id,
        requested_by_id=world.therapist.id,
        scope="mine",
        period_start=today - dt.timedelta(weeks=4),
        period_end=today,
        file_format="zip",
        language_choice="patient",
        status="done",
        done_count=1,
        total_count=1,
        patient_ids=[world.patient.id],
    )
    db.session.add(job)
    db.session.flush()
    folder = jobs_folder() / str(job.id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "reports.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
    job.file_path = f"{job.id}/reports.zip"
    db.session.commit()
    world.extra["print_job"] = job


# The therapist's own batch: the clinic's admin sees it too; another clinic gets 404.
THERAPISTS_JOB = expect(302, 403, 403, 200, 404, 200)

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
    # The export form; an empty POST comes back as the form with its errors (200).
    Case("reports.progress_report", STAFF_OBJECT, params=lambda w: {"patient_id": w.patient.id}),
    Case(
        "reports.progress_report",
        STAFF_OBJECT,
        method="POST",
        params=lambda w: {"patient_id": w.patient.id},
    ),
    Case("reports.batch", STAFF_PAGE),
    Case("reports.batch", STAFF_PAGE, method="POST"),
    Case("reports.batch_job", THERAPISTS_JOB, params=lambda w: {"job_id": w.print_job.id}),
    Case("reports.batch_download", THERAPISTS_JOB, params=lambda w: {"job_id": w.print_job.id}),
    # Only the one who asked starts a job again (this one is done: a message, 302); the admin
    # sees the job but may not restart a colleague's batch.
    Case(
        "reports.batch_again",
        expect(302, 403, 403, 302, 404, 403),
        method="POST",
        params=lambda w: {"job_id": w.print_job.id},
    ),
]
