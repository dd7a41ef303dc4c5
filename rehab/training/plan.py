"""The patient's plan for today: the exercises due from the current phase, the schedule's
rest days and rotation, and the week's sessions so far (the Today page, and logging a
session against it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes import services as programme_services
from rehab.programmes.models import Phase, Prescription, Programme
from rehab.training.models import ExerciseLog, TrainingSession
from rehab.training.schedule import (
    Schedule,
    due_prescriptions,
    is_session_day,
    monday_of,
    next_rotation_label,
    next_session_day,
    session_label_of,
)
from rehab.training.services import current_prescriptions, exercises_by_id


@dataclass
class TodayPlan:
    """What the patient's today page shows."""

    programme: Programme | None
    schedule: Schedule | None
    due: list[Prescription] = field(default_factory=list)
    allowed: list[Prescription] = field(default_factory=list)
    exercises: dict[int, Exercise] = field(default_factory=dict)
    rest_day: bool = False
    next_session_day: dt.date | None = None
    label: str | None = None
    done_this_week: int = 0
    per_week: int | None = None
    logged_today: list[TrainingSession] = field(default_factory=list)

    @property
    def has_programme(self) -> bool:
        return bool(self.allowed)


def today_plan(patient: Patient, today: dt.date, *, with_week: bool = True) -> TodayPlan:
    """The exercises due today from the current phase, with the week's progress.

    per_week: all prescriptions, "N of M sessions this week"; weekdays: only on those
    days, otherwise a rest day with the next session day; rotation: the label after the
    last logged session's. A fixed number of queries. ``with_week=False`` leaves the week's
    sessions out (a session being logged needs the plan, not the week; ``fill_week`` adds
    them when the page is shown after all).
    """
    programme = programme_services.active_programme_now(patient.id)
    prescriptions = current_prescriptions(programme)
    if not prescriptions:
        return TodayPlan(programme=programme, schedule=None)
    phase = programme_services.current_phase(programme)
    schedule = Schedule.of(phase)
    label = None
    if schedule.kind == "rotation" and schedule.rotation:
        label = next_rotation_label(schedule.rotation, _last_rotation_label(patient, phase))
    plan = TodayPlan(
        programme=programme,
        schedule=schedule,
        # A rotation label without exercises of its own falls back to the whole phase.
        due=due_prescriptions(prescriptions, schedule, label) or prescriptions,
        allowed=prescriptions,
        exercises=exercises_by_id(p.exercise_id for p in prescriptions),
        rest_day=not is_session_day(schedule, today),
        next_session_day=next_session_day(schedule, today),
        label=label,
        per_week=schedule.sessions_prescribed_per_week,
    )
    if with_week:
        fill_week(plan, patient, today)
    return plan


def fill_week(plan: TodayPlan, patient: Patient, today: dt.date) -> None:
    """The sessions logged this week so far: how many, and which of them today (one query)."""
    if not plan.has_programme:
        return
    sessions = list(
        db.session.scalars(
            select(TrainingSession)
            .where(
                TrainingSession.patient_id == patient.id,
                TrainingSession.session_date >= monday_of(today),
                TrainingSession.session_date <= today,
            )
            .order_by(TrainingSession.session_date, TrainingSession.id)
        )
    )
    plan.done_this_week = len(sessions)
    plan.logged_today = [s for s in sessions if s.session_date == today]


def _last_rotation_label(patient: Patient, phase: Phase) -> str | None:
    """The rotation label of the patient's latest session in this phase, from its exercises."""
    latest = (
        select(TrainingSession.id)
        .where(TrainingSession.patient_id == patient.id, TrainingSession.phase_id == phase.id)
        .order_by(TrainingSession.session_date.desc(), TrainingSession.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    labels = db.session.scalars(
        select(Prescription.session_label)
        .join(ExerciseLog, ExerciseLog.prescription_id == Prescription.id)
        .where(ExerciseLog.session_id == latest)
    ).all()
    return session_label_of(labels, Schedule.of(phase).rotation)
