"""The rendering layer: only the app's own static files are fetched, fonts carry Dutch
characters, the metadata is set, and what is shared is built once."""

from __future__ import annotations

import base64
import datetime as dt
import socket

import pytest

from rehab.extensions import db
from rehab.reports import pdf
from rehab.reports.pdf import (
    RefusedURL,
    StaticOnlyFetcher,
    html_to_pdf,
    picture_uri,
    render_pdf,
    static_url,
)
from tests.reports.factories import png_picture
from tests.reports.pdf_inspect import metadata, pdf_text, poppler


@pytest.fixture
def fetcher(app):
    return StaticOnlyFetcher(app.static_folder)


# --- the URL fetcher ----------------------------------------------------------------------


def test_the_fetcher_serves_the_apps_own_static_files(fetcher):
    response = fetcher(static_url("css/pdf.css"))
    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    response = fetcher(static_url("img/favicon.svg"))
    assert response.content_type == "image/svg+xml"


def test_the_fetcher_decodes_data_uris_without_any_io(fetcher):
    picture = png_picture()
    uri = "data:image/png;base64," + base64.b64encode(picture).decode()
    response = fetcher(uri)
    assert response.content_type == "image/png"
    assert response.read() == picture
    assert fetcher("data:text/plain,hallo%20wereld").read() == b"hallo wereld"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://example.org/style.css",
        "HTTPS://EXAMPLE.ORG/x.png",
        "ftp://example.org/x.png",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "//example.org/x.png",
        "/etc/passwd",
        "css/pdf.css",
        "javascript:alert(1)",
    ],
)
def test_the_fetcher_refuses_the_network_and_the_file_system(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher(url)


@pytest.mark.parametrize(
    "path",
    [
        "../__init__.py",
        "../../pyproject.toml",
        "css/../../__init__.py",
        "%2e%2e/%2e%2e/pyproject.toml",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "css",  # a folder, not a file
        "css/not-there.css",
        "css/pdf.css%00.png",
        "",
    ],
)
def test_the_fetcher_refuses_paths_outside_the_static_folder(fetcher, path):
    with pytest.raises(RefusedURL):
        fetcher(static_url(path))


def test_the_fetcher_refuses_a_symlink_that_leads_out_of_static(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (tmp_path / "secret.txt").write_text("geheim")
    (static / "link.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher(static)(static_url("link.txt"))


def test_a_document_that_points_elsewhere_renders_without_touching_the_network(app, monkeypatch):
    attempts = []

    def no_network(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("no network while printing")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    refused: list[str] = []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        try:
            return original(self, url, headers)
        except RefusedURL:
            refused.append(url)
            raise

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    document = html_to_pdf(
        "<html lang='nl'><head><link rel='stylesheet' href='https://example.org/x.css'></head>"
        "<body><p>Hallo</p><img src='http://127.0.0.1:9/x.png'>"
        "<img src='file:///etc/hostname'></body></html>"
    )
    assert "Hallo" in pdf_text(document)
    assert attempts == []
    assert set(refused) == {
        "https://example.org/x.css",
        "http://127.0.0.1:9/x.png",
        "file:///etc/hostname",
    }


# --- fonts, metadata, page numbers ---------------------------------------------------------


def test_dutch_characters_survive_in_body_and_page_margins(app):
    text = "Oefening: knieën, ruïne, café, ĳsbaan – pijn ≤ 3"
    document = html_to_pdf(
        f"<html lang='nl'><body data-running-header='{text}'><p>{text}</p></body></html>"
    )
    extracted = pdf_text(document)
    assert extracted.count(text) == 2  # in the running header and in the body
    rows = poppler("pdffonts", "-", pdf=document).decode().splitlines()[2:]
    assert rows and all("DejaVu" in row for row in rows), rows
    assert all(" yes " in row for row in rows)  # embedded


def test_render_pdf_sets_title_author_language_and_creation_date(app):
    with app.test_request_context():
        document = render_pdf(
            "pdf/base.html",
            language="en",
            title="Exercise card: Dead bug",
            author="Fysio Noord",
            context={},
        )
    meta = metadata(document)
    assert meta["title"] == "Exercise card: Dead bug"
    assert meta["author"] == "Fysio Noord"
    assert meta["lang"] == "en"
    assert meta["created"].startswith("D:20")
    assert "Page 1 of 1" in pdf_text(document)


def test_page_numbers_count_every_page_in_the_documents_language(app):
    rows = "".join(f"<tr><td>Rij {n}</td></tr>" for n in range(150))
    with app.test_request_context():
        html = pdf.render_html(
            "pdf/base.html", language="nl", title="Lang", author="A", context={}
        ).replace("</body>", f"<table>{rows}</table></body>")
    document = html_to_pdf(html)
    pages = metadata(document)["pages"]
    assert pages >= 3
    text = pdf_text(document)
    for page in range(1, pages + 1):
        assert f"Pagina {page} van {pages}" in text


# --- what is shared -------------------------------------------------------------------------


def test_fonts_stylesheet_and_fetcher_are_built_once_per_process(app):
    html_to_pdf("<p>een</p>")
    first = pdf._toolkit
    html_to_pdf("<p>twee</p>")
    assert pdf._toolkit is first
    assert first.font_config is pdf._toolkit.font_config


def test_the_image_cache_is_reused_and_bounded(app, monkeypatch):
    picture = picture_uri(png_picture(), "image/png")
    pdf._image_cache.clear()
    html_to_pdf(f"<img src='{picture}'>")
    assert picture in pdf._image_cache
    cached = pdf._image_cache[picture]
    html_to_pdf(f"<img src='{picture}'>")
    assert pdf._image_cache[picture] is cached  # decoded once, drawn twice


def test_the_image_cache_is_emptied_between_documents_once_over_its_budget():
    cache = pdf.ImageCache(entries=3, budget=100)
    for n in range(3):
        cache[f"data:{n}"] = n
    cache.make_room()
    assert len(cache) == 3  # within the budget: kept for the next document
    cache["data:3"] = b"x" * 10
    assert cache.over_budget() and cache.size == 4 * 6 + 10
    cache.make_room()
    assert len(cache) == 0
    cache["data:" + "x" * 120] = "big"
    assert cache.over_budget()


def test_a_batch_of_reports_does_not_hold_every_reports_charts(client_for, world, monkeypatch):
    """Each progress report has charts of its own: printing N reports must not keep N
    reports' decoded charts (memory climbed ~12 MB a report, 915 MB for a hundred)."""
    from rehab.patients.models import Patient
    from tests.training.factories import bulk_caseload, log_session, today

    ids = bulk_caseload(world.clinic, world.therapist, 5, days=35, end=today())
    tuesday = today() - dt.timedelta(days=today().weekday() + 6)
    for n, patient_id in enumerate(ids):  # each patient's week differs: charts of their own
        log_session(db.session.get(Patient, patient_id), tuesday, minutes=20 + 10 * n)
    db.session.commit()
    cache = pdf.ImageCache(entries=8, budget=pdf.IMAGE_CACHE_BYTES)
    monkeypatch.setattr(pdf, "_image_cache", cache)
    seen: set[str] = set()
    held: list[int] = []
    make_room = pdf.ImageCache.make_room

    def watched(self):
        seen.update(self)
        make_room(self)
        held.append(len(self))  # what a document starts with

    monkeypatch.setattr(pdf.ImageCache, "make_room", watched)
    response = client_for("therapist").post(
        "/reports/batch",
        data={"scope": "mine", "start": (today() - dt.timedelta(days=34)).isoformat(),
              "end": today().isoformat(), "language": "patient", "file_format": "zip"},
    )  # fmt: skip
    assert response.status_code == 302
    seen.update(cache)
    assert len(seen) >= 15  # five reports, each with charts of its own, went through it
    assert held and max(held) <= 8
