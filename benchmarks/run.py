"""Run every benchmark: pages (and the PDFs when their scripts exist) on SQLite and PostgreSQL,
at the demo scale and at clinic scale, and write the results table into benchmarks/README.md.

    make bench                                   # everything (about half an hour)
    PYTHONPATH=. .venv/bin/python benchmarks/run.py --db postgresql --scale clinic
    PYTHONPATH=. .venv/bin/python benchmarks/run.py --quick     # a small try-out

Each database is made for the run (SQLite: a file under benchmarks/results/; PostgreSQL: a
database ``rehab_bench_<scale>`` on --pg-url, dropped and created), migrated with
``flask db upgrade`` and seeded with ``flask rehab seed-demo`` (demo) or ``flask rehab
seed-scale`` (clinic: 100 therapists, 5000 patients, 26 weeks). ``--reuse`` keeps a database
seeded by an earlier run. Every page is timed in its own process (benchmarks/pages.py), so
that its peak memory is its own. Raw results go to benchmarks/results/*.json (not in git).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "benchmarks" / "README.md"
PAGES = ("floor", "signed_in", "dashboard", "dashboard_scan", "caseload", "progress",
         "today", "log_session", "builder")  # fmt: skip
PAGE_NAMES = {
    "floor": "floor: bare Flask + SQLAlchemy, one indexed read",
    "signed_in": "the app itself: a signed-in therapist's health check, one read",
    "dashboard": "therapist dashboard",
    "dashboard_scan": "therapist dashboard, first load of the day (alert scan)",
    "caseload": "caseload (patient list)",
    "progress": "patient progress page (12 weeks)",
    "today": "patient's today page",
    "log_session": "logging a session (POST)",
    "builder": "programme builder",
}
PDF_SCRIPTS = ("pdf_report.py", "batch_print.py")
CLINIC = ["--therapists", "100", "--patients", "5000", "--weeks", "26"]
QUICK_CLINIC = ["--therapists", "10", "--patients", "500", "--weeks", "26"]
START, END = "<!-- results:start -->", "<!-- results:end -->"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--scale", choices=("demo", "small", "clinic", "both"), default="both")
    parser.add_argument("--quick", action="store_true", help="500 patients, 10 requests")
    parser.add_argument("--requests", type=int, help="timed requests per page (default 50)")
    parser.add_argument("--pdf-runs", type=int, default=15, help="progress reports timed")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF benchmarks")
    parser.add_argument("--pdf-only", action="store_true", help="only the PDF benchmarks")
    parser.add_argument("--pg-url", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--no-readme", action="store_true", help="do not update the README")
    parser.add_argument(
        "--http-rounds",
        type=int,
        default=200,
        help="rounds of the over-HTTP benchmark (benchmarks/over_http.py)",
    )
    parser.add_argument("--no-http", action="store_true", help="skip the over-HTTP benchmark")
    parser.add_argument(
        "--http-only",
        action="store_true",
        help="only the over-HTTP benchmark (no in-process pages, no PDFs)",
    )
    args = parser.parse_args()
    requests = args.requests or (10 if args.quick else 50)
    databases = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    scales = ("demo", "clinic") if args.scale == "both" else (
        "demo" if args.scale == "small" else args.scale,)  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    for database in () if args.pdf_only else databases:
        for scale in scales:
            url = prepare(database, scale, args)
            run = {"database": database, "scale": scale, "quick": args.quick, "pages": {}}
            run["seed"] = seed(url, scale, args)
            previous = result_file(database, scale, args.quick)
            if run["seed"].get("reused") and previous.exists():
                run["seed"] = json.loads(previous.read_text()).get("seed", run["seed"])
            previous_run = json.loads(previous.read_text()) if previous.exists() else {}
            for page in () if args.http_only else PAGES:
                run["pages"][page] = time_page(url, page, requests)
                print(f"{database:<10} {scale:<6} {page:<15} {summary(run['pages'][page])}",
                      flush=True)  # fmt: skip
            if args.http_only:
                run["pages"] = previous_run.get("pages", {})
            if not args.no_http:
                run["http"] = over_http(url, args.http_rounds)
                for page, row in run["http"]["pages"].items():
                    print(f"{database:<10} {scale:<6} http {page:<12} {http_summary(row)}",
                          flush=True)  # fmt: skip
            elif "http" in previous_run:
                run["http"] = previous_run["http"]
            run["requests"] = requests
            result_file(database, scale, args.quick).write_text(json.dumps(run, indent=2))
    if not args.no_pdf and not args.http_only:
        # They build their own data set (a 12-week programme; 100 patients), so once is enough.
        (RESULTS / "pdf.json").write_text(json.dumps(pdfs(args.pdf_runs), indent=2))
    machine = machine_info(args.pg_url)
    (RESULTS / "machine.json").write_text(json.dumps(machine, indent=2))
    # The table shows every combination measured so far (a partial rerun updates its rows).
    runs = [
        json.loads(path.read_text())
        for database in ("sqlite", "postgresql")
        for scale in ("demo", "clinic")
        if (path := result_file(database, scale, args.quick)).exists()
    ]
    pdf_path = RESULTS / "pdf.json"
    pdf = json.loads(pdf_path.read_text()) if pdf_path.exists() else {}
    table = markdown(runs, machine, requests, pdf)
    print(table)
    if not args.no_readme and not args.http_only:  # a partial run leaves the README alone
        write_readme(table)


def result_file(database: str, scale: str, quick: bool) -> Path:
    return RESULTS / f"{database}-{scale}{'-quick' if quick else ''}.json"


# --- databases -------------------------------------------------------------------------------


def prepare(database: str, scale: str, args) -> str:
    """The database URL for this run: made fresh unless --reuse finds it seeded."""
    suffix = f"{scale}{'_quick' if args.quick and scale == 'clinic' else ''}"
    if database == "sqlite":
        path = RESULTS / f"bench-{suffix}.sqlite"
        if not (args.reuse and path.exists()):
            path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    server = sa.engine.make_url(args.pg_url)
    name = f"rehab_bench_{suffix}"
    admin = sa.create_engine(server.set(drivername="postgresql+psycopg"),
                             isolation_level="AUTOCOMMIT")  # fmt: skip
    with admin.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists and not args.reuse:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = False
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def flask(url: str, *command: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *command],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def seeded(url: str) -> bool:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return bool(conn.scalar(sa.text("SELECT count(*) FROM patients")))
    except sa.exc.DBAPIError:
        return False
    finally:
        engine.dispose()


def seed(url: str, scale: str, args) -> dict:
    flask(url, "db", "upgrade")  # a reused database gets the latest migrations too
    if args.reuse and seeded(url):
        return {"reused": True}
    started = time.perf_counter()
    if scale == "demo":
        output = flask(url, "rehab", "seed-demo")
    else:
        output = flask(url, "rehab", "seed-scale", *(QUICK_CLINIC if args.quick else CLINIC))
    seconds = time.perf_counter() - started
    counts = dict(re.findall(r"^\s+(\w+)\s+(\d+)$", output, flags=re.MULTILINE))
    print(f"seeded {scale} in {seconds:.0f} s", flush=True)
    return {"seconds": round(seconds, 1), "counts": {k: int(v) for k, v in counts.items()},
            "output": output[-2000:]}  # fmt: skip


# --- measuring -------------------------------------------------------------------------------


def time_page(url: str, page: str, requests: int) -> dict:
    out = RESULTS / f"page-{page}.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    count = min(requests, 10) if page == "dashboard_scan" else requests
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "pages.py"), "--database-url", url,
         "--page", page, "--requests", str(count), "--json", str(out)],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return json.loads(out.read_text())


def over_http(url: str, rounds: int) -> dict:
    out = RESULTS / "over-http.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "over_http.py"), "--database-url", url,
         "--rounds", str(rounds), "--json", str(out)],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return json.loads(out.read_text())


def pdfs(runs: int) -> dict:
    """The PDF benchmarks: their JSON and table. Each makes its own SQLite data set, so the
    numbers do not depend on the database or scale of the page runs."""
    found = {}
    for script in PDF_SCRIPTS:
        path = ROOT / "benchmarks" / script
        if not path.exists():
            print(f"benchmarks/{script} is not there: its rows are skipped.", flush=True)
            continue
        out = RESULTS / f"{script}.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        # Batch printing: one batch of each size and format (25, 50, 100 and 500 reports).
        count = runs if script == "pdf_report.py" else 1
        result = subprocess.run(
            [sys.executable, str(path), "--runs", str(count), "--json", str(out)],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            print(f"benchmarks/{script} failed:\n{result.stderr[-2000:]}", flush=True)
            continue
        found[script] = {
            "json": json.loads(out.read_text()) if out.exists() else None,
            "table": result.stdout.strip(),
        }
    return found


def summary(result: dict) -> str:
    return (f"p50 {result['p50_ms']:8.1f} ms  p95 {result['p95_ms']:8.1f} ms  "
            f"SQL {result['statements']:>4}  RSS {result['peak_rss_mb']:.0f} MB")  # fmt: skip


def http_summary(row: dict) -> str:
    return (f"p50 {row['p50_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms  "
            f"CPU {row['cpu_p50_ms']:6.1f} ms  {row['max_bytes'] / 1000:.0f} KB")  # fmt: skip


# --- reporting -------------------------------------------------------------------------------


def machine_info(pg_url: str) -> dict:
    info = {
        "cpu": _lscpu("Model name"),
        "cores": os.cpu_count(),
        "ram_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,
    }
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            info["postgresql"] = conn.scalar(sa.text("SHOW server_version"))
    except sa.exc.OperationalError:
        pass  # no server: SQLite only
    finally:
        engine.dispose()
    return info


def _lscpu(field: str) -> str:
    try:
        output = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return platform.processor()
    for line in output.splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def markdown(runs: list[dict], machine: dict, requests: int, pdf: dict) -> str:
    lines = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram_gb']} GB RAM; "
        f"{machine['os']}; Python {machine['python']}, SQLite {machine['sqlite']}, "
        f"PostgreSQL {machine['postgresql'] or '–'}. {requests} timed requests per page "
        "(10 for the first load of the day) after 3 warm-up requests.",
        "",
    ]
    for run in runs:
        seed_info = run.get("seed", {})
        seeded_in = (f", seeded in {seed_info['seconds']:.0f} s" if "seconds" in seed_info
                     else "")  # fmt: skip
        logs = seed_info.get("counts", {}).get("exercise_logs")
        size = f", {logs:,} set logs" if logs else ""
        lines += [
            f"**{run['database']}, {run['scale']} scale{' (quick)' if run['quick'] else ''}"
            f"{size}{seeded_in}**",
            "",
        ]
        if run["pages"]:
            lines += [
                "In process (Flask's test client):",
                "",
                "| page | p50 ms | p95 ms | p95 ÷ floor p95 | SQL per request | peak RSS MB |",
                "|---|---:|---:|---:|---:|---:|",
            ]
        floor_p95 = run["pages"]["floor"]["p95_ms"] if run["pages"] else 1
        for page, result in run["pages"].items():
            times = result["p95_ms"] / floor_p95
            ratio = "1" if page == "floor" else f"{times:.1f}×" if times < 10 else f"{times:.0f}×"
            statements = f"{result['statements']:g}"
            if result["statements_min"] != result["statements_max"]:
                statements = f"{result['statements_min']}–{result['statements_max']}"
            lines.append(
                f"| {PAGE_NAMES[page]} | {result['p50_ms']:.1f} | {result['p95_ms']:.1f} | "
                f"{ratio} | {statements} | {result['peak_rss_mb']:.0f} |"
            )
        lines.append("")
        if "http" in run:
            lines += http_table(run["http"])
    for script, found in pdf.items():
        lines += [f"**PDFs: `benchmarks/{script}`**", "", found["table"], ""]
    return "\n".join(lines)


HTTP_NAMES = {
    "floor": "floor: bare Flask + SQLAlchemy behind gunicorn, one indexed read",
    "healthz": "signed-in healthz (the unit)",
    "dashboard": "therapist dashboard",
    "progress": "patient progress page (charts linked, drawn in their own requests)",
    "today": "patient's today page",
    "log_session": "logging a session (POST, with CSRF)",
}


def http_table(http: dict) -> list[str]:
    """The over-HTTP rows: latency, the worker's CPU time, and each page against its target."""
    from benchmarks.over_http import MAX_HTML_BYTES, P95_OVER_P50

    lines = [
        f"Over HTTP through gunicorn (one worker), {http['rounds']} interleaved rounds:",
        "",
        "| request | p50 ms | p95 ms | CPU ms (median) | p50 ÷ healthz p50 | target | "
        "p95 ÷ p50 | HTML KB | targets met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page, row in http["pages"].items():
        verdict = http["verdicts"][page]
        target = f"≤ {verdict['target']:g}×" if verdict["target"] else "–"
        lines.append(
            f"| {HTTP_NAMES.get(page, page)} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
            f"{row['cpu_p50_ms']:.1f} | {verdict['over_healthz']:.1f}× | {target} | "
            f"{verdict['p95_over_p50']:.2f} | {row['max_bytes'] / 1000:.0f} | "
            f"{'yes' if verdict['met'] else 'no'} |"
        )
    lines += ["", f"Targets: p50 as above, p95 ≤ {P95_OVER_P50:g} × p50, HTML ≤ "
              f"{MAX_HTML_BYTES // 1000} KB.", ""]  # fmt: skip
    return lines


def write_readme(table: str) -> None:
    text = README.read_text() if README.exists() else f"{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    README.write_text(f"{before}{START}\n{table}\n{END}{after}")


if __name__ == "__main__":
    main()
