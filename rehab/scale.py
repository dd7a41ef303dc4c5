"""`flask rehab seed-scale`: a clinic chain's worth of data for benchmarks, reproducibly.

Clinics of about 20 therapists, patients on programmes instantiated from the built-in
templates (with phase changes and dose versions as the load progresses), movement
analyses, and weeks of home sessions, exercise ("set") logs and morning check-ins with
plausible progressions, pain flares, adherence below 100 % and gaps. The same ``--seed``
gives the same rows.

Rows are written with SQLAlchemy Core: ids are allotted here (from the tables' current
maximum) so that parents and children go out in multi-row executemany batches, never one
ORM object at a time; PostgreSQL's sequences are moved past them at the end. Alerts and
suggestions are then raised by the app's own services (set-based alert scan per clinic,
suggestions per active patient), so the pages show what the app itself would have found.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import func, select

from rehab.auth.models import Clinic, Role, User
from rehab.auth.passwords import hash_password
from rehab.core.clock import clinic_today
from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.patients.models import AnalysisActivity, MovementAnalysis, Patient
from rehab.programmes import builtin
from rehab.programmes.dosing import snapshot
from rehab.programmes.models import (
    ExitCriterion,
    Phase,
    PhaseChange,
    Prescription,
    PrescriptionVersion,
    Programme,
)
from rehab.programmes.texts import versions as bilingual
from rehab.training.models import CheckIn, ExerciseLog, TrainingSession

THERAPISTS_PER_CLINIC = 20
SCALE_PASSWORD = {
    Role.ADMIN: "scale-admin-2026",
    Role.THERAPIST: "scale-therapist-2026",
    Role.PATIENT: "scale-patient-2026",
}
# Written in dependency order: every row's parents are in an earlier table of a batch.
TABLES = [
    Clinic.__table__,
    User.__table__,
    Patient.__table__,
    MovementAnalysis.__table__,
    AnalysisActivity.__table__,
    Programme.__table__,
    Phase.__table__,
    Prescription.__table__,
    PrescriptionVersion.__table__,
    ExitCriterion.__table__,
    PhaseChange.__table__,
    TrainingSession.__table__,
    ExerciseLog.__table__,
    CheckIn.__table__,
]
BATCH_ROWS = 50_000  # exercise logs per write; bounds the seeder's memory

FIRST_NAMES = (
    "Sanne", "Tom", "Emma", "Daan", "Lotte", "Sem", "Julia", "Lucas", "Noor", "Finn", "Tess",
    "Milan", "Sara", "Levi", "Anna", "Bram", "Eva", "Jesse", "Fleur", "Thijs", "Lieke", "Ruben",
    "Femke", "Stijn", "Iris", "Mohammed", "Fatima", "Yusuf", "Amira", "Kees", "Ingrid", "Henk",
)  # fmt: skip
LAST_NAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "El Amrani", "Yilmaz", "Kaya", "Bouzid", "van Vliet", "Kok", "Jacobs", "Vermeulen",
)  # fmt: skip
REGIONS = {"low-back-recurrent": "lumbar_spine", "running-knee": "knee"}
SKIP_REASONS = ("time", "time", "tired", "pain", "equipment", "other")
SLEEP = ("good", "good", "good", "fair", "fair", "poor")


class DatabaseNotEmpty(Exception):
    """The database already holds patients; seed-scale adds to it only when forced."""


@dataclass(frozen=True)
class ScaleSize:
    therapists: int = 100
    patients: int = 5000
    weeks: int = 26
    seed: int = 2026


@dataclass
class SeedReport:
    clinics: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    sets: int = 0  # the sets inside the exercise logs (a log holds one exercise's sets)
    seconds_rows: float = 0.0
    seconds_alerts: float = 0.0
    seconds_suggestions: float = 0.0
    first_therapist_email: str = ""
    first_patient_email: str = ""


# --- templates as plain rows ---------------------------------------------------------------


@dataclass(frozen=True)
class RxBlueprint:
    key: str
    exercise_id: int
    values: dict  # Prescription column values (dose, rule, session label)


@dataclass(frozen=True)
class PhaseBlueprint:
    values: dict  # Phase column values
    prescriptions: tuple[RxBlueprint, ...]
    criteria: tuple[tuple[str | None, dict], ...]  # (prescription key, ExitCriterion values)


@dataclass(frozen=True)
class TemplateBlueprint:
    slug: str
    title: str
    description: str | None
    phases: tuple[PhaseBlueprint, ...]


def blueprints(language: str) -> list[TemplateBlueprint]:
    """The built-in templates in ``language``, read as the builder would instantiate them."""
    templates = builtin.builtin_templates().values()
    slugs = {slug for t in templates for slug in t.slugs}
    ids = dict(
        db.session.execute(
            select(Exercise.slug, Exercise.id).where(
                Exercise.slug.in_(slugs), Exercise.clinic_id.is_(None)
            )
        ).all()
    )
    result = []
    for template in templates:
        phases = []
        for data in template.phases:
            phase_values = {
                "name": builtin.text(data["name"], language),
                "goal": builtin.text(data.get("goal"), language),
                "planned_weeks": data.get("planned_weeks"),
                "schedule_kind": data.get("schedule", "per_week"),
                "sessions_per_week": data.get("sessions_per_week"),
                "weekdays": ",".join(str(d) for d in data.get("weekdays", [])) or None,
                "rotation": ",".join(data.get("rotation", [])) or None,
                # Both languages of the template's words, as a programme built from it keeps.
                "texts": {
                    key: found
                    for key in ("name", "goal")
                    if (found := bilingual(data.get(key))) is not None
                }
                or None,
            }
            rxs = tuple(
                RxBlueprint(
                    key=rx.get("key", rx["exercise"]),
                    exercise_id=ids[rx["exercise"]],
                    values=builtin.prescription_values(rx, language),
                )
                for rx in data.get("prescription", [])
            )
            criteria = tuple(
                (item.get("prescription"), builtin.criterion_values(item, language))
                for item in data.get("criterion", [])
            )
            phases.append(PhaseBlueprint(phase_values, rxs, criteria))
        result.append(
            TemplateBlueprint(
                template.slug,
                template.title(language),
                template.description(language),
                tuple(phases),
            )
        )
    return result


def _programme_texts(slug: str) -> dict | None:
    """Both languages of a built-in template's title and description."""
    data = builtin.builtin_template(slug).data
    texts = {key: found for key in ("title", "description") if (found := bilingual(data.get(key)))}
    return texts or None


# --- ids and batches -------------------------------------------------------------------------


class Batches:
    """Rows per table with ids allotted here; written in dependency order when full."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.rows: dict[str, list[dict]] = {t.name: [] for t in TABLES}
        self.next_id = {
            t.name: (connection.scalar(select(func.max(t.c.id))) or 0) + 1 for t in TABLES
        }
        self.first_id = dict(self.next_id)
        self.current_phases: list[dict] = []
        self.counts = dict.fromkeys(self.rows, 0)
        self.sets = 0

    def add(self, table: str, row: dict) -> int:
        row["id"] = self.next_id[table]
        self.next_id[table] += 1
        self.rows[table].append(row)
        return row["id"]

    def maybe_write(self) -> None:
        if len(self.rows["exercise_logs"]) >= BATCH_ROWS:
            self.write()

    def write(self) -> None:
        for table in TABLES:
            rows = self.rows[table.name]
            if rows:
                _insert(self.connection, table, rows)
                self.counts[table.name] += len(rows)
                if table.name == "exercise_logs":
                    self.sets += sum(row.get("sets_done") or 0 for row in rows)
                rows.clear()
        if self.current_phases:
            # programmes.current_phase_id and phases.programme_id point at each other: the
            # programme goes in first without it, then gets it once its phases exist.
            self.connection.execute(
                sa.update(Programme.__table__)
                .where(Programme.__table__.c.id == sa.bindparam("programme"))
                .values(current_phase_id=sa.bindparam("phase")),
                self.current_phases,
            )
            self.current_phases.clear()


def _insert(connection: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    """Multi-row insert: COPY on PostgreSQL, executemany elsewhere (SQLite)."""
    # Every row gets every column the batch uses: the ones a row left out take the
    # column's Python default, as the ORM would have given them, or NULL.
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    defaults = {}
    for column in table.columns:
        default = column.default
        if default is not None and default.is_scalar:
            defaults[column.name] = default.arg
            keys.setdefault(column.name)
        elif default is not None and column.name not in keys:
            raise ValueError(f"{table.name}.{column.name}: give a value (its default is computed)")
    names = list(keys)
    if connection.dialect.name == "postgresql":
        _copy(connection, table, names, rows, defaults)
        return
    complete = [{k: row.get(k, defaults.get(k)) for k in names} for row in rows]
    for start in range(0, len(complete), 10_000):
        connection.execute(table.insert(), complete[start : start + 10_000])


def _copy(connection: sa.Connection, table: sa.Table, names, rows, defaults) -> None:
    """COPY … FROM STDIN through psycopg, in the connection's transaction."""
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    columns = ", ".join(f'"{name}"' for name in names)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            values = []
            for name in names:
                value = row.get(name, defaults.get(name))
                if name in json_columns and value is not None:
                    value = json.dumps(value)
                values.append(value)
            copy.write_row(values)
    cursor.close()


def _reset_sequences(connection: sa.Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    for table in TABLES:
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608  # nosec B608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
            )
        )


# --- the seeder ------------------------------------------------------------------------------


def seed_scale(
    size: ScaleSize,
    *,
    force: bool = False,
    today: dt.date | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> SeedReport:
    """Write the data set; refuses a database with patients unless ``force``."""
    from rehab.exercises.services import load_library

    if not force and db.session.scalar(select(func.count(Patient.id))):
        raise DatabaseNotEmpty
    if db.session.scalar(select(func.count(Exercise.id)).where(Exercise.slug.is_not(None))) == 0:
        load_library()
    rng = random.Random(size.seed)  # noqa: S311  (reproducible test data, not secrets)
    templates = {language: blueprints(language) for language in ("nl", "en")}
    hashes = {role: hash_password(password) for role, password in SCALE_PASSWORD.items()}
    report = SeedReport()
    started = time.perf_counter()
    db.session.commit()
    with db.engine.begin() as connection:
        batches = Batches(connection)
        today = today or clinic_today(Clinic(timezone="Europe/Amsterdam"))
        world = _World(rng, batches, templates, hashes, size, today)
        world.people()
        report.clinics = len(world.clinic_ids)
        report.first_therapist_email = world.first_therapist_email
        report.first_patient_email = world.first_patient_email
        for n, patient in enumerate(world.patient_rows):
            world.history(patient)
            batches.maybe_write()
            if n and n % 500 == 0:
                progress(f"{n} patients, {batches.counts['exercise_logs']} set logs written")
        batches.write()
        _reset_sequences(connection)
        report.counts = batches.counts
        report.sets = batches.sets
    _analyze()
    report.seconds_rows = time.perf_counter() - started
    progress(f"rows written in {report.seconds_rows:.0f} s; raising alerts")
    started = time.perf_counter()
    _raise_alerts(world.clinic_ids, today)
    report.seconds_alerts = time.perf_counter() - started
    progress(f"alerts in {report.seconds_alerts:.0f} s; suggestions")
    started = time.perf_counter()
    report.counts["suggestions"] = _suggest(world.active_patient_ids, today)
    report.seconds_suggestions = time.perf_counter() - started
    return report


def _analyze() -> None:
    """Fresh statistics: the planner would otherwise think the bulk-loaded tables are empty
    and scan a million set logs where an index finds a patient's few hundred."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text(f"ANALYZE {', '.join(t.name for t in TABLES)}"))
        else:
            connection.execute(sa.text("ANALYZE"))


def _raise_alerts(clinic_ids: list[int], today: dt.date) -> None:
    from rehab.training.alerts import claim_daily_scan, scan_alerts

    for clinic_id in clinic_ids:
        claim_daily_scan(clinic_id, today)
        scan_alerts(today=today, clinic_ids=[clinic_id])
        db.session.commit()


def _suggest(patient_ids: list[int], today: dt.date) -> int:
    """Suggestions per active patient, as after their last session (committed in chunks)."""
    from rehab.programmes.models import Suggestion
    from rehab.training.suggestions import refresh_suggestions

    for start in range(0, len(patient_ids), 200):
        chunk = patient_ids[start : start + 200]
        for patient in db.session.scalars(select(Patient).where(Patient.id.in_(chunk))):
            refresh_suggestions(patient, today=today)
        db.session.commit()
        db.session.expunge_all()
    return db.session.scalar(select(func.count(Suggestion.id))) or 0


def _at(day: dt.date, hour: int = 19, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    for n in range((end - start).days + 1):
        yield start + dt.timedelta(days=n)


@dataclass
class _Rx:
    id: int
    blueprint: RxBlueprint
    versions: list[tuple[dt.date, int, dict]]  # (from, version id, dose values)

    def version_on(self, day: dt.date) -> tuple[int, dict]:
        chosen = self.versions[0]
        for version in self.versions:
            if version[0] <= day:
                chosen = version
        return chosen[1], chosen[2]


class _World:
    def __init__(self, rng, batches, templates, hashes, size: ScaleSize, today: dt.date):
        self.rng = rng
        self.b = batches
        self.templates = templates
        self.hashes = hashes
        self.size = size
        self.today = today
        self.clinic_ids: list[int] = []
        self.patient_rows: list[dict] = []
        self.active_patient_ids: list[int] = []
        self.first_therapist_email = ""
        self.first_patient_email = ""

    # People: clinics of about 20 therapists, an admin each, patients spread over them.
    def people(self) -> None:
        clinics = max(1, math.ceil(self.size.therapists / THERAPISTS_PER_CLINIC))
        therapists: list[tuple[int, int]] = []  # (clinic id, user id)
        for c in range(clinics):
            clinic_id = self.b.add(
                "clinics",
                {
                    "name": f"Fysio Schaal {c + 1}",
                    "timezone": "Europe/Amsterdam",
                    "default_locale": "nl",
                    # Benchmarks log in without an authenticator, like the demo clinic.
                    "require_staff_2fa": False,
                    "created_at": _at(self.today - dt.timedelta(weeks=self.size.weeks + 4)),
                },
            )
            self.clinic_ids.append(clinic_id)
            self._user(clinic_id, Role.ADMIN, f"Beheer {c + 1}")
        for t in range(self.size.therapists):
            clinic_id = self.clinic_ids[t % clinics]
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            user_id, email = self._user(clinic_id, Role.THERAPIST, name)
            therapists.append((clinic_id, user_id))
            self.first_therapist_email = self.first_therapist_email or email
        for p in range(self.size.patients):
            clinic_id, therapist_id = therapists[p % len(therapists)]
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            language = "en" if self.rng.random() < 0.1 else "nl"
            user_id, email = self._user(clinic_id, Role.PATIENT, f"{first} {last}", language)
            self.first_patient_email = self.first_patient_email or email
            self.patient_rows.append(
                {
                    "clinic_id": clinic_id,
                    "therapist_id": therapist_id,
                    "user_id": user_id,
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "preferred_language": language,
                    "date_of_birth": dt.date(1950, 1, 1)
                    + dt.timedelta(days=self.rng.randint(0, 55 * 365)),
                }
            )

    def _user(self, clinic_id: int, role: Role, name: str, language: str | None = None):
        next_id = self.b.next_id["users"]
        email = f"{role.value}{next_id}@scale.rehab"
        self.b.add(
            "users",
            {
                "clinic_id": clinic_id,
                "email": email,
                "full_name": name,
                "role": role.value,
                "password_hash": self.hashes[role],
                "locale": language,
                "active": True,
                "failed_logins": 0,
                "created_at": _at(self.today - dt.timedelta(weeks=self.size.weeks + 4), 9),
            },
        )
        return next_id, email

    # One patient's course: record, analyses, programme, sessions, check-ins.
    def history(self, patient: dict) -> None:
        rng, weeks = self.rng, self.size.weeks
        start = self.today - dt.timedelta(days=weeks * 7 - rng.randint(0, weeks * 7 // 6))
        discharged = rng.random() < 0.12
        end = self.today - dt.timedelta(days=rng.randint(7, 42) if discharged else 1)
        end = max(end, start + dt.timedelta(days=14))
        template = rng.choice(self.templates[patient["preferred_language"]])
        patient.update(
            status="discharged" if discharged else "active",
            body_region=REGIONS.get(template.slug, "lumbar_spine"),
            main_complaint=template.title,
            onset_date=start - dt.timedelta(days=rng.randint(7, 120)),
            episode=rng.choice(("first", "recurrence")),
            created_at=_at(start - dt.timedelta(days=1), 10),
            discharged_on=end if discharged else None,
            discharged_at=_at(end, 16) if discharged else None,
        )
        patient_id = self.b.add("patients", patient)
        if not discharged:
            self.active_patient_ids.append(patient_id)
        self._analyses(patient_id, patient["therapist_id"], start, end, discharged)
        phases = self._programme(patient_id, patient, template, start, end, discharged)
        self._training(patient_id, phases, start, end)

    def _analyses(self, patient_id, therapist_id, start, end, discharged) -> None:
        rng = self.rng
        nprs = rng.randint(4, 8)
        schober, ffd = rng.uniform(2.0, 4.0), rng.uniform(10, 35)
        bridge, extensor = rng.uniform(20, 60), rng.uniform(40, 120)
        activities = [rng.randint(5, 9) for _ in range(3)]
        dates = list(_days(start, end))[::42]
        if discharged:
            dates.append(end)
        for n, day in enumerate(dates):
            kind = "intake" if n == 0 else "reassessment"
            if discharged and n == len(dates) - 1 and n > 0:
                kind = "discharge"
            analysis_id = self.b.add(
                "movement_analyses",
                {
                    "patient_id": patient_id,
                    "therapist_id": therapist_id,
                    "recorded_on": day,
                    "kind": kind,
                    "created_at": _at(day, 11),
                    "updated_at": _at(day, 11),
                    "treatment_profile": rng.choice((1, 2, 2, 3)),
                    "nprs": nprs,
                    "nprs_worst": min(10, nprs + 2),
                    "activity_instrument": "psk",
                    "psk": Decimal(sum(activities) / 3).quantize(Decimal("0.01")),
                    "modified_schober": Decimal(f"{schober:.1f}"),
                    "finger_floor_distance": Decimal(f"{ffd:.1f}"),
                    "side_bridge_left": Decimal(f"{bridge:.0f}"),
                    "side_bridge_right": Decimal(f"{bridge * rng.uniform(0.85, 1.15):.0f}"),
                    "biering_sorensen": Decimal(f"{extensor:.0f}"),
                    "mcgill_flexor": Decimal(f"{extensor * rng.uniform(0.6, 1.1):.0f}"),
                    "morning_stiffness_minutes": rng.choice((5, 10, 15, 20, 30, 45)),
                    "findings": "Schaaldata: bevindingen bij dit onderzoek.",
                },
            )
            for position, score in enumerate(activities, start=1):
                self.b.add(
                    "analysis_activities",
                    {
                        "analysis_id": analysis_id,
                        "position": position,
                        "description": ("Hardlopen", "Tillen", "Zitten")[position - 1],
                        "score": score,
                    },
                )
            # Each re-assessment shows some improvement (and sometimes none).
            nprs = max(0, nprs - rng.randint(0, 2))
            activities = [max(0, a - rng.randint(0, 2)) for a in activities]
            schober = min(7.0, schober + rng.uniform(0, 0.8))
            ffd = max(-5.0, ffd - rng.uniform(0, 6))
            bridge, extensor = bridge * rng.uniform(1.0, 1.25), min(240, extensor * 1.1)

    def _programme(self, patient_id, patient, template, start, end, discharged):
        """The programme with its phases reached by ``end``; returns [(phase, from, to, rxs)]."""
        rng, therapist_id = self.rng, patient["therapist_id"]
        programme_id = self.b.add(
            "programmes",
            {
                "clinic_id": patient["clinic_id"],
                "patient_id": patient_id,
                "is_template": False,
                "source_template": template.slug,
                "title": template.title,
                "description": template.description,
                "texts": _programme_texts(template.slug),
                "language": patient["preferred_language"],
                "status": "completed" if discharged else "active",
                "started_on": start,
                "ended_on": end if discharged else None,
                "created_by_id": therapist_id,
                "created_at": _at(start - dt.timedelta(days=1), 10),
                "updated_at": _at(start - dt.timedelta(days=1), 10),
                "version": 1,
            },
        )
        phases = []
        day, previous = start, None
        for position, blueprint in enumerate(template.phases, start=1):
            reached = day <= end
            length = dt.timedelta(weeks=(blueprint.values["planned_weeks"] or 3))
            length = length * rng.uniform(1.0, 1.6)
            last = position == len(template.phases)
            until = end if last or day + length > end else day + length
            phase_id = self.b.add(
                "phases",
                {
                    "programme_id": programme_id,
                    "position": position,
                    **blueprint.values,
                    "started_on": day if reached else None,
                    "ended_on": until if reached and (until < end or discharged) else None,
                },
            )
            rxs = self._prescriptions(phase_id, blueprint, day if reached else None, until)
            self._criteria(phase_id, blueprint, rxs, therapist_id, day, until, reached)
            if reached:
                self.b.add(
                    "phase_changes",
                    {
                        "programme_id": programme_id,
                        "from_phase_id": previous,
                        "to_phase_id": phase_id,
                        "changed_by_id": therapist_id,
                        "changed_at": _at(day, 9),
                        "note": None
                        if previous is None
                        else "Door naar de volgende fase: exitcriteria gehaald.",
                        "note_code": "programme_started" if previous is None else None,
                    },
                )
                phases.append((blueprint, day, until, rxs, phase_id, programme_id))
                previous = phase_id
                day = until + dt.timedelta(days=1)
        self.b.current_phases.append({"programme": programme_id, "phase": previous})
        return phases

    def _prescriptions(self, phase_id, blueprint, since, until) -> list[_Rx]:
        """Prescriptions with a new dose version every 2–3 weeks while the phase runs."""
        rng, result = self.rng, []
        for position, rx in enumerate(blueprint.prescriptions, start=1):
            values = dict(rx.values)
            changes = [since or self.today]
            if since is not None:
                day = since + dt.timedelta(days=rng.randint(14, 21))
                while day < until:
                    changes.append(day)
                    day += dt.timedelta(days=rng.randint(14, 21))
            doses = [dict(values)]
            for _ in changes[1:]:
                doses.append(_progressed(doses[-1]))
            prescription_id = self.b.add(
                "prescriptions",
                {
                    "phase_id": phase_id,
                    "exercise_id": rx.exercise_id,
                    "position": position,
                    **doses[-1],
                    "paused": False,
                    "current_version": len(doses),
                    "dose_since": changes[-1],
                },
            )
            versions = []
            for number, (day, dose) in enumerate(zip(changes, doses, strict=True), start=1):
                version_id = self.b.add(
                    "prescription_versions",
                    {
                        "prescription_id": prescription_id,
                        "version": number,
                        "exercise_id": rx.exercise_id,
                        "dose": snapshot(Prescription(**dose)),
                        "effective_on": day,
                        "changed_at": _at(day, 9),
                        "reason": None if number == 1 else "Progressie: groen.",
                        "reason_code": "from_template" if number == 1 else None,
                    },
                )
                versions.append((day, version_id, dose))
            result.append(_Rx(prescription_id, rx, versions))
        return result

    def _criteria(self, phase_id, blueprint, rxs, therapist_id, since, until, reached) -> None:
        by_key = {rx.blueprint.key: rx.id for rx in rxs}
        for position, (key, values) in enumerate(blueprint.criteria, start=1):
            ticked = reached and values["kind"] == "therapist_check" and until < self.today
            self.b.add(
                "exit_criteria",
                {
                    "phase_id": phase_id,
                    "position": position,
                    "is_default": True,
                    "prescription_id": by_key.get(key or ""),
                    **values,
                    "checked_by_id": therapist_id if ticked else None,
                    "checked_at": _at(since + dt.timedelta(days=3), 10) if ticked else None,
                },
            )

    def _training(self, patient_id: int, phases, start: dt.date, end: dt.date) -> None:
        rng = self.rng
        adherence = rng.uniform(0.6, 1.0)
        gaps = []
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            gap_start = start + dt.timedelta(days=rng.randint(14, max(14, (end - start).days)))
            gaps.append((gap_start, gap_start + dt.timedelta(days=rng.randint(5, 21))))
        baseline = rng.choice((0, 1, 1, 2, 2, 3))
        minutes = rng.randint(20, 35)
        flare_after: set[dt.date] = set()
        for blueprint, phase_start, phase_end, rxs, phase_id, programme_id in phases:
            label_index = 0
            rotation = (
                (blueprint.values["rotation"] or "").split(",")
                if blueprint.values["rotation"]
                else []
            )
            for day in self._session_days(blueprint.values, phase_start, phase_end):
                if any(a <= day <= b for a, b in gaps) or rng.random() > adherence:
                    continue
                label = rotation[label_index % len(rotation)] if rotation else None
                label_index += 1
                flare = rng.random() < 0.04
                if flare:
                    flare_after.add(day + dt.timedelta(days=1))
                pain = min(10, baseline + (rng.randint(3, 5) if flare else rng.choice((0, 0, 1))))
                minutes = min(90, minutes + rng.choice((0, 0, 0, 1)))
                session_id = self.b.add(
                    "training_sessions",
                    {
                        "patient_id": patient_id,
                        "programme_id": programme_id,
                        "phase_id": phase_id,
                        "session_date": day,
                        "duration_minutes": max(5, minutes + rng.randint(-8, 8)),
                        "session_rpe": max(1, min(10, round(rng.gauss(5, 1.3)))),
                        "pain_after": max(0, min(10, pain + rng.randint(-1, 1))),
                        "submission_key": f"scale-{self.b.next_id['training_sessions']}",
                        "created_at": _at(day, 19, rng.randint(0, 59)),
                        "updated_at": _at(day, 19),
                    },
                )
                for rx in rxs:
                    rx_label = rx.blueprint.values.get("session_label")
                    if label and rx_label and rx_label != label:
                        continue
                    self._log(session_id, rx, day, pain)
        self._check_ins(patient_id, start, end, gaps, baseline, flare_after)

    def _session_days(self, phase: dict, since: dt.date, until: dt.date) -> Iterator[dt.date]:
        rng = self.rng
        monday = since - dt.timedelta(days=since.weekday())
        while monday <= until:
            if phase["schedule_kind"] == "weekdays" and phase["weekdays"]:
                weekdays = [int(d) - 1 for d in phase["weekdays"].split(",")]
            else:
                # Keen patients add a session now and then.
                per_week = (phase["sessions_per_week"] or 3) + (rng.random() < 0.3)
                weekdays = sorted(rng.sample(range(7), min(7, per_week)))
            for weekday in weekdays:
                day = monday + dt.timedelta(days=weekday)
                if since <= day <= until:
                    yield day
            monday += dt.timedelta(weeks=1)

    def _log(self, session_id: int, rx: _Rx, day: dt.date, pain: int) -> None:
        rng = self.rng
        version_id, dose = rx.version_on(day)
        row = {
            "session_id": session_id,
            "prescription_id": rx.id,
            "prescription_version_id": version_id,
            "exercise_id": rx.blueprint.exercise_id,
            "skipped": False,
        }
        if rng.random() < 0.06:
            row.update(skipped=True, skip_reason=rng.choice(SKIP_REASONS))
            self.b.add("exercise_logs", row)
            return
        kind = dose["dosage_type"]
        low, high = dose.get("reps_min"), dose.get("reps_max")
        row["sets_done"] = max(1, dose["sets"] - (1 if rng.random() < 0.1 else 0))
        if kind in ("reps", "hold") and (low or high):
            row["reps_done"] = rng.randint(low or high, high or low)
        if kind == "hold":
            row["hold_seconds_done"] = dose.get("hold_seconds")
        if kind == "time":
            row["duration_seconds_done"] = dose.get("duration_seconds")
        if kind == "distance":
            row["distance_m_done"] = dose.get("distance_m")
        if dose.get("load_kind") == "kg" and dose.get("load_kg") is not None:
            row["load_kg"] = dose["load_kg"]
        row["pain_during"] = max(0, min(10, pain + rng.choice((-1, 0, 0, 0, 1))))
        if dose.get("target_effort") is not None:
            effort = Decimal(dose["target_effort"]) + rng.choice((-1, 0, 0, 1))
            row["effort"] = max(Decimal(0), min(Decimal(10), effort))
        self.b.add("exercise_logs", row)

    def _check_ins(self, patient_id, start, end, gaps, baseline, flare_after) -> None:
        rng = self.rng
        for day in _days(start, end):
            if any(a <= day <= b for a, b in gaps) or rng.random() > 0.6:
                continue
            pain = baseline + (rng.randint(2, 3) if day in flare_after else rng.choice((0, 0, 1)))
            self.b.add(
                "check_ins",
                {
                    "patient_id": patient_id,
                    "check_date": day,
                    "morning_pain": min(10, pain),
                    "stiffness_minutes": rng.choice((0, 5, 10, 10, 15, 20, 25, 45)),
                    "sleep_quality": rng.choice(SLEEP),
                    "worse_than_yesterday": day in flare_after,
                    "created_at": _at(day, 8, rng.randint(0, 59)),
                },
            )


def _progressed(dose: dict) -> dict:
    """The next dose version: heavier, longer holds or more sets, by the template's rule."""
    new = dict(dose)
    if new.get("load_kind") == "kg" and new.get("load_kg") is not None:
        step = new.get("load_increment_kg") or Decimal("2.5")
        new["load_kg"] = min(Decimal(200), Decimal(new["load_kg"]) + Decimal(step))
    elif new.get("dosage_type") == "hold" and new.get("hold_seconds"):
        ceiling = new.get("max_hold_seconds") or 60
        new["hold_seconds"] = min(ceiling, new["hold_seconds"] + (new.get("seconds_per_week") or 2))
    elif new.get("dosage_type") == "time" and new.get("duration_seconds"):
        new["duration_seconds"] = min(14400, int(new["duration_seconds"] * 1.1))
    elif new.get("sets") and new["sets"] < 5:
        new["sets"] += 1
    return new
