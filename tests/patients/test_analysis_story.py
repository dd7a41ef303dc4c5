"""A therapist's first weeks with a new patient: create, hand over the link, record an intake
and a re-assessment, and compare them — in Dutch and in English."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rehab.extensions import db
from rehab.patients.models import MovementAnalysis, Patient
from tests.factories import clinic_today
from tests.patients.factories import analysis_form

TEXT = {
    "nl": {
        "created": "is aangemaakt",
        "link": "Accountlink voor",
        "saved": "De analyse is opgeslagen.",
        "red_flags": "Rode vlaggen: neem contact op met de huisarts of verwijzer",
        "outside": "Buiten de referentie",
        "compare_title": "Herbeoordeling: twee analyses naast elkaar",
        "improved": "Verbeterd",
        "yes": "Ja",
    },
    "en": {
        "created": "has been created",
        "link": "Account link for",
        "saved": "The analysis has been saved.",
        "red_flags": "Red flags: contact the GP or referrer",
        "outside": "Outside reference",
        "compare_title": "Re-assessment: two analyses side by side",
        "improved": "Improved",
        "yes": "Yes",
    },
}


def _row(html: str, measure: str) -> str:
    match = re.search(rf'<tr class="change-row" data-measure="{measure}">(.*?)</tr>', html, re.S)
    assert match, f"no comparison row for {measure}"
    return match.group(1)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_therapist_records_intake_and_reassessment_and_compares(client_for, world, language):
    world.therapist.locale = language
    db.session.commit()
    client = client_for("therapist")

    # A new patient, and the activation link handed over on screen.
    response = client.post(
        "/patients/new",
        data={
            "first_name": "Lisa",
            "last_name": "Mulder",
            "email": "lisa@example.com",
            "preferred_language": language,
            "therapist_id": world.therapist.id,
            "main_complaint": "Lage rugpijn na verhuizing",
        },
        follow_redirects=True,
    )
    assert TEXT[language]["created"] in response.text
    assert TEXT[language]["link"] in response.text
    assert "/activate/" in response.text
    patient = db.session.query(Patient).filter_by(email="lisa@example.com").one()

    # The intake six weeks ago: pain, PSK activities, trunk endurance, a red flag.
    intake_day = clinic_today() - dt.timedelta(weeks=6)
    page = client.get(f"/patients/{patient.id}/analyses/new")
    assert page.status_code == 200
    response = client.post(
        f"/patients/{patient.id}/analyses/new",
        data=analysis_form(
            intake_day,
            "intake",
            nprs="7",
            nprs_worst="9",
            activity_instrument="psk",
            activities=[("Hardlopen", 8), ("Kind optillen", 7), ("Lang zitten", 6)],
            modified_schober="3,5",
            side_bridge_left="40",
            side_bridge_right="55",
            biering_sorensen="90",
            mcgill_flexor="95",
            red_flag_night_pain=True,
            treatment_profile="2",
        ),
        follow_redirects=True,
    )
    assert TEXT[language]["saved"] in response.text
    assert TEXT[language]["red_flags"] in response.text
    assert TEXT[language]["outside"] in response.text  # Schober below 5 cm, ratios
    intake = db.session.query(MovementAnalysis).filter_by(patient_id=patient.id).one()
    assert float(intake.psk) == pytest.approx(7.0)
    assert [a.description for a in intake.activities] == [
        "Hardlopen",
        "Kind optillen",
        "Lang zitten",
    ]

    # The re-assessment form offers the same activities again.
    page = client.get(f"/patients/{patient.id}/analyses/new").text
    assert 'value="Hardlopen"' in page
    assert '<option selected value="reassessment">' in page

    response = client.post(
        f"/patients/{patient.id}/analyses/new",
        data=analysis_form(
            clinic_today(),
            "reassessment",
            nprs="3",
            activity_instrument="psk",
            activities=[("Hardlopen", 5), ("Kind optillen", 3), ("Lang zitten", 4)],
            modified_schober="5.5",
            side_bridge_left="60",
            side_bridge_right="62",
        ),
        follow_redirects=True,
    )
    assert TEXT[language]["saved"] in response.text

    # The comparison: first against latest by default.
    html = client.get(f"/patients/{patient.id}/analyses/compare").text
    assert TEXT[language]["compare_title"] in html
    nprs = _row(html, "nprs")  # 7 → 3: −4 points, beyond the MCID of 2
    assert "-4" in nprs and TEXT[language]["improved"] in nprs
    assert f"<strong>{TEXT[language]['yes']}</strong>" in nprs
    psk = _row(html, "psk")  # 7.0 → 4.0: PSK lower is better
    assert TEXT[language]["improved"] in psk and "-3" in psk
    schober = _row(html, "modified_schober")  # +2 cm, beyond the SDC of 1.8 cm
    assert "+2" in schober and f"<strong>{TEXT[language]['yes']}</strong>" in schober

    # The patient page lists both and offers the comparison.
    detail = client.get(f"/patients/{patient.id}").text
    assert f"/patients/{patient.id}/analyses/compare" in detail
    assert detail.count(f"/patients/{patient.id}/analyses/") >= 3
