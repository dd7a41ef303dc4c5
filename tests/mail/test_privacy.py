"""No health information in any e-mail: every kind of message, in both languages, made by
the app's own flows for a patient with a diagnosis, a programme of library exercises and a
painful session, and none of that appears in a subject or body."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from rehab.auth import by_email
from rehab.auth.models import AccountToken
from rehab.extensions import db
from rehab.mail.delivery import render
from rehab.mail.messages import KINDS, check_params
from rehab.reminders.job import send_reminders
from tests.factories import make_exercise, make_prescription, make_programme
from tests.mail.helpers import outbox
from tests.reminders.factories import MONDAY_EVENING, appointment, reminded
from tests.training.factories import log_session

LIBRARY = Path(__file__).resolve().parents[2] / "rehab" / "exercises" / "library"


def library_exercise_names() -> set[str]:
    names = set()
    for path in LIBRARY.glob("*.toml"):
        for exercise in tomllib.loads(path.read_text())["exercise"]:
            names.update({exercise["nl"]["name"], exercise["en"]["name"]})
    return names


HEALTH_WORDS = ["pijn", "pain", "diagnos", "klacht", "complaint", "hernia", "uitstraling",
                "RPE", "NPRS", "belasting", "load", "programma", "programme", "herbeoordeling",
                "re-assessment", "controleafspraak", "check-in appointment"]  # fmt: skip


def _patient_with_health_data(world, language: str):
    patient = world.patient if language == "nl" else world.other_patient
    patient.main_complaint = "Lumbale hernia L5-S1 met uitstraling naar het linkerbeen"
    patient.user.locale = language
    patient.user.email = f"{language}@example.nl"
    settings = reminded(patient, programme=False)
    programme = make_programme(patient, title="Herstel na hernia, fase opbouw")
    names = sorted(library_exercise_names())[:2]
    for name in names:
        make_prescription(programme.phases[0], make_exercise(world.clinic, name=name))
    log_session(patient, dt.date(2026, 12, 4), rpe=8, pain_after=7)
    appointment(patient, MONDAY_EVENING + dt.timedelta(hours=16), by=world.therapist,
                kind="reassessment")  # fmt: skip
    db.session.commit()
    return patient, settings, names


def _every_kind_for(patient) -> None:
    user = patient.user
    by_email.request_password_reset(user.email)  # password_reset
    user.password_hash = None
    db.session.commit()
    db.session.execute(
        db.text("DELETE FROM account_tokens WHERE user_id = :u"), {"u": user.id}
    )  # the two-minute resend throttle is not what this test is about
    db.session.commit()
    by_email.request_password_reset(user.email)  # account_activation
    by_email.request_email_change(user, f"new-{user.email}")  # email_change_confirm
    row = db.session.scalar(
        db.select(AccountToken).where(AccountToken.purpose == "email_change",
                                      AccountToken.user_id == user.id)
    )  # fmt: skip
    by_email.confirm_email_change(row)  # email_changed_notice


def test_no_message_in_either_language_carries_health_information(app, world):
    forbidden = set(HEALTH_WORDS) | library_exercise_names()
    for language in ("nl", "en"):
        patient, _, names = _patient_with_health_data(world, language)
        forbidden |= {patient.main_complaint, "Herstel na hernia", *names}
        _every_kind_for(patient)
    assert send_reminders(MONDAY_EVENING) == (2, 2)  # exercise and appointment, each patient

    messages = outbox()
    made = {(m.kind, m.locale) for m in messages}
    assert made == {(kind, language) for kind in KINDS for language in ("nl", "en")}
    for message in messages:
        rendered = render(message)
        for part in (rendered.subject, rendered.text, rendered.html):
            lowered = part.lower()
            found = sorted(word for word in forbidden if word.lower() in lowered)
            assert not found, (message.kind, message.locale, found)
        assert "Fysio Noord" in rendered.text  # the clinic's name is in every message


def test_a_message_cannot_be_given_a_value_its_kind_does_not_carry():
    with pytest.raises(ValueError, match="diagnosis"):
        check_params("exercise_reminder", {"name": "Sanne", "diagnosis": "hernia"})
    with pytest.raises(ValueError):
        check_params("appointment_reminder", {"name": "Sanne", "kind": "reassessment"})
