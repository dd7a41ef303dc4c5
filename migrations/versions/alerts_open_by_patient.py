"""alerts: the open alerts of a list of patients found by patient

The dashboard counts and shows the open alerts of the patients it lists (a therapist's
caseload, about 50 at clinic scale). The only index on open alerts was by clinic, so the
database read every open alert of the clinic (2,500 at clinic scale) and kept the caseload's:
4-10 ms of the dashboard's one slowest statement. A partial index by patient reads only
theirs (about 1 ms; benchmarks/README.md).

Revision ID: alerts_open_by_patient
Revises: audit_summary_codes
Create Date: 2026-12-07 16:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "alerts_open_by_patient"
down_revision = "audit_summary_codes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_alerts_open_by_patient",
        "alerts",
        ["patient_id"],
        sqlite_where=sa.text("acknowledged_at IS NULL"),
        postgresql_where=sa.text("acknowledged_at IS NULL"),
    )


def downgrade():
    op.drop_index("ix_alerts_open_by_patient", table_name="alerts")
