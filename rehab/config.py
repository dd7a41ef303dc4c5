"""Settings read from the environment (microblog style), plus a testing config."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import ClassVar


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// URLs (Heroku-style and libpq-style)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key_from_instance(instance_path: str) -> str:
    """Return the key kept in the instance folder, creating it on first run.

    A constant in the code would let anyone who has read the source forge sessions. The file
    is created exclusively, so several workers starting at once agree on one key.
    """
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return path.read_text().strip()
    # Write the whole key to a private temporary file, then link it into place: the link
    # either appears complete or fails because another worker's key is already there (a
    # reader could otherwise see the file created but still empty).
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        with contextlib.suppress(FileExistsError):  # another worker's key won: use it
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_text().strip()


class Config:
    """Production defaults; every value can be set from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")  # None → generated in the instance folder
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None → SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = os.environ.get("REHAB_DEFAULT_LOCALE", "nl")
    BABEL_DEFAULT_TIMEZONE = "UTC"
    REHAB_LANGUAGES = ("nl", "en")
    REHAB_TIMEZONE = os.environ.get("REHAB_TIMEZONE", "Europe/Amsterdam")

    # Cookies: a browser treats http://127.0.0.1 and localhost as secure, so Secure stays on
    # for `make run` too; set SESSION_COOKIE_SECURE=0 only behind a TLS-terminating proxy test.
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "rehab_session"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = 12 * 3600  # absolute cap on a login, in seconds
    REHAB_IDLE_TIMEOUT_STAFF = int(os.environ.get("REHAB_IDLE_TIMEOUT_STAFF", 30 * 60))
    REHAB_IDLE_TIMEOUT_PATIENT = int(os.environ.get("REHAB_IDLE_TIMEOUT_PATIENT", 120 * 60))
    REHAB_ABSOLUTE_TIMEOUT = int(os.environ.get("REHAB_ABSOLUTE_TIMEOUT", 12 * 3600))
    # E-mail, password and two-factor changes need a log-in or re-authentication this recent.
    REHAB_REAUTH_SECONDS = int(os.environ.get("REHAB_REAUTH_SECONDS", 5 * 60))
    RATELIMIT_SECOND_STEP = os.environ.get("RATELIMIT_SECOND_STEP", "10 per minute;50 per hour")

    WTF_CSRF_TIME_LIMIT = None  # bounded by the session instead; long forms must not expire
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    # Pages kept per worker while their rows are unchanged (rehab.core.fragments): about
    # 90 KB for a progress page, 50 KB for a dashboard; 0 keeps none.
    PAGE_CACHE_BYTES = int(os.environ.get("REHAB_PAGE_CACHE_BYTES", 32 * 1024 * 1024))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per minute;50 per hour")
    # The JSON API, per token (per address without one): generous for an integration's sync,
    # low enough that a runaway script or a guessed token is slowed down.
    RATELIMIT_API = os.environ.get("RATELIMIT_API", "120 per minute;3000 per hour")
    RATELIMIT_HEADERS_ENABLED = True

    # Pages and JSON compressed on the way out (static files come compressed already, from
    # rehab/core/assets.py). Compressing a page that holds a form token is the BREACH setting;
    # it needs the victim's browser to send many requests that carry its log-in and reflect
    # the attacker's text: the session cookie is SameSite=Lax, so another site's requests
    # carry no log-in except top-level navigations, and COOP keeps it from reading them.
    COMPRESS_MIMETYPES: ClassVar[list] = [
        "text/html", "application/json", "application/manifest+json", "text/javascript",
    ]  # fmt: skip
    COMPRESS_ALGORITHM: ClassVar[list] = ["br", "gzip"]
    COMPRESS_STREAMS = False  # downloads stream; they are PDFs, zips and CSV as they are

    BOOTSTRAP_SERVE_LOCAL = True  # clinics run offline; nothing from a CDN
    BOOTSTRAP_BOOTSWATCH_THEME = None

    REHAB_ACTIVATION_HOURS = int(os.environ.get("REHAB_ACTIVATION_HOURS", 72))
    REHAB_RESET_HOURS = int(os.environ.get("REHAB_RESET_HOURS", 24))
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers to trust
    # (client address for the rate limiter and the access log, https for cookies).
    REHAB_PROXY_COUNT = int(os.environ.get("REHAB_PROXY_COUNT", 0))

    # Batch printing: an RQ queue on Redis when set (run `flask rehab worker`), else a
    # background thread of the web process. Files go to the instance folder's print_jobs/
    # (or REHAB_PRINT_JOBS_DIR) and are removed after REHAB_PRINT_JOBS_KEEP_DAYS.
    REHAB_JOB_QUEUE_URL = os.environ.get("REHAB_JOB_QUEUE_URL") or None
    REHAB_JOB_QUEUE_NAME = os.environ.get("REHAB_JOB_QUEUE_NAME", "rehab-print")
    REHAB_JOBS_INLINE = False  # run a job to the end inside the request (tests)
    REHAB_PRINT_JOBS_DIR = os.environ.get("REHAB_PRINT_JOBS_DIR") or None
    REHAB_PRINT_JOBS_KEEP_DAYS = int(os.environ.get("REHAB_PRINT_JOBS_KEEP_DAYS", 7))
    # A running job writes a heartbeat with every report; one silent for longer than this
    # (seconds) is marked failed (rehab.reports.job_watch). Longer than one report takes.
    REHAB_PRINT_JOB_TIMEOUT = int(os.environ.get("REHAB_PRINT_JOB_TIMEOUT", 600))

    # E-mail (rehab.mail). Without SMTP_HOST nothing leaves the machine: messages go to the
    # admin's outbox page and the log (the demo). Links in e-mails and the calendar feed are
    # built on REHAB_BASE_URL, never on the request's Host header (a forged Host would
    # otherwise put an attacker's address into a password-reset link).
    SMTP_HOST = os.environ.get("SMTP_HOST") or None
    SMTP_PORT = int(os.environ.get("SMTP_PORT", 587))
    SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "starttls")  # starttls, tls or none
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_TIMEOUT = int(os.environ.get("SMTP_TIMEOUT", 20))
    # A CA bundle for a mail server whose certificate a private CA signed (else the system's).
    SMTP_CA_FILE = os.environ.get("SMTP_CA_FILE") or None
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Rehab <noreply@localhost>")
    REHAB_BASE_URL = os.environ.get("REHAB_BASE_URL", "http://127.0.0.1:5000")
    REHAB_MAIL_QUEUE_NAME = os.environ.get("REHAB_MAIL_QUEUE_NAME", "rehab-mail")
    REHAB_MAIL_MAX_ATTEMPTS = int(os.environ.get("REHAB_MAIL_MAX_ATTEMPTS", 6))
    REHAB_MAIL_KEEP_DAYS = int(os.environ.get("REHAB_MAIL_KEEP_DAYS", 30))
    # "auto": each message is handed to the queue (RQ, else a thread) once its transaction
    # commits. "later": only `flask rehab send-reminders` (or a test) delivers.
    REHAB_MAIL_DISPATCH = "auto"
    RATELIMIT_FORGOT_PASSWORD = os.environ.get(
        "RATELIMIT_FORGOT_PASSWORD", "5 per minute;20 per hour"
    )


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-" + secrets.token_hex(16)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or "sqlite://"
    SESSION_COOKIE_SECURE = False  # the test client speaks plain http
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False  # tests that check CSRF turn it back on
    RATELIMIT_ENABLED = False  # the rate-limit test turns it back on
    RATELIMIT_STORAGE_URI = "memory://"
    BABEL_DEFAULT_LOCALE = "nl"
    # Argon2 at production cost would make the suite minutes slower; tests use a cheap setting.
    REHAB_PASSWORD_HASH_COST = "test"  # noqa: S105  (a cost profile name, not a password)
    # Batch print jobs run synchronously, never on a queue; the test's app gets a folder of
    # its own for their files (tests/conftest.py). Nothing is created when this is imported.
    REHAB_JOBS_INLINE = True
    REHAB_JOB_QUEUE_URL = None
    # Mail waits in the outbox until the test delivers it (tests/mail/conftest.py); no SMTP
    # server unless the test starts one.
    REHAB_MAIL_DISPATCH = "later"
    SMTP_HOST = None
    REHAB_BASE_URL = "http://rehab.test"
