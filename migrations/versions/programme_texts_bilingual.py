"""programmes: the template's words in both languages on the copied rows (texts)

A programme copied its template's title, phase names and goals, exercise notes and criterion
labels in one language. The new ``texts`` column keeps both; existing rows whose text is a
built-in template's text (in either language) get both versions filled in.

Revision ID: programme_texts_bilingual
Revises: alerts_resolved_by_suggestion
Create Date: 2026-12-07 01:00:00

"""
import tomllib
from pathlib import Path

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'programme_texts_bilingual'
down_revision = 'alerts_resolved_by_suggestion'
branch_labels = None
depends_on = None

TABLES = {
    'programmes': ('title', 'description'),
    'phases': ('name', 'goal'),
    'prescriptions': ('notes', 'band_colour'),
    'exit_criteria': ('label',),
}
TEMPLATES = Path(__file__).resolve().parents[2] / 'rehab' / 'programmes' / 'templates'


def _both(value):
    if isinstance(value, dict) and value.get('nl') and value.get('en'):
        return {'nl': value['nl'], 'en': value['en']}
    return None


def _earlier(dutch: str) -> list[str]:
    """The Dutch text as programmes built before the glossary (docs/glossary.md) copied it:
    "zijplank" where the templates now say "zijwaartse plank"."""
    earlier = dutch.replace('Zijwaartse plank', 'Zijplank').replace('zijwaartse plank', 'zijplank')
    return [earlier] if earlier != dutch else []


def _template_words() -> dict[tuple[str, str], dict]:
    """(table, column) → {text in either language: both versions}, from the built-in files."""
    words: dict[tuple[str, str], dict] = {}

    def add(table, column, value):
        both = _both(value)
        if both:
            for text in (*both.values(), *_earlier(both['nl'])):
                words.setdefault((table, column), {}).setdefault(text, both)

    for path in sorted(TEMPLATES.glob('*.toml')):
        with path.open('rb') as handle:
            data = tomllib.load(handle)
        add('programmes', 'title', data.get('title'))
        add('programmes', 'description', data.get('description'))
        for phase in data.get('phase', []):
            add('phases', 'name', phase.get('name'))
            add('phases', 'goal', phase.get('goal'))
            for rx in phase.get('prescription', []):
                add('prescriptions', 'notes', rx.get('notes'))
                add('prescriptions', 'band_colour', rx.get('band_colour'))
            for criterion in phase.get('criterion', []):
                add('exit_criteria', 'label', criterion.get('label'))
    return words


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('texts', sa.JSON(), nullable=True))
    words = _template_words()
    bind = op.get_bind()
    for table, columns in TABLES.items():
        rows = sa.table(table, sa.column('id', sa.Integer),
                        *(sa.column(c, sa.Text) for c in columns), sa.column('texts', sa.JSON))
        known = [rows.c[c].in_(sorted(words[(table, c)])) for c in columns if (table, c) in words]
        if not known:
            continue
        for row in bind.execute(sa.select(rows).where(sa.or_(*known))).mappings().all():
            texts = {
                column: words[(table, column)][row[column]]
                for column in columns
                if row[column] and row[column] in words.get((table, column), {})
            }
            if texts:
                bind.execute(rows.update().where(rows.c.id == row['id']).values(texts=texts))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('texts')
