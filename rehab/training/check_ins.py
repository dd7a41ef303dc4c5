"""The patient's morning check-in: one a day, saved again when sent twice.

Like a session, a check-in recomputes the patient's suggestions and scans their alerts in
the same transaction (rehab.training.services.after_logging).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.training.models import CheckIn
from rehab.training.services import after_logging, check_logged_date


@dataclass(frozen=True)
class CheckInEntry:
    check_date: dt.date
    morning_pain: int
    stiffness_minutes: int
    sleep_quality: str | None
    worse_than_yesterday: bool | None
    note: str | None = None
    leg_pain_spreading: bool = False
    numbness: bool = False
    bladder_bowel: bool = False


def check_in_on(patient: Patient, day: dt.date) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn).where(CheckIn.patient_id == patient.id, CheckIn.check_date == day)
    )


def recent_check_ins(patient: Patient, today: dt.date, days: int = 7) -> list[CheckIn]:
    return list(
        db.session.scalars(
            select(CheckIn)
            .where(
                CheckIn.patient_id == patient.id,
                CheckIn.check_date >= today - dt.timedelta(days=days),
                CheckIn.check_date <= today,
            )
            .order_by(CheckIn.check_date.desc())
        )
    )


def save_check_in(
    actor, patient: Patient, entry: CheckInEntry, *, today: dt.date
) -> tuple[CheckIn, bool]:
    """One check-in per day: a second one for the same day updates it. Returns (row, created)."""
    check_logged_date(entry.check_date, today)
    check_in = check_in_on(patient, entry.check_date)
    created = check_in is None
    if created:
        check_in = CheckIn(patient_id=patient.id, check_date=entry.check_date)
        db.session.add(check_in)
    _fill_check_in(check_in, entry)
    try:
        db.session.flush()
    except IntegrityError:
        # The same day was saved by another request a moment ago: update that one.
        db.session.rollback()
        check_in = check_in_on(patient, entry.check_date)
        if check_in is None:
            raise
        created = False
        _fill_check_in(check_in, entry)
        db.session.flush()
    record(
        Action.CREATE if created else Action.UPDATE,
        patient_id=patient.id,
        object_type="check_in",
        object_id=check_in.id,
        summary=Summary.of(
            "check_in_saved",
            day=entry.check_date,
            pain=entry.morning_pain,
            stiffness_minutes=entry.stiffness_minutes,
            sleep=entry.sleep_quality,
            warning_signs=list(check_in.warning_signs),
        ),
        actor=actor,
    )
    after_logging(patient, today=today)
    db.session.commit()
    return check_in, created


def _fill_check_in(check_in: CheckIn, entry: CheckInEntry) -> None:
    check_in.morning_pain = entry.morning_pain
    check_in.stiffness_minutes = entry.stiffness_minutes
    check_in.sleep_quality = entry.sleep_quality
    check_in.worse_than_yesterday = entry.worse_than_yesterday
    check_in.leg_pain_spreading = entry.leg_pain_spreading
    check_in.numbness = entry.numbness
    check_in.bladder_bowel = entry.bladder_bowel
    check_in.note = entry.note
