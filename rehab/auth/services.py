"""Account operations: they take the acting user and plain values, commit, and audit."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app, request, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update

from rehab.audit.services import Action, record
from rehab.auth.models import AccountToken, Clinic, Role, TokenPurpose, User, UserSession
from rehab.auth.passwords import hash_password, needs_rehash, verify_password
from rehab.core.db import utcnow
from rehab.extensions import db


class EmailTaken(Exception):
    """Another account already uses this e-mail address."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_in_use(email: str) -> bool:
    return (
        db.session.scalar(select(User.id).where(User.email == normalise_email(email))) is not None
    )


# --- logging in and out -------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same work either way)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def start_session(user: User) -> UserSession:
    """Create a server-side login session for this device and log the user in."""
    login = UserSession(
        user_id=user.id,
        token=secrets.token_urlsafe(32),
        ip_address=request.remote_addr,
        user_agent=(request.user_agent.string or "")[:255],
    )
    db.session.add(login)
    user.last_login_at = utcnow()
    user.current_session = login
    session.clear()  # nothing from before the login carries over into it
    login_user(user)
    session["auth_at"] = utcnow().timestamp()
    session["seen_at"] = session["auth_at"]
    record(Action.LOGIN, actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    return login


def end_session(user: User) -> None:
    if user.current_session is not None:
        user.current_session.revoked_at = utcnow()
    record(Action.LOGOUT, actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    logout_user()
    session.clear()


def record_failed_login(email: str) -> None:
    """Failed log-ins are security events (NEN 7513): keep the typed address, not the password."""
    record(Action.LOGIN_FAILED, summary=normalise_email(email)[:254], actor=None)
    db.session.commit()


def revoke_sessions(user: User, *, keep: UserSession | None = None) -> None:
    """End every login of this user (except ``keep``): used by password change and disabling."""
    stmt = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    db.session.execute(stmt.values(revoked_at=utcnow()))


def load_session_user(token: str) -> User | None:
    """Flask-Login's user loader: the user of a live, unrevoked login session."""
    row = db.session.execute(
        select(UserSession, User)
        .join(User, UserSession.user_id == User.id)
        .where(UserSession.token == token, UserSession.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    login, user = row
    if not user.active:
        return None
    max_age = current_app.config["REHAB_ABSOLUTE_TIMEOUT"]
    if utcnow() - login.created_at > dt.timedelta(seconds=max_age):
        return None
    user.current_session = login
    return user


# --- passwords ----------------------------------------------------------------------------


def change_password(user: User, new_password: str) -> None:
    """Set a new password; every other login of this user ends, this one gets a new token."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    current = user.current_session
    revoke_sessions(user)
    record(
        Action.ACCOUNT,
        actor=user,
        object_type="user",
        object_id=user.id,
        summary="password changed",
    )
    db.session.commit()
    if current is not None:
        start_session(user)


# --- one-time links -----------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, purpose: TokenPurpose, *, actor: User) -> str:
    """A new one-time link for ``user``; earlier unused links of the same kind stop working.

    Returns the token itself: it is shown once and only its hash is stored.
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
            created_by_id=actor.id,
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


def check_token(token: str) -> TokenCheck:
    if not token or len(token) > 128:
        return TokenCheck(None, TokenProblem.UNKNOWN)
    row = db.session.scalar(select(AccountToken).where(AccountToken.token_hash == _digest(token)))
    if row is None:
        return TokenCheck(None, TokenProblem.UNKNOWN)
    if row.used_at is not None:
        return TokenCheck(row, TokenProblem.USED)
    if row.expires_at <= utcnow():
        return TokenCheck(row, TokenProblem.EXPIRED)
    if not row.user.active:
        return TokenCheck(row, TokenProblem.UNKNOWN)
    return TokenCheck(row, None)


def redeem_token(row: AccountToken, new_password: str) -> User:
    """Set the password through a valid link; the link is spent and old logins end."""
    user = row.user
    row.used_at = utcnow()
    user.password_hash = hash_password(new_password)
    user.password_changed_at = row.used_at
    revoke_sessions(user)
    record(
        Action.ACCOUNT,
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=f"password set via {row.purpose} link",
    )
    db.session.commit()
    return user


# --- staff accounts -----------------------------------------------------------------------


def create_clinic(name: str, *, locale: str = "nl") -> Clinic:
    clinic = Clinic(name=name, default_locale=locale)
    db.session.add(clinic)
    db.session.flush()
    return clinic


def create_staff(
    clinic: Clinic, *, full_name: str, email: str, role: Role, actor: User | None
) -> User:
    """A therapist or admin without a password yet; the caller issues their activation link."""
    if role not in (Role.ADMIN, Role.THERAPIST):
        raise ValueError(role)
    if email_in_use(email):
        raise EmailTaken(email)
    user = User(
        clinic_id=clinic.id,
        full_name=full_name.strip(),
        email=normalise_email(email),
        role=role,
        locale=clinic.default_locale,
    )
    db.session.add(user)
    db.session.flush()
    record(
        Action.ACCOUNT,
        actor=actor,
        clinic_id=clinic.id,
        object_type="user",
        object_id=user.id,
        summary=f"{role} account created",
    )
    return user


def set_active(user: User, active: bool, *, actor: User) -> None:
    """Disable or re-enable an account; disabling ends its sessions at once."""
    user.active = active
    if not active:
        revoke_sessions(user)
    record(
        Action.ACCOUNT,
        actor=actor,
        object_type="user",
        object_id=user.id,
        summary="account enabled" if active else "account disabled",
    )
    db.session.commit()
