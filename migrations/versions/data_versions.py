"""patients and clinics: change counters kept by the database

``patients.data_version`` and ``clinics.data_version`` are raised by triggers on every change
to a patient's rows (sessions, logs, check-ins, programmes, suggestions, alerts, analyses,
appointments) and to a clinic (its settings, its staff's names, the exercise library).
The progress page and the dashboard are kept per process under these counters
(rehab.core.fragments, benchmarks/README.md); only the database can promise that no write
path forgets to raise them.

Revision ID: data_versions
Revises: alerts_open_by_patient
Create Date: 2026-12-07 20:30:00

"""

import sqlalchemy as sa
from alembic import op

from rehab.core.data_versions import ddl, drop_ddl

# revision identifiers, used by Alembic.
revision = "data_versions"
down_revision = "alerts_open_by_patient"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("patients", "clinics"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("data_version", sa.BigInteger(), nullable=False, server_default="0")
            )
    for statement in ddl(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    for statement in drop_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    for table in ("patients", "clinics"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("data_version")
