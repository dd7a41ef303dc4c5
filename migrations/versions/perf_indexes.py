"""perf: indexes for the foreign keys that deletes and the pages follow at clinic scale

Without an index on the referring column, PostgreSQL checks a foreign key by reading the
whole referring table: deleting one programme with 1.5 million set logs in the database
took 11 s (EXPLAIN ANALYZE: the check on exercise_logs.prescription_version_id). See
benchmarks/README.md.

Revision ID: perf_indexes
Revises: programmes_archive
Create Date: 2026-11-25 16:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'perf_indexes'
down_revision = 'programmes_archive'
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


def downgrade():
    for table, column in reversed(INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
