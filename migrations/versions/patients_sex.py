"""patients: optional sex (female, male or not recorded) for references that differ by sex

The Biering-Sørensen cut-off exists for men only (domain.md §6); "not recorded" is NULL.

Revision ID: patients_sex
Revises: mail_reminders
Create Date: 2026-12-06 21:25:31.494516

"""
from alembic import op
import sqlalchemy as sa

import rehab.core.db


# revision identifiers, used by Alembic.
revision = 'patients_sex'
down_revision = 'mail_reminders'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sex', sa.String(length=8), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_patients_sex'), "sex IS NULL OR sex IN ('female', 'male')"
        )


def downgrade():
    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_patients_sex'), type_='check')
        batch_op.drop_column('sex')
