"""Migration audit_summary_codes: entries written before keep their sentence and are shown
as written; new entries store a code; the log stays append-only through the change."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from rehab import create_app
from rehab.extensions import db
from tests.conftest import _config
from tests.test_migrations import empty_database_url  # noqa: F401  (a fixture)
from tests.test_migrations_issue14 import _insert

BEFORE = "exercise_figures"


def test_old_entries_read_as_written_and_the_log_stays_append_only(
    empty_database_url,  # noqa: F811
):
    from flask_babel import force_locale

    from rehab.audit.models import AuditEntry
    from rehab.audit.services import record
    from rehab.audit.summaries import Summary, describe

    app = create_app(_config(empty_database_url))
    with app.app_context():
        upgrade(directory="migrations", revision=BEFORE)
        with db.engine.begin() as conn:
            old_id = _insert(
                conn,
                "audit_entries",
                at=dt.datetime(2026, 1, 5, 9, 0),
                action="update",
                summary="discharged on 2026-01-05",
            )
        upgrade(directory="migrations")
        old = db.session.get(AuditEntry, old_id)
        assert (old.summary_code, old.summary_values) == (None, None)
        new = record("update", summary=Summary.of("patient_discharged", on=dt.date(2026, 1, 5)))
        db.session.commit()
        words = {}
        for language in ("nl", "en"):
            with app.test_request_context(), force_locale(language):
                words[language] = (describe(old), describe(new))
        for statement in (
            "UPDATE audit_entries SET summary_code = 'x'",
            "DELETE FROM audit_entries",
        ):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                db.session.execute(sa.text(statement))
            db.session.rollback()
        db.session.remove()
        downgrade(directory="migrations", revision=BEFORE)
        with db.engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("audit_entries")}
            count = conn.execute(sa.text("SELECT count(*) FROM audit_entries")).scalar_one()
        db.engine.dispose()
    assert words["nl"] == ("discharged on 2026-01-05", "behandeling afgesloten op 5 jan 2026")
    assert words["en"] == ("discharged on 2026-01-05", "discharged on 5 Jan 2026")
    assert "summary_code" not in columns and count == 2
