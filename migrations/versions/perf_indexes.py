"""perf: indexes for the foreign keys that deletes and the pages follow at clinic scale;
the day each clinic's alerts were last scanned

Without an index on the referring column, PostgreSQL checks a foreign key by reading the
whole referring table: deleting one programme with 1.5 million set logs in the database
took 11 s (EXPLAIN ANALYZE: the check on exercise_logs.prescription_version_id). See
benchmarks/README.md. clinics.alerts_scanned_on lets one process (or the nightly
scan-alerts) do the daily alert scan for every app server.

Revision ID: perf_indexes
Revises: reports_print_jobs
Create Date: 2026-11-25 16:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'perf_indexes'
down_revision = 'reports_print_jobs'
branch_labels = None
depends_on = None

INDEXES = [
    ("alerts", "check_in_id"),
    ("alerts", "prescription_id"),
    ("alerts", "session_id"),
    ("exercise_logs", "exercise_id"),
    ("exercise_logs", "prescription_version_id"),
    ("exit_criteria", "prescription_id"),
    ("phase_changes", "from_phase_id"),
    ("phase_changes", "to_phase_id"),
    ("prescription_versions", "suggestion_id"),
    ("suggestions", "prescription_id"),
    ("training_sessions", "phase_id"),
    ("training_sessions", "programme_id"),
]


def upgrade():
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
    with op.batch_alter_table("clinics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alerts_scanned_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("clinics", schema=None) as batch_op:
        batch_op.drop_column("alerts_scanned_on")
    for table, column in reversed(INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
