"""The exercise library: bilingual exercises, their tags and their progression ladders."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.ext.associationproxy import association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehab.core.db import utcnow
from rehab.core.vocabulary import BODY_REGIONS, DOSAGE_TYPES, EQUIPMENT, EXERCISE_CATEGORIES, sql_in
from rehab.extensions import db


class ExerciseRegion(db.Model):
    """A body region an exercise works on (one row per region, for indexed filtering)."""

    __tablename__ = "exercise_regions"
    __table_args__ = (
        CheckConstraint(f"region IN {sql_in(BODY_REGIONS)}", name="region"),
        Index("ix_exercise_regions_region", "region", "exercise_id"),
    )

    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), primary_key=True
    )
    region: Mapped[str] = mapped_column(String(32), primary_key=True)


class ExerciseEquipment(db.Model):
    """A piece of equipment an exercise needs."""

    __tablename__ = "exercise_equipment"
    __table_args__ = (
        CheckConstraint(f"equipment IN {sql_in(EQUIPMENT)}", name="equipment"),
        Index("ix_exercise_equipment_equipment", "equipment", "exercise_id"),
    )

    exercise_id: Mapped[int] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), primary_key=True
    )
    equipment: Mapped[str] = mapped_column(String(32), primary_key=True)


class Exercise(db.Model):
    """One exercise. ``clinic_id`` NULL means built-in (shared by every clinic, read-only);
    a clinic that edits a built-in gets its own copy (``source_id`` names the original)."""

    __tablename__ = "exercises"
    __table_args__ = (
        CheckConstraint(f"category IN {sql_in(EXERCISE_CATEGORIES)}", name="category"),
        CheckConstraint(f"dosage_type IN {sql_in(DOSAGE_TYPES)}", name="dosage_type"),
        CheckConstraint("difficulty BETWEEN 1 AND 5", name="difficulty"),
        CheckConstraint("sets BETWEEN 1 AND 20", name="sets"),
        CheckConstraint("reps IS NULL OR reps BETWEEN 1 AND 100", name="reps"),
        CheckConstraint("hold_seconds IS NULL OR hold_seconds BETWEEN 1 AND 600", name="hold"),
        CheckConstraint(
            "duration_seconds IS NULL OR duration_seconds BETWEEN 1 AND 14400", name="duration"
        ),
        CheckConstraint("distance_m IS NULL OR distance_m BETWEEN 1 AND 100000", name="distance"),
        CheckConstraint("rest_seconds IS NULL OR rest_seconds BETWEEN 0 AND 900", name="rest"),
        CheckConstraint("progression_id IS NULL OR progression_id <> id", name="progression_self"),
        CheckConstraint("regression_id IS NULL OR regression_id <> id", name="regression_self"),
        CheckConstraint("clinic_id IS NOT NULL OR slug IS NOT NULL", name="builtin_has_slug"),
        Index("ix_exercises_clinic_category", "clinic_id", "category", "difficulty"),
        Index("ix_exercises_slug", "slug", unique=True),
        # One copy per built-in per clinic (NULLs are distinct, so built-ins are not affected).
        Index("ix_exercises_clinic_source", "clinic_id", "source_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinics.id"))
    slug: Mapped[str | None] = mapped_column(String(80))  # stable key of built-ins
    source_id: Mapped[int | None] = mapped_column(ForeignKey("exercises.id"))
    category: Mapped[str] = mapped_column(String(32))
    difficulty: Mapped[int]
    dosage_type: Mapped[str] = mapped_column(String(16))
    sets: Mapped[int]
    reps: Mapped[int | None]
    hold_seconds: Mapped[int | None]
    duration_seconds: Mapped[int | None]
    distance_m: Mapped[int | None]
    rest_seconds: Mapped[int | None]
    tempo: Mapped[str | None] = mapped_column(String(20))
    unilateral: Mapped[bool] = mapped_column(default=False)

    name_nl: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    starting_position_nl: Mapped[str] = mapped_column(Text, default="")
    starting_position_en: Mapped[str] = mapped_column(Text, default="")
    execution_nl: Mapped[str] = mapped_column(Text, default="")
    execution_en: Mapped[str] = mapped_column(Text, default="")
    common_mistakes_nl: Mapped[str] = mapped_column(Text, default="")
    common_mistakes_en: Mapped[str] = mapped_column(Text, default="")
    feel_nl: Mapped[str] = mapped_column(Text, default="")
    feel_en: Mapped[str] = mapped_column(Text, default="")
    caution_nl: Mapped[str] = mapped_column(Text, default="")
    caution_en: Mapped[str] = mapped_column(Text, default="")

    video_url: Mapped[str | None] = mapped_column(String(500))
    image_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    image_mime: Mapped[str | None] = mapped_column(String(32))
    # The drawn figure (rehab.figures): a built-in shows its own (by slug); a clinic exercise
    # names the built-in whose figure it shows, possibly mirrored; a clinic may hide one it
    # finds unclear (its own picture, if any, then shows instead).
    figure_slug: Mapped[str | None] = mapped_column(String(80))
    figure_mirrored: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    figure_hidden: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    progression_id: Mapped[int | None] = mapped_column(
        ForeignKey("exercises.id", ondelete="SET NULL")
    )
    regression_id: Mapped[int | None] = mapped_column(
        ForeignKey("exercises.id", ondelete="SET NULL")
    )
    archived_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    progression: Mapped[Exercise | None] = relationship(
        foreign_keys=[progression_id], remote_side=[id], lazy="raise"
    )
    regression: Mapped[Exercise | None] = relationship(
        foreign_keys=[regression_id], remote_side=[id], lazy="raise"
    )

    region_rows: Mapped[list[ExerciseRegion]] = relationship(
        cascade="all, delete-orphan", order_by=ExerciseRegion.region, lazy="selectin"
    )
    equipment_rows: Mapped[list[ExerciseEquipment]] = relationship(
        cascade="all, delete-orphan", order_by=ExerciseEquipment.equipment, lazy="selectin"
    )
    regions = association_proxy(
        "region_rows", "region", creator=lambda code: ExerciseRegion(region=code)
    )
    equipment = association_proxy(
        "equipment_rows", "equipment", creator=lambda code: ExerciseEquipment(equipment=code)
    )

    @property
    def is_builtin(self) -> bool:
        return self.clinic_id is None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def figure_choice(self) -> str | None:
        """The built-in figure this exercise takes (hidden or not), or None."""
        from rehab.figures.library import figure_data

        slug = self.figure_slug or self.slug
        return slug if slug in figure_data() else None

    @property
    def figure_key(self) -> str | None:
        """The built-in figure this exercise shows, or None (none drawn, or hidden)."""
        return None if self.figure_hidden else self.figure_choice

    def text(self, field: str, language: str) -> str:
        """A bilingual field in ``language``, falling back to the other language."""
        other = "en" if language == "nl" else "nl"
        return getattr(self, f"{field}_{language}", None) or getattr(self, f"{field}_{other}")
