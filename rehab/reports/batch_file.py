"""A batch print's file, put together from the reports printed one by one: a ZIP of PDFs,
or one PDF with a cover and a table of contents (rehab.reports.batch runs the job)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import force_locale
from pypdf import PdfReader

from rehab.auth.models import Clinic
from rehab.core.i18n import gettext
from rehab.extensions import db
from rehab.reports.concatenate import Part, concatenate
from rehab.reports.models import PrintJob
from rehab.reports.pdf import html_to_pdf, render_html


@dataclass(frozen=True)
class PrintedReport:
    patient_name: str
    path: Path
    pages: int


def file_name(job: PrintJob) -> str:
    word = "voortgangsverslagen" if _cover_language(job) == "nl" else "progress-reports"
    extension = "zip" if job.file_format == "zip" else "pdf"
    return f"{word}-{job.period_start.isoformat()}-{job.period_end.isoformat()}.{extension}"


def write_zip(printed: list[PrintedReport], target: Path) -> None:
    from rehab.reports.pdf import download_name

    used: set[str] = set()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in printed:
            name = download_name(item.patient_name)
            stem, counter = name[:-4], 2
            while name in used:  # two patients with the same name
                name, counter = f"{stem}-{counter}.pdf", counter + 1
            used.add(name)
            archive.write(item.path, name)


def _cover_language(job: PrintJob) -> str:
    if job.language_choice == "clinic" or job.requested_by.locale not in ("nl", "en"):
        clinic = db.session.get(Clinic, job.clinic_id)
        return clinic.default_locale if clinic.default_locale in ("nl", "en") else "nl"
    return job.requested_by.locale


@dataclass(frozen=True)
class TocEntry:
    number: int
    patient_name: str
    page: int


# The contents are laid out in parts of this many patients, each a document of its own:
# WeasyPrint holds a whole document's layout in memory, and one table of 500 patients took
# 37 MB more than one of 100 (9 MB; benchmarks/batch_print.py, issue 24).
COVER_ENTRIES_PER_PART = 100


def _cover_parts(job: PrintJob, printed: list[PrintedReport], cover_pages: int) -> list[bytes]:
    """The cover and contents as PDFs of at most COVER_ENTRIES_PER_PART patients each; the
    page numbers count ``cover_pages`` pages of cover before the first report."""
    language = _cover_language(job)
    clinic = db.session.get(Clinic, job.clinic_id)
    entries, page = [], cover_pages + 1
    for number, item in enumerate(printed, start=1):
        entries.append(TocEntry(number, item.patient_name, page))
        page += item.pages
    size = COVER_ENTRIES_PER_PART
    chunks = [entries[start : start + size] for start in range(0, len(entries), size)] or [[]]
    parts = []
    for index, chunk in enumerate(chunks):
        html = render_html(
            "pdf/batch_cover.html",
            language=language,
            title=_cover_title(language, clinic.name),
            author=job.requested_by.full_name,
            context={
                "job": job,
                "clinic": clinic,
                "entries": chunk,
                "continued": index > 0,
                "patients": len(entries),
                "total_pages": page - 1,
            },
        )
        parts.append(html_to_pdf(html))
    return parts


def _cover_title(language: str, clinic_name: str) -> str:
    with force_locale(language):
        return gettext("Progress reports, %(clinic)s", clinic=clinic_name)


def write_single_pdf(job: PrintJob, printed: list[PrintedReport], target: Path) -> None:
    """Cover and contents, then every report; the contents' page numbers count the cover's
    own pages, so the cover is laid out until its length no longer changes. The cover is
    made in parts of a bounded size and the reports are copied page by page from their
    files (rehab.reports.concatenate): memory does not grow with the number of reports."""
    cover_pages = 1
    cover_paths: list[Path] = []
    try:
        for _attempt in range(4):
            for path in cover_paths:
                path.unlink(missing_ok=True)
            cover_paths, pages = [], 0
            for index, part in enumerate(_cover_parts(job, printed, cover_pages)):
                pages += len(PdfReader(io.BytesIO(part)).pages)
                path = target.with_suffix(f".cover-{index}.pdf")
                path.write_bytes(part)
                cover_paths.append(path)
            if pages == cover_pages:
                break
            cover_pages = pages
        language = _cover_language(job)
        clinic_name = db.session.get(Clinic, job.clinic_id).name
        parts = [Part(path) for path in cover_paths]
        parts += [Part(item.path, item.patient_name) for item in printed]
        concatenate(parts, target, title=_cover_title(language, clinic_name), language=language)
    finally:
        for path in cover_paths:
            path.unlink(missing_ok=True)
