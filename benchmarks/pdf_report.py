"""How much the progress-report pipeline adds to WeasyPrint itself (not part of `make test`).

Seeds, in a throw-away SQLite database, a patient with a 12-week programme (three exercises,
sessions on Monday, Wednesday and Friday with every exercise logged, a morning check-in
every day, an intake and a re-assessment analysis, an accepted suggestion: see
tests/reports/factories.reportable_patient), then times for that patient:

- the pipeline: load everything, compare the analyses, compute the metrics, draw the four
  SVG charts, render the template in the patient's language, WeasyPrint with the shared
  fonts/stylesheet/fetcher, and the access-log entry (print_progress_report);
- WeasyPrint alone on the same HTML with the same pre-parsed stylesheet and font
  configuration (the floor: what rendering costs when nothing else is done);
- the same, also keeping WeasyPrint's image cache between runs as the pipeline does (the
  charts are data: URIs, so a report printed again reuses their parsed SVGs).

Acceptance, like with like: the pipeline's median within 1.2 × WeasyPrint with the same
image cache (the pipeline's own overhead: data, charts, template, audit), and a first print
with the chart and image caches emptied within 1.2 × the plain floor. The pipeline against
the plain floor is printed too: it measures the image cache's saving, not the pipeline.

Run:  PYTHONPATH=. .venv/bin/python benchmarks/pdf_report.py [--runs 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile

from weasyprint import HTML

from benchmarks.pdf_render import _time
from rehab import create_app
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.reports import pdf
from rehab.reports import progress_report as reports
from rehab.training import pages as training_pages

WEEKS = 12
PIPELINE = "pipeline (data + charts + template + PDF + audit)"
COLD = "pipeline, chart and image caches emptied first (a first print)"
ALONE = "WeasyPrint alone, same HTML, shared stylesheet and fonts"
ALONE_CACHED = "WeasyPrint alone, as above plus an image cache like the pipeline's"
LIMIT = 1.2


def _seed() -> tuple[int, int]:
    from tests.factories import make_clinic, make_patient, make_user
    from tests.reports.factories import reportable_patient

    clinic = make_clinic("Fysio Benchmark")
    therapist = make_user(clinic, "therapist", full_name="Pieter de Boer")
    patient = make_patient(clinic, therapist, first_name="Sanne", last_name="de Vries")
    reportable_patient(patient, weeks=WEEKS)
    db.session.commit()
    return patient.id, therapist.id


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                "SECRET_KEY": "benchmark",
                "TESTING": True,
                "REHAB_PASSWORD_HASH_COST": "test",
                "REHAB_PRINT_JOBS_DIR": folder,
            }
        )
        with app.app_context():
            db.create_all()
            patient_id, therapist_id = _seed()
            with app.test_request_context():
                from rehab.auth.models import User

                patient = db.session.get(Patient, patient_id)
                today = dt.date.today()
                period = reports.Period(today - dt.timedelta(weeks=WEEKS) + dt.timedelta(1), today)
                report = reports.progress_report(patient, period, language="nl")
                html = reports.report_html(report)

                def pipeline() -> None:
                    db.session.expunge_all()  # load from the database every time
                    reports.print_progress_report(
                        db.session.get(User, therapist_id),
                        db.session.get(Patient, patient_id),
                        period,
                        language_choice="patient",
                        conclusion="Goed herstel; door naar fase 3.",
                    )

                def pipeline_cold() -> None:
                    training_pages.clear_chart_caches()
                    pdf._image_cache.clear()
                    pipeline()

                def weasyprint_alone() -> None:
                    toolkit = pdf._toolkit
                    HTML(string=html, url_fetcher=toolkit.fetcher).write_pdf(
                        stylesheets=[toolkit.stylesheet],
                        font_config=toolkit.font_config,
                        pdf_variant=pdf.PDF_VARIANT,
                    )

                image_cache: dict = {}

                def weasyprint_alone_cached() -> None:
                    toolkit = pdf._toolkit
                    HTML(string=html, url_fetcher=toolkit.fetcher).write_pdf(
                        stylesheets=[toolkit.stylesheet],
                        font_config=toolkit.font_config,
                        cache=image_cache,
                        pdf_variant=pdf.PDF_VARIANT,
                    )

                results = _time(
                    {
                        PIPELINE: pipeline,
                        COLD: pipeline_cold,
                        ALONE: weasyprint_alone,
                        ALONE_CACHED: weasyprint_alone_cached,
                    },
                    runs,
                )
                pages = len(HTML(string=html, url_fetcher=pdf._toolkit.fetcher).render().pages)
                sessions = len(report.metrics.sessions)
            db.session.remove()
            db.engine.dispose()
    ratio = statistics.median(results[PIPELINE]) / statistics.median(results[ALONE])
    ratio_cached = statistics.median(results[PIPELINE]) / statistics.median(results[ALONE_CACHED])
    ratio_cold = statistics.median(results[COLD]) / statistics.median(results[ALONE])
    return {
        "benchmark": "pdf_report",
        "weeks": WEEKS,
        "sessions": sessions,
        "pages": pages,
        "runs": runs,
        "results": {
            label: {
                "median_ms": round(statistics.median(times) * 1000, 1),
                "p95_ms": round(_p95(times) * 1000, 1),
                "min_ms": round(min(times) * 1000, 1),
            }
            for label, times in results.items()
        },
        "ratio_median": round(ratio, 3),
        "ratio_median_same_cache": round(ratio_cached, 3),
        "ratio_median_cold": round(ratio_cold, 3),
        "limit": LIMIT,
        "passed": ratio_cached <= LIMIT and ratio_cold <= LIMIT,
    }


def markdown(result: dict) -> str:
    lines = [
        f"Progress report: {result['weeks']}-week programme, {result['sessions']} sessions, "
        f"{result['pages']} pages; {result['runs']} runs each",
        "",
        "| what | median (ms) | p95 (ms) | fastest (ms) |",
        "|---|---:|---:|---:|",
    ]
    for label, row in result["results"].items():
        lines.append(f"| {label} | {row['median_ms']} | {row['p95_ms']} | {row['min_ms']} |")
    verdict = "within" if result["passed"] else "NOT within"
    lines += [
        "",
        f"Pipeline ÷ WeasyPrint with the same image cache (medians): "
        f"{result['ratio_median_same_cache']:.2f} ×; first print (cold caches) ÷ WeasyPrint "
        f"alone: {result['ratio_median_cold']:.2f} × ({verdict} the {result['limit']} × limit)",
        f"Pipeline ÷ WeasyPrint alone without an image cache (the cache's saving, not the "
        f"pipeline's cost): {result['ratio_median']:.2f} ×",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", dest="json_path", help="also write the results here")
    args = parser.parse_args()
    result = measure(args.runs)
    print(markdown(result))
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()
