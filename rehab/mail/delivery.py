"""Sending one message from the outbox: claim it, render it, send it, record the outcome.

A message is claimed with one conditional UPDATE, so two workers (a thread and the periodic
job, or two machines) never both send it. A failure that may pass (the server is down, a
4xx answer) is tried again after a growing wait; a refusal (5xx) or the last attempt marks
it failed, and the admin sees it on the outbox page. A claim left behind by a process that
died is taken over after CLAIM_TIMEOUT.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from sqlalchemy import and_, delete, or_, select, update

from rehab.auth.models import Clinic
from rehab.core.crypto import InvalidToken, decrypt
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.mail import smtp
from rehab.mail.messages import Rendered, compose
from rehab.mail.models import OutgoingEmail
from rehab.mail.outbox import SECRET_PURPOSE, dispatch

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = dt.timedelta(minutes=10)
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 4 * 3600


def retry_delay(failed_attempts: int) -> int:
    """Seconds to wait after the n-th failed attempt: 1 min, 4, 16, 64 min, then 4 h at most
    (exponential back-off, factor 4)."""
    return min(FIRST_RETRY_SECONDS * 4 ** (failed_attempts - 1), MAX_RETRY_SECONDS)


def _claimable(now: dt.datetime):
    return or_(
        and_(OutgoingEmail.status == "queued", OutgoingEmail.next_attempt_at <= now),
        and_(OutgoingEmail.status == "sending", OutgoingEmail.claimed_at < now - CLAIM_TIMEOUT),
    )


def claim(email_id: int, now: dt.datetime | None = None) -> bool:
    """Take the message for sending; False when it is not due or someone else has it."""
    now = now or utcnow()
    result = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id == email_id, _claimable(now))
        .values(status="sending", claimed_at=now, attempts=OutgoingEmail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def render(email: OutgoingEmail, *, with_secret: bool = True) -> Rendered:
    """The message as it is (or was) sent; without its one-time link unless ``with_secret``."""
    secret = None
    if with_secret and email.secret_encrypted:
        try:
            secret = decrypt(email.secret_encrypted, purpose=SECRET_PURPOSE)
        except InvalidToken:  # SECRET_KEY changed since: the link is dead anyway
            secret = None
    clinic = db.session.get(Clinic, email.clinic_id)
    return compose(
        kind=email.kind,
        params=email.params or {},
        locale=email.locale,
        clinic_name=clinic.name,
        user_id=email.user_id,
        secret=secret,
    )


def deliver(email_id: int, now: dt.datetime | None = None) -> str | None:
    """Send one message if it is due; returns its new status (None when not claimed)."""
    now = now or utcnow()
    if not claim(email_id, now):
        return None
    email = db.session.get(OutgoingEmail, email_id)
    clinic_name = db.session.get(Clinic, email.clinic_id).name
    try:
        rendered = render(email)
    except Exception:
        log.exception("e-mail %s (%s) could not be rendered", email.id, email.kind)
        return _finish(email, "failed", error_code="render")
    if not smtp.smtp_configured():
        log.info(
            "E-mail not sent (no SMTP_HOST configured), kept in the outbox:\n"
            "To: %s\nSubject: %s\n%s%s",
            email.to_address,
            rendered.subject,
            "".join(f"{name}: {value}\n" for name, value in rendered.headers.items()),
            rendered.text,
        )
        return _finish(email, "logged")
    message = smtp.build_message(
        rendered, to=email.to_address, clinic_name=clinic_name, locale=email.locale
    )
    try:
        smtp.send(message)
    except smtp.SendFailure as failure:
        log.warning("e-mail %s (%s), attempt %d: %s", email.id, email.kind, email.attempts, failure)
        return _failed_attempt(email, failure, now)
    log.info("e-mail %s (%s) sent", email.id, email.kind)
    return _finish(email, "sent")


def _finish(email: OutgoingEmail, status: str, *, error_code: str | None = None) -> str:
    email.status = status
    email.error_code = error_code
    email.claimed_at = None
    if status in ("sent", "logged"):
        email.sent_at = utcnow()
        email.secret_encrypted = None  # the link has gone out: the outbox no longer holds it
    db.session.commit()
    return status


def _failed_attempt(email: OutgoingEmail, failure: smtp.SendFailure, now: dt.datetime) -> str:
    if failure.permanent or email.attempts >= current_app.config["REHAB_MAIL_MAX_ATTEMPTS"]:
        return _finish(email, "failed", error_code=failure.code)
    delay = retry_delay(email.attempts)
    email.status = "queued"
    email.error_code = failure.code
    email.claimed_at = None
    email.next_attempt_at = now + dt.timedelta(seconds=delay)
    email_id = email.id
    db.session.commit()
    dispatch([email_id], delay_seconds=delay)
    return "queued"


def deliver_due(now: dt.datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Send every message that is due (new ones whose hand-over was lost, retries, claims of
    dead processes); a count per resulting status."""
    now = now or utcnow()
    ids = list(
        db.session.scalars(
            select(OutgoingEmail.id)
            .where(_claimable(now))
            .order_by(OutgoingEmail.next_attempt_at, OutgoingEmail.id)
            .limit(limit)
        )
    )
    counts: dict[str, int] = {}
    for email_id in ids:
        status = deliver(email_id, now)
        if status is not None:
            counts[status] = counts.get(status, 0) + 1
    return counts


def retry_now(email_id: int) -> bool:
    """The admin's "send again" on a failed message: a fresh round of attempts. One
    conditional write, so two clicks start one round; False when it was not failed (any
    more). The caller's access-log entry commits with it."""
    result = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id == email_id, OutgoingEmail.status == "failed")
        .values(status="queued", attempts=0, next_attempt_at=utcnow(), error_code=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        return False
    db.session.commit()
    dispatch([email_id])
    return True


def remove_old(now: dt.datetime | None = None) -> int:
    """Messages older than REHAB_MAIL_KEEP_DAYS go: the outbox is not an archive of people's
    addresses. Unfinished ones stay until they are done."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=current_app.config["REHAB_MAIL_KEEP_DAYS"])
    result = db.session.execute(
        delete(OutgoingEmail).where(
            OutgoingEmail.created_at < cutoff,
            OutgoingEmail.status.in_(("sent", "logged", "failed")),
        )
    )
    db.session.commit()
    return result.rowcount
