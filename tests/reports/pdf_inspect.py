"""Reading a PDF the way a person would: its text, its metadata, its pages as pictures.

PNGs go to test-artifacts/reports/ (not committed) so that a person can look at them.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
PAGE_NUMBER = re.compile(r"(?:Pagina|Page) (\d+) (?:van|of) (\d+)")


def poppler(tool: str, *args: str, pdf: bytes) -> bytes:
    """Run a poppler-utils tool (pdftotext, pdftoppm, pdffonts) on ``pdf`` from stdin."""
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: apt-get install poppler-utils")
    # Our own arguments and a PDF we rendered: nothing untrusted reaches the command line.
    result = subprocess.run([path, *args], input=pdf, capture_output=True, check=True)  # noqa: S603
    return result.stdout


def pdf_text(pdf: bytes) -> str:
    """All text in reading order, as pdftotext extracts it, with runs of white space (line
    ends of wrapped lines too) made single spaces."""
    return " ".join(poppler("pdftotext", "-", "-", pdf=pdf).decode("utf-8").split())


def metadata(pdf: bytes) -> dict:
    reader = PdfReader(io.BytesIO(pdf))
    info = reader.metadata or {}
    return {
        "title": info.get("/Title"),
        "author": info.get("/Author"),
        "created": info.get("/CreationDate"),
        "lang": str(reader.trailer["/Root"].get("/Lang", "")),
        "pages": len(reader.pages),
    }


def render_pages(pdf: bytes, name: str) -> list[Path]:
    """Each page as a PNG (pdftoppm -r 60) in test-artifacts/reports/<name>-N.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    poppler("pdftoppm", "-r", "60", "-png", "-", str(ARTIFACTS / name), pdf=pdf)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def word_boxes(pdf: bytes) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) for every word, from pdftotext -bbox."""
    html = poppler("pdftotext", "-bbox", "-", "-", pdf=pdf).decode("utf-8")
    boxes = []
    for number, page in enumerate(html.split("<page ")[1:], start=1):
        for match in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        ):
            x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
            boxes.append((number, x0, y0, x1, y1, match.group(5)))
    return boxes
