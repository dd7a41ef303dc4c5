"""Clinics, accounts, login sessions and one-time account links."""

from __future__ import annotations

import datetime as dt
import enum

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehab.core.db import utcnow
from rehab.extensions import db


class Role(enum.StrEnum):
    ADMIN = "admin"
    THERAPIST = "therapist"
    PATIENT = "patient"


STAFF_ROLES = frozenset({Role.ADMIN, Role.THERAPIST})


class Clinic(db.Model):
    """A practice. Its settings are the clinical thresholds the guidelines leave open."""

    __tablename__ = "clinics"
    __table_args__ = (
        CheckConstraint("default_locale IN ('nl', 'en')", name="locale"),
        CheckConstraint("pain_safe_max BETWEEN 0 AND 10", name="pain_safe_max"),
        CheckConstraint("pain_amber_max BETWEEN pain_safe_max AND 10", name="pain_amber_max"),
        CheckConstraint("spike_week_caution_pct > 0", name="spike_week"),
        CheckConstraint("spike_two_week_alert_pct > 0", name="spike_two_week"),
        CheckConstraint("spike_session_pct > 0", name="spike_session"),
        CheckConstraint("no_log_alert_days > 0", name="no_log_days"),
        CheckConstraint("stiffness_review_minutes > 0", name="stiffness_minutes"),
        CheckConstraint(
            "reminder_time >= '07:00' AND reminder_time < '22:00'", name="reminder_time"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam")
    default_locale: Mapped[str] = mapped_column(String(2), default="nl")
    require_staff_2fa: Mapped[bool] = mapped_column(default=True)
    uses_start_back: Mapped[bool] = mapped_column(default=True)
    # Pain-monitoring model (Silbernagel 2007): 0–3 safe, 4–5 acceptable; some clinics use 0–2.
    pain_safe_max: Mapped[int] = mapped_column(default=3)
    pain_amber_max: Mapped[int] = mapped_column(default=5)
    # Load-spike rules (domain.md §2): clinic settings, not constants.
    spike_week_caution_pct: Mapped[int] = mapped_column(default=10)
    spike_two_week_alert_pct: Mapped[int] = mapped_column(default=30)
    spike_session_pct: Mapped[int] = mapped_column(default=10)
    # ACWR is contested (Impellizzeri 2020/2021): no alert from it unless the clinic opts in.
    acwr_alerts_enabled: Mapped[bool] = mapped_column(default=False)
    no_log_alert_days: Mapped[int] = mapped_column(default=4)
    stiffness_review_minutes: Mapped[int] = mapped_column(default=30)
    # The time a patient's exercise reminders are offered at until they choose their own.
    reminder_time: Mapped[dt.time] = mapped_column(
        Time, default=dt.time(18, 0), server_default="18:00:00"
    )
    # The number patients are told to call when a warning sign shows (the safety net).
    phone: Mapped[str | None] = mapped_column(String(40))
    # The day the clinic's time-driven alerts were last scanned (rehab.training.alerts).
    alerts_scanned_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Raised by the database on every change to the clinic, its staff's names and the exercise
    # library (rehab.core.data_versions): pages kept for the clinic are kept under it.
    data_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    users: Mapped[list[User]] = relationship(back_populates="clinic")


class User(UserMixin, db.Model):
    """A person who can log in: clinic admin, therapist or patient."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'therapist', 'patient')", name="role"),
        CheckConstraint("locale IS NULL OR locale IN ('nl', 'en')", name="locale"),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(2))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    password_changed_at: Mapped[dt.datetime | None]
    # Per-account back-off (ASVS 2.2.1), on top of the per-address rate limit.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None]
    # Two-factor authentication (TOTP, RFC 6238): the secret is Fernet-encrypted
    # (rehab.core.crypto); the last accepted time step makes every code single-use.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[dt.datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    clinic: Mapped[Clinic] = relationship(back_populates="users")

    # Set by the user loader: the login session this request belongs to, and for a patient
    # their own record, read with it (rehab.patients.services.own_patient_record).
    current_session = None  # type: UserSession | None
    own_record = None  # type: Patient | None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def must_use_two_factor(self) -> bool:
        """Staff of a clinic that requires it may not work without a second factor."""
        return self.is_staff and self.clinic.require_staff_2fa

    def get_id(self) -> str:
        # Flask-Login keeps this in the cookie: the session's token, never the user's row id,
        # so that revoking the server-side session row ends the login for real.
        if self.current_session is None:
            raise RuntimeError("get_id() before a login session was attached")
        return self.current_session.token


class UserSession(db.Model):
    """One login on one device; revoking it ends that login even if the cookie is replayed."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_active", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    # How this login passed the second factor ("totp", "recovery"), None when it did not.
    second_factor: Mapped[str | None] = mapped_column(String(16))
    # An account link this staff member just made, encrypted, until the hand-over page
    # shows it (rehab.auth.handover); removed when shown or when this login ends.
    handover_encrypted: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A one-time code for when the authenticator is lost. Stored as salted SHA-256:
    the codes carry about 59 random bits, so a slow hash adds little (ASVS 2.6.2)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    used_at: Mapped[dt.datetime | None]


class TokenPurpose(enum.StrEnum):
    ACTIVATION = "activation"
    RESET = "reset"
    EMAIL_CHANGE = "email_change"  # confirms a new address: the link goes to that address


class AccountToken(db.Model):
    """A one-time, expiring link to set a password. Only the token's SHA-256 is stored."""

    __tablename__ = "account_tokens"
    __table_args__ = (
        CheckConstraint("purpose IN ('activation', 'reset', 'email_change')", name="purpose"),
        CheckConstraint("expires_at >= created_at", name="expiry_after_creation"),
        CheckConstraint(
            "(purpose = 'email_change') = (new_email IS NOT NULL)", name="new_email_for_change"
        ),
        UniqueConstraint("token_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The address an e-mail change link confirms (purpose "email_change" only).
    new_email: Mapped[str | None] = mapped_column(String(254))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
