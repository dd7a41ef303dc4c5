"""exercises: which built-in figure a clinic exercise shows, mirrored or not, or hidden

Revision ID: exercise_figures
Revises: api_tokens
Create Date: 2026-12-07 01:10:00

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "exercise_figures"
down_revision = "api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not batch mode: on SQLite a batch would copy and drop `exercises`,
    # which the rows of a running clinic refer to (foreign keys are on).
    op.add_column("exercises", sa.Column("figure_slug", sa.String(length=80), nullable=True))
    op.add_column(
        "exercises",
        sa.Column("figure_mirrored", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "exercises",
        sa.Column("figure_hidden", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        batch_op.drop_column("figure_hidden")
        batch_op.drop_column("figure_mirrored")
        batch_op.drop_column("figure_slug")
