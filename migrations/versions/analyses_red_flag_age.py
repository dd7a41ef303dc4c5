"""analyses: red flag age over 50 at a first episode, suggested from the date of birth and
confirmed by the therapist (KNGF 2021)

Revision ID: analyses_red_flag_age
Revises: patients_sex
Create Date: 2026-12-06 21:50:02.118841

"""
from alembic import op
import sqlalchemy as sa

import rehab.core.db


# revision identifiers, used by Alembic.
revision = 'analyses_red_flag_age'
down_revision = 'patients_sex'
branch_labels = None
depends_on = None


def upgrade():
    # Existing analyses did not screen for it: false, as the model's default.
    with op.batch_alter_table('movement_analyses', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'red_flag_age_first_episode', sa.Boolean(), nullable=False,
                server_default=sa.false(),
            )
        )
    with op.batch_alter_table('movement_analyses', schema=None) as batch_op:
        batch_op.alter_column('red_flag_age_first_episode', server_default=None)


def downgrade():
    with op.batch_alter_table('movement_analyses', schema=None) as batch_op:
        batch_op.drop_column('red_flag_age_first_episode')
