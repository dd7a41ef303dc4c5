"""auth: a just-made account link waits on the staff member's login-session row

The hand-over page's data (the link, the new user's name and e-mail address) used to wait
in the signed session cookie; it now waits encrypted on ``user_sessions`` until shown once,
and goes when the login ends.

Revision ID: auth_handover_on_server
Revises: reports_job_heartbeat
Create Date: 2026-12-06 23:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'auth_handover_on_server'
down_revision = 'reports_job_heartbeat'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handover_encrypted', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_column('handover_encrypted')
