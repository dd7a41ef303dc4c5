"""analyses: single-leg hops in place per side and the pain during them

The running-knee template's phase-3 criterion (10 hops on each side with pain at most
2/10) is judged from these instead of a tick (issue 14).

Revision ID: analyses_hop_test
Revises: analyses_sport_activity
Create Date: 2026-12-06 23:21:40.004121

"""
from alembic import op
import sqlalchemy as sa

import rehab.core.db


# revision identifiers, used by Alembic.
revision = 'analyses_hop_test'
down_revision = 'analyses_sport_activity'
branch_labels = None
depends_on = None

RANGES = {
    'single_leg_hops_left': (0, 100),
    'single_leg_hops_right': (0, 100),
    'hop_pain': (0, 10),
}


def upgrade():
    with op.batch_alter_table('movement_analyses', schema=None) as batch_op:
        for name, (low, high) in RANGES.items():
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
            batch_op.create_check_constraint(
                op.f(f'ck_movement_analyses_{name}'),
                f'{name} IS NULL OR {name} BETWEEN {low} AND {high}',
            )


def downgrade():
    with op.batch_alter_table('movement_analyses', schema=None) as batch_op:
        for name in reversed(list(RANGES)):
            batch_op.drop_constraint(op.f(f'ck_movement_analyses_{name}'), type_='check')
            batch_op.drop_column(name)
