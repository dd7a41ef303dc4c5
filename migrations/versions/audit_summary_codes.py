"""access log: what an entry says is a code with values, worded when the log is read

``audit_entries.summary`` held English sentences built at each call site. New entries set
``summary_code`` and ``summary_values`` (JSON) instead, and the log pages and the CSV word
them in the reader's language (rehab.audit.summaries).

Existing rows are not converted: the access log is append-only (NEN 7513; the database
refuses UPDATE on it for every role), so a rewrite would have to lift that guard, and the
log should show what was written at the time. They keep their sentence in ``summary`` and
are shown as written.

Revision ID: audit_summary_codes
Revises: exercise_figures
Create Date: 2026-12-07 04:30:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "audit_summary_codes"
down_revision = "exercise_figures"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not batch mode: on SQLite a batch would copy the table into a new
    # one and drop the old, losing the triggers that keep the log append-only.
    op.add_column("audit_entries", sa.Column("summary_code", sa.String(length=48), nullable=True))
    op.add_column("audit_entries", sa.Column("summary_values", sa.JSON(), nullable=True))


def downgrade():
    # Plain DROP COLUMN for the same reason (SQLite 3.35 or later).
    op.drop_column("audit_entries", "summary_values")
    op.drop_column("audit_entries", "summary_code")
