"""reports: print jobs carry a heartbeat, why they failed, and the job that replaced them

A batch job writes ``heartbeat_at`` with every report it prints; one without a sign of life
for longer than REHAB_PRINT_JOB_TIMEOUT is marked failed with ``failure = 'stalled'``
(a database outage could stop the job's own failure handler from writing). ``failure`` says
why a job failed ('error' or 'stalled'); ``retried_as_id`` points to the job that started
it again.

Revision ID: reports_job_heartbeat
Revises: exit_criteria_from_data
Create Date: 2026-12-06 21:38:23.726546

"""
from alembic import op
import sqlalchemy as sa

import rehab.core.db


# revision identifiers, used by Alembic.
revision = 'reports_job_heartbeat'
down_revision = 'exit_criteria_from_data'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failure', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', rehab.core.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('retried_as_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_print_jobs_retried_as_id_print_jobs'), 'print_jobs', ['retried_as_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_print_jobs_retried_as_id'), ['retried_as_id'], unique=False)
        batch_op.create_check_constraint(op.f('ck_print_jobs_failure'), "failure IS NULL OR failure IN ('error', 'stalled')")
    # Jobs that failed before this revision failed with an error.
    op.execute("UPDATE print_jobs SET failure = 'error' WHERE status = 'failed'")


def downgrade():
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_print_jobs_failure'), type_='check')
        batch_op.drop_index(batch_op.f('ix_print_jobs_retried_as_id'))
        batch_op.drop_constraint(batch_op.f('fk_print_jobs_retried_as_id_print_jobs'), type_='foreignkey')
        batch_op.drop_column('retried_as_id')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('failure')
