"""patients: a logged session's evaluation may be due

Logging a session stores it and answers; the patient's suggestions and alerts are worked out
after the answer, and before any page shows them (rehab.training.evaluation). The flag says
the patient's evaluation is still to run.

Revision ID: evaluation_due
Revises: data_versions
Create Date: 2026-12-07 20:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "evaluation_due"
down_revision = "data_versions"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases (SQLite 3.35+ drops a column in place): a batch
# operation would copy the patients table and lose its change-counter trigger.
def upgrade():
    op.add_column(
        "patients",
        sa.Column("evaluation_due", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    op.drop_column("patients", "evaluation_due")
