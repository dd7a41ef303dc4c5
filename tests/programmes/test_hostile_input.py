"""Every builder form with hostile text in every field: a message or a refusal, never a
500, and nothing saved (a blank-looking title, "NaN" or 1e309 as a number, markup)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from rehab.extensions import db
from rehab.programmes.models import ExitCriterion, Phase, Prescription, Programme
from tests.programmes.factories import build_programme, dose_form

HOSTILE = [" ", "NaN", "Infinity", "1e309", "-99999999999999999999", "9" * 40, "A" * 5000,
           "<script>alert(1)</script>", "' OR '1'='1' --", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓", "2024-02-30"]  # fmt: skip


def _rows() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Programme, Phase, Prescription, ExitCriterion)
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_breaks_a_builder_form(world, client_for, text):
    programme = build_programme(world.patient)
    phase = programme.phases[0]
    rx = phase.prescriptions[1]
    base = f"/programmes/{programme.id}"
    stale = 0  # every form is also stale: nothing may be saved whatever passes validation
    posts = [
        (f"{base}/details", {"title": text, "description": text, "version": stale}),
        (f"{base}/phases/new", {"name": text, "goal": text, "rotation": text,
                                "schedule_kind": "rotation", "sessions_per_week": text,
                                "version": stale}),
        (f"{base}/phases/{phase.id}/criteria/new", {"kind": "therapist_check", "label": text,
                                                    "target": text, "version": stale}),
        (f"{base}/phases/{phase.id}/criteria/new", {"kind": "measure", "measure": "side_bridge",
                                                    "side": "each", "comparison": "between",
                                                    "target": text, "target_high": text,
                                                    "version": stale}),
        (f"{base}/prescriptions/{rx.id}/edit", dose_form(stale, reason=text, notes=text,
                                                         tempo=text, band_colour=text,
                                                         load_kg=text, target_effort=text)),
        (f"{base}/phase", {"note": text, "version": stale, "direction": text}),
        (f"{base}/phases/{phase.id}/move", {"version": text, "direction": text}),
    ]  # fmt: skip
    therapist = client_for("therapist")
    before = _rows()
    for url, data in posts:
        assert therapist.post(url, data=data).status_code in (200, 302, 400, 409), url
    for url in (f"{base}/phases/{phase.id}/exercises", "/programmes/templates"):
        query = {"q": text, "page": text, "category": text, "region": text}
        assert therapist.get(url, query_string=query).status_code == 200, url
    # Without a stale version the title and template name still need real text.
    for url in (f"{base}/save-as-template", f"/programmes/patient/{world.patient.id}/new"):
        response = therapist.post(url, data={"title": " ", "description": text, "source": text})
        assert response.status_code == 200, url
    db.session.expire_all()
    assert _rows() == before
