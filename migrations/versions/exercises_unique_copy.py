"""exercises: one clinic copy per built-in exercise

Editing a built-in makes the clinic's copy (source_id); two copies of the same built-in in
one clinic would both show in its library. NULLs are distinct in a unique index on SQLite
and PostgreSQL, so built-ins and clinic exercises without a source are not affected.

Revision ID: exercises_unique_copy
Revises: 0002_domain_model
Create Date: 2026-11-25 13:06:34.512280

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'exercises_unique_copy'
down_revision = '0002_domain_model'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.drop_index('ix_exercises_clinic_source')
        batch_op.create_index('ix_exercises_clinic_source', ['clinic_id', 'source_id'], unique=True)


def downgrade():
    with op.batch_alter_table('exercises', schema=None) as batch_op:
        batch_op.drop_index('ix_exercises_clinic_source')
        batch_op.create_index('ix_exercises_clinic_source', ['clinic_id', 'source_id'], unique=False)
