"""The schema belongs to Alembic: upgrade from empty works and matches the models."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from rehab import create_app
from rehab.config import normalise_database_url
from rehab.extensions import db
from tests.conftest import ON_POSTGRES, SERVER_URL, _config


@pytest.fixture
def empty_database_url(tmp_path):
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    server = make_url(normalise_database_url(SERVER_URL))
    name = f"rehab_migrate_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_matches_the_models(empty_database_url):
    app = create_app(_config(empty_database_url))
    with app.app_context():
        upgrade(directory="migrations")
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"

        # The access log is append-only in the migrated schema too.
        db.session.execute(
            sa.text("INSERT INTO audit_entries (at, action) VALUES (CURRENT_TIMESTAMP, 'view')")
        )
        db.session.commit()
        for statement in ("UPDATE audit_entries SET action = 'x'", "DELETE FROM audit_entries"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                db.session.execute(sa.text(statement))
            db.session.rollback()
        db.engine.dispose()
