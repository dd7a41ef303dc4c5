"""On PostgreSQL the app's own role may add to the access log but never change it."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from rehab.audit.cli import application_role_sql
from rehab.audit.services import record
from rehab.extensions import db


def test_role_sql_refuses_odd_names():
    with pytest.raises(ValueError, match="identifiers"):
        application_role_sql("app; DROP TABLE users", "x", "rehab")
    sql = application_role_sql("rehab_app", "it's", "rehab")
    assert "PASSWORD 'it''s'" in sql[1]
    assert any(s.startswith("GRANT SELECT, INSERT ON audit_entries") for s in sql)


def test_db_roles_prints_its_sql_on_postgresql_and_refuses_sqlite(runner):
    result = runner.invoke(args=["rehab", "db-roles", "--print-only", "--password", "pw"])
    if db.engine.dialect.name == "postgresql":
        assert result.exit_code == 0, result.output
        assert "REVOKE UPDATE, DELETE, TRUNCATE" in result.output
    else:
        assert result.exit_code != 0 and "PostgreSQL" in result.output


@pytest.mark.postgres_only
def test_the_application_role_cannot_update_or_delete_audit_entries(app, runner, world):
    record("view", patient_id=world.patient.id, object_type="patient", actor=world.therapist)
    db.session.commit()
    role, password = f"rehab_app_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    result = runner.invoke(args=["rehab", "db-roles", "--role", role, "--password", password])
    assert result.exit_code == 0, result.output
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(username=role, password=password)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT current_user")).scalar() == role
            assert conn.execute(sa.text("SELECT count(*) FROM audit_entries")).scalar() == 1
            conn.execute(sa.text("INSERT INTO audit_entries (at, action) VALUES (now(), 'view')"))
            conn.execute(sa.text("UPDATE patients SET phone = '0612345678'"))  # other tables: fine
            conn.commit()
            for statement in (
                "UPDATE audit_entries SET action = 'changed'",
                "DELETE FROM audit_entries",
                "TRUNCATE audit_entries",
            ):
                with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                    conn.execute(sa.text(statement))
                conn.rollback()
            assert conn.execute(sa.text("SELECT count(*) FROM audit_entries")).scalar() == 2
    finally:
        engine.dispose()
        with db.engine.begin() as conn:
            conn.execute(sa.text(f"DROP OWNED BY {role}"))
            conn.execute(sa.text(f"DROP ROLE {role}"))
