"""Change counters kept by the database: ``patients.data_version`` and ``clinics.data_version``.

A page built from a patient's rows may be kept (rehab.core.fragments) while those rows are
unchanged. The application cannot promise that every write path tells it so (a migration, a
CLI command, a bulk UPDATE, a future feature), so the database does: triggers raise the
patient's counter on every INSERT, UPDATE and DELETE of a table that holds the patient's data,
and the clinic's on every change to the clinic, its staff's names and the exercise library.
A counter only grows, so a page kept under an older value is never shown again.

The triggers are made by ``metadata`` "after_create" (the tests' ``create_all``) and by the
migration ``data_versions``, both from :func:`ddl`.
"""

from __future__ import annotations

from sqlalchemy import event

# Each table that holds a patient's data, with the SQL that finds the patient of a row ``{r}``.
_PHASE_PATIENT = (
    "(SELECT p.patient_id FROM phases f JOIN programmes p ON p.id = f.programme_id "
    "WHERE f.id = {r}.phase_id)"
)
PATIENT_TABLES: dict[str, str] = {
    "training_sessions": "{r}.patient_id",
    "exercise_logs": "(SELECT s.patient_id FROM training_sessions s WHERE s.id = {r}.session_id)",
    "check_ins": "{r}.patient_id",
    "alerts": "{r}.patient_id",
    "suggestions": "{r}.patient_id",
    "movement_analyses": "{r}.patient_id",
    "analysis_activities": (
        "(SELECT a.patient_id FROM movement_analyses a WHERE a.id = {r}.analysis_id)"
    ),
    "analysis_extra_tests": (
        "(SELECT a.patient_id FROM movement_analyses a WHERE a.id = {r}.analysis_id)"
    ),
    "appointments": "{r}.patient_id",
    "reminder_settings": "{r}.patient_id",
    "programmes": "{r}.patient_id",  # NULL for a template: no patient to tell
    "phases": "(SELECT p.patient_id FROM programmes p WHERE p.id = {r}.programme_id)",
    "phase_changes": "(SELECT p.patient_id FROM programmes p WHERE p.id = {r}.programme_id)",
    "prescriptions": _PHASE_PATIENT,
    "exit_criteria": _PHASE_PATIENT,
    "prescription_versions": (
        "(SELECT p.patient_id FROM prescriptions x JOIN phases f ON f.id = x.phase_id "
        "JOIN programmes p ON p.id = f.programme_id WHERE x.id = {r}.prescription_id)"
    ),
}
# The exercise library is shared by every clinic: a change to it raises every clinic's counter.
LIBRARY_TABLES = ("exercises", "exercise_regions", "exercise_equipment")
EVENTS = ("INSERT", "UPDATE", "DELETE")


def ddl(dialect: str) -> list[str]:
    """The statements that create the counters' triggers on ``dialect``.

    Built from this module's constants only (table names and SQL), never from input.
    """
    if dialect == "postgresql":
        return _postgres()
    if dialect == "sqlite":
        return _sqlite()
    raise ValueError(f"no change counters for {dialect}")


def drop_ddl(dialect: str) -> list[str]:
    """The statements that remove them again (the migration's downgrade)."""
    names = [*PATIENT_TABLES, *LIBRARY_TABLES]
    if dialect == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS {_name(t, e)} ON {t}" for t in names for e in EVENTS),
            *(f"DROP FUNCTION IF EXISTS {_name(t, 'bump')}()" for t in names),
            "DROP TRIGGER IF EXISTS data_version_patient_row ON patients",
            "DROP TRIGGER IF EXISTS data_version_clinic_row ON clinics",
            "DROP TRIGGER IF EXISTS data_version_user_name ON users",
            "DROP FUNCTION IF EXISTS data_version_own_row()",
            "DROP FUNCTION IF EXISTS data_version_user_name()",
        ]
    return [
        *(f"DROP TRIGGER IF EXISTS {_name(t, e)}" for t in names for e in EVENTS),
        "DROP TRIGGER IF EXISTS data_version_patient_row",
        "DROP TRIGGER IF EXISTS data_version_clinic_row",
        "DROP TRIGGER IF EXISTS data_version_user_name",
    ]


def _name(table: str, what: str) -> str:
    return f"data_version_{table}_{what.lower()}"


def _postgres() -> list[str]:
    statements = []
    # Statement-level triggers with transition tables: a bulk insert of a thousand logs raises
    # the counter once per patient, and the patients are locked in id order (an index scan
    # of ``id = ANY(...)``), so two transactions touching the same patients do not deadlock.
    for table, patient in PATIENT_TABLES.items():
        new = f"SELECT {patient.format(r='r')} FROM new_rows r"
        old = f"SELECT {patient.format(r='r')} FROM old_rows r"
        statements.append(
            f"CREATE OR REPLACE FUNCTION {_name(table, 'bump')}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ DECLARE ids integer[]; BEGIN "
            f"IF TG_OP = 'INSERT' THEN ids := ARRAY({new}); "
            f"ELSIF TG_OP = 'UPDATE' THEN ids := ARRAY({new} UNION {old}); "
            f"ELSE ids := ARRAY({old}); END IF; "
            "UPDATE patients SET data_version = data_version + 1 WHERE id = ANY(ids); "
            "RETURN NULL; END $$"
        )
    for table in LIBRARY_TABLES:
        statements.append(
            f"CREATE OR REPLACE FUNCTION {_name(table, 'bump')}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "UPDATE clinics SET data_version = data_version + 1; RETURN NULL; END $$"
        )
    for table in (*PATIENT_TABLES, *LIBRARY_TABLES):
        for verb in EVENTS:
            refs = {
                "INSERT": "NEW TABLE AS new_rows",
                "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "DELETE": "OLD TABLE AS old_rows",
            }[verb]
            referencing = f"REFERENCING {refs} " if table in PATIENT_TABLES else ""
            statements.append(
                f"CREATE TRIGGER {_name(table, verb)} AFTER {verb} ON {table} {referencing}"
                f"FOR EACH STATEMENT EXECUTE FUNCTION {_name(table, 'bump')}()"
            )
    # A change to the row itself (a name, the therapist, a clinic setting) raises its own
    # counter, unless the change is the counter (a trigger above).
    statements += [
        "CREATE OR REPLACE FUNCTION data_version_own_row() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN IF NEW.data_version = OLD.data_version THEN "
        "NEW.data_version := OLD.data_version + 1; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER data_version_patient_row BEFORE UPDATE ON patients "
        "FOR EACH ROW EXECUTE FUNCTION data_version_own_row()",
        "CREATE TRIGGER data_version_clinic_row BEFORE UPDATE ON clinics "
        "FOR EACH ROW EXECUTE FUNCTION data_version_own_row()",
        # Staff names are shown beside patients; a login (which writes the user's row) is not.
        "CREATE OR REPLACE FUNCTION data_version_user_name() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN UPDATE clinics SET data_version = data_version + 1 "
        "WHERE id IN (OLD.clinic_id, NEW.clinic_id); RETURN NULL; END $$",
        "CREATE TRIGGER data_version_user_name AFTER UPDATE OF full_name, clinic_id ON users "
        "FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name "
        "OR OLD.clinic_id IS DISTINCT FROM NEW.clinic_id) "
        "EXECUTE FUNCTION data_version_user_name()",
    ]
    return statements


def _sqlite() -> list[str]:
    statements = []
    bump = "UPDATE patients SET data_version = data_version + 1 WHERE id IN"
    for table, patient in PATIENT_TABLES.items():
        new, old = patient.format(r="NEW"), patient.format(r="OLD")
        rows = {"INSERT": f"({new})", "UPDATE": f"({new}, {old})", "DELETE": f"({old})"}
        for verb in EVENTS:
            statements.append(
                f"CREATE TRIGGER {_name(table, verb)} AFTER {verb} ON {table} "
                f"BEGIN {bump} {rows[verb]}; END"
            )
    for table in LIBRARY_TABLES:
        for verb in EVENTS:
            statements.append(
                f"CREATE TRIGGER {_name(table, verb)} AFTER {verb} ON {table} "
                "BEGIN UPDATE clinics SET data_version = data_version + 1; END"
            )
    for table, name in (("patients", "patient"), ("clinics", "clinic")):
        statements.append(
            f"CREATE TRIGGER data_version_{name}_row AFTER UPDATE ON {table} "
            "WHEN NEW.data_version = OLD.data_version "
            f"BEGIN UPDATE {table} SET data_version = data_version + 1 WHERE id = NEW.id; END"
        )
    statements.append(
        "CREATE TRIGGER data_version_user_name AFTER UPDATE OF full_name, clinic_id ON users "
        "WHEN OLD.full_name IS NOT NEW.full_name OR OLD.clinic_id IS NOT NEW.clinic_id "
        "BEGIN UPDATE clinics SET data_version = data_version + 1 "
        "WHERE id IN (OLD.clinic_id, NEW.clinic_id); END"
    )
    return statements


def install_on_create(metadata) -> None:
    """Create the triggers whenever ``metadata.create_all`` creates the schema."""

    @event.listens_for(metadata, "after_create")
    def _create(target, connection, tables=(), **kw) -> None:
        if connection.dialect.name not in ("postgresql", "sqlite"):
            return
        if "patients" not in {table.name for table in tables}:
            return  # the schema was there already, and its triggers with it
        for statement in ddl(connection.dialect.name):
            connection.exec_driver_sql(statement)
