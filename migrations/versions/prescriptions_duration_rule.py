"""prescriptions: duration progression, minutes added per week up to a target duration

Walking and walk-run build up in minutes per week (domain.md §5). The rule kind joins the
CHECK on rule_kind; its two parameters get their own ranges.

Revision ID: prescriptions_duration_rule
Revises: analyses_red_flag_age
Create Date: 2026-12-06 22:02:41.553380

"""
from alembic import op
import sqlalchemy as sa

import rehab.core.db


# revision identifiers, used by Alembic.
revision = 'prescriptions_duration_rule'
down_revision = 'analyses_red_flag_age'
branch_labels = None
depends_on = None

OLD_KINDS = (
    "'double_progression', 'hold_progression', 'load_percent_per_week', 'ladder_step', "
    "'therapist_decides'"
)
NEW_KINDS = (
    "'double_progression', 'hold_progression', 'load_percent_per_week', 'ladder_step', "
    "'duration_progression', 'therapist_decides'"
)


def upgrade():
    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes_per_week', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('target_duration_seconds', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_prescriptions_minutes_per_week'),
            'minutes_per_week IS NULL OR minutes_per_week BETWEEN 1 AND 60',
        )
        batch_op.create_check_constraint(
            op.f('ck_prescriptions_target_duration'),
            'target_duration_seconds IS NULL OR target_duration_seconds BETWEEN 60 AND 14400',
        )
        batch_op.drop_constraint(op.f('ck_prescriptions_rule_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_prescriptions_rule_kind'), f"rule_kind IN ({NEW_KINDS})"
        )


def downgrade():
    op.execute(
        "UPDATE prescriptions SET rule_kind = 'therapist_decides' "
        "WHERE rule_kind = 'duration_progression'"
    )
    with op.batch_alter_table('prescriptions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_prescriptions_rule_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_prescriptions_rule_kind'), f"rule_kind IN ({OLD_KINDS})"
        )
        batch_op.drop_constraint(op.f('ck_prescriptions_target_duration'), type_='check')
        batch_op.drop_constraint(op.f('ck_prescriptions_minutes_per_week'), type_='check')
        batch_op.drop_column('target_duration_seconds')
        batch_op.drop_column('minutes_per_week')
