"""What patients log at home (sessions, exercises, daily check-ins) and the alerts it raises."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehab.core.db import utcnow
from rehab.core.vocabulary import sql_in
from rehab.extensions import db

ALERT_KINDS = (
    "pain_red",  # the pain-monitoring model says red (domain.md §3)
    "week_on_week_caution",  # weekly load up more than the clinic's caution threshold
    "two_week_alert",  # weekly load up more than the alert threshold over two weeks
    "session_spike",  # one session well above the largest of the previous 30 days
    "acwr_high",  # only when the clinic turned ACWR alerts on
    "morning_stiffness",  # > 30 min: therapist review, not the load rules
    "sleep_worse",
    "pain_rising",
    "no_logs",  # nothing logged for N days
    "warning_signs",  # pain into the leg, numbness, bladder or bowel changes (check-in)
)
ALERT_SEVERITIES = ("caution", "alert", "review")
SLEEP_QUALITIES = ("good", "fair", "poor")
# How an exercise felt to the patient, beside the numbers ("too hard" holds progression back).
EXERCISE_FEELS = ("too_hard", "too_easy")
# The check-in's yes/no warning signs (domain.md §5, §8), by their column names.
WARNING_SIGNS = ("leg_pain_spreading", "numbness", "bladder_bowel")


class TrainingSession(db.Model):
    """One home session: its duration and session RPE give the load (Foster 2001)."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 1 AND 600", name="duration"),
        CheckConstraint("session_rpe BETWEEN 0 AND 10", name="rpe"),
        CheckConstraint("pain_after IS NULL OR pain_after BETWEEN 0 AND 10", name="pain_after"),
        # A double tap or a resent form carries the same key: one session is stored.
        Index("uq_training_sessions_submission", "submission_key", unique=True),
        Index("ix_training_sessions_patient_date", "patient_id", "session_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    # Indexed for the foreign keys: deleting a programme or phase sets these to NULL.
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL"), index=True
    )
    phase_id: Mapped[int | None] = mapped_column(
        ForeignKey("phases.id", ondelete="SET NULL"), index=True
    )
    session_date: Mapped[dt.date]
    duration_minutes: Mapped[int]
    session_rpe: Mapped[int]  # CR-10
    pain_after: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    submission_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    exercises: Mapped[list[ExerciseLog]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="ExerciseLog.id"
    )

    @hybrid_property
    def load(self) -> int:
        """Session load in arbitrary units: session RPE × minutes (Foster 2001); in SQL too
        (``func.sum(TrainingSession.load)``)."""
        return self.session_rpe * self.duration_minutes


class ExerciseLog(db.Model):
    """What the patient did of one prescription in one session, at the dose version then."""

    __tablename__ = "exercise_logs"
    __table_args__ = (
        CheckConstraint("sets_done IS NULL OR sets_done BETWEEN 0 AND 20", name="sets"),
        CheckConstraint("reps_done IS NULL OR reps_done BETWEEN 0 AND 100", name="reps"),
        CheckConstraint(
            "hold_seconds_done IS NULL OR hold_seconds_done BETWEEN 0 AND 600", name="hold"
        ),
        CheckConstraint(
            "duration_seconds_done IS NULL OR duration_seconds_done BETWEEN 0 AND 14400",
            name="duration",
        ),
        CheckConstraint(
            "distance_m_done IS NULL OR distance_m_done BETWEEN 0 AND 100000", name="distance"
        ),
        CheckConstraint("load_kg IS NULL OR load_kg BETWEEN 0 AND 500", name="load"),
        CheckConstraint("pain_during IS NULL OR pain_during BETWEEN 0 AND 10", name="pain"),
        CheckConstraint("effort IS NULL OR effort BETWEEN 0 AND 10", name="effort"),
        CheckConstraint(f"feel IS NULL OR feel IN {sql_in(EXERCISE_FEELS)}", name="feel"),
        Index(
            "uq_exercise_logs_session_prescription", "session_id", "prescription_id", unique=True
        ),
        Index("ix_exercise_logs_prescription", "prescription_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    prescription_id: Mapped[int] = mapped_column(ForeignKey("prescriptions.id", ondelete="CASCADE"))
    # Indexed for their foreign keys: without them, deleting one dose version (a draft
    # programme's, say) made PostgreSQL read every set log of every patient to check it.
    prescription_version_id: Mapped[int] = mapped_column(
        ForeignKey("prescription_versions.id"), index=True
    )
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id"), index=True)
    skipped: Mapped[bool] = mapped_column(default=False)
    skip_reason: Mapped[str | None] = mapped_column(String(200))
    sets_done: Mapped[int | None]
    reps_done: Mapped[int | None]  # per set (the fewest, when sets differed)
    hold_seconds_done: Mapped[int | None]
    duration_seconds_done: Mapped[int | None]
    distance_m_done: Mapped[int | None]
    load_kg: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    pain_during: Mapped[int | None]
    effort: Mapped[Decimal | None] = mapped_column(Numeric(3, 1))  # RPE or RIR, per prescription
    feel: Mapped[str | None] = mapped_column(String(12))  # EXERCISE_FEELS

    session: Mapped[TrainingSession] = relationship(back_populates="exercises")


class CheckIn(db.Model):
    """The daily check-in on the clinic's warning signs (next-morning pain, stiffness…)."""

    __tablename__ = "check_ins"
    __table_args__ = (
        CheckConstraint("morning_pain BETWEEN 0 AND 10", name="pain"),
        CheckConstraint("stiffness_minutes BETWEEN 0 AND 1440", name="stiffness"),
        CheckConstraint(
            f"sleep_quality IS NULL OR sleep_quality IN {sql_in(SLEEP_QUALITIES)}", name="sleep"
        ),
        Index("uq_check_ins_patient_date", "patient_id", "check_date", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    check_date: Mapped[dt.date]
    morning_pain: Mapped[int]
    stiffness_minutes: Mapped[int]
    sleep_quality: Mapped[str | None] = mapped_column(String(8))
    worse_than_yesterday: Mapped[bool | None]
    # Warning signs that call for the clinic's safety-net advice (WARNING_SIGNS).
    leg_pain_spreading: Mapped[bool] = mapped_column(default=False, server_default=false())
    numbness: Mapped[bool] = mapped_column(default=False, server_default=false())
    bladder_bowel: Mapped[bool] = mapped_column(default=False, server_default=false())
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def warning_signs(self) -> list[str]:
        return [name for name in WARNING_SIGNS if getattr(self, name)]


class Alert(db.Model):
    """Something the therapist should look at, with the evidence and an acknowledgement."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(f"severity IN {sql_in(ALERT_SEVERITIES)}", name="severity"),
        CheckConstraint(f"kind IN {sql_in(ALERT_KINDS)}", name="kind"),
        # The same finding (kind + period) is raised once per patient.
        Index("uq_alerts_dedupe", "patient_id", "kind", "dedupe_key", unique=True),
        Index(
            "ix_alerts_open_by_clinic",
            "clinic_id",
            "created_at",
            sqlite_where=text("acknowledged_at IS NULL"),
            postgresql_where=text("acknowledged_at IS NULL"),
        ),
        # The dashboard's open alerts of the patients it lists (a caseload, not a clinic).
        Index(
            "ix_alerts_open_by_patient",
            "patient_id",
            sqlite_where=text("acknowledged_at IS NULL"),
            postgresql_where=text("acknowledged_at IS NULL"),
        ),
        Index("ix_alerts_patient_created", "patient_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(8))
    dedupe_key: Mapped[str] = mapped_column(String(40))  # e.g. the date or ISO week it covers
    evidence: Mapped[dict] = mapped_column(JSON)  # reason codes and numbers, for the page
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_sessions.id", ondelete="SET NULL"), index=True
    )
    check_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("check_ins.id", ondelete="SET NULL"), index=True
    )
    prescription_id: Mapped[int | None] = mapped_column(
        ForeignKey("prescriptions.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[dt.datetime | None]
    acknowledgement_note: Mapped[str | None] = mapped_column(Text)
    # Set when the alert was evidence for a suggestion and the therapist's decision on that
    # suggestion (accepted or dismissed, with its note) resolved it.
    resolved_by_suggestion_id: Mapped[int | None] = mapped_column(
        ForeignKey("suggestions.id", ondelete="SET NULL"), index=True
    )
