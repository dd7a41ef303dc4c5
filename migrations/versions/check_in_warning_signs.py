"""check-ins ask for warning signs (pain into the leg, numbness, bladder or bowel changes);
a "warning_signs" alert tells the therapist

Revision ID: check_in_warning_signs
Revises: exercise_log_feel
Create Date: 2026-12-06 10:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'check_in_warning_signs'
down_revision = 'exercise_log_feel'
branch_labels = None
depends_on = None

OLD_KINDS = (
    "'pain_red', 'week_on_week_caution', 'two_week_alert', 'session_spike', 'acwr_high', "
    "'morning_stiffness', 'sleep_worse', 'pain_rising', 'no_logs'"
)
NEW_KINDS = OLD_KINDS + ", 'warning_signs'"


def upgrade():
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        for name in ('leg_pain_spreading', 'numbness', 'bladder_bowel'):
            batch_op.add_column(
                sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)
            )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_alerts_kind'), type_='check')
        batch_op.create_check_constraint('kind', f"kind IN ({NEW_KINDS})")


def downgrade():
    op.execute("DELETE FROM alerts WHERE kind = 'warning_signs'")
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_alerts_kind'), type_='check')
        batch_op.create_check_constraint('kind', f"kind IN ({OLD_KINDS})")
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        for name in ('bladder_bowel', 'numbness', 'leg_pain_spreading'):
            batch_op.drop_column(name)
