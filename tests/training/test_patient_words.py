"""Patients read plain words (domain.md §10): no RPE, AU, session load, ACWR or monotony on
any page a patient can open, in Dutch or in English, with data on every page."""

from __future__ import annotations

import io
import re

import pytest
from flask import url_for

from tests.role_matrix import PAT
from tests.test_role_matrix import AREA_MODULES, CASES

# The therapist's words, and their Dutch equivalents.
FORBIDDEN = re.compile(
    r"\bRPE\b|\bAU\b|session[- ]?load|sessiebelasting|belasting per sessie|\bACWR\b|"
    r"acute\s*:\s*chronic|acuut\s*:\s*chronisch|monoton",
    re.IGNORECASE,
)
PATIENT_PAGES = [case for case in CASES if case.method == "GET" and case.expected[PAT] == 200]


def visible_text(response) -> str:
    if response.mimetype == "application/pdf":
        from pypdf import PdfReader

        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.text, flags=re.S)
    # What a screen reader says counts as well as what the eye sees.
    labels = " ".join(re.findall(r'(?:alt|title|aria-label|data-words-[\w-]+)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + labels


def test_the_list_covers_the_patients_pages():
    endpoints = {case.endpoint for case in PATIENT_PAGES}
    for endpoint in ("training.today", "training.session_detail", "training.history",
                     "training.checkin", "training.edit_session", "programmes.mine"):  # fmt: skip
        assert endpoint in endpoints


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_patient_page_uses_the_therapists_words(app, world, client_for, language):
    for module in AREA_MODULES:
        module.extend_world(world)
    client = client_for("patient")
    client.post("/language", data={"language": language})
    checked = 0
    for case in PATIENT_PAGES:
        with app.test_request_context():
            url = url_for(case.endpoint, **case.params(world))
        with client.get(url) as response:
            assert response.status_code == 200, url
            if response.mimetype not in ("text/html", "application/pdf"):
                continue
            text = visible_text(response)
        found = FORBIDDEN.findall(text)
        assert not found, f"{url} ({language}) says {sorted(set(found))}"
        checked += 1
    assert checked >= 8
