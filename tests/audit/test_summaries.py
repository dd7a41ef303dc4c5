"""What an access-log entry says is a code with values, worded in the reader's language."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import pathlib

import pytest
from flask_babel import force_locale

from rehab.audit.models import AuditEntry
from rehab.audit.services import record
from rehab.audit.summaries import WORDINGS, Summary, describe
from rehab.extensions import db

REHAB = pathlib.Path(__file__).resolve().parents[2] / "rehab"


def _reader(world, language: str):
    world.admin.locale = language
    db.session.commit()


def test_the_same_entry_reads_in_dutch_and_in_english(app, client_for, world):
    record("update", patient_id=world.patient.id, object_type="patient", actor=world.therapist,
           summary=Summary.of("patient_discharged", on=dt.date(2026, 3, 2)))  # fmt: skip
    record("update", patient_id=world.patient.id, object_type="phase", actor=world.therapist,
           summary=Summary.of("phase_advanced", position=2, note="Pijnvrij hurken"))  # fmt: skip
    db.session.commit()
    for language, discharged, advanced in (
        ("nl", "behandeling afgesloten op 2 mrt 2026", "door naar fase 2: Pijnvrij hurken"),
        ("en", "discharged on 2 Mar 2026", "phase advanced to 2: Pijnvrij hurken"),
    ):
        _reader(world, language)
        page = client_for("admin").get("/audit/?action=update").text
        assert discharged in page and advanced in page
        export = client_for("admin").get("/audit/export.csv?action=update")
        rows = list(csv.DictReader(io.StringIO(export.data.decode("utf-8-sig"))))
        assert {r["summary"] for r in rows} == {discharged, advanced}
        # The therapist's note is a value: the same words in both languages.
        assert {r["summary_values"] for r in rows} >= {'{"note": "Pijnvrij hurken", "position": 2}'}


def test_a_typed_value_is_shown_escaped(client_for, world):
    typed = '<img src=x onerror="alert(1)">@example.nl'
    record("login_failed", clinic_id=world.clinic.id, actor=None,
           summary=Summary.of("login_failed", address=typed))  # fmt: skip
    db.session.commit()
    page = client_for("admin").get("/audit/").text
    assert typed not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;@example.nl" in page


def test_an_entry_from_before_the_codes_is_shown_as_written(app, client_for, world):
    db.session.add(AuditEntry(action="update", clinic_id=world.clinic.id, object_type="patient",
                              summary="discharged on 2025-11-03"))  # fmt: skip
    db.session.commit()
    for language in ("nl", "en"):
        _reader(world, language)
        assert "discharged on 2025-11-03" in client_for("admin").get("/audit/").text


def test_an_unknown_code_is_refused_when_written_and_shown_raw_when_read(app):
    with pytest.raises(KeyError):
        Summary.of("no_such_code")
    with pytest.raises(TypeError):
        record("update", summary="a sentence")
    entry = AuditEntry(
        action="update", summary_code="from_a_newer_version", summary_values={"n": 1}
    )
    with app.test_request_context():
        assert describe(entry) == 'from_a_newer_version {"n": 1}'


def _codes_at_call_sites() -> dict[str, list[str]]:
    """Every first argument of Summary.of(...) in rehab/: a literal code, or a choice of two."""
    found: dict[str, list[str]] = {}
    for path in sorted(REHAB.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "of"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "Summary"
            ):
                continue
            where = f"{path.relative_to(REHAB.parent)}:{node.lineno}"
            first = node.args[0]
            options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for option in options:
                assert isinstance(option, ast.Constant) and isinstance(option.value, str), (
                    f"{where}: write the code as a literal so this test can check it"
                )
                found.setdefault(option.value, []).append(where)
    return found


def test_every_code_written_at_a_call_site_has_words():
    used = _codes_at_call_sites()
    assert len(used) > 60  # the walk found the call sites
    missing = {code: where for code, where in used.items() if code not in WORDINGS}
    assert missing == {}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_code_has_words_even_without_its_values(app, language):
    with app.test_request_context(), force_locale(language):
        for code in WORDINGS:
            words = describe(AuditEntry(action="update", summary_code=code, summary_values={}))
            assert isinstance(words, str) and words != f"{code} {{}}", code  # not the raw form


def test_codes_among_the_values_are_worded_too(app):
    entry = AuditEntry(
        action="update",
        summary_code="alert_acknowledged",
        summary_values={"kind": "morning_stiffness", "key": "2026-03-02", "note": "Gebeld"},
    )
    with app.test_request_context(), force_locale("en"):
        assert describe(entry) == "acknowledged Long morning stiffness 2026-03-02: Gebeld"
    with app.test_request_context(), force_locale("nl"):
        assert describe(entry).startswith("gezien: ") and "morning_stiffness" not in describe(entry)
