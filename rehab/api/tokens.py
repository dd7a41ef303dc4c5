"""Personal access tokens: made, listed and revoked on the account page; resolved per request.

A token is shown once when it is made; only its SHA-256 is stored. It acts as its owner with
the owner's role and clinic, limited by its scope (read, or read and write).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from rehab.api.models import ApiToken, TokenScope
from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import User
from rehab.core.db import utcnow
from rehab.extensions import db

TOKEN_MARK = "rhb_"  # noqa: S105  (the mark tokens start with, not a secret)
EXPIRY_DAYS = (7, 30, 90, 365)
# Writing "last used" on every request would be a write per read: once a minute is enough
# for its owner to see whether a token is in use.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, *, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token itself (shown once)."""
    if scope not in set(TokenScope) or days not in EXPIRY_DAYS:
        raise ValueError("scope or expiry out of range")
    secret = TOKEN_MARK + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        name=name.strip()[:80],
        prefix=secret[: len(TOKEN_MARK) + 6],
        token_hash=_digest(secret),
        scope=scope,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    record(
        Action.ACCOUNT,
        object_type="api_token",
        object_id=token.id,
        summary=Summary.of("api_token_created"),
    )
    db.session.commit()
    return token, secret


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens that still work or ended recently, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of ``user``'s own tokens; False when there is no such token of theirs."""
    done = db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    ).rowcount
    if not done:
        db.session.rollback()
        return False
    record(
        Action.ACCOUNT,
        object_type="api_token",
        object_id=token_id,
        summary=Summary.of("api_token_revoked"),
    )
    db.session.commit()
    return True


def resolve(secret: str, *, ip_address: str | None) -> ApiToken | None:
    """The usable token for this secret (its user loaded), or None; notes its use."""
    if not secret.startswith(TOKEN_MARK) or len(secret) > 100:
        return None
    token = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == _digest(secret))
        .options(joinedload(ApiToken.user).joinedload(User.clinic))
    )
    now = utcnow()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.id == token.id)
            .values(last_used_at=now, last_used_ip=ip_address)
        )
        db.session.commit()
    return token
