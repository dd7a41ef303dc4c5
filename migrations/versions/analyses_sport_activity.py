"""analyses: mark one patient-specific activity as the sport or work activity

The return-to-sport criterion reads that activity's own score, not the mean
(domain.md §5). At most one per analysis (a partial unique index).

Revision ID: analyses_sport_activity
Revises: versions_effective_on
Create Date: 2026-12-06 23:20:12.301948

"""
from alembic import op
import sqlalchemy as sa

import rehab.core.db


# revision identifiers, used by Alembic.
revision = 'analyses_sport_activity'
down_revision = 'versions_effective_on'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('analysis_activities', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('sport_or_work', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('analysis_activities', schema=None) as batch_op:
        batch_op.alter_column('sport_or_work', server_default=None)
        batch_op.create_index(
            'uq_analysis_activities_one_sport_or_work', ['analysis_id'], unique=True,
            sqlite_where=sa.text('sport_or_work'), postgresql_where=sa.text('sport_or_work'),
        )


def downgrade():
    with op.batch_alter_table('analysis_activities', schema=None) as batch_op:
        batch_op.drop_index(
            'uq_analysis_activities_one_sport_or_work',
            sqlite_where=sa.text('sport_or_work'), postgresql_where=sa.text('sport_or_work'),
        )
        batch_op.drop_column('sport_or_work')
