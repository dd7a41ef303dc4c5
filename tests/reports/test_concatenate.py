"""Putting PDFs together page by page: every page, in order, with its fonts and pictures,
and a bookmark per part."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from rehab.reports.concatenate import Part, concatenate
from tests.reports.pdf_inspect import pdf_text


def _pdf(path, *pages: str) -> None:
    body = "".join(f'<section style="break-after: page">{text}</section>' for text in pages)
    path.write_bytes(HTML(string=f"<html><body>{body}</body></html>").write_pdf())


def test_parts_follow_each_other_with_bookmarks(tmp_path):
    _pdf(tmp_path / "a.pdf", "Voorblad")
    _pdf(tmp_path / "b.pdf", "Sanne één", "Sanne twee")
    _pdf(tmp_path / "c.pdf", "Tom één")
    target = tmp_path / "all.pdf"

    pages = concatenate(
        [Part(tmp_path / "a.pdf"), Part(tmp_path / "b.pdf", "Sanne"),
         Part(tmp_path / "c.pdf", "Tom")],
        target, title="Voortgangsverslagen", language="nl",
    )  # fmt: skip

    data = target.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert pages == len(reader.pages) == 4
    assert pdf_text(data) == "Voorblad Sanne één Sanne twee Tom één"
    assert [(item.title, reader.get_destination_page_number(item)) for item in reader.outline] == [
        ("Sanne", 1),
        ("Tom", 3),
    ]
    assert reader.metadata.title == "Voortgangsverslagen"
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_shared_objects_are_copied_once_per_part(tmp_path):
    _pdf(tmp_path / "a.pdf", *(f"Pagina {n}" for n in range(1, 6)))
    target = tmp_path / "all.pdf"

    concatenate([Part(tmp_path / "a.pdf")], target)

    # The five pages share one font: the result is not much larger than the input.
    assert target.stat().st_size < 1.5 * (tmp_path / "a.pdf").stat().st_size
    writer = PdfWriter(clone_from=str(target))  # pypdf reads it back without complaint
    assert len(writer.pages) == 5
