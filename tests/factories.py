"""Small factories: a clinic, its people, and log-ins without going through the login form."""

from __future__ import annotations

import itertools

from flask.testing import FlaskClient

from rehab.auth.models import Clinic, Role, User, UserSession
from rehab.auth.passwords import hash_password
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.patients.models import Patient

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_clinic(name: str | None = None, **fields) -> Clinic:
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
    login = UserSession(user_id=user.id, token=f"test-{user.id}-{next(_numbers)}")
    db.session.add(login)
    db.session.commit()
    now = utcnow().timestamp()
    with client.session_transaction() as session:
        session["_user_id"] = login.token
        session["_fresh"] = True
        session["auth_at"] = now
        session["seen_at"] = now
    return client
