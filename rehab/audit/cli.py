"""`flask rehab db-roles`: a PostgreSQL role for the running app that cannot rewrite history.

Migrations run as the database owner; the web app connects as this role instead. It may read
and write every table except the access log, where it may only INSERT and SELECT: the
database itself refuses to UPDATE, DELETE or TRUNCATE audit entries, on top of the trigger.
"""

from __future__ import annotations

import re
import secrets

import click
from flask import current_app
from sqlalchemy import text

from rehab.cli import rehab_cli
from rehab.extensions import db

APPEND_ONLY_TABLES = ("audit_entries",)
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def application_role_sql(role: str, password: str, database: str) -> list[str]:
    """The statements that create (or update) ``role`` and grant it what the app needs."""
    if not _IDENTIFIER.fullmatch(role) or not _IDENTIFIER.fullmatch(database):
        raise ValueError("role and database must be plain lower-case identifiers")
    quoted_password = "'" + password.replace("'", "''") + "'"
    tables = ", ".join(APPEND_ONLY_TABLES)
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "  # nosec B608
        f"CREATE ROLE {role} LOGIN; END IF; END $$",
        f"ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS "
        f"PASSWORD {quoted_password}",
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # Tables that later migrations create: the same rights, granted by the owner.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        # The access log: append and read only.
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {tables} FROM {role}",
        f"GRANT SELECT, INSERT ON {tables} TO {role}",
        # Alembic's bookkeeping belongs to the owner.
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}",
    ]


@rehab_cli.command("db-roles")
@click.option("--role", default="rehab_app", show_default=True, help="Name of the app's role.")
@click.option("--password", help="Its password (generated and printed when left out).")
@click.option("--print-only", is_flag=True, help="Print the SQL instead of running it.")
def db_roles(role: str, password: str | None, print_only: bool) -> None:
    """Create the PostgreSQL role the web app should connect as (run as the owner)."""
    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("db-roles is for PostgreSQL; SQLite has no roles.")
    generated = password is None
    password = password or secrets.token_urlsafe(24)
    database = db.engine.url.database
    statements = application_role_sql(role, password, database)
    if print_only:
        click.echo(";\n".join(statements) + ";")
        return
    with db.engine.begin() as conn:
        if not conn.execute(text("SELECT to_regclass('alembic_version')")).scalar():
            statements = statements[:-1]  # a schema made without migrations (tests)
        for statement in statements:
            conn.execute(text(statement))
    url = db.engine.url.set(username=role, password=password)
    click.echo(f"Role {role} can now use {database}; the access log is append-only for it.")
    if generated:
        click.echo("Let the app connect with:")
        click.echo(f"  DATABASE_URL={url.render_as_string(hide_password=False)}")
    current_app.logger.info("db-roles: granted %s on %s", role, database)
