"""Lighthouse (mobile emulation) on the patient's Today page, logged in, against gunicorn.

    make lighthouse            # installs Lighthouse 12.2.3 outside the repository first
    PYTHONPATH=. .venv/bin/python benchmarks/lighthouse.py --lighthouse DIR [--runs 3]

A fresh SQLite demo database (one clinic, its patients and six weeks of logs) is served by
gunicorn on a free port; the script logs in as the demo patient sanne@demo.rehab and hands
the session cookie to Lighthouse (``--extra-headers``), which drives the system Chromium
headless with its default mobile emulation and simulated slow 4G. It prints the median
performance score and largest contentful paint of the runs (and keeps the JSON reports in
benchmarks/results/, not in git).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PATIENT = ("sanne@demo.rehab", "demo-patient-2026")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env: dict, port: int) -> subprocess.Popen:
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["db", "upgrade"], ["rehab", "load-library"], ["rehab", "seed-demo"]):
        subprocess.run(flask + command, env=env, cwd=ROOT, check=True, capture_output=True)
    gunicorn = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                "--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"]  # fmt: skip
    server = subprocess.Popen(gunicorn, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not start")


def log_in(base: str) -> str:
    """The patient's session cookie, as ``name=value``."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    data = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "email": PATIENT[0], "password": PATIENT[1]}
    ).encode()
    opener.open(f"{base}/login", data=data).read()
    cookie = next(c for c in jar if c.name == "rehab_session")
    return f"{cookie.name}={cookie.value}"


def lighthouse(binary: Path, url: str, cookie: str, report: Path) -> dict:
    command = [
        str(binary), url, "--quiet", "--only-categories=performance", "--output=json",
        f"--output-path={report}", '--chrome-flags=--headless --no-sandbox',
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
    ]  # fmt: skip
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, env=env, check=True)
    result = json.loads(report.read_text())
    return {
        "score": round(result["categories"]["performance"]["score"] * 100),
        "lcp_ms": result["audits"]["largest-contentful-paint"]["numericValue"],
        "fcp_ms": result["audits"]["first-contentful-paint"]["numericValue"],
        "bytes": result["audits"]["total-byte-weight"]["numericValue"],
        "url": result["finalDisplayedUrl"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", default="/tmp/rehab-lighthouse", type=Path,  # noqa: S108
                        help="folder where `npm install lighthouse@12.2.3` was run")  # fmt: skip
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    binary = args.lighthouse / "node_modules" / ".bin" / "lighthouse"
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        env = {**os.environ, "REHAB_INSTANCE_PATH": folder, "SESSION_COOKIE_SECURE": "0",
               "GUNICORN_WORKERS": "2"}  # fmt: skip
        env.pop("DATABASE_URL", None)
        server = serve(env, port)
        try:
            base = f"http://127.0.0.1:{port}"
            cookie = log_in(base)
            runs = [
                lighthouse(binary, f"{base}/training/today", cookie, RESULTS / f"lh-{n}.json")
                for n in range(args.runs)
            ]
        finally:
            server.terminate()
            server.wait(timeout=10)
    for run in runs:
        print(json.dumps(run))
    assert all(run["url"].endswith("/training/today") for run in runs), "not logged in"
    print(
        f"median of {len(runs)}: performance {statistics.median(r['score'] for r in runs)}, "
        f"LCP {statistics.median(r['lcp_ms'] for r in runs) / 1000:.2f} s, "
        f"FCP {statistics.median(r['fcp_ms'] for r in runs) / 1000:.2f} s, "
        f"{statistics.median(r['bytes'] for r in runs) / 1024:.0f} KiB transferred"
    )


if __name__ == "__main__":
    main()
