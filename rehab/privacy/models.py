"""Requests to destroy a patient's record (WGBO art. 7:455), confirmed by a second person."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehab.auth.models import User
from rehab.core.db import utcnow
from rehab.extensions import db


class DestructionStatus(enum.StrEnum):
    PENDING = "pending"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class DestructionRequest(db.Model):
    """One request to destroy a record: who asked and why, who confirmed or cancelled it.

    ``patient_id`` is a plain number, not a foreign key: the request outlives the record it
    destroyed, as the audit entries do (rehab.audit.models.AuditEntry).
    """

    __tablename__ = "destruction_requests"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'cancelled', 'completed')", name="status"),
        CheckConstraint(
            "confirmed_by_id IS NULL OR confirmed_by_id <> requested_by_id", name="four_eyes"
        ),
        # One open request per patient at a time.
        Index(
            "uq_destruction_requests_one_pending",
            "patient_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=DestructionStatus.PENDING)
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]

    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])

    @property
    def is_pending(self) -> bool:
        return self.status == DestructionStatus.PENDING
