"""Test fixtures: an app per test with a clean database (SQLite or PostgreSQL), clients
logged in per role, and a counter of SQL statements per request.

Set DATABASE_URL to a PostgreSQL server (e.g. postgresql://postgres@127.0.0.1:5432/postgres)
to run the whole suite there: a uniquely named test database is created and dropped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy.engine import make_url

from rehab import create_app
from rehab.config import TestingConfig, normalise_database_url
from rehab.extensions import db
from tests.factories import login_as, make_clinic, make_patient, make_user

# Property tests judge behaviour, not speed: a per-example deadline only makes them flaky on a
# busy 2-core CI machine. Function-scoped fixtures are fine here: each test's app is reused
# on purpose across its examples (forms are posted against the same world).
settings.register_profile(
    "rehab", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("rehab")

SERVER_URL = os.environ.get("DATABASE_URL")
ON_POSTGRES = bool(SERVER_URL) and SERVER_URL.startswith(("postgres://", "postgresql"))


# --- the database -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id) -> Iterator[str]:
    """A database with the current schema: a template file on SQLite, a fresh PostgreSQL db."""
    if ON_POSTGRES:
        server = make_url(normalise_database_url(SERVER_URL))
        name = f"rehab_test_{worker_id}_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = server.set(database=name).render_as_string(hide_password=False)
        _create_schema(url)
        yield url
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("db") / "template.sqlite"
        url = f"sqlite:///{path}"
        _create_schema(url)
        yield url


@pytest.fixture(scope="session")
def worker_id(request) -> str:
    """pytest-xdist's worker name ('gw0' …), or 'main' without xdist."""
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


def _create_schema(url: str) -> None:
    app = create_app(_config(url))
    with app.app_context():
        db.create_all()
        db.engine.dispose()


def _config(url: str, **overrides) -> dict:
    config = {k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=url, **overrides)
    return config


def _clean_postgres() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        # Triggers off for this connection only: the access log refuses TRUNCATE otherwise.
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


# --- the app ------------------------------------------------------------------------------


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production.

    Tests keep an app context open for their factories; Flask would otherwise reuse it for
    requests, sharing ``g`` (Flask-Login caches the user there) and the SQLAlchemy session
    (whose identity map would hide queries from the query-budget tests).
    """

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def make_app(database_url, tmp_path) -> Iterator:
    """Build an app on a clean copy of the test database, with config overrides."""
    apps: list[Flask] = []

    def build(**overrides) -> Flask:
        if ON_POSTGRES:
            url = database_url
        else:
            copy = tmp_path / f"test-{len(apps)}.sqlite"
            shutil.copyfile(make_url(database_url).database, copy)
            url = f"sqlite:///{copy}"
        overrides.setdefault("REHAB_PRINT_JOBS_DIR", str(tmp_path / f"print-jobs-{len(apps)}"))
        app = create_app(_config(url, **overrides))
        app.test_client_class = IsolatedClient
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            if ON_POSTGRES:
                db.session.remove()
                _clean_postgres()
            db.engine.dispose()


@pytest.fixture
def app(make_app, request) -> Iterator[Flask]:
    """The test's app; ``@pytest.mark.app_config(KEY=value)`` overrides settings."""
    marker = request.node.get_closest_marker("app_config")
    app = make_app(**(marker.kwargs if marker else {}))
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- people -------------------------------------------------------------------------------


@dataclass
class World:
    """Two clinics: A with an admin, a therapist and two patients; B with a therapist and a
    patient. Areas add their own objects (see tests/role_matrix)."""

    clinic: object
    admin: object
    therapist: object
    patient: object  # a Patient record of clinic A (``patient.user`` logs in)
    other_patient: object  # another patient of clinic A
    other_clinic: object
    other_therapist: object
    foreign_patient: object  # a patient of clinic B
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def world(app) -> World:
    clinic = make_clinic("Fysio Noord")
    admin = make_user(clinic, "admin", full_name="Anne Admin")
    therapist = make_user(clinic, "therapist", full_name="Pieter Therapeut")
    other_clinic = make_clinic("Fysio Zuid")
    other_therapist = make_user(other_clinic, "therapist", full_name="Olga Elders")
    w = World(
        clinic=clinic,
        admin=admin,
        therapist=therapist,
        patient=make_patient(clinic, therapist, first_name="Sanne"),
        other_patient=make_patient(clinic, therapist, first_name="Tom"),
        other_clinic=other_clinic,
        other_therapist=other_therapist,
        foreign_patient=make_patient(other_clinic, other_therapist, first_name="Vera"),
    )
    db.session.commit()
    return w


ROLES = ("anonymous", "patient", "other_patient", "therapist", "other_therapist", "admin")


def user_for_role(world: World, role: str):
    return {
        "anonymous": None,
        "patient": world.patient.user,
        "other_patient": world.other_patient.user,
        "therapist": world.therapist,
        "other_therapist": world.other_therapist,
        "admin": world.admin,
    }[role]


@pytest.fixture
def client_for(app, world):
    """client_for('therapist') → a test client logged in as that role of the world."""

    def make(role: str):
        client = app.test_client()
        user = user_for_role(world, role)
        return client if user is None else login_as(client, user)

    return make


# --- SQL statements per request -----------------------------------------------------------


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(statement)


@pytest.fixture
def count_queries(app):
    """with count_queries() as q: client.get(...)  →  q.count statements were sent."""

    @contextlib.contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        sa.event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", counter)

    return counting


# --- the clock: the whole suite on a chosen day ------------------------------------------


def pytest_configure(config):
    """REHAB_TEST_NOW=2027-03-28T03:30:00+02:00 runs the suite as if it were that moment.

    The clock still ticks from there (timeouts and rate limits keep working). CI runs the
    suite on the days that have broken date arithmetic before: a Monday, a Sunday, New Year,
    both daylight-saving changes in Europe/Amsterdam and 29 February (see .ci/run).
    """
    moment = os.environ.get("REHAB_TEST_NOW")
    if moment:
        import time_machine

        traveller = time_machine.travel(dt.datetime.fromisoformat(moment), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    moment = os.environ.get("REHAB_TEST_NOW")
    return f"clock: {moment} (REHAB_TEST_NOW)" if moment else None


# --- e-mail -------------------------------------------------------------------------------


@pytest.fixture
def smtp_server(app):
    """A real SMTP server (aiosmtpd) on a free local port; the test's app sends to it."""
    from tests.mail.smtp_server import running_smtp_server

    with running_smtp_server() as server:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_SECURITY="none")
        yield server


# --- CI: a skipped required test is a failure ---------------------------------------------


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests (role grants, concurrency) are left out on SQLite: deselected,
    not skipped, so that CI's "no skipped tests" rule holds on both runs."""
    if ON_POSTGRES:
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if os.environ.get("REHAB_REQUIRE_ALL_TESTS") != "1":
        return
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(
            f"REHAB_REQUIRE_ALL_TESTS=1: {len(skipped)} test(s) were skipped; CI requires all.",
            red=True,
        )


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("REHAB_REQUIRE_ALL_TESTS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = 1
