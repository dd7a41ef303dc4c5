"""Printed documents: an HTML template under templates/pdf/ rendered to PDF by WeasyPrint.

What every printed document shares lives here, built once per process and reused: the font
configuration, the pre-parsed print stylesheet (rehab/static/css/pdf.css: A4, margins, the
running header and "page X of Y" in the @page margin boxes, no row or block cut across a
page break), an image cache, and a URL fetcher that serves only the app's own static files
and data: URIs. Nothing is fetched from the network or from a path a user typed.
"""

from __future__ import annotations

import base64
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from flask import current_app, render_template
from flask_babel import force_locale
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from rehab.core.db import utcnow
from rehab.core.i18n import gettext

# Templates name the app's static files as "rehab-static:css/pdf.css" (see ``static_url``):
# a scheme of our own, so that no http:// or file:// URL is ever needed, or accepted.
STATIC_SCHEME = "rehab-static"
# Tagged PDF/UA-1: screen readers can read the handout aloud, in the document's language.
# It costs about 10 % more rendering time than an untagged PDF (benchmarks/pdf_render.py).
PDF_VARIANT = "pdf/ua-1"
# Pictures come from the database; these are the types WeasyPrint draws and we accept.
PICTURE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"})
# Decoded pictures are kept between documents (a batch prints the same exercises again and
# again) while the cache stays within a budget of entries and of source bytes; over it, the
# cache is emptied before the next document (never during one: WeasyPrint reads its raster
# data back from the cache while it writes the PDF). A progress report's charts are its
# own: bounded by entries alone (256 before), a batch of a hundred reports held about 12 MB
# of decoded charts per report (915 MB at the end).
IMAGE_CACHE_ENTRIES = 64
IMAGE_CACHE_BYTES = 2 * 1024 * 1024  # URIs (a data: URI is the picture) and raw image data


class RefusedURL(ValueError):
    """A document asked for something other than a static file of the app or a data: URI."""


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, limited to ``rehab-static:<path>`` inside ``static_folder``
    and ``data:`` URIs. Everything else (http, https, ftp, file, relative paths, paths that
    climb out of the static folder) raises RefusedURL, which WeasyPrint logs and skips."""

    def __init__(self, static_folder: str | Path) -> None:
        # No protocol reaches urllib's network handlers: ``fetch`` below answers every URL.
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.root = Path(static_folder).resolve()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme, _, rest = url.partition(":")
        scheme = scheme.lower()
        if scheme == "data":
            return self._data(url)
        if scheme == STATIC_SCHEME:
            return self._static(url, rest)
        raise RefusedURL(f"not fetched while printing: {url[:200]}")

    def _data(self, url: str) -> URLFetcherResponse:
        # urllib decodes data: URIs (base64 or percent-encoded) without any I/O.
        with DataHandler().data_open(Request(url)) as response:  # noqa: S310  (data: only)
            body = response.read()
            content_type = response.headers.get("Content-Type", "text/plain")
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _static(self, url: str, rest: str) -> URLFetcherResponse:
        relative = unquote(urlsplit(rest).path)
        if not relative or relative.startswith(("/", "\\")) or "\x00" in relative:
            raise RefusedURL(f"not a static file: {url[:200]}")
        try:
            path = (self.root / relative).resolve(strict=True)
        except (OSError, ValueError, RuntimeError) as error:
            raise RefusedURL(f"no such static file: {url[:200]}") from error
        if not path.is_relative_to(self.root) or not path.is_file():
            raise RefusedURL(f"outside the static folder: {url[:200]}")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _content_type(path)})


def _content_type(path: Path) -> str:
    return {
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".gif": "image/gif",
        ".webp": "image/webp",
        ".ttf": "font/ttf",
        ".otf": "font/otf",
        ".woff": "font/woff",
        ".woff2": "font/woff2",
    }.get(path.suffix.lower(), "application/octet-stream")


def static_url(filename: str) -> str:
    """The URL a PDF template uses for one of the app's static files."""
    return f"{STATIC_SCHEME}:{filename}"


def picture_uri(data: bytes | None, mime: str | None) -> str | None:
    """A stored picture as a data: URI for a PDF template, or None when there is none."""
    if not data or mime not in PICTURE_TYPES:
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class ImageCache(dict):
    """WeasyPrint's image cache (it must be a dict), with a size: its entries and the bytes
    of its keys and raw values (a parsed SVG is counted by its source, its data: URI)."""

    def __init__(self, entries: int = IMAGE_CACHE_ENTRIES, budget: int = IMAGE_CACHE_BYTES):
        super().__init__()
        self.entries, self.budget = entries, budget

    @property
    def size(self) -> int:
        return sum(
            len(key) + (len(value) if isinstance(value, bytes | bytearray) else 0)
            for key, value in self.items()
        )

    def over_budget(self) -> bool:
        return len(self) > self.entries or self.size > self.budget

    def make_room(self) -> None:
        """Between documents: empty the cache when it has outgrown its budget."""
        if self.over_budget():
            self.clear()


@dataclass(frozen=True)
class _Toolkit:
    fetcher: StaticOnlyFetcher
    font_config: FontConfiguration
    stylesheet: CSS


_toolkit: _Toolkit | None = None
_image_cache = ImageCache()
# One document at a time per process: the shared font configuration and image cache are not
# made for concurrent use, and layout is CPU-bound Python that holds the GIL anyway.
_render_lock = threading.Lock()


def _shared() -> _Toolkit:
    """The fetcher, fonts and stylesheet, built on first use (call with the lock held)."""
    global _toolkit
    if _toolkit is None:
        fetcher = StaticOnlyFetcher(current_app.static_folder)
        font_config = FontConfiguration()
        stylesheet = CSS(
            url=static_url("css/pdf.css"), url_fetcher=fetcher, font_config=font_config
        )
        _toolkit = _Toolkit(fetcher, font_config, stylesheet)
    return _toolkit


def _page_words() -> dict[str, str]:
    """The translated words around the page numbers, split for the CSS counters.

    One sentence for translators ("Pagina %(page)s van %(pages)s"); the footer puts
    counter(page) and counter(pages) where the placeholders were.
    """
    sentence = gettext("Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    before, _, rest = sentence.partition("\x00")
    between, _, after = rest.partition("\x01")
    return {"before": before, "between": between, "after": after}


def render_html(
    template: str, *, language: str, title: str, author: str, context: dict[str, Any]
) -> str:
    """The document's HTML, rendered with Flask's Jinja in ``language``."""
    now = utcnow()
    with force_locale(language):
        return render_template(
            template,
            lang=language,
            title=title,
            author=author,
            created=now.replace(microsecond=0).isoformat(),
            printed_at=now,
            page_words=_page_words(),
            static_url=static_url,
            **context,
        )


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document, with the shared stylesheet, fonts and fetcher."""
    with _render_lock:
        toolkit = _shared()
        _image_cache.make_room()
        document = HTML(string=html, url_fetcher=toolkit.fetcher)
        return document.write_pdf(
            stylesheets=[toolkit.stylesheet],
            font_config=toolkit.font_config,
            cache=_image_cache,
            pdf_variant=PDF_VARIANT,
        )


def render_pdf(
    template: str, *, language: str, title: str, author: str, context: dict[str, Any]
) -> bytes:
    """Render ``templates/<template>`` to a PDF in ``language`` ("nl" or "en").

    ``title`` and ``author`` become the PDF's metadata (with the language and the creation
    date); ``context`` is passed to the template, which extends ``pdf/base.html``.
    """
    html = render_html(template, language=language, title=title, author=author, context=context)
    return html_to_pdf(html)


_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9]+")


def download_name(*words: str) -> str:
    """An ASCII file name for the download, e.g. ``oefenkaart-dead-bug.pdf``."""
    text = unicodedata.normalize("NFKD", " ".join(words)).encode("ascii", "ignore").decode()
    slug = _UNSAFE_FILENAME.sub("-", text).strip("-").lower()[:80]
    return f"{slug or 'document'}.pdf"
