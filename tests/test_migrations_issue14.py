"""Issue 14's data migrations on existing rows: each dose version gets the day it took
effect, and the template criteria that judged wrongly are corrected in place."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_migrate import upgrade

from rehab import create_app
from rehab.extensions import db
from tests.conftest import _config
from tests.test_migrations import empty_database_url  # noqa: F401  (a fixture)

BEFORE = "prescriptions_duration_rule"


def _insert(conn, table: str, **values) -> int:
    """Insert into the table as the database has it at this revision; a NOT NULL column
    left out gets the model's default."""
    existing = sa.Table(table, sa.MetaData(), autoload_with=conn)
    model = db.metadata.tables[table]
    for column in existing.columns:
        default = model.c[column.name].default if column.name in model.c else None
        if column.name in values or column.nullable or column.primary_key or default is None:
            continue
        values[column.name] = default.arg(None) if default.is_callable else default.arg
    return conn.execute(sa.insert(existing).values(**values).returning(existing.c.id)).scalar_one()


def _seed(conn) -> dict[str, int]:
    now = dt.datetime(2026, 1, 5, 9, 0)
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
        created_at=now,
        failed_logins=0,
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
        created_at=now,
        updated_at=now,
    )
    ids = {}
    for language in ("nl", "en"):
        patient_user = _insert(
            conn,
            "users",
            clinic_id=clinic,
            email=f"p-{language}@example.test",
            full_name="P",
            role="patient",
            locale=language,
            active=True,
            created_at=now,
            failed_logins=0,
        )
        patient = _insert(
            conn,
            "patients",
            clinic_id=clinic,
            therapist_id=user,
            user_id=patient_user,
            first_name="P",
            last_name=language,
            preferred_language=language,
            status="active",
            created_at=now,
        )
        programme = _insert(
            conn,
            "programmes",
            clinic_id=clinic,
            patient_id=patient,
            is_template=False,
            source_template="low-back-recurrent",
            title="Rug",
            language=language,
            status="active",
            created_by_id=user,
            created_at=now,
            updated_at=now,
            version=1,
        )
        phase = _insert(
            conn,
            "phases",
            programme_id=programme,
            position=1,
            name="F",
            schedule_kind="per_week",
            sessions_per_week=3,
        )
        ids[f"{language}_balance"] = _insert(
            conn,
            "exit_criteria",
            phase_id=phase,
            position=1,
            kind="ratio",
            measure="side_bridge_balance",
            comparison="between",
            target=0.95,
            target_high=1.05,
            label="Zijplank",
            is_default=True,
        )
        ids[f"{language}_sport"] = _insert(
            conn,
            "exit_criteria",
            phase_id=phase,
            position=2,
            kind="measure",
            measure="psfs",
            comparison=">=",
            target=9,
            label="PSFS sport",
            is_default=True,
        )
        ids[f"{language}_psk"] = _insert(
            conn,
            "exit_criteria",
            phase_id=phase,
            position=3,
            kind="outcome_change",
            measure="psk",
            comparison=">=",
            target=2,
            label="PSK",
            is_default=True,
        )
        ids[f"{language}_own"] = _insert(
            conn,
            "exit_criteria",
            phase_id=phase,
            position=4,
            kind="measure",
            measure="psfs",
            comparison=">=",
            target=8,
            label="Eigen",
            is_default=False,
        )
        rx = _insert(
            conn,
            "prescriptions",
            phase_id=phase,
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
            current_version=2,
            dose_since=dt.date(2026, 2, 10),
        )
        ids[f"{language}_v1"] = _insert(
            conn,
            "prescription_versions",
            prescription_id=rx,
            version=1,
            exercise_id=exercise,
            dose="{}",
            changed_at=dt.datetime(2026, 1, 5, 9, 0),
        )
        ids[f"{language}_v2"] = _insert(
            conn,
            "prescription_versions",
            prescription_id=rx,
            version=2,
            exercise_id=exercise,
            dose="{}",
            changed_at=dt.datetime(2026, 2, 10, 9, 0),
        )
    return ids  # fmt: skip


def test_existing_rows_are_carried_over(empty_database_url):  # noqa: F811
    app = create_app(_config(empty_database_url))
    with app.app_context():
        upgrade(directory="migrations", revision=BEFORE)
        with db.engine.begin() as conn:
            ids = _seed(conn)
        upgrade(directory="migrations")
        with db.engine.connect() as conn:
            versions = dict(conn.execute(sa.text(
                "SELECT id, effective_on FROM prescription_versions"
            )).all())  # fmt: skip
            criteria = {
                row.id: row
                for row in conn.execute(sa.text(
                    "SELECT id, kind, measure, comparison, target, target_high, label "
                    "FROM exit_criteria"
                ))
            }  # fmt: skip
        db.engine.dispose()

    def day(value):
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))

    # The current version took effect on dose_since, the first on the day it was recorded.
    assert day(versions[ids["nl_v1"]]) == dt.date(2026, 1, 5)
    assert day(versions[ids["nl_v2"]]) == dt.date(2026, 2, 10)
    # Right/left 0.95–1.05 became the symmetric asymmetry of at most 5 %.
    balance = criteria[ids["nl_balance"]]
    assert (balance.measure, balance.comparison, float(balance.target), balance.target_high) == (
        "side_bridge_asymmetry", "<=", 5.0, None,
    )  # fmt: skip
    # The default "PSFS ≥ 9" reads the sport or work activity on either scale, relabelled
    # in the programme's language; the therapist's own PSFS criterion is left alone.
    sport_nl, sport_en = criteria[ids["nl_sport"]], criteria[ids["en_sport"]]
    assert (sport_nl.kind, sport_nl.measure) == ("activity_score", "sport_work")
    assert sport_nl.label.startswith("Score van je sport- of werkactiviteit")
    assert sport_en.label.startswith("Your sport or work activity scores at least 9/10")
    own = criteria[ids["nl_own"]]
    assert (own.kind, own.measure, own.label) == ("measure", "psfs", "Eigen")
    # The default PSK improvement works with PSFS too.
    psk = criteria[ids["en_psk"]]
    assert (psk.kind, psk.measure) == ("outcome_change", "activities")
    assert psk.label.startswith("PSK or PSFS improved by at least 2 points")
