"""Patient records: the one loader views use, and the operations on a record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask import abort
from sqlalchemy import func, or_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from rehab.audit.services import Action, record, record_read
from rehab.audit.summaries import Summary
from rehab.auth.links import issue_token
from rehab.auth.models import Role, TokenPurpose, User
from rehab.auth.services import EmailTaken, email_in_use, normalise_email
from rehab.core.concurrency import claim
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.patients import measures
from rehab.patients.models import (
    AnalysisActivity,
    AnalysisExtraTest,
    MovementAnalysis,
    Patient,
    PatientStatus,
)
from rehab.patients.vocabulary import ANALYSIS_KINDS, RED_FLAGS
from rehab.progress import assessment

PAGE_SIZE = 25


def patient_for(actor: User, patient_id: int, *, what: str = "patient") -> Patient:
    """The patient if ``actor`` may see them, else 404 (missing and foreign look the same).

    Staff see the patients of their own clinic; a patient sees only their own record.
    The read, or the refusal, goes into the access log.
    """
    patient = db.session.get(Patient, patient_id, options=[joinedload(Patient.therapist)])
    allowed = patient is not None and (
        patient.user_id == actor.id
        if actor.role == Role.PATIENT
        else patient.clinic_id == actor.clinic_id
    )
    if not allowed:
        if patient is not None:
            # Written in the record's own clinic, whose log shows who tried to open it. The
            # refused user's clinic gets nothing, exactly as for an id that does not exist:
            # its log cannot tell which numbers exist elsewhere.
            record_read(patient_id=patient.id, object_type=what, action=Action.ACCESS_DENIED,
                        clinic_id=patient.clinic_id)  # fmt: skip
        abort(404)
    record_read(patient_id=patient.id, object_type=what, object_id=patient.id)
    return patient


def own_patient_record(actor: User) -> Patient:
    """The record of the logged-in patient (404 if their record was removed). The user
    loader read it with the login; anyone else's is looked up."""
    patient = actor.own_record
    if patient is None or sa_inspect(patient).expired or sa_inspect(patient).detached:
        patient = db.session.scalar(select(Patient).where(Patient.user_id == actor.id))
    if patient is None:
        abort(404)
    return patient


def clinic_therapists(clinic_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.clinic_id == clinic_id,
                User.role.in_([Role.THERAPIST, Role.ADMIN]),
                User.active.is_(True),
            )
            .order_by(User.full_name)
        )
    )


@dataclass(frozen=True)
class CaseloadQuery:
    q: str | None = None
    status: str = "active"
    scope: str = "mine"
    page: int = 1


def caseload_statement(actor: User, query: CaseloadQuery):
    """The patients this actor's caseload page lists, before paging."""
    stmt = select(Patient).where(Patient.clinic_id == actor.clinic_id)
    if query.scope == "mine" and actor.role == Role.THERAPIST:
        stmt = stmt.where(Patient.therapist_id == actor.id)
    if query.status in (PatientStatus.ACTIVE, PatientStatus.DISCHARGED):
        stmt = stmt.where(Patient.status == query.status)
    if query.q:
        like = f"%{query.q.lower()}%"
        full = func.lower(Patient.first_name + " " + Patient.last_name)
        stmt = stmt.where(or_(full.like(like), func.lower(Patient.email).like(like)))
    # The therapist's name is on every row: joined here, not fetched once per row.
    return stmt.options(joinedload(Patient.therapist)).order_by(
        Patient.last_name, Patient.first_name, Patient.id
    )


def create_patient(actor: User, data: dict) -> tuple[Patient, str]:
    """Create the record and its (password-less) account; returns the activation token.

    Patients never register themselves: the link is the only way into the account.
    """
    data = _blank_as_none(data)
    email = normalise_email(data["email"])
    if email_in_use(email):
        raise EmailTaken(email)
    account = User(
        clinic_id=actor.clinic_id,
        email=email,
        full_name=f"{data['first_name']} {data['last_name']}"[:120],
        role=Role.PATIENT,
        locale=data.get("preferred_language") or "nl",
    )
    db.session.add(account)
    db.session.flush()
    patient = Patient(clinic_id=actor.clinic_id, user_id=account.id, **data)
    patient.email = email
    db.session.add(patient)
    db.session.flush()
    token = issue_token(account, TokenPurpose.ACTIVATION, actor=actor)
    record(Action.CREATE, patient_id=patient.id, object_type="patient", object_id=patient.id)
    db.session.commit()
    return patient, token


def new_activation_link(actor: User, patient: Patient) -> str:
    token = issue_token(
        patient.user,
        TokenPurpose.ACTIVATION if not patient.user.has_password else TokenPurpose.RESET,
        actor=actor,
    )
    record(
        Action.UPDATE,
        patient_id=patient.id,
        object_type="account_link",
        object_id=patient.user_id,
        summary=Summary.of("account_link_issued"),
    )
    db.session.commit()
    return token


def _blank_as_none(data: dict) -> dict:
    """A select's empty option means "not recorded": NULL, not "" (the CHECKs refuse "")."""
    return {key: (None if value == "" else value) for key, value in data.items()}


# --- changing a record --------------------------------------------------------------------


def update_patient(actor: User, patient: Patient, data: dict) -> list[str]:
    """Save the record; the login account's e-mail, name and language follow it.

    Returns the names of the fields that changed (the audit entry lists them, not their
    values). Raises EmailTaken when another account uses the new address.
    """
    data = _blank_as_none(data)
    email = normalise_email(data["email"])
    account = patient.user
    if email != (account.email if account else patient.email) and email_in_use(email):
        raise EmailTaken(email)
    data["email"] = email
    changed = [name for name, value in data.items() if getattr(patient, name) != value]
    for name in changed:
        setattr(patient, name, data[name])
    if account is not None:
        account.email = email
        account.full_name = patient.full_name[:120]
        if "preferred_language" in changed:
            account.locale = patient.preferred_language
    if changed:
        record(
            Action.UPDATE,
            patient_id=patient.id,
            object_type="patient",
            object_id=patient.id,
            summary=Summary.of("patient_changed", fields=changed),
        )
    try:
        db.session.commit()
    except IntegrityError as error:  # another request took the address meanwhile
        db.session.rollback()
        raise EmailTaken(email) from error
    return changed


class StatusChanged(Exception):
    """Someone else discharged or re-opened the patient a moment ago."""


def discharge_patient(actor: User, patient: Patient, *, on: dt.date, note: str | None) -> None:
    """End treatment on ``on``; the record, the account and the analyses stay. Only an active
    patient is discharged (one conditional write: of two at once, one discharges)."""
    if not claim(patient, Patient.status == PatientStatus.ACTIVE,
                 status=PatientStatus.DISCHARGED, discharged_on=on, discharge_note=note,
                 discharged_at=utcnow()):  # fmt: skip
        db.session.rollback()
        raise StatusChanged(patient.id)
    record(
        Action.UPDATE,
        patient_id=patient.id,
        object_type="patient",
        object_id=patient.id,
        summary=Summary.of("patient_discharged", on=on),
    )
    db.session.commit()


def reopen_patient(actor: User, patient: Patient) -> None:
    """Take a discharged patient back into treatment (the discharge stays in the access log);
    StatusChanged when they are in treatment already."""
    previous = patient.discharged_on
    if not claim(patient, Patient.status == PatientStatus.DISCHARGED,
                 status=PatientStatus.ACTIVE, discharged_on=None, discharge_note=None,
                 discharged_at=None):  # fmt: skip
        db.session.rollback()
        raise StatusChanged(patient.id)
    record(
        Action.UPDATE,
        patient_id=patient.id,
        object_type="patient",
        object_id=patient.id,
        summary=Summary.of("patient_reopened", discharged_on=previous),
    )
    db.session.commit()


def transfer_candidates(patient: Patient) -> list[User]:
    """The clinic's active therapists (and admins who treat) other than the current one."""
    return [t for t in clinic_therapists(patient.clinic_id) if t.id != patient.therapist_id]


def transfer_patient(actor: User, patient: Patient, therapist_id: int) -> User:
    """Move the patient to another therapist of the same clinic (admins only)."""
    if actor.role != Role.ADMIN:
        raise PermissionError("only a clinic admin transfers patients")
    therapist = next((t for t in transfer_candidates(patient) if t.id == therapist_id), None)
    if therapist is None:
        raise ValueError("not a therapist of this clinic")
    previous = patient.therapist_id
    patient.therapist_id = therapist.id
    patient.therapist = therapist
    record(
        Action.UPDATE,
        patient_id=patient.id,
        object_type="patient",
        object_id=patient.id,
        summary=Summary.of(
            "patient_transferred", from_therapist=previous, to_therapist=therapist.id
        ),
    )
    db.session.commit()
    return therapist


# --- movement analyses: loading -------------------------------------------------------------

CHRONOLOGICAL = (MovementAnalysis.recorded_on, MovementAnalysis.id)
ANALYSES_PAGE_SIZE = 20


def _with_children():
    return (
        selectinload(MovementAnalysis.activities),
        selectinload(MovementAnalysis.extra_tests),
        joinedload(MovementAnalysis.therapist),
    )


def _analysis_of(patient: Patient, analysis_id: int) -> MovementAnalysis:
    analysis = db.session.scalar(
        select(MovementAnalysis)
        .where(MovementAnalysis.id == analysis_id, MovementAnalysis.patient_id == patient.id)
        .options(*_with_children())
    )
    if analysis is None:
        abort(404)
    record_read(patient_id=patient.id, object_type="movement_analysis", object_id=analysis.id)
    return analysis


def analysis_for(
    actor: User, patient_id: int, analysis_id: int
) -> tuple[Patient, MovementAnalysis]:
    """A patient's analysis for staff of their clinic, with its children; else 404."""
    patient = patient_for(actor, patient_id)
    return patient, _analysis_of(patient, analysis_id)


def own_analysis(actor: User, analysis_id: int) -> tuple[Patient, MovementAnalysis]:
    """One of the logged-in patient's own analyses; another patient's id is a 404."""
    patient = own_patient_record(actor)
    return patient, _analysis_of(patient, analysis_id)


def analyses_statement(patient_id: int, *, newest_first: bool = True):
    order = [c.desc() for c in CHRONOLOGICAL] if newest_first else list(CHRONOLOGICAL)
    return (
        select(MovementAnalysis)
        .where(MovementAnalysis.patient_id == patient_id)
        .options(joinedload(MovementAnalysis.therapist))
        .order_by(*order)
    )


@dataclass(frozen=True)
class AnalysisChoice:
    id: int
    recorded_on: dt.date
    kind: str


def analysis_choices(patient_id: int) -> list[AnalysisChoice]:
    """Every analysis of the patient, oldest first, as (id, date, kind): one light query."""
    rows = db.session.execute(
        select(MovementAnalysis.id, MovementAnalysis.recorded_on, MovementAnalysis.kind)
        .where(MovementAnalysis.patient_id == patient_id)
        .order_by(*CHRONOLOGICAL)
    )
    return [AnalysisChoice(*row) for row in rows]


def analyses_by_id(patient: Patient, ids: list[int]) -> dict[int, MovementAnalysis]:
    """These analyses of this patient with their children (ids of others are left out)."""
    rows = db.session.scalars(
        select(MovementAnalysis)
        .where(MovementAnalysis.patient_id == patient.id, MovementAnalysis.id.in_(ids))
        .options(*_with_children())
    )
    found = {analysis.id: analysis for analysis in rows}
    for analysis_id in found:
        record_read(patient_id=patient.id, object_type="movement_analysis", object_id=analysis_id)
    return found


# --- movement analyses: recording -----------------------------------------------------------

_MEAN_PLACES = Decimal("0.01")


def _activity_mean(instrument: str | None, scores: list[int]) -> Decimal | None:
    if instrument is None or not scores:
        return None
    mean = (assessment.psk_mean if instrument == "psk" else assessment.psfs_mean)(scores)
    return Decimal(str(mean)).quantize(_MEAN_PLACES, rounding=ROUND_HALF_UP)


def _replace(analysis: MovementAnalysis, rows: list, new_rows: list) -> None:
    """Swap a child list; the old rows go first, as the new ones reuse their positions."""
    rows.clear()
    if analysis.id is not None:
        db.session.flush()  # still the same transaction: the caller commits once
    rows.extend(new_rows)


def _apply(
    analysis: MovementAnalysis,
    values: dict,
    activities: list[tuple],
    extra_tests: list[dict],
) -> list[str]:
    """Write the form's values and children onto ``analysis``; returns what changed.

    ``activities`` are (description, score) or (description, score, sport or work) rows.
    """
    activities = [(*row, False) if len(row) == 2 else tuple(row) for row in activities]
    values = _blank_as_none(values)
    instrument = values.get("activity_instrument")
    mean = _activity_mean(instrument, [row[1] for row in activities])
    values["psk"] = mean if instrument == "psk" else None
    values["psfs"] = mean if instrument == "psfs" else None
    changed = [name for name, value in values.items() if getattr(analysis, name) != value]
    for name in changed:
        setattr(analysis, name, values[name])

    old_activities = [(a.description, a.score, a.sport_or_work) for a in analysis.activities]
    if old_activities != activities:
        _replace(analysis, analysis.activities, [
            AnalysisActivity(position=n, description=text, score=score, sport_or_work=sport)
            for n, (text, score, sport) in enumerate(activities, start=1)
        ])  # fmt: skip
        changed.append("activities")
    fields = ("name", "unit", "value", "reference_low", "reference_high")
    old_tests = [{f: getattr(t, f) for f in fields} for t in analysis.extra_tests]
    if old_tests != extra_tests:
        _replace(analysis, analysis.extra_tests, [
            AnalysisExtraTest(position=n, **test) for n, test in enumerate(extra_tests, start=1)
        ])  # fmt: skip
        changed.append("extra_tests")
    return changed


def new_analysis(
    patient_id: int,
    therapist_id: int,
    values: dict,
    activities: list[tuple[str, int]],
    extra_tests: list[dict],
) -> MovementAnalysis:
    """Build and flush an analysis with its children and derived means (no commit, no audit:
    create_analysis does both; the demo data uses this directly)."""
    analysis = MovementAnalysis(patient_id=patient_id, therapist_id=therapist_id)
    analysis.activities = []
    analysis.extra_tests = []
    _apply(analysis, values, activities, extra_tests)
    db.session.add(analysis)
    db.session.flush()
    return analysis


def create_analysis(
    actor: User,
    patient: Patient,
    values: dict,
    activities: list[tuple[str, int]],
    extra_tests: list[dict],
) -> MovementAnalysis:
    """Record a movement analysis with its activities and extra tests, in one transaction."""
    analysis = new_analysis(patient.id, actor.id, values, activities, extra_tests)
    record(
        Action.CREATE,
        patient_id=patient.id,
        object_type="movement_analysis",
        object_id=analysis.id,
        summary=Summary.of(
            "analysis_recorded", kind=analysis.kind, recorded_on=analysis.recorded_on
        ),
    )
    db.session.commit()
    return analysis


def update_analysis(
    actor: User,
    analysis: MovementAnalysis,
    values: dict,
    activities: list[tuple[str, int]],
    extra_tests: list[dict],
) -> list[str]:
    """Save changes to an analysis; the audit entry names the changed fields."""
    changed = _apply(analysis, values, activities, extra_tests)
    if changed:
        db.session.flush()
        record(
            Action.UPDATE,
            patient_id=analysis.patient_id,
            object_type="movement_analysis",
            object_id=analysis.id,
            summary=Summary.of("analysis_changed", fields=changed),
        )
    db.session.commit()
    return changed


# --- for other areas: exit criteria, progression and reports --------------------------------
# These take a patient id the caller has already authorised (through patient_for or
# own_patient_record); they read, never write, and run a fixed number of queries.

_FIELDS = measures.stored_fields()


def _ratios(values: dict) -> dict[str, float]:
    """The McGill ratios of measures.RATIOS that these values allow (McGill 1999)."""
    ratios: dict[str, float] = {}
    flexor_extensor = assessment.flexor_extensor_ratio(
        values.get("mcgill_flexor"), values.get("biering_sorensen")
    ).value
    if flexor_extensor is not None:
        ratios["flexor_extensor_ratio"] = flexor_extensor
    balance = assessment.side_bridge_balance(
        values.get("side_bridge_right"), values.get("side_bridge_left")
    ).value
    if balance is not None:
        ratios["side_bridge_balance"] = balance
    asymmetry = assessment.side_bridge_asymmetry(
        values.get("side_bridge_left"), values.get("side_bridge_right")
    ).value
    if asymmetry is not None:
        ratios["side_bridge_asymmetry"] = asymmetry
    per_side = assessment.side_bridge_extensor_ratio(
        values.get("side_bridge_left"),
        values.get("side_bridge_right"),
        values.get("biering_sorensen"),
    )
    sides = [check.value for check in (per_side.left, per_side.right) if check.value is not None]
    if sides:
        # McGill's criterion holds for either side, so the larger side is the one to judge.
        ratios["side_bridge_extensor_ratio"] = max(sides)
    return ratios


def _measure_rows(patient_id: int, *, newest_first: bool) -> list[dict[str, float]]:
    """Each analysis's catalogue values as floats (None left out), in time order."""
    columns = [getattr(MovementAnalysis, name) for name in _FIELDS]
    order = [c.desc() for c in CHRONOLOGICAL] if newest_first else list(CHRONOLOGICAL)
    rows = db.session.execute(
        select(*columns).where(MovementAnalysis.patient_id == patient_id).order_by(*order)
    )
    return [
        {name: float(value) for name, value in zip(_FIELDS, row, strict=True) if value is not None}
        for row in rows
    ]


def latest_measure_values(patient_id: int) -> dict[str, float]:
    """Each catalogue field's value from the most recent analysis that has it.

    Keys are ``measures.stored_fields()`` names (``side_bridge_left``, ``psk``, …) that have
    a value, plus the ratio keys of ``measures.RATIOS``, each computed within the most
    recent analysis that has all its inputs (a ratio never mixes two sessions). One query.
    """
    latest: dict[str, float] = {}
    ratios: dict[str, float] = {}
    for row in _measure_rows(patient_id, newest_first=True):
        for name, value in row.items():
            latest.setdefault(name, value)
        for name, value in _ratios(row).items():
            ratios.setdefault(name, value)
    return {**latest, **ratios}


def outcome_scores(patient_id: int, measure: str) -> tuple[float | None, float | None]:
    """(first, latest) value of a catalogue field or ratio key across the patient's analyses.

    "First" is the earliest analysis that has the value, "latest" the most recent one; with
    a single such analysis both are its value; with none, (None, None). One query.
    """
    if measure not in _FIELDS and measure not in measures.RATIOS:
        raise ValueError(f"unknown measure {measure!r}")
    values = [
        row.get(measure) if measure in _FIELDS else _ratios(row).get(measure)
        for row in _measure_rows(patient_id, newest_first=False)
    ]
    present = [value for value in values if value is not None]
    if not present:
        return None, None
    return present[0], present[-1]


def has_open_red_flags(patient_id: int) -> bool:
    """Whether the patient's most recent analysis has a red flag ticked (one query).

    Time-contingent progression stops on it until a later analysis clears the flags.
    """
    columns = [getattr(MovementAnalysis, f"red_flag_{code}") for code in RED_FLAGS]
    row = db.session.execute(
        select(*columns)
        .where(MovementAnalysis.patient_id == patient_id)
        .order_by(*[c.desc() for c in CHRONOLOGICAL])
        .limit(1)
    ).first()
    return row is not None and any(row)


def analyses_for_report(
    patient_id: int,
) -> tuple[MovementAnalysis | None, MovementAnalysis | None]:
    """(first, latest) analysis with activities, extra tests and therapist loaded.

    The same object twice when there is one analysis; (None, None) when there is none.
    Three queries whatever the number of analyses or extra tests.
    """
    mine = select(MovementAnalysis.id).where(MovementAnalysis.patient_id == patient_id)
    first = mine.order_by(*CHRONOLOGICAL).limit(1).scalar_subquery()
    latest = mine.order_by(*[c.desc() for c in CHRONOLOGICAL]).limit(1).scalar_subquery()
    rows = db.session.scalars(
        select(MovementAnalysis)
        .where(MovementAnalysis.id.in_([first, latest]))
        .order_by(*CHRONOLOGICAL)
        .options(*_with_children())
    ).all()
    if not rows:
        return None, None
    return rows[0], rows[-1]


PANEL_SIZE = 5


def analyses_panel(actor: User, patient: Patient) -> dict:
    """The patient page's analyses section: the latest few, how many, open red flags."""
    recent = db.session.scalars(analyses_statement(patient.id).limit(PANEL_SIZE)).all()
    total = db.session.scalar(
        select(func.count(MovementAnalysis.id)).where(MovementAnalysis.patient_id == patient.id)
    )
    return {
        "recent": recent,
        "total": total,
        "red_flags": recent[0].red_flags if recent else [],
        "kinds": ANALYSIS_KINDS,
    }
