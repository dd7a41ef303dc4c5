"""dose versions and phase changes: what the system wrote is a code, worded at view time

``prescription_versions.reason`` held finished sentences in the language of whoever caused
them ("Uit het sjabloon", "Voorstel om op te bouwen overgenomen: …"); ``phase_changes.note``
held "Programma gestart". They become ``reason_code`` (+ ``reason_values``) and
``note_code``; the text column keeps only what a therapist typed.

Revision ID: system_text_codes
Revises: programme_texts_bilingual
Create Date: 2026-12-07 01:20:00

"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'system_text_codes'
down_revision = 'programme_texts_bilingual'
branch_labels = None
depends_on = None

# The sentences as both catalogues wrote them before this revision.
FIXED_REASONS = {
    'From the template': 'from_template',
    'Uit het sjabloon': 'from_template',
    'Prescribed': 'prescribed',
    'Voorgeschreven': 'prescribed',
}
ACCEPTED_PREFIXES = (
    'Suggestion to progress accepted:',
    'Suggestion to regress accepted:',
    'Suggestion accepted:',
    'Voorstel om op te bouwen overgenomen:',
    'Voorstel om af te bouwen overgenomen:',
    'Voorstel overgenomen:',
)
STARTED = ('Programme started', 'Programma gestart')


def upgrade():
    with op.batch_alter_table('prescription_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_code', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('reason_values', sa.JSON(), nullable=True))
    with op.batch_alter_table('phase_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note_code', sa.String(length=32), nullable=True))

    bind = op.get_bind()
    versions = sa.table(
        'prescription_versions', sa.column('id', sa.Integer), sa.column('reason', sa.Text),
        sa.column('reason_code', sa.String), sa.column('reason_values', sa.JSON),
        sa.column('suggestion_id', sa.Integer),
    )
    suggestions = sa.table(
        'suggestions', sa.column('id', sa.Integer), sa.column('action', sa.String),
        sa.column('reasons', sa.JSON), sa.column('new_exercise_id', sa.Integer),
    )
    for text, code in FIXED_REASONS.items():
        bind.execute(
            versions.update().where(versions.c.reason == text)
            .values(reason=None, reason_code=code)
        )
    # An accepted suggestion's sentence: its reasons are the suggestion's own codes.
    accepted = sa.or_(*(versions.c.reason.startswith(prefix) for prefix in ACCEPTED_PREFIXES))
    rows = bind.execute(
        sa.select(versions.c.id, suggestions.c.action, suggestions.c.reasons,
                  suggestions.c.new_exercise_id)
        .join(suggestions, suggestions.c.id == versions.c.suggestion_id)
        .where(accepted)
    ).all()
    for row in rows:
        reasons = json.loads(row.reasons) if isinstance(row.reasons, str) else row.reasons
        values = {'action': row.action, 'reasons': reasons or [],
                  'new_exercise_id': row.new_exercise_id}
        bind.execute(
            versions.update().where(versions.c.id == row.id)
            .values(reason=None, reason_code='suggestion_accepted', reason_values=values)
        )
    changes = sa.table('phase_changes', sa.column('note', sa.Text),
                       sa.column('note_code', sa.String))
    bind.execute(
        changes.update().where(changes.c.note.in_(STARTED))
        .values(note=None, note_code='programme_started')
    )


def downgrade():
    with op.batch_alter_table('phase_changes', schema=None) as batch_op:
        batch_op.drop_column('note_code')
    with op.batch_alter_table('prescription_versions', schema=None) as batch_op:
        batch_op.drop_column('reason_values')
        batch_op.drop_column('reason_code')
