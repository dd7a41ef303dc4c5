"""exercise_logs.feel: "too hard" or "too easy", as the patient said it in the session

Revision ID: exercise_log_feel
Revises: clinic_phone
Create Date: 2026-12-06 10:05:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'exercise_log_feel'
down_revision = 'clinic_phone'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exercise_logs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feel', sa.String(length=12), nullable=True))
        batch_op.create_check_constraint(
            'feel', "feel IS NULL OR feel IN ('too_hard', 'too_easy')"
        )


def downgrade():
    with op.batch_alter_table('exercise_logs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_exercise_logs_feel'), type_='check')
        batch_op.drop_column('feel')
