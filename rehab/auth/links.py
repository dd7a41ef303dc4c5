"""One-time links: activating an account, resetting a password, confirming a new e-mail
address. Only a link's hash is stored; issuing a new one ends the earlier unused ones of
its kind, and spending one is a single conditional write."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import AccountToken, TokenPurpose, User
from rehab.auth.passwords import hash_password
from rehab.auth.services import revoke_sessions
from rehab.core.concurrency import claim
from rehab.core.db import utcnow
from rehab.extensions import db


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    user: User, purpose: TokenPurpose, *, actor: User | None, new_email: str | None = None
) -> str:
    """A new one-time link for ``user``; earlier unused links of the same kind stop working.

    Returns the token itself: it is shown (or mailed) once and only its hash is stored.
    ``actor`` is None when the user asked for it themself ("forgot password").
    """
    hours_key = (
        "REHAB_ACTIVATION_HOURS" if purpose == TokenPurpose.ACTIVATION else "REHAB_RESET_HOURS"
    )
    now = utcnow()
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(expires_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=_digest(token),
            created_at=now,
            expires_at=now + dt.timedelta(hours=current_app.config[hours_key]),
            created_by_id=actor.id if actor is not None else None,
            new_email=new_email,
        )
    )
    return token


class TokenProblem(enum.StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True)
class TokenCheck:
    token: AccountToken | None
    problem: TokenProblem | None


PASSWORD_PURPOSES = (TokenPurpose.ACTIVATION, TokenPurpose.RESET)


def check_token(token: str, purposes=PASSWORD_PURPOSES) -> TokenCheck:
    """Is ``token`` a live link for one of ``purposes``? (An e-mail change link cannot set a
    password, nor a password link change an address.)"""
    if not token or len(token) > 128:
        return TokenCheck(None, TokenProblem.UNKNOWN)
    row = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == _digest(token)))
    if row is None or row.purpose not in purposes:
        return TokenCheck(None, TokenProblem.UNKNOWN)
    if row.used_at is not None:
        return TokenCheck(row, TokenProblem.USED)
    if row.expires_at <= utcnow():
        return TokenCheck(row, TokenProblem.EXPIRED)
    if not row.user.active:
        return TokenCheck(row, TokenProblem.UNKNOWN)
    return TokenCheck(row, None)


class TokenSpent(Exception):
    """The link was used (or replaced) by another request a moment ago."""


def redeem_token(row: AccountToken, new_password: str) -> User:
    """Set the password through a valid link; the link is spent and old logins end.

    The link is spent with one conditional write (still unused, not expired): of two
    requests with the same link one sets the password, the other gets TokenSpent.
    """
    user = row.user
    now = utcnow()
    if not claim(row, AccountToken.used_at.is_(None), AccountToken.expires_at > now,
                 used_at=now):  # fmt: skip
        db.session.rollback()
        raise TokenSpent(row.id)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = row.used_at
    revoke_sessions(user)
    record(
        Action.ACCOUNT,
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=Summary.of("password_set_by_link", purpose=row.purpose),
    )
    db.session.commit()
    return user
