"""Demo data for `flask rehab seed-demo`: a clinic a new user can explore at once.

The people are made here; each area then adds its own data (the library, programmes,
weeks of logged sessions…) through the seeders listed in ``AREA_SEEDERS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from rehab.auth.models import Clinic, Role, User
from rehab.auth.passwords import hash_password
from rehab.auth.services import create_clinic, create_staff
from rehab.extensions import db
from rehab.patients.models import Patient

DEMO_PASSWORD = {
    Role.ADMIN: "demo-admin-2026",
    Role.THERAPIST: "demo-therapist-2026",
    Role.PATIENT: "demo-patient-2026",
}

_PATIENTS = [
    # first, last, e-mail, language, birth date, complaint, region, episode, earlier, goals
    ("Sanne", "de Vries", "sanne@demo.rehab", "nl", dt.date(1988, 4, 12),
     "Terugkerende lage rugpijn na tillen; derde episode dit jaar.", "lumbar_spine",
     "recurrence", 2, "Weer 10 km hardlopen en mijn dochter zonder angst optillen."),
    ("Tom", "Bakker", "tom@demo.rehab", "nl", dt.date(1979, 9, 3),
     "Lage rugpijn met uitstraling in de bil na een verhuizing.", "lumbar_spine",
     "first", 0, "Weer een volle werkdag in de bouw zonder pijn."),
    ("Emma", "Jansen", "emma@demo.rehab", "en", dt.date(1995, 1, 27),
     "Anterior knee pain after increasing running volume.", "knee",
     "first", 0, "Run a half marathon in the autumn."),
    ("Daan", "Visser", "daan@demo.rehab", "nl", dt.date(1968, 6, 30),
     "Chronische lage rugpijn, bang om te bukken.", "lumbar_spine",
     "recurrence", 5, "Weer tuinieren en de boodschappen zelf dragen."),
    ("Lotte", "Smit", "lotte@demo.rehab", "nl", dt.date(2001, 11, 8),
     "Schouderklachten bij bovenhands werpen (handbal).", "shoulder",
     "first", 0, "Weer volledig meetrainen met het team."),
]  # fmt: skip


@dataclass
class DemoClinic:
    clinic: Clinic
    admin: User
    therapists: list[User]
    patients: list[Patient]
    today: dt.date = field(default_factory=dt.date.today)


def _area_seeders() -> list[Callable[[DemoClinic], None]]:
    """Each area's demo data, in the order they build on each other."""
    from rehab.exercises import demo as exercises_demo
    from rehab.patients import demo as patients_demo
    from rehab.programmes import demo as programmes_demo
    from rehab.training import demo as training_demo

    return [exercises_demo.seed, patients_demo.seed, programmes_demo.seed, training_demo.seed]


def seed() -> list[tuple[str, str, str]]:
    """Create the demo clinic and return (role, e-mail, password) for each log-in made."""
    clinic = create_clinic("Fysio Demo Sportpraktijk")
    # The demo must be explorable without an authenticator app, so this clinic alone does not
    # require two-step verification for staff; real clinics (create-admin) keep it on.
    clinic.require_staff_2fa = False
    logins: list[tuple[str, str, str]] = []

    def staff(name: str, email: str, role: Role) -> User:
        user = create_staff(clinic, full_name=name, email=email, role=role, actor=None)
        user.password_hash = hash_password(DEMO_PASSWORD[role])
        logins.append((role.value, user.email, DEMO_PASSWORD[role]))
        return user

    admin = staff("Anne Admin", "admin@demo.rehab", Role.ADMIN)
    therapists = [
        staff("Pieter de Boer", "pieter@demo.rehab", Role.THERAPIST),
        staff("Fatima El Amrani", "fatima@demo.rehab", Role.THERAPIST),
    ]
    patient_hash = hash_password(DEMO_PASSWORD[Role.PATIENT])
    patients = []
    for index, row in enumerate(_PATIENTS):
        first, last, email, lang, dob, complaint, region, episode, earlier, goals = row
        account = User(
            clinic_id=clinic.id,
            email=email,
            full_name=f"{first} {last}",
            role=Role.PATIENT,
            locale=lang,
            password_hash=patient_hash,
        )
        db.session.add(account)
        db.session.flush()
        patient = Patient(
            clinic_id=clinic.id, therapist_id=therapists[0 if index < 3 else 1].id,
            user_id=account.id, first_name=first, last_name=last, email=email,
            preferred_language=lang, date_of_birth=dob, main_complaint=complaint,
            body_region=region, episode=episode, earlier_episodes=earlier, goals=goals,
        )  # fmt: skip
        db.session.add(patient)
        patients.append(patient)
        logins.append((Role.PATIENT.value, email, DEMO_PASSWORD[Role.PATIENT]))
    db.session.flush()
    demo = DemoClinic(clinic=clinic, admin=admin, therapists=therapists, patients=patients)
    for seeder in _area_seeders():
        seeder(demo)
    db.session.commit()
    return logins
