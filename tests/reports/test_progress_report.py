"""The therapist exports a progress report of a chosen period, in the patient's or the
clinic's language, with a conclusion; bad input comes back as a form with errors."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from tests.reports.factories import reportable_patient
from tests.reports.pdf_inspect import PAGE_NUMBER, metadata, pdf_text, render_pages
from tests.training.factories import today


def _url(patient) -> str:
    return f"/reports/patients/{patient.id}/progress-report"


def _form(start, end, language="patient", conclusion="Goed herstel; door naar fase 3.") -> dict:
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "language": language,
        "conclusion": conclusion,
    }


def test_the_form_proposes_the_programme_period_and_the_patients_language(client_for, world):
    reportable_patient(world.patient, weeks=12)
    db.session.commit()

    page = client_for("therapist").get(_url(world.patient))

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    start = today() - dt.timedelta(weeks=12) + dt.timedelta(days=1)
    assert f'value="{start.isoformat()}"' in html
    assert f'value="{today().isoformat()}"' in html
    assert "Taal van het verslag" in html


def test_a_dutch_progress_report_shows_the_patients_course(client_for, world):
    world.patient.last_name = "de Vries"
    reportable_patient(world.patient, weeks=12)
    db.session.commit()
    end = today()
    start = end - dt.timedelta(weeks=12) + dt.timedelta(days=1)

    response = client_for("therapist").post(_url(world.patient), data=_form(start, end))

    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "application/pdf"
    assert "voortgangsverslag-sanne-de-vries" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    for expected in (
        "Voortgangsverslag",
        "Sanne de Vries",
        "Pieter Therapeut, Fysio Noord",
        "Weer 10 km hardlopen zonder rugpijn",
        "Bewegingsanalyses",
        "Voor",
        "Na",
        "Verbeterd",
        "Fasen",
        "Goed herstel; door naar fase 3.",
        "Huidige oefeningen en doseringen",
        "Goblet squat (A) 3 × 8–12 herhalingen, 20 kg, inspanning 7/10",
        "Side plank (B)",
        "Brisk walk",
        "Geaccepteerde dosisaanpassingen",
        "Goblet squat",
        "22 kg",
        "Sessies gedaan",
    ):
        assert expected in text, expected
    pages = [int(m.group(2)) for m in PAGE_NUMBER.finditer(text)]
    assert pages and all(total == metadata(response.data)["pages"] for total in pages)
    info = metadata(response.data)
    assert info["title"] == "Voortgangsverslag van Sanne de Vries"
    assert info["author"] == "Pieter Therapeut"
    assert info["lang"] == "nl"
    render_pages(response.data, "progress-report-nl")
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.object_type == "progress_report", AuditEntry.action == "print"
        )
    )
    assert entry.action == "print" and entry.patient_id == world.patient.id


def test_an_english_report_in_the_clinics_language(client_for, world):
    world.clinic.default_locale = "en"
    reportable_patient(world.patient, weeks=6)
    db.session.commit()
    end = today()

    response = client_for("therapist").post(
        _url(world.patient), data=_form(end - dt.timedelta(weeks=6), end, language="clinic",
                                        conclusion="Good recovery.")
    )  # fmt: skip

    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in ("Progress report", "Movement analyses", "Improved", "Phases",
                     "Current exercises and doses", "Goblet squat",
                     "Accepted dose changes", "Good recovery.", "Sessions done"):  # fmt: skip
        assert expected in text, expected
    assert metadata(response.data)["lang"] == "en"
    render_pages(response.data, "progress-report-en")


def test_a_patient_without_programme_or_sessions_gets_an_empty_report(client_for, world):
    end = today()
    response = client_for("therapist").post(
        _url(world.patient), data=_form(end - dt.timedelta(weeks=4), end, conclusion="")
    )

    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Er is nog geen programma" in text
    assert "In deze periode zijn geen sessies vastgelegd." in text
    assert "Er is geen bewegingsanalyse vastgelegd" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2026-03-10", "end": "2026-03-01"}, "Het einde van de periode ligt vóór het"),
        ({"start": "2020-01-01", "end": "2023-01-01"}, "Een verslag beslaat hooguit twee jaar"),
        ({"start": "31-12-2024", "end": "2025-01-01"}, "Vul een geldige datum in."),
        ({"start": "2025-01-01", "end": "2150-12-31"}, "De periode kan niet in de toekomst"),
        ({"start": "2025-01-01", "end": "9999-12-31"}, "Vul een datum in tussen 1900 en 2199."),
        ({"language": "fr"}, "Kies de taal van het verslag."),
        ({"conclusion": "x" * 4001}, "hooguit 4000 tekens"),
    ],
)  # fmt: skip
def test_bad_input_comes_back_as_the_form_with_an_error(client_for, world, data, message):
    end = today()
    form = _form(end - dt.timedelta(weeks=4), end)
    form.update(data)

    response = client_for("therapist").post(_url(world.patient), data=form)

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)
    assert (
        db.session.scalar(
            select(AuditEntry).where(
                AuditEntry.object_type == "progress_report", AuditEntry.action == "print"
            )
        )
        is None
    )


def test_the_report_loads_in_a_fixed_number_of_queries(app, world, count_queries):
    from rehab.reports.progress_report import Period, progress_report

    def queries_for(weeks: int) -> int:
        patient = world.patient if weeks == 4 else world.other_patient
        reportable_patient(patient, weeks=weeks)
        db.session.commit()
        db.session.expire_all()
        end = today()
        with app.test_request_context(), count_queries() as counter:
            progress_report(patient, Period(end - dt.timedelta(weeks=12), end), language="nl")
        return counter.count

    assert queries_for(4) == queries_for(12)


A4_WIDTH_PT = 595.28
MARGIN_PT = 16 / 25.4 * 72  # pdf.css: @page margin 16 mm left and right


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_table_runs_past_the_page_margin(client_for, world, language):
    """The Dutch "Per week" table ran past the right margin on page 3 (its headings would not
    wrap). Every word on every page now lies inside the content box."""
    from tests.reports.pdf_inspect import word_boxes

    world.patient.preferred_language = language
    reportable_patient(world.patient, weeks=12)
    db.session.commit()
    end = today()
    start = end - dt.timedelta(weeks=12) + dt.timedelta(days=1)
    pdf = client_for("therapist").post(_url(world.patient), data=_form(start, end)).data
    boxes = word_boxes(pdf)
    assert boxes
    right_edge = A4_WIDTH_PT - MARGIN_PT + 1.0
    outside = [(page, word, round(x1, 1)) for page, _x0, _y0, x1, _y1, word in boxes
               if x1 > right_edge]  # fmt: skip
    assert not outside, f"words past the right margin ({right_edge:.1f} pt): {outside[:10]}"
    assert min(x0 for _page, x0, *_rest in boxes) >= MARGIN_PT - 1.0


def test_the_latest_analysis_is_printed_with_its_flags_even_when_it_is_the_only_one(
    client_for, world
):
    """One intake so far: its NPRS, PSK and tests are printed (before, only "one analysis so
    far" was), with the flags the analysis page shows."""
    from decimal import Decimal

    from tests.patients.factories import make_analysis

    make_analysis(
        world.patient, kind="intake", recorded_on=today() - dt.timedelta(days=3), nprs=6,
        modified_schober=Decimal("3.5"), biering_sorensen=Decimal("70"),
        side_bridge_left=Decimal("40"), side_bridge_right=Decimal("52"),
        activities=[("Hardlopen 10 km", 8), ("Tillen op het werk", 6)], instrument="psk",
    )  # fmt: skip
    db.session.commit()
    end = today()
    text = pdf_text(
        client_for("therapist")
        .post(_url(world.patient), data=_form(end - dt.timedelta(weeks=2), end))
        .data
    )
    assert "Laatste analyse: Intake van" in text
    assert "3,5 cm ⚠ Onder de normaalwaarde van 5 cm" in text
    assert "70 s" in text
    assert "Geslacht niet vastgelegd" in text  # no Sørensen cut-off without it (domain.md §6)
    assert "L 40 · R 52 s" in text and "Asymmetrie 23,1 %" in text
    assert "Hardlopen 10 km 8" in text and "Gemiddelde (hoger = meer moeite) 7" in text
    assert "Een analyse tot nu toe" in text
