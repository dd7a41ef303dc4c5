"""The outbox: every e-mail Rehab sends, from queued to sent (or given up), one row each.

A row holds what to say as a kind with plain values (``params``), never the rendered text:
the message is put into words in the recipient's language when it is sent (and when the
admin looks at it). A one-time link's token is the only secret, kept encrypted
(rehab.core.crypto) until the message has gone and then wiped, so that the outbox never
holds a usable password link longer than needed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehab.auth.models import User
from rehab.core.db import utcnow
from rehab.core.vocabulary import sql_in
from rehab.extensions import db

MAIL_KINDS = (
    "account_activation",
    "password_reset",
    "email_change_confirm",
    "email_changed_notice",
    "exercise_reminder",
    "appointment_reminder",
)
# queued → sending → sent (over SMTP) or logged (no SMTP configured: outbox page and log);
# a failed attempt goes back to queued with a later next_attempt_at, until the last one.
MAIL_STATUSES = ("queued", "sending", "sent", "logged", "failed")
# Why the last attempt failed, as a code the outbox page puts into words.
MAIL_ERRORS = ("connection", "timeout", "refused", "rejected", "login", "temporary", "render")


class OutgoingEmail(db.Model):
    __tablename__ = "outgoing_emails"
    __table_args__ = (
        CheckConstraint(f"kind IN {sql_in(MAIL_KINDS)}", name="kind"),
        CheckConstraint(f"status IN {sql_in(MAIL_STATUSES)}", name="status"),
        CheckConstraint(f"error_code IS NULL OR error_code IN {sql_in(MAIL_ERRORS)}",
                        name="error_code"),
        CheckConstraint("locale IN ('nl', 'en')", name="locale"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("ix_outgoing_emails_due", "status", "next_attempt_at"),
        Index("ix_outgoing_emails_clinic_created", "clinic_id", "created_at"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    secret_encrypted: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    error_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    @property
    def retrying(self) -> bool:
        return self.status == "queued" and self.attempts > 0
