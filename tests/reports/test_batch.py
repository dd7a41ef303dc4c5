"""Batch printing: a therapist's (or, for an admin, the clinic's) progress reports as one PDF
with a cover and contents, or as a ZIP; only the people allowed see the job and its file."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.reports.models import PrintJob
from tests.factories import make_patient
from tests.redis_queues import (
    REDIS_URL,
    forget_queue,
    keys_of,
    redis_connection,
    worker_name,
)
from tests.reports.factories import reportable_patient
from tests.reports.pdf_inspect import pdf_text, render_pages
from tests.training.factories import today


def _form(file_format="pdf", scope="mine", weeks=4, language="patient") -> dict:
    end = today()
    return {
        "start": (end - dt.timedelta(weeks=weeks)).isoformat(),
        "end": end.isoformat(),
        "scope": scope,
        "language": language,
        "file_format": file_format,
    }


def _page_text(reader: PdfReader, index: int) -> str:
    return " ".join(reader.pages[index].extract_text().split())


@pytest.fixture
def caseload(world):
    """Sanne (4 weeks of training), Tom (no programme), and an English patient, Ann."""
    world.patient.last_name = "Aalbers"
    world.other_patient.last_name = "Bakker"
    reportable_patient(world.patient, weeks=4)
    ann = make_patient(world.clinic, world.therapist, first_name="Ann", last_name="Clark",
                       language="en")  # fmt: skip
    db.session.commit()
    return ann


def test_one_pdf_with_a_cover_and_correct_contents(client_for, world, caseload):
    client = client_for("therapist")

    response = client.post("/reports/batch", data=_form("pdf"))

    job = db.session.scalar(select(PrintJob))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/reports/batch/{job.id}")
    assert (job.status, job.done_count, job.total_count) == ("done", 3, 3)
    page = client.get(f"/reports/batch/{job.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page  # finished: no more reloading
    download = client.get(f"/reports/batch/{job.id}/download")
    assert download.data.startswith(b"%PDF")
    download.close()
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(download.data))
    cover = _page_text(reader, 0)
    assert "Voortgangsverslagen" in cover and "Inhoud" in cover
    # The contents name each patient with the page their report starts on.
    titles = {
        "Sanne Aalbers": "Voortgangsverslag",
        "Tom Bakker": "Voortgangsverslag",
        "Ann Clark": "Progress report",
    }
    for name, title in titles.items():
        line = next(line for line in reader.pages[0].extract_text().splitlines() if name in line)
        start = int(line.split()[-1])
        first_page = _page_text(reader, start - 1)
        assert first_page.startswith(f"{title}") or title in first_page[:200], (name, first_page)
        assert name in first_page
        assert "1 van" in first_page or "1 of" in first_page
    assert [item.title for item in reader.outline] == list(titles)
    render_pages(download.data, "batch")
    # Each report printed and each patient in the download is in the access log.
    printed = db.session.scalars(
        select(AuditEntry.patient_id).where(
            AuditEntry.object_type == "progress_report", AuditEntry.action == "print"
        )
    ).all()
    assert sorted(printed) == sorted([world.patient.id, world.other_patient.id, caseload.id])
    downloaded = db.session.scalar(
        select(func.count()).where(
            AuditEntry.object_type == "progress_report", AuditEntry.action == "export"
        )
    )
    assert downloaded == 3


def test_the_contents_of_a_large_batch_are_laid_out_in_parts_with_the_right_pages(
    client_for, world, caseload, monkeypatch
):
    """WeasyPrint holds a whole document in memory: the contents of 500 patients took 37 MB
    more than those of 100. They are laid out in parts of a bounded size (here 2 patients),
    each its own document, and the page numbers still count the whole file."""
    from rehab.reports import batch_file, pdf

    monkeypatch.setattr(batch_file, "COVER_ENTRIES_PER_PART", 2)
    laid_out: list[str] = []
    html_to_pdf = pdf.html_to_pdf

    def counted(html: str) -> bytes:
        laid_out.append(html)
        return html_to_pdf(html)

    monkeypatch.setattr(batch_file, "html_to_pdf", counted)
    client = client_for("therapist")
    assert client.post("/reports/batch", data=_form("pdf")).status_code == 302
    job = db.session.scalar(select(PrintJob))
    download = client.get(f"/reports/batch/{job.id}/download")
    reader = PdfReader(io.BytesIO(download.data))
    download.close()
    covers = [html for html in laid_out if "batch-cover" in html]
    assert covers and all(html.count('<td class="num">') <= 2 * 2 for html in covers)
    assert _page_text(reader, 0).count("Inhoud") == 1
    continued = next(
        i for i in range(len(reader.pages)) if "Inhoud (vervolg)" in _page_text(reader, i)
    )
    assert "Ann Clark" in _page_text(reader, continued)  # the third patient, second part
    assert "3 patiënten" in _page_text(reader, 0)
    for index, name in ((0, "Sanne Aalbers"), (0, "Tom Bakker"), (continued, "Ann Clark")):
        text = reader.pages[index].extract_text().splitlines()
        start = int(next(line for line in text if name in line).split()[-1])
        assert name in _page_text(reader, start - 1)
        assert "1 van" in _page_text(reader, start - 1) or "1 of" in _page_text(reader, start - 1)
    assert [item.title for item in reader.outline] == ["Sanne Aalbers", "Tom Bakker", "Ann Clark"]


def test_a_zip_holds_one_pdf_per_patient(client_for, world, caseload):
    client = client_for("therapist")
    client.post("/reports/batch", data=_form("zip", language="clinic"))
    job = db.session.scalar(select(PrintJob))

    download = client.get(f"/reports/batch/{job.id}/download")
    assert download.data.startswith(b"PK")
    download.close()

    assert download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert sorted(archive.namelist()) == ["ann-clark.pdf", "sanne-aalbers.pdf", "tom-bakker.pdf"]
    text = pdf_text(archive.read("ann-clark.pdf"))
    assert "Voortgangsverslag" in text  # the clinic's language, Dutch, for everyone
    assert "Ann Clark" in text


def test_the_zip_is_the_accessible_choice_and_the_form_says_so(client_for, world, caseload):
    """The single PDF cannot keep the reports' structure trees (rehab/reports/concatenate.py
    leaves each input's catalogue behind); the ZIP's reports stay tagged PDF/UA, and the
    form tells whoever needs a screen reader to choose it."""
    client = client_for("therapist")
    form = client.get("/reports/batch").get_data(as_text=True)
    assert "Een zip-bestand met één PDF per patiënt (toegankelijk)" in form
    assert 'aria-describedby="file_format-help"' in form
    assert "kies dan het zip-bestand" in form

    client.post("/reports/batch", data=_form("zip"))
    job = db.session.scalar(select(PrintJob))
    download = client.get(f"/reports/batch/{job.id}/download")
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    download.close()
    for name in archive.namelist():
        catalogue = PdfReader(io.BytesIO(archive.read(name))).trailer["/Root"]
        assert bool(catalogue["/MarkInfo"]["/Marked"]), name
        tree = catalogue["/StructTreeRoot"].get_object()
        assert tree["/K"], name  # a structure tree with content
        assert catalogue["/Lang"], name


def test_only_the_requester_and_the_clinic_admin_see_a_job(client_for, world, caseload):
    client_for("therapist").post("/reports/batch", data=_form("pdf"))
    job = db.session.scalar(select(PrintJob))
    urls = [f"/reports/batch/{job.id}", f"/reports/batch/{job.id}/download"]
    for role, status in (("other_therapist", 404), ("patient", 403), ("admin", 200)):
        client = client_for(role)
        for url in urls:
            response = client.get(url)
            response.close()  # the download streams a file
            assert response.status_code == status, (role, url)
    # A colleague in the same clinic does not see it either.
    from tests.factories import make_user

    colleague = make_user(world.clinic, "therapist", full_name="Carla Collega")
    db.session.commit()
    from tests.factories import login_as

    other = login_as(client_for("anonymous"), colleague)
    assert all(other.get(url).status_code == 404 for url in urls)
    assert f"/reports/batch/{job.id}" not in other.get("/reports/batch").get_data(as_text=True)


def test_a_therapist_cannot_print_the_whole_clinic(client_for, world, caseload):
    response = client_for("therapist").post("/reports/batch", data=_form(scope="clinic"))

    assert response.status_code == 200
    assert db.session.scalar(select(func.count(PrintJob.id))) == 0


def test_an_admin_prints_the_whole_clinic(client_for, world, caseload):
    client_for("admin").post("/reports/batch", data=_form("zip", scope="clinic"))
    job = db.session.scalar(select(PrintJob))
    assert job.total_count == 3  # patients of clinic A only


def test_a_running_job_updates_its_page_by_script_not_by_refresh(client_for, world, caseload):
    client_for("therapist").post("/reports/batch", data=_form("pdf"))
    job = db.session.scalar(select(PrintJob))
    job.status, job.done_count = "running", 1
    db.session.commit()

    page = client_for("therapist").get(f"/reports/batch/{job.id}").get_data(as_text=True)

    assert 'http-equiv="refresh"' not in page  # a page that reloads itself: WCAG 2.2.1
    assert "js/batch_job" in page
    assert '<progress id="job-progress"' in page and 'max="3" value="1"' in page
    assert 'aria-live="polite"' in page
    # Without script, a link refreshes the page.
    assert f'<noscript><p><a href="/reports/batch/{job.id}">' in page
    assert client_for("therapist").get(f"/reports/batch/{job.id}/download").status_code == 404


def test_old_jobs_and_their_files_are_removed_when_a_new_one_starts(
    app, client_for, world, caseload
):
    from rehab.reports.batch import job_file, jobs_folder

    client = client_for("therapist")
    client.post("/reports/batch", data=_form("zip"))
    old = db.session.scalar(select(PrintJob))
    old_id, path = old.id, job_file(old)
    assert path is not None and path.exists()
    old.created_at = old.created_at - dt.timedelta(days=8)
    db.session.commit()

    client.post("/reports/batch", data=_form("zip"))

    assert not path.exists()
    assert not (jobs_folder() / str(old_id)).exists()
    assert db.session.scalar(select(func.count(PrintJob.id))) == 1


@pytest.mark.app_config(REHAB_JOBS_INLINE=False)
def test_without_a_queue_the_job_runs_in_a_background_thread(app, client_for, world, caseload):
    from rehab.reports import batch

    client_for("therapist").post("/reports/batch", data=_form("zip"))
    for thread in list(batch.THREADS):
        thread.join(timeout=120)
    db.session.expire_all()
    job = db.session.scalar(select(PrintJob))
    assert (job.status, job.done_count) == ("done", 3)


def test_the_rq_path_runs_the_job_on_a_real_redis_queue(app, client_for, world, caseload):
    from rq import SimpleWorker

    connection = redis_connection()
    queue_name = f"rehab-test-{os.getpid()}-{id(app)}"
    app.config.update(
        REHAB_JOBS_INLINE=False, REHAB_JOB_QUEUE_URL=REDIS_URL, REHAB_JOB_QUEUE_NAME=queue_name
    )
    from rehab.reports.batch import job_queue

    client_for("therapist").post("/reports/batch", data=_form("zip"))
    job = db.session.scalar(select(PrintJob))
    job_id = job.id
    assert job.status == "queued"
    queue = job_queue()
    try:
        assert queue.count == 1
        worker = SimpleWorker([queue], connection=queue.connection, name=worker_name(queue_name))
        worker.work(burst=True)
    finally:
        forget_queue(connection, queue_name)
        left = keys_of(connection, queue_name)
        connection.close()
    assert not left, f"the test left keys in Redis: {left}"
    job = db.session.get(PrintJob, job_id)
    assert (job.status, job.done_count, job.total_count) == ("done", 3, 3)
    download = client_for("therapist").get(f"/reports/batch/{job_id}/download")
    download.close()
    assert download.status_code == 200


def test_the_worker_command_needs_a_queue(runner):
    result = runner.invoke(args=["rehab", "worker", "--burst"])
    assert result.exit_code != 0
    assert "REHAB_JOB_QUEUE_URL" in result.output


def test_destroying_a_record_removes_the_batch_prints_that_hold_it(client_for, world, caseload):
    """WGBO art. 7:455: a destroyed record must not live on in a batch file for a week."""
    from rehab.privacy.models import DestructionRequest
    from rehab.reports.batch import job_file

    therapist, admin = client_for("therapist"), client_for("admin")
    therapist.post("/reports/batch", data=_form("zip"))
    job = db.session.scalar(select(PrintJob))
    job_id, folder = job.id, job_file(job).parent
    assert world.patient.id in job.patient_ids and folder.is_dir()
    # Another clinic's job (or one without this patient) is not touched.
    client_for("other_therapist").post("/reports/batch", data=_form("zip"))
    others = db.session.scalar(select(func.count()).select_from(PrintJob)) - 1

    therapist.post(f"/patients/{world.patient.id}/destruction", data={"reason": "Verzoek"})
    request = db.session.scalar(select(DestructionRequest))
    admin.post(f"/patients/{world.patient.id}/destruction/{request.id}/confirm")

    db.session.expire_all()
    assert db.session.get(PrintJob, job_id) is None
    assert not folder.exists()
    assert db.session.scalar(select(func.count()).select_from(PrintJob)) == others
    assert therapist.get(f"/reports/batch/{job_id}").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2026-03-10", "end": "2026-03-01"}, "Het einde van de periode ligt vóór het"),
        ({"start": "31-12-2024"}, "Vul een geldige datum in."),
        ({"end": "2150-12-31"}, "De periode kan niet in de toekomst"),
        ({"end": "9999-12-31"}, "Vul een datum in tussen 1900 en 2199."),
        ({"file_format": "exe"}, "Kies het soort bestand."),
        ({"scope": "everyone"}, "Kies van wie je de verslagen wilt afdrukken."),
        ({"language": "fr"}, "Kies de taal van het verslag."),
    ],
)  # fmt: skip
def test_bad_input_comes_back_as_the_form_with_an_error(client_for, world, data, message):
    form = {**_form(), **data}
    response = client_for("therapist").post("/reports/batch", data=form)

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PrintJob)) == 0
