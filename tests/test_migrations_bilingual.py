"""Issue 19's data migrations on existing rows: programmes built before keep both languages
of their template's words, and system-written sentences stored before become codes that
render in either language."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from flask_migrate import upgrade

from rehab import create_app
from rehab.extensions import db
from tests.conftest import _config
from tests.test_migrations import empty_database_url  # noqa: F401  (a fixture)
from tests.test_migrations_issue14 import _insert

BEFORE = "alerts_resolved_by_suggestion"
NOW = dt.datetime(2026, 1, 5, 9, 0)


def _seed(conn) -> dict[str, int]:
    clinic = _insert(conn, "clinics", name="Fysio")
    user = _insert(
        conn,
        "users",
        clinic_id=clinic,
        email="t@example.test",
        full_name="T",
        role="therapist",
        locale="nl",
        active=True,
        created_at=NOW,
        failed_logins=0,
    )
    patient = _insert(
        conn,
        "patients",
        clinic_id=clinic,
        therapist_id=user,
        first_name="P",
        last_name="Q",
        preferred_language="nl",
        status="active",
        created_at=NOW,
    )
    exercise = _insert(
        conn,
        "exercises",
        slug="squat",
        category="strength",
        difficulty=2,
        dosage_type="reps",
        sets=3,
        reps=10,
        name_nl="Squat",
        name_en="Squat",
        unilateral=False,
        created_at=NOW,
        updated_at=NOW,
    )
    ids = {}
    ids["programme"] = _insert(
        conn,
        "programmes",
        clinic_id=clinic,
        patient_id=patient,
        is_template=False,
        source_template="low-back-recurrent",
        language="nl",
        status="active",
        title="Terugkerende lage rugpijn: stap voor stap terug naar sport en werk",
        created_by_id=user,
        created_at=NOW,
        updated_at=NOW,
        version=1,
    )
    ids["phase"] = _insert(
        conn,
        "phases",
        programme_id=ids["programme"],
        position=1,
        name="Tot rust komen en begrijpen",
        goal="Mijn eigen doel",
        schedule_kind="per_week",
        sessions_per_week=3,
    )
    ids["criterion"] = _insert(
        conn,
        "exit_criteria",
        phase_id=ids["phase"],
        position=1,
        kind="hold_time",
        comparison=">=",
        target=10,
        label="Big-3: zijplank 10 s vasthouden",
        is_default=True,
    )
    ids["rx"] = _insert(
        conn,
        "prescriptions",
        phase_id=ids["phase"],
        exercise_id=exercise,
        position=1,
        sets=3,
        dosage_type="reps",
        reps_min=8,
        reps_max=12,
        load_kind="bodyweight",
        effort_kind="rpe",
        sides="both",
        mode="pain_contingent",
        rule_kind="therapist_decides",
        paused=False,
        current_version=1,
        dose_since=dt.date(2026, 1, 5),
        notes=(
            "Rustig door je buik ademen helpt je spieren ontspannen, vooral op een pijnlijke dag."
        ),
    )
    suggestion = _insert(
        conn,
        "suggestions",
        prescription_id=ids["rx"],
        patient_id=patient,
        action="regress",
        reasons=json.dumps([{"code": "no_recent_session", "values": {"days": 14}}]),
        based_on_version=1,
        created_at=NOW,
        status="accepted",
    )
    for number, reason, linked in (
        (1, "Uit het sjabloon", None),
        (
            2,
            "Voorstel om af te bouwen overgenomen: Geen training in de laatste 14 dagen.",
            suggestion,
        ),
        (3, "Rug voelde stijf, even rustiger", None),
        (4, "Prescribed", None),
    ):
        ids[f"v{number}"] = _insert(
            conn,
            "prescription_versions",
            prescription_id=ids["rx"],
            version=number,
            exercise_id=exercise,
            dose="{}",
            changed_at=NOW,
            effective_on=dt.date(2026, 1, 5),
            reason=reason,
            suggestion_id=linked,
        )
    ids["started"] = _insert(
        conn,
        "phase_changes",
        programme_id=ids["programme"],
        to_phase_id=ids["phase"],
        changed_by_id=user,
        changed_at=NOW,
        note="Programma gestart",
    )
    ids["advanced"] = _insert(
        conn,
        "phase_changes",
        programme_id=ids["programme"],
        to_phase_id=ids["phase"],
        changed_by_id=user,
        changed_at=NOW,
        note="Door naar fase 2",
    )
    return ids  # fmt: skip


def test_stored_reasons_render_in_both_languages_after_the_migration(
    empty_database_url,  # noqa: F811
):
    from flask_babel import force_locale

    from rehab.programmes.models import PhaseChange, PrescriptionVersion
    from rehab.programmes.reasons import phase_change_note, version_reason

    app = create_app(_config(empty_database_url))
    with app.app_context():
        upgrade(directory="migrations", revision=BEFORE)
        with db.engine.begin() as conn:
            ids = _seed(conn)
        upgrade(directory="migrations")
        versions = [db.session.get(PrescriptionVersion, ids[f"v{n}"]) for n in (1, 2, 3, 4)]
        changes = [db.session.get(PhaseChange, ids[key]) for key in ("started", "advanced")]
        words = {}
        for language in ("nl", "en"):
            with app.test_request_context(), force_locale(language):
                words[language] = [version_reason(v) for v in versions] + [
                    phase_change_note(c) for c in changes
                ]
        codes = [v.reason_code for v in versions]
        db.session.remove()
        db.engine.dispose()
    assert codes == ["from_template", "suggestion_accepted", None, "prescribed"]
    assert words["en"] == [
        "From the template",
        "Suggestion to regress accepted: No session in the last 14 days.",
        "Rug voelde stijf, even rustiger",  # the therapist's own words, as typed
        "Prescribed",
        "Programme started",
        "Door naar fase 2",
    ]
    assert words["nl"][0] == "Uit het sjabloon"
    assert words["nl"][1].startswith("Voorstel om af te bouwen overgenomen: ")
    assert "14" in words["nl"][1] and "No session" not in words["nl"][1]
    assert words["nl"][2:] == [
        "Rug voelde stijf, even rustiger",
        "Voorgeschreven",
        "Programma gestart",
        "Door naar fase 2",
    ]


def test_programmes_built_before_get_both_languages_of_their_template_words(
    empty_database_url,  # noqa: F811
):
    app = create_app(_config(empty_database_url))
    with app.app_context():
        upgrade(directory="migrations", revision=BEFORE)
        with db.engine.begin() as conn:
            ids = _seed(conn)
        upgrade(directory="migrations")
        with db.engine.connect() as conn:
            texts = {
                table: conn.execute(sa.text(f"SELECT texts FROM {table} WHERE id = :id"),
                                    {"id": ids[key]}).scalar_one()
                for table, key in (("programmes", "programme"), ("phases", "phase"),
                                   ("prescriptions", "rx"), ("exit_criteria", "criterion"))
            }  # fmt: skip
        db.engine.dispose()
    texts = {k: json.loads(v) if isinstance(v, str) else v for k, v in texts.items()}
    assert texts["programmes"]["title"]["en"] == (
        "Recurrent low back pain: step by step back to sport and work"
    )
    assert texts["phases"] == {"name": {"nl": "Tot rust komen en begrijpen",
                                        "en": "Settle and understand"}}  # fmt: skip
    # The therapist's own goal stays as typed: no versions for it.
    assert "goal" not in texts["phases"]
    assert texts["prescriptions"]["notes"]["en"].startswith("Calm breathing into your belly")
    # A label copied before the glossary's words ("zijplank") is recognised too, and now
    # reads in the glossary's words.
    assert texts["exit_criteria"]["label"]["nl"] == "Big-3: zijwaartse plank 10 s vasthouden"
    assert texts["exit_criteria"]["label"]["en"].startswith("Big-3: side bridge")
