"""Pages over HTTP, as deployed: gunicorn in front of the app, measured against the app's floor.

    PYTHONPATH=. .venv/bin/python benchmarks/over_http.py --database-url URL [--rounds 200]
        [--json out.json]

Two gunicorn servers on free ports, started with the project's gunicorn.conf.py and one worker
each (so that the worker's CPU time is the request's): Rehab itself, and the bare Flask +
SQLAlchemy floor app (benchmarks/floor.py) on the same database. A client on keep-alive
connections asks, round by round and in a shuffled order within each round, for:

- ``floor``: the bare app's one indexed read;
- ``healthz``: Rehab's ``/healthz`` as a signed-in therapist (the session row, idle and
  second-factor rules, the signed cookie, security headers and one read): the floor every
  page of the app pays, and the unit the targets are set in;
- ``dashboard``, ``progress`` (the therapist), ``today`` and ``log_session`` (a POST of a
  session, with its CSRF token, as the patient): the actors are those of benchmarks/pages.py
  (the largest caseload and up to 20 of its patients, asked in turn); half of the patients
  log sessions and open their today page, the other half's progress pages are read.

Warm-up rounds come first (more than GUNICORN_WARM_UP_REQUESTS, so the worker has frozen its
start-up objects out of the garbage collector's way, as in production). For every request the
client records its latency and the worker's CPU time (the sum over the worker's threads of
/proc/<pid>/task/*/schedstat, in nanoseconds), and the size of the uncompressed page.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("floor", "healthz", "dashboard", "progress", "today", "log_session")
# p50 ÷ the signed-in healthz's p50 (issue: "Performance, measured as users feel it").
TARGETS = {"dashboard": 5.0, "today": 5.0, "log_session": 5.0, "progress": 6.0}
P95_OVER_P50 = 2.0
MAX_HTML_BYTES = 100_000
WARM_UP_ROUNDS = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- servers ---------------------------------------------------------------------------------


def start(app_spec: str, env: dict) -> tuple[subprocess.Popen, int, int]:
    """A gunicorn with one worker; returns the master, the port and the worker's pid."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
               "--bind", f"127.0.0.1:{port}", "--workers", "1", app_spec]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/nothing-here")
            connection.getresponse().read()
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            if children:
                return server, port, int(children[0])
        except OSError:
            pass
        time.sleep(0.1)
    server.terminate()
    raise RuntimeError(f"gunicorn did not start: {app_spec}")


def cpu_ns(pid: int) -> int:
    """CPU time of every thread of the process, in nanoseconds (scheduler statistics)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError):
            continue  # a thread that ended in between
    return total


# --- the client ------------------------------------------------------------------------------


class Client:
    """One keep-alive connection with one cookie (the signed Flask session)."""

    def __init__(self, port: int, cookie_name: str = "", cookie: str = "") -> None:
        self.port, self.cookie_name, self.cookie = port, cookie_name, cookie
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": f"{self.cookie_name}={self.cookie}"} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # the server may close an idle keep-alive connection
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            match = re.match(rf"{re.escape(self.cookie_name)}=([^;]*)", header)
            if match and self.cookie_name:
                self.cookie = match.group(1)
        return response.status, data


def signed_in_cookies(database_url: str, secret_key: str) -> tuple[str, dict, list]:
    """Log the actors in (a live session row each) and sign their session cookies with the
    server's secret key, as a login would; returns the cookie name, the actors and the
    cookies (therapist first)."""
    from benchmarks.pages import _actors, _login
    from rehab import create_app
    from rehab.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secret_key,
                      "SESSION_COOKIE_SECURE": False})  # fmt: skip
    name = app.config["SESSION_COOKIE_NAME"]
    with app.app_context():
        actors = _actors(db)
        clients = [_login(app, actors["therapist"])]
        clients += [_login(app, user_id) for user_id in actors["patient_users"]]
        db.session.remove()
    cookies = [client.get_cookie(name).value for client in clients]
    return name, actors, cookies


def csrf_token(client: Client) -> str:
    status, page = client.request("GET", "/training/today")
    assert status == 200, status
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()


def session_form(token: str, prescription_ids: list[int], day: str) -> str:
    data = {"csrf_token": token, "submission_key": secrets.token_urlsafe(24),
            "session_date": day, "duration_minutes": 35, "session_rpe": 5, "pain_after": 2,
            "note": ""}  # fmt: skip
    for index, prescription_id in enumerate(prescription_ids):
        data[f"exercises-{index}-prescription_id"] = str(prescription_id)
        data[f"exercises-{index}-as_prescribed"] = "y"
        data[f"exercises-{index}-pain_during"] = "2"
    return urllib.parse.urlencode(data)


# --- measuring -------------------------------------------------------------------------------


def measure(database_url: str, rounds: int, seed: int = 1) -> dict:
    from rehab.auth.models import Clinic
    from rehab.core.clock import clinic_today

    secret_key = "benchmark-" + secrets.token_hex(16)
    cookie_name, actors, cookies = signed_in_cookies(database_url, secret_key)
    today = clinic_today(Clinic(timezone="Europe/Amsterdam")).isoformat()
    with tempfile.TemporaryDirectory() as instance:
        env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secret_key,
               "SESSION_COOKIE_SECURE": "0", "REHAB_INSTANCE_PATH": instance,
               "PYTHONPATH": str(ROOT), "FLOOR_DATABASE_URL": database_url}  # fmt: skip
        app_server, app_port, app_pid = start("wsgi:app", env)
        floor_server, floor_port, floor_pid = start("benchmarks.floor:wsgi_app()", env)
        try:
            return _rounds(actors, cookie_name, cookies, today, rounds, seed,
                           (app_port, app_pid), (floor_port, floor_pid))  # fmt: skip
        finally:
            for server in (app_server, floor_server):
                server.terminate()
                server.wait(timeout=30)


def _rounds(actors, cookie_name, cookies, today, rounds, seed, app, floor) -> dict:
    (app_port, app_pid), (floor_port, floor_pid) = app, floor
    therapist = Client(app_port, cookie_name, cookies[0])
    patients = [Client(app_port, cookie_name, cookie) for cookie in cookies[1:]]
    tokens = [csrf_token(patient) for patient in patients]
    bare = Client(floor_port)
    patient_ids, prescriptions = actors["patient_ids"], actors["prescriptions"]

    # The patients who log sessions are not those whose progress is read: a new session
    # changes the charts (drawn anew once, then cached), and the page is measured as a
    # therapist mostly meets it, between a patient's sessions.
    half = max(1, len(patients) // 2)
    logging, read = range(half), range(half, len(patients)) or range(half)

    def ask(page: str, i: int) -> tuple[str, Client, int, str, str | None, int]:
        n = (read if page == "progress" else logging)[
            i % len(read if page == "progress" else logging)
        ]
        if page == "floor":
            return ("GET", bare, floor_pid, f"/floor/{patient_ids[n]}", None, 200)
        if page == "healthz":
            return ("GET", therapist, app_pid, "/healthz", None, 200)
        if page == "dashboard":
            return ("GET", therapist, app_pid, "/training/dashboard", None, 200)
        if page == "progress":
            path = f"/training/patients/{patient_ids[n]}/progress"
            return ("GET", therapist, app_pid, path, None, 200)
        if page == "today":
            return ("GET", patients[n], app_pid, "/training/today", None, 200)
        body = session_form(tokens[n], prescriptions[n], today)
        return ("POST", patients[n], app_pid, "/training/today", body, 302)

    samples: dict[str, dict[str, list]] = {p: {"ms": [], "cpu_ms": [], "bytes": []} for p in PAGES}
    order = list(PAGES)
    shuffle = random.Random(seed)
    for round_ in range(WARM_UP_ROUNDS + rounds):
        shuffle.shuffle(order)
        for page in order:
            method, client, pid, path, body, expected = ask(page, round_)
            cpu_before = cpu_ns(pid)
            started = time.perf_counter()
            status, data = client.request(method, path, body)
            elapsed = time.perf_counter() - started
            cpu = cpu_ns(pid) - cpu_before
            assert status == expected, (page, path, status, data[:300])
            if round_ >= WARM_UP_ROUNDS:
                samples[page]["ms"].append(elapsed * 1000)
                samples[page]["cpu_ms"].append(cpu / 1e6)
                samples[page]["bytes"].append(len(data))
    return {page: _summary(found) for page, found in samples.items()}


def _summary(found: dict) -> dict:
    return {
        "requests": len(found["ms"]),
        "p50_ms": statistics.median(found["ms"]),
        "p95_ms": percentile(found["ms"], 0.95),
        "mean_ms": statistics.fmean(found["ms"]),
        "cpu_p50_ms": statistics.median(found["cpu_ms"]),
        "cpu_mean_ms": statistics.fmean(found["cpu_ms"]),
        "max_bytes": max(found["bytes"]),
    }


def judged(result: dict) -> dict:
    """Each page against its targets: p50 ÷ healthz p50, p95 ÷ its own p50, page size."""
    unit = result["healthz"]["p50_ms"]
    verdicts = {}
    for page, row in result.items():
        ratio = row["p50_ms"] / unit
        tail = row["p95_ms"] / row["p50_ms"]
        target = TARGETS.get(page)
        verdicts[page] = {
            "over_healthz": ratio,
            "p95_over_p50": tail,
            "target": target,
            "met": (target is None or ratio <= target)
            and tail <= P95_OVER_P50
            and row["max_bytes"] <= MAX_HTML_BYTES,
        }
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = measure(args.database_url, args.rounds)
    output = {"rounds": args.rounds, "pages": result, "verdicts": judged(result)}
    if args.json:
        args.json.write_text(json.dumps(output, indent=2))
    for page, row in result.items():
        verdict = output["verdicts"][page]
        print(f"{page:<12} p50 {row['p50_ms']:6.1f} ms  p95 {row['p95_ms']:6.1f} ms  "
              f"cpu {row['cpu_p50_ms']:6.1f} ms  {verdict['over_healthz']:4.1f}× healthz  "
              f"p95/p50 {verdict['p95_over_p50']:.2f}  {row['max_bytes'] / 1000:.0f} KB  "
              f"{'met' if verdict['met'] else 'NOT MET'}")  # fmt: skip


if __name__ == "__main__":
    main()
