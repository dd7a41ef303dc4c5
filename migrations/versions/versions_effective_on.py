"""prescription versions: the day each dose took effect

A session logged late, for an earlier day, belongs to the dose version in effect that day.
Existing versions: the current one took effect on its prescription's dose_since; an earlier
one on the day it was recorded (the date of changed_at; date() works on both databases).

Revision ID: versions_effective_on
Revises: prescriptions_duration_rule
Create Date: 2026-12-06 22:31:07.120311

"""
from alembic import op
import sqlalchemy as sa

import rehab.core.db


# revision identifiers, used by Alembic.
revision = 'versions_effective_on'
down_revision = 'prescriptions_duration_rule'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('prescription_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('effective_on', sa.Date(), nullable=True))
    op.execute(
        "UPDATE prescription_versions SET effective_on = ("
        " SELECT p.dose_since FROM prescriptions p"
        " WHERE p.id = prescription_versions.prescription_id"
        " AND p.current_version = prescription_versions.version)"
    )
    op.execute(
        "UPDATE prescription_versions SET effective_on = date(changed_at)"
        " WHERE effective_on IS NULL"
    )
    with op.batch_alter_table('prescription_versions', schema=None) as batch_op:
        batch_op.alter_column('effective_on', existing_type=sa.Date(), nullable=False)


def downgrade():
    with op.batch_alter_table('prescription_versions', schema=None) as batch_op:
        batch_op.drop_column('effective_on')
