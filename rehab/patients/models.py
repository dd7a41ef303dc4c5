"""Patient records (WGBO dossier) and their movement analyses."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehab.auth.models import Clinic, User
from rehab.core.db import utcnow
from rehab.extensions import db


class PatientStatus(enum.StrEnum):
    ACTIVE = "active"
    DISCHARGED = "discharged"


class Episode(enum.StrEnum):
    FIRST = "first"
    RECURRENCE = "recurrence"


class Patient(db.Model):
    """The clinical record of one patient of one clinic, with their login account."""

    __tablename__ = "patients"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'discharged')", name="status"),
        CheckConstraint("preferred_language IN ('nl', 'en')", name="language"),
        CheckConstraint("episode IS NULL OR episode IN ('first', 'recurrence')", name="episode"),
        CheckConstraint(
            "earlier_episodes IS NULL OR earlier_episodes BETWEEN 0 AND 200",
            name="earlier_episodes",
        ),
        Index("ix_patients_clinic_status_name", "clinic_id", "status", "last_name"),
        Index("ix_patients_therapist_status", "therapist_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    therapist_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[dt.date | None]
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    preferred_language: Mapped[str] = mapped_column(String(2), default="nl")
    status: Mapped[str] = mapped_column(String(16), default=PatientStatus.ACTIVE)
    main_complaint: Mapped[str | None] = mapped_column(Text)
    body_region: Mapped[str | None] = mapped_column(String(32))
    onset_date: Mapped[dt.date | None]
    episode: Mapped[str | None] = mapped_column(String(16))
    earlier_episodes: Mapped[int | None]
    history: Mapped[str | None] = mapped_column(Text)
    goals: Mapped[str | None] = mapped_column(Text)
    demands: Mapped[str | None] = mapped_column(Text)  # sport and work demands
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    discharged_at: Mapped[dt.datetime | None]

    clinic: Mapped[Clinic] = relationship()
    therapist: Mapped[User] = relationship(foreign_keys=[therapist_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_active(self) -> bool:
        return self.status == PatientStatus.ACTIVE
