"""Small factories: a clinic, its people, and log-ins without going through the login form."""

from __future__ import annotations

import datetime as dt
import itertools

from flask.testing import FlaskClient

from rehab.auth.models import Clinic, Role, User, UserSession
from rehab.auth.passwords import hash_password
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.patients.models import Patient

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def clinic_today() -> dt.date:
    """Today in the test clinics' zone (Europe/Amsterdam), as the pages see it: the machine's
    own date differs around midnight (and in another time zone)."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()


class DaysFromToday(int):
    """A date in a parametrize list, written as days from the clinic's today and made a
    date only when the test runs: the list is built when the suite is collected, which
    can be before midnight while the test itself runs after it."""

    def iso(self) -> str:
        return (clinic_today() + dt.timedelta(days=int(self))).isoformat()


def on_the_day(values: dict) -> dict:
    """``values`` with each DaysFromToday put into today's ISO date."""
    return {k: v.iso() if isinstance(v, DaysFromToday) else v for k, v in values.items()}


def make_clinic(name: str | None = None, **fields) -> Clinic:
    # Test clinics do not require two-step verification unless a test asks for it
    # (tests/auth/test_two_factor.py does), so that tests logging in through the form as
    # staff land where they expect. Real clinics keep the model's default: required.
    fields.setdefault("require_staff_2fa", False)
    clinic = Clinic(name=name or f"Clinic {next(_numbers)}", **fields)
    db.session.add(clinic)
    db.session.flush()
    return clinic


def make_user(
    clinic: Clinic,
    role: Role = Role.THERAPIST,
    *,
    email: str | None = None,
    full_name: str | None = None,
    password: str | None = PASSWORD,
    **fields,
) -> User:
    n = next(_numbers)
    user = User(
        clinic_id=clinic.id,
        role=role,
        email=email or f"{role}{n}@example.test",
        full_name=full_name or f"{str(role).title()} {n}",
        password_hash=hash_password(password) if password else None,
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_patient(
    clinic: Clinic,
    therapist: User,
    *,
    first_name: str = "Sanne",
    last_name: str | None = None,
    password: str | None = PASSWORD,
    language: str = "nl",
    **fields,
) -> Patient:
    n = next(_numbers)
    account = make_user(
        clinic,
        Role.PATIENT,
        email=f"patient{n}@example.test",
        full_name=f"{first_name} Patient{n}",
        password=password,
        locale=language,
    )
    patient = Patient(
        clinic_id=clinic.id,
        therapist_id=therapist.id,
        user_id=account.id,
        first_name=first_name,
        last_name=last_name or f"Patient{n}",
        email=account.email,
        preferred_language=language,
        **fields,
    )
    db.session.add(patient)
    db.session.flush()
    return patient


def login_as(client: FlaskClient, user: User) -> FlaskClient:
    """Give ``client`` a live login session for ``user`` (the login form has its own tests)."""
    # A fully authenticated login: password and second factor done (see tests/auth for the
    # real two-step flow).
    login = UserSession(
        user_id=user.id, token=f"test-{user.id}-{next(_numbers)}", second_factor="totp"
    )
    db.session.add(login)
    db.session.commit()
    now = utcnow().timestamp()
    with client.session_transaction() as session:
        session["_user_id"] = login.token
        session["_fresh"] = True
        session["auth_at"] = now
        session["seen_at"] = now
    return client


def make_exercise(clinic: Clinic | None = None, *, name: str | None = None, **fields):
    """A library exercise: built-in when ``clinic`` is None, else owned by that clinic."""
    from rehab.exercises.models import Exercise

    n = next(_numbers)
    values = {
        "category": "motor_control", "difficulty": 2, "dosage_type": "reps", "sets": 3,
        "reps": 10, "rest_seconds": 60, "name_nl": name or f"Oefening {n}",
        "name_en": name or f"Exercise {n}", "execution_nl": "Doe het rustig.",
        "execution_en": "Do it slowly.",
        "slug": None if clinic else f"test-exercise-{n}",
    }  # fmt: skip
    values.update(fields)
    regions = values.pop("regions", ["lumbar_spine"])
    equipment = values.pop("equipment", ["mat"])
    exercise = Exercise(clinic_id=clinic.id if clinic else None, **values)
    exercise.regions = regions
    exercise.equipment = equipment
    db.session.add(exercise)
    db.session.flush()
    return exercise


def make_programme(
    patient: Patient,
    *,
    status: str = "active",
    phases: int = 1,
    created_by: User | None = None,
    **fields,
):
    """A programme for ``patient`` with ``phases`` empty phases; the first is current."""

    from rehab.programmes.models import Phase, Programme

    programme = Programme(
        clinic_id=patient.clinic_id, patient_id=patient.id, status=status,
        title=fields.pop("title", "Terug naar hardlopen"), language=patient.preferred_language,
        created_by_id=(created_by.id if created_by else patient.therapist_id),
        started_on=fields.pop("started_on", clinic_today() if status == "active" else None),
        **fields,
    )  # fmt: skip
    db.session.add(programme)
    db.session.flush()
    for position in range(1, phases + 1):
        db.session.add(
            Phase(
                programme_id=programme.id,
                position=position,
                name=f"Fase {position}",
                planned_weeks=2,
                sessions_per_week=3,
            )
        )
    db.session.flush()
    db.session.refresh(programme)
    programme.current_phase_id = programme.phases[0].id if programme.phases else None
    db.session.flush()
    return programme


def make_prescription(phase, exercise, *, actor: User | None = None, **dose):
    """A prescription with version 1 recorded; dose fields default to 3 × 8–12 reps."""
    from rehab.programmes.dosing import record_first_version
    from rehab.programmes.models import Prescription

    values = {"sets": 3, "dosage_type": "reps", "reps_min": 8, "reps_max": 12,
              "target_effort": 7, "position": len(phase.prescriptions) + 1}  # fmt: skip
    values.update(dose)
    prescription = Prescription(phase_id=phase.id, exercise_id=exercise.id, **values)
    db.session.add(prescription)
    db.session.flush()
    record_first_version(prescription, actor=actor)
    db.session.flush()
    return prescription
