"""Batch printing: time and peak memory for 25, 50, 100 and 500 progress reports (not part
of `make test`).

Seeds, in a throw-away SQLite database, a therapist per count with that many patients, each
patient with a 12-week programme (sessions on Monday, Wednesday and Friday, a check-in every
day; tests/training/factories.bulk_caseload). Each batch then runs in a fresh child process
(the job itself, synchronously, as the worker would run it): the child reports the wall time
and its peak resident memory (VmHWM in /proc/self/status), so each measurement starts
from a clean process. Time should grow linearly with the number of reports, memory not.

Acceptance: peak RSS under 300 MB at every count, and the same (within 10 %) for every count
of one file format: what a batch holds does not grow with its number of reports.

Run:  PYTHONPATH=. .venv/bin/python benchmarks/batch_print.py [--counts 25,50,100,500]
      [--formats pdf,zip] [--runs 1] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WEEKS = 12
LIMIT_MB = 300
SPREAD = 0.10  # largest peak over smallest peak, per file format, minus one


def _app(database: str, jobs_dir: str):
    from rehab import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "benchmark",
            "TESTING": True,
            "REHAB_PASSWORD_HASH_COST": "test",
            "REHAB_JOBS_INLINE": True,
            "REHAB_JOB_QUEUE_URL": None,
            "REHAB_PRINT_JOBS_DIR": jobs_dir,
        }
    )


def seed(database: str, jobs_dir: str, counts: list[int]) -> dict[int, int]:
    """A therapist per count with that many patients; {count: therapist id}."""
    from rehab.extensions import db
    from tests.factories import make_clinic, make_user
    from tests.training.factories import bulk_caseload

    app = _app(database, jobs_dir)
    therapists = {}
    with app.app_context():
        db.create_all()
        clinic = make_clinic("Fysio Benchmark")
        for count in counts:
            therapist = make_user(clinic, "therapist", full_name=f"Therapeut {count}")
            bulk_caseload(clinic, therapist, count, days=WEEKS * 7, end=dt.date.today())
            therapists[count] = therapist.id
        db.session.commit()
        db.engine.dispose()
    return therapists


def high_water_mb() -> float:
    """This process's peak resident memory (VmHWM). Not getrusage's ru_maxrss: Linux carries
    that over an exec from the forked parent, so a child of a runner that seeded 675
    patients started at the runner's 217 MB and no job ever showed above it."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(database: str, jobs_dir: str, therapist_id: int, file_format: str) -> dict:
    """Run one batch in this process; its time, its peak memory and the file's size."""
    from pypdf import PdfReader

    from rehab.auth.models import User
    from rehab.extensions import db
    from rehab.reports import batch
    from rehab.reports.progress_report import Period

    app = _app(database, jobs_dir)
    with app.test_request_context():
        actor = db.session.get(User, therapist_id)
        today = dt.date.today()
        period = Period(today - dt.timedelta(weeks=WEEKS) + dt.timedelta(days=1), today)
        rss_before = high_water_mb()
        start = time.perf_counter()
        job = batch.start_batch(
            actor, scope="mine", period=period, file_format=file_format, language_choice="patient"
        )
        seconds = time.perf_counter() - start
        # The job's peak, read before this script opens the finished file to count its pages
        # (a 2000-page PDF read back whole is the benchmark's memory, not the job's).
        peak = high_water_mb()
        job = db.session.get(batch.PrintJob, job.id)
        path = batch.job_file(job)
        if job.status != "done" or path is None:
            raise SystemExit(f"job {job.id} {job.status}: {job.error}")
        pages = len(PdfReader(path).pages) if file_format == "pdf" else None
        return {
            "reports": job.done_count,
            "format": file_format,
            "seconds": round(seconds, 2),
            "seconds_per_report": round(seconds / job.done_count, 3),
            "peak_rss_mb": round(peak, 1),
            "rss_before_job_mb": round(rss_before, 1),
            "file_mb": round(path.stat().st_size / 1024 / 1024, 2),
            "pages": pages,
        }


def measure(counts: list[int], formats: list[str], runs: int) -> dict:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        database, jobs_dir = str(Path(folder) / "bench.sqlite"), str(Path(folder) / "jobs")
        therapists = seed(database, jobs_dir, counts)
        for file_format in formats:
            for count in counts:
                for _ in range(runs):
                    command = [
                        sys.executable, __file__, "--child", database, jobs_dir,
                        str(therapists[count]), file_format,
                    ]  # fmt: skip
                    output = subprocess.run(
                        command, check=True, capture_output=True, text=True, env=os.environ
                    ).stdout
                    rows.append(json.loads(output.strip().splitlines()[-1]))
    peak = max(r["peak_rss_mb"] for r in rows)
    spreads = {}
    for file_format in formats:
        peaks = [r["peak_rss_mb"] for r in rows if r["format"] == file_format]
        spreads[file_format] = round(max(peaks) / min(peaks) - 1, 3)
    return {
        "benchmark": "batch_print",
        "weeks": WEEKS,
        "runs": runs,
        "rows": rows,
        "peak_rss_mb": peak,
        "spread": spreads,
        "limit_mb": LIMIT_MB,
        "spread_limit": SPREAD,
        "passed": peak < LIMIT_MB and all(s <= SPREAD for s in spreads.values()),
    }


def markdown(result: dict) -> str:
    lines = [
        f"Batch printing of {result['weeks']}-week progress reports, one child process each",
        "",
        "| reports | file | time (s) | s / report | peak RSS (MB) | RSS before job (MB) "
        "| file (MB) | pages |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['reports']} | {r['format']} | {r['seconds']} | {r['seconds_per_report']} "
            f"| {r['peak_rss_mb']} | {r['rss_before_job_mb']} | {r['file_mb']} "
            f"| {r['pages'] or '–'} |"
        )
    under = "under" if result["peak_rss_mb"] < result["limit_mb"] else "NOT under"
    spread = ", ".join(
        f"{file_format} {100 * value:.1f} %" for file_format, value in result["spread"].items()
    )
    lines += [
        "",
        f"Highest peak RSS: {result['peak_rss_mb']} MB ({under} the {result['limit_mb']} MB "
        f"limit). Largest peak over smallest peak, per file: {spread} (limit "
        f"{100 * result['spread_limit']:.0f} %).",
    ]
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        database, jobs_dir, therapist_id, file_format = sys.argv[2:6]
        print(json.dumps(child(database, jobs_dir, int(therapist_id), file_format)))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="25,50,100,500")
    parser.add_argument("--formats", default="pdf,zip")
    parser.add_argument("--runs", type=int, default=1, help="batches per count and format")
    parser.add_argument("--json", dest="json_path", help="also write the results here")
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.counts.split(","))
    formats = [f for f in args.formats.split(",") if f in ("pdf", "zip")]
    result = measure(counts, formats, args.runs)
    print(markdown(result))
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()
