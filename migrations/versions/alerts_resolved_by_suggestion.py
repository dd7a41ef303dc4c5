"""alerts: the suggestion decision that resolved an alert (its evidence), kept in its history

Revision ID: alerts_resolved_by_suggestion
Revises: check_in_warning_signs
Create Date: 2026-12-07 00:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'alerts_resolved_by_suggestion'
down_revision = 'check_in_warning_signs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resolved_by_suggestion_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_alerts_resolved_by_suggestion_id'), ['resolved_by_suggestion_id']
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_alerts_resolved_by_suggestion_id_suggestions'),
            'suggestions', ['resolved_by_suggestion_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_alerts_resolved_by_suggestion_id_suggestions'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_alerts_resolved_by_suggestion_id'))
        batch_op.drop_column('resolved_by_suggestion_id')
