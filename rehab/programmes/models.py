"""Phased return-to-activity programmes: phases with exit criteria, prescriptions with their
dose, progression mode and rule, the history of every dose, and progression suggestions.

Templates are programmes too (``is_template``, no patient), so the same builder edits both.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehab.auth.models import User
from rehab.core.db import utcnow
from rehab.core.vocabulary import (
    DOSAGE_TYPES,
    EFFORT_KINDS,
    LOAD_KINDS,
    PROGRESSION_MODES,
    RULE_KINDS,
    SIDES,
    sql_in,
)
from rehab.exercises.models import Exercise
from rehab.extensions import db
from rehab.patients.models import Patient
from rehab.programmes.texts import BilingualText, watch

PROGRAMME_STATUSES = ("draft", "active", "completed")
SCHEDULE_KINDS = ("per_week", "weekdays", "rotation")
CRITERION_KINDS = (
    "measure",
    "ratio",
    "pain_during_max",
    "next_morning_baseline_days",
    "adherence",
    "hold_time",
    "therapist_check",
    "outcome_change",
    # Judged from recorded data (domain.md §5): no hand tick needed.
    "red_flags_clear",
    "baselines_recorded",
    "lumbar_mobility",
    "single_leg_squat",
    "full_load_without_red",
    "activity_score",
)
# What an "activity_score" criterion reads: the sport or work activity, or the mean.
ACTIVITY_SUBJECTS = ("sport_work", "mean")
COMPARISONS = ("<=", ">=", "<", ">", "==", "between")
SUGGESTION_ACTIONS = ("progress", "hold", "regress")
SUGGESTION_STATUSES = ("open", "accepted", "dismissed", "superseded")


class Programme(BilingualText, db.Model):
    """A patient's programme, or a clinic template when ``is_template`` is set."""

    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint(f"status IN {sql_in(PROGRAMME_STATUSES)}", name="status"),
        CheckConstraint(
            "(is_template AND patient_id IS NULL) OR (NOT is_template AND patient_id IS NOT NULL)",
            name="template_or_patient",
        ),
        CheckConstraint("language IN ('nl', 'en')", name="language"),
        # One active programme per patient at a time; earlier ones stay readable.
        Index(
            "uq_programmes_one_active_per_patient",
            "patient_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_programmes_clinic_template", "clinic_id", "is_template"),
        Index("ix_programmes_patient_status", "patient_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"))
    is_template: Mapped[bool] = mapped_column(default=False)
    source_template: Mapped[str | None] = mapped_column(
        String(80)
    )  # built-in slug or "clinic:<id>"
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="nl")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    current_phase_id: Mapped[int | None] = mapped_column(
        ForeignKey("phases.id", use_alter=True, ondelete="SET NULL")
    )
    started_on: Mapped[dt.date | None]
    ended_on: Mapped[dt.date | None]
    conclusion: Mapped[str | None] = mapped_column(Text)  # the therapist's words for reports
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic locking: two therapists saving the same programme cannot overwrite each other.
    version: Mapped[int] = mapped_column(default=1)

    phases: Mapped[list[Phase]] = relationship(
        back_populates="programme",
        order_by="Phase.position",
        cascade="all, delete-orphan",
        foreign_keys="Phase.programme_id",
    )
    # Set current_phase_id itself: a read-only relationship keeps the unit of work free of
    # the programme ⇄ phase cycle (and of an extra UPDATE that would bump the version twice).
    current_phase: Mapped[Phase | None] = relationship(
        foreign_keys=[current_phase_id], viewonly=True, lazy="raise"
    )
    patient: Mapped[Patient | None] = relationship(lazy="raise")

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}


class Phase(BilingualText, db.Model):
    """A stage of the programme with a goal, a planned length, a schedule and exit criteria."""

    __tablename__ = "phases"
    __table_args__ = (
        CheckConstraint(f"schedule_kind IN {sql_in(SCHEDULE_KINDS)}", name="schedule_kind"),
        CheckConstraint("planned_weeks IS NULL OR planned_weeks BETWEEN 1 AND 52", name="weeks"),
        CheckConstraint(
            "sessions_per_week IS NULL OR sessions_per_week BETWEEN 1 AND 14", name="per_week"
        ),
        CheckConstraint("position >= 1", name="position"),
        Index("uq_phases_programme_position", "programme_id", "position", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    goal: Mapped[str | None] = mapped_column(Text)
    planned_weeks: Mapped[int | None]
    schedule_kind: Mapped[str] = mapped_column(String(16), default="per_week")
    sessions_per_week: Mapped[int | None] = mapped_column(default=3)
    # Fixed weekdays as ISO numbers "1,3,5" (Monday = 1), for schedule_kind "weekdays".
    weekdays: Mapped[str | None] = mapped_column(String(20))
    # A rotation of session days, e.g. "A,B" or "A,B,C", for schedule_kind "rotation":
    # each prescription belongs to one label and the days rotate regardless of the week.
    rotation: Mapped[str | None] = mapped_column(String(40))
    started_on: Mapped[dt.date | None]
    ended_on: Mapped[dt.date | None]

    programme: Mapped[Programme] = relationship(
        back_populates="phases", foreign_keys=[programme_id]
    )
    criteria: Mapped[list[ExitCriterion]] = relationship(
        back_populates="phase", order_by="ExitCriterion.position", cascade="all, delete-orphan"
    )
    prescriptions: Mapped[list[Prescription]] = relationship(
        back_populates="phase", order_by="Prescription.position", cascade="all, delete-orphan"
    )


class ExitCriterion(BilingualText, db.Model):
    """A measurable condition to leave a phase, e.g. "side bridge ≥ 60 s each side".

    Built-in criteria are configurable defaults (``is_default``): no validated criteria
    exist for low back pain (domain.md §5).
    """

    __tablename__ = "exit_criteria"
    __table_args__ = (
        CheckConstraint(f"kind IN {sql_in(CRITERION_KINDS)}", name="kind"),
        CheckConstraint(f"comparison IN {sql_in(COMPARISONS)}", name="comparison"),
        CheckConstraint(
            "comparison <> 'between' OR (target_high IS NOT NULL AND target_high >= target)",
            name="between_range",
        ),
        CheckConstraint("window_weeks IS NULL OR window_weeks BETWEEN 1 AND 26", name="window"),
        CheckConstraint("side IS NULL OR side IN ('left', 'right', 'each')", name="side"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(ForeignKey("phases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(32))
    # For "measure", "ratio" and "outcome_change": the movement-analysis measure's key.
    measure: Mapped[str | None] = mapped_column(String(64))
    comparison: Mapped[str] = mapped_column(String(8))
    target: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    target_high: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    window_weeks: Mapped[int | None]
    side: Mapped[str | None] = mapped_column(String(8))
    # For "hold_time": the prescription whose logged holds count.
    prescription_id: Mapped[int | None] = mapped_column(
        ForeignKey("prescriptions.id", ondelete="SET NULL"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(default=False)
    # For "therapist_check": who ticked it, and when.
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[dt.datetime | None]

    phase: Mapped[Phase] = relationship(back_populates="criteria")


class Prescription(BilingualText, db.Model):
    """An exercise in a phase with its current dose, mode and progression rule.

    The dose here is the current one; every change first writes a PrescriptionVersion, and
    logged sessions point at the version they were done at, so history is never rewritten.
    """

    __tablename__ = "prescriptions"
    __table_args__ = (
        CheckConstraint(f"dosage_type IN {sql_in(DOSAGE_TYPES)}", name="dosage_type"),
        CheckConstraint(f"load_kind IN {sql_in(LOAD_KINDS)}", name="load_kind"),
        CheckConstraint(f"effort_kind IN {sql_in(EFFORT_KINDS)}", name="effort_kind"),
        CheckConstraint(f"mode IN {sql_in(PROGRESSION_MODES)}", name="mode"),
        CheckConstraint(f"rule_kind IN {sql_in(RULE_KINDS)}", name="rule_kind"),
        CheckConstraint(f"sides IN {sql_in(SIDES)}", name="sides"),
        CheckConstraint("sets BETWEEN 1 AND 20", name="sets"),
        CheckConstraint("reps_min IS NULL OR reps_min BETWEEN 1 AND 100", name="reps_min"),
        CheckConstraint(
            "reps_max IS NULL OR (reps_max BETWEEN 1 AND 100 AND reps_max >= reps_min)",
            name="reps_max",
        ),
        CheckConstraint("hold_seconds IS NULL OR hold_seconds BETWEEN 1 AND 600", name="hold"),
        CheckConstraint(
            "duration_seconds IS NULL OR duration_seconds BETWEEN 1 AND 14400", name="duration"
        ),
        CheckConstraint("distance_m IS NULL OR distance_m BETWEEN 1 AND 100000", name="distance"),
        CheckConstraint("load_kg IS NULL OR load_kg BETWEEN 0 AND 500", name="load_kg"),
        CheckConstraint(
            "target_effort IS NULL OR target_effort BETWEEN 0 AND 10", name="target_effort"
        ),
        CheckConstraint("rest_seconds IS NULL OR rest_seconds BETWEEN 0 AND 900", name="rest"),
        CheckConstraint("days_per_week IS NULL OR days_per_week BETWEEN 1 AND 7", name="days"),
        CheckConstraint(
            "load_increment_kg IS NULL OR load_increment_kg > 0 AND load_increment_kg <= 50",
            name="load_increment_kg",
        ),
        CheckConstraint(
            "load_increment_pct IS NULL OR load_increment_pct > 0 AND load_increment_pct <= 50",
            name="load_increment_pct",
        ),
        CheckConstraint(
            "seconds_per_week IS NULL OR seconds_per_week BETWEEN 1 AND 120",
            name="seconds_per_week",
        ),
        CheckConstraint(
            "max_hold_seconds IS NULL OR max_hold_seconds BETWEEN 1 AND 600", name="max_hold"
        ),
        CheckConstraint(
            "minutes_per_week IS NULL OR minutes_per_week BETWEEN 1 AND 60",
            name="minutes_per_week",
        ),
        CheckConstraint(
            "target_duration_seconds IS NULL OR target_duration_seconds BETWEEN 60 AND 14400",
            name="target_duration",
        ),
        CheckConstraint(
            "percent_per_week IS NULL OR percent_per_week > 0 AND percent_per_week <= 50",
            name="percent_per_week",
        ),
        CheckConstraint("position >= 1", name="position"),
        Index("ix_prescriptions_phase_position", "phase_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phase_id: Mapped[int] = mapped_column(ForeignKey("phases.id", ondelete="CASCADE"))
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    session_label: Mapped[str | None] = mapped_column(String(8))  # rotation day, e.g. "A"

    # The dose (see rehab.progress.progression.Dose).
    sets: Mapped[int]
    dosage_type: Mapped[str] = mapped_column(String(16))
    reps_min: Mapped[int | None]
    reps_max: Mapped[int | None]
    hold_seconds: Mapped[int | None]
    duration_seconds: Mapped[int | None]
    distance_m: Mapped[int | None]
    load_kind: Mapped[str] = mapped_column(String(16), default="bodyweight")
    load_kg: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    band_colour: Mapped[str | None] = mapped_column(String(30))
    effort_kind: Mapped[str] = mapped_column(String(8), default="rpe")
    target_effort: Mapped[Decimal | None] = mapped_column(Numeric(3, 1))
    rest_seconds: Mapped[int | None]
    tempo: Mapped[str | None] = mapped_column(String(20))
    days_per_week: Mapped[int | None]
    sides: Mapped[str] = mapped_column(String(8), default="both")
    notes: Mapped[str | None] = mapped_column(Text)  # for the patient, in plain language

    # How the dose moves (see rehab.progress.progression.Rule).
    mode: Mapped[str] = mapped_column(String(20), default="pain_contingent")
    rule_kind: Mapped[str] = mapped_column(String(32), default="therapist_decides")
    load_increment_kg: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    load_increment_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    seconds_per_week: Mapped[int | None]
    max_hold_seconds: Mapped[int | None]
    percent_per_week: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    # Duration progression: minutes added per week up to a target (domain.md §5).
    minutes_per_week: Mapped[int | None]
    target_duration_seconds: Mapped[int | None]
    paused: Mapped[bool] = mapped_column(default=False)  # the therapist stopped progression

    current_version: Mapped[int] = mapped_column(default=1)
    dose_since: Mapped[dt.date | None]  # the day the current dose took effect
    # Removed from the programme but kept, because logged sessions refer to it.
    archived_at: Mapped[dt.datetime | None]

    phase: Mapped[Phase] = relationship(back_populates="prescriptions")
    exercise: Mapped[Exercise] = relationship(lazy="raise")
    versions: Mapped[list[PrescriptionVersion]] = relationship(
        back_populates="prescription",
        order_by="PrescriptionVersion.version",
        cascade="all, delete-orphan",
    )


class PrescriptionVersion(db.Model):
    """The dose of a prescription as it was from ``changed_at``: who changed it and why."""

    __tablename__ = "prescription_versions"
    __table_args__ = (Index("uq_prescription_versions", "prescription_id", "version", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prescription_id: Mapped[int] = mapped_column(ForeignKey("prescriptions.id", ondelete="CASCADE"))
    version: Mapped[int]
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id"))
    dose: Mapped[dict] = mapped_column(JSON)  # every dose and rule field, as plain values
    # The day this dose took effect: a session logged late for an earlier day belongs to
    # the version in effect that day, not to the one current when it was logged.
    effective_on: Mapped[dt.date]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)  # the therapist's words, as typed
    # Or what the system says (rehab.programmes.reasons), worded in the reader's language.
    reason_code: Mapped[str | None] = mapped_column(String(32))
    reason_values: Mapped[dict | None] = mapped_column(JSON)
    suggestion_id: Mapped[int | None] = mapped_column(ForeignKey("suggestions.id"), index=True)

    prescription: Mapped[Prescription] = relationship(back_populates="versions")
    changed_by: Mapped[User | None] = relationship(lazy="raise")


class PhaseChange(db.Model):
    """A step forward (or back) between phases, with the therapist's note."""

    __tablename__ = "phase_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    from_phase_id: Mapped[int | None] = mapped_column(
        ForeignKey("phases.id", ondelete="SET NULL"), index=True
    )
    to_phase_id: Mapped[int | None] = mapped_column(
        ForeignKey("phases.id", ondelete="SET NULL"), index=True
    )
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)  # the therapist's words, as typed
    note_code: Mapped[str | None] = mapped_column(String(32))  # or the system's (reasons.py)

    changed_by: Mapped[User] = relationship(lazy="raise")


class Suggestion(db.Model):
    """Advice for one prescription (progress, hold or regress) with its reasons.

    Produced from the prescription's rule and its latest sessions (rehab.progress); the
    therapist accepts it (the prescription gets a new version) or dismisses it.
    """

    __tablename__ = "suggestions"
    __table_args__ = (
        CheckConstraint(f"action IN {sql_in(SUGGESTION_ACTIONS)}", name="action"),
        CheckConstraint(f"status IN {sql_in(SUGGESTION_STATUSES)}", name="status"),
        # At most one open suggestion per prescription.
        Index(
            "uq_suggestions_one_open",
            "prescription_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_suggestions_patient_status", "patient_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed as a whole (the unique index covers open ones only): deleting a prescription
    # cascades to all its suggestions, decided ones included.
    prescription_id: Mapped[int] = mapped_column(
        ForeignKey("prescriptions.id", ondelete="CASCADE"), index=True
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(16))
    new_dose: Mapped[dict | None] = mapped_column(JSON)
    new_exercise_id: Mapped[int | None] = mapped_column(ForeignKey("exercises.id"))
    reasons: Mapped[list] = mapped_column(JSON)  # [{"code": ..., "values": {...}}, ...]
    based_on_version: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="open")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    note: Mapped[str | None] = mapped_column(Text)


for _model in (Programme, Phase, ExitCriterion, Prescription):
    watch(_model)
