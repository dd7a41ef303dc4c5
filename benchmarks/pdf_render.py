"""How much the handout pipeline adds to WeasyPrint itself (not part of `make test`).

Builds a programme of 4 phases × 8 exercises (half with a picture) in a throw-away SQLite
database, then times, for the same patient:

- the pipeline: load the data, render the template in the patient's language, WeasyPrint
  with the shared fonts/stylesheet/fetcher, and the access-log entry (print_handout);
- WeasyPrint alone on the same HTML with the same options and the pre-parsed stylesheet
  (the floor: what rendering costs when nothing else is done);
- WeasyPrint alone on the same HTML, parsing the stylesheet and making a new font
  configuration each time (what a naive caller would pay).

Run:  .venv/bin/python benchmarks/pdf_render.py [--runs 10]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from PIL import Image
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from rehab import create_app
from rehab.auth.models import Clinic, Role, User
from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.models import Phase, Prescription, Programme
from rehab.reports import pdf, services

PHASES = 4
EXERCISES_PER_PHASE = 8
PIPELINE = "pipeline (data + template + PDF + audit)"
SHARED = "WeasyPrint alone, same HTML, shared stylesheet"


def _picture(n: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 450), (20 * n % 255, 110, 105)).save(buffer, format="PNG")
    return buffer.getvalue()


def _seed() -> Patient:
    clinic = Clinic(name="Fysio Benchmark")
    db.session.add(clinic)
    db.session.flush()
    therapist = User(
        clinic_id=clinic.id, email="t@bench.test", full_name="Pieter de Boer", role=Role.THERAPIST
    )
    account = User(
        clinic_id=clinic.id, email="p@bench.test", full_name="Sanne de Vries", role=Role.PATIENT
    )
    db.session.add_all([therapist, account])
    db.session.flush()
    patient = Patient(
        clinic_id=clinic.id,
        therapist_id=therapist.id,
        user_id=account.id,
        first_name="Sanne",
        last_name="de Vries",
        preferred_language="nl",
    )
    db.session.add(patient)
    db.session.flush()
    programme = Programme(
        clinic_id=clinic.id,
        patient_id=patient.id,
        title="Terug naar hardlopen",
        status="active",
        created_by_id=therapist.id,
    )
    db.session.add(programme)
    db.session.flush()
    for position in range(1, PHASES + 1):
        phase = Phase(
            programme_id=programme.id,
            position=position,
            name=f"Fase {position}",
            goal="Pijnvrij bewegen, kracht en uithoudingsvermogen opbouwen.",
            planned_weeks=3,
        )
        db.session.add(phase)
        db.session.flush()
        for n in range(1, EXERCISES_PER_PHASE + 1):
            exercise = Exercise(
                slug=f"bench-{position}-{n}",
                category="strength",
                difficulty=2,
                dosage_type="reps",
                sets=3,
                reps=10,
                name_nl=f"Oefening {position}.{n}: brug op één been",
                name_en=f"Exercise {position}.{n}: single-leg bridge",
                starting_position_nl="Lig op je rug, knieën gebogen, voeten heupbreed.",
                starting_position_en="Lie on your back, knees bent, feet hip-width apart.",
                execution_nl="1. Adem uit en span je buik aan.\n2. Til je bekken op.\n"
                "3. Houd 2 tellen vast en zak rustig terug.",
                execution_en="1. Breathe out and brace.\n2. Lift your pelvis.\n"
                "3. Hold for 2 counts and lower slowly.",
                common_mistakes_nl="Holle rug; knieën vallen naar binnen.",
                common_mistakes_en="Arching the back; knees falling inwards.",
                feel_nl="Je voelt je bilspieren en hamstrings werken.",
                feel_en="You feel your glutes and hamstrings working.",
                caution_nl="Stop bij uitstralende pijn in het been.",
                caution_en="Stop if pain radiates into your leg.",
                image_data=_picture(n) if n % 2 else None,
                image_mime="image/png" if n % 2 else None,
            )
            db.session.add(exercise)
            db.session.flush()
            db.session.add(
                Prescription(
                    phase_id=phase.id,
                    exercise_id=exercise.id,
                    position=n,
                    sets=3,
                    dosage_type="reps",
                    reps_min=8,
                    reps_max=12,
                    load_kind="kg",
                    load_kg=Decimal("10"),
                    target_effort=Decimal(7),
                    rest_seconds=90,
                    rule_kind="double_progression",
                    load_increment_kg=Decimal("2.5"),
                )
            )
    db.session.flush()
    programme.current_phase_id = programme.phases[1].id
    db.session.commit()
    return patient


def _time(functions: dict, runs: int) -> dict[str, list[float]]:
    """Time each function ``runs`` times, in turn, so that a busy machine slows all alike."""
    for function in functions.values():
        function()  # warm-up: first use builds the shared fonts and stylesheet
    times: dict[str, list[float]] = {label: [] for label in functions}
    for _ in range(runs):
        for label, function in functions.items():
            start = time.perf_counter()
            function()
            times[label].append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                "SECRET_KEY": "benchmark",
                "TESTING": True,
            }
        )
        with app.app_context():
            db.create_all()
            patient_id = _seed().id
            with app.test_request_context():
                patient = db.session.get(Patient, patient_id)
                handout = services.handout_for(patient)
                html = pdf.render_html(
                    "pdf/handout.html",
                    language="nl",
                    title="Oefenprogramma",
                    author=patient.therapist.full_name,
                    context={
                        "handout": handout,
                        "patient": patient,
                        "clinic": patient.clinic,
                        "therapist": patient.therapist,
                        "warning_signs": services.WARNING_SIGNS,
                        "advice": services.ADVICE,
                    },
                )
                css_text = (Path(app.static_folder) / "css" / "pdf.css").read_text()

                def pipeline() -> None:
                    db.session.expunge_all()  # load from the database every time
                    services.print_handout(None, db.session.get(Patient, patient_id))

                def weasyprint_shared() -> None:
                    toolkit = pdf._toolkit
                    HTML(string=html, url_fetcher=toolkit.fetcher).write_pdf(
                        stylesheets=[toolkit.stylesheet],
                        font_config=toolkit.font_config,
                        pdf_variant=pdf.PDF_VARIANT,
                    )

                def weasyprint_naive() -> None:
                    font_config = FontConfiguration()
                    stylesheet = CSS(string=css_text, font_config=font_config)
                    HTML(string=html, url_fetcher=pdf._toolkit.fetcher).write_pdf(
                        stylesheets=[stylesheet],
                        font_config=font_config,
                        pdf_variant=pdf.PDF_VARIANT,
                    )

                results = _time(
                    {
                        PIPELINE: pipeline,
                        SHARED: weasyprint_shared,
                        "WeasyPrint alone, same HTML, new stylesheet/fonts": weasyprint_naive,
                    },
                    args.runs,
                )
            db.session.remove()
            db.engine.dispose()
    pages = len(HTML(string=html).render().pages)
    print(
        f"Handout: {PHASES} phases × {EXERCISES_PER_PHASE} exercises "
        f"(current phase printed, {pages} pages), {args.runs} runs each"
    )
    for label, times in results.items():
        print(
            f"  {label:52s} median {statistics.median(times) * 1000:7.1f} ms"
            f"   min {min(times) * 1000:7.1f} ms"
        )
    pipeline_ms = statistics.median(results[PIPELINE])
    alone_ms = statistics.median(results[SHARED])
    pipeline_min = min(results[PIPELINE])
    alone_min = min(results[SHARED])
    print(
        f"  overhead of the pipeline over WeasyPrint alone: {pipeline_ms / alone_ms - 1:+.1%} "
        f"(medians), {pipeline_min / alone_min - 1:+.1%} (fastest runs)"
    )


if __name__ == "__main__":
    main()
