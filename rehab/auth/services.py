"""Account operations: they take the acting user and plain values, commit, and audit."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app, request, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth.models import Clinic, Role, User, UserSession
from rehab.auth.passwords import hash_password, needs_rehash, verify_password
from rehab.core.concurrency import claim
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

# Per-account back-off: after LOCK_AFTER failures in a row the account waits one minute,
# doubling with each further failure up to an hour (ASVS 2.2.1). Anyone can lock an account
# for at most an hour this way; the per-address rate limit makes that slow.
LOCK_AFTER = 5
LOCK_FIRST_SECONDS = 60
LOCK_MAX_SECONDS = 3600


def lock_seconds(failures: int) -> int:
    if failures < LOCK_AFTER:
        return 0
    return min(LOCK_FIRST_SECONDS * 2 ** (failures - LOCK_AFTER), LOCK_MAX_SECONDS)


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def authenticate(email: str, password: str) -> User | None:
    """The active, unlocked user with this e-mail and password, or None.

    Unknown address, wrong password, disabled or locked account: the same answer after the
    same work (one Argon2 hash), so neither the message nor the timing tells them apart.
    A failure is counted and logged here (one commit).
    """
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active or is_locked(user):
        verify_password(None, password)
        record_failed_login(email, user=user, count=False)
        return None
    if not verify_password(user.password_hash, password):
        record_failed_login(email, user=user)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_failed_login(
    email: str, *, user: User | None = None, count: bool = True, step: str = "password"
) -> None:
    """Failed log-ins are security events (NEN 7513): keep the typed address, not the password.

    ``count`` adds the failure to the account's back-off (not while it is already locked or
    disabled, so waiting out a lock works).
    """
    values: dict = {"address": normalise_email(email)[:254]}
    if user is not None and count:
        db.session.execute(
            update(User)
            .where(User.id == user.id)
            .values(failed_logins=User.failed_logins + 1)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(user, ["failed_logins"])
        wait = lock_seconds(user.failed_logins)
        if wait:
            user.locked_until = utcnow() + dt.timedelta(seconds=wait)
            values["locked_seconds"] = wait
    elif user is not None and is_locked(user):
        values["account_locked"] = True
    if step != "password":
        values["step"] = step
    record(
        Action.LOGIN_FAILED,
        summary=Summary.of("login_failed", **values),
        actor=None,
        clinic_id=user.clinic_id if user is not None else None,
        object_type="user" if user is not None else None,
        object_id=user.id if user is not None else None,
    )
    db.session.commit()


def start_session(user: User, *, second_factor: str | None = None) -> UserSession:
    """Create a server-side login session for this device and log the user in."""
    login = UserSession(
        user_id=user.id,
        token=secrets.token_urlsafe(32),
        ip_address=request.remote_addr,
        user_agent=(request.user_agent.string or "")[:255],
        second_factor=second_factor,
    )
    db.session.add(login)
    user.last_login_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    user.current_session = login
    session.clear()  # nothing from before the login carries over into it
    login_user(user)
    session["auth_at"] = utcnow().timestamp()
    session["seen_at"] = session["auth_at"]
    record(
        Action.LOGIN,
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=Summary.of("login_second_factor", method=second_factor) if second_factor else None,
    )
    db.session.commit()
    return login


# The password step done, the second factor not yet: kept in the signed session cookie.
PENDING_KEY = "pending_login"
PENDING_SECONDS = 300


def begin_second_step(user: User, next_url: str | None) -> None:
    session.clear()
    session[PENDING_KEY] = {
        "user_id": user.id,
        "at": utcnow().timestamp(),
        "next": next_url,
    }


def pending_user() -> tuple[User, str | None] | None:
    """The user halfway through logging in on this browser, if still in time."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if utcnow().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(User, pending.get("user_id"))
    if user is None or not user.active or not user.has_two_factor:
        return None
    changed = user.password_changed_at
    if changed is not None and changed.timestamp() > pending["at"]:
        return None  # the password changed since this step began
    return user, pending.get("next")


def check_second_factor(user: User, code: str) -> str | None:
    """ "totp" or "recovery" when ``code`` is a valid, unused code of this user, else None."""
    from rehab.auth import two_factor

    if two_factor.check_totp(user, code):
        return "totp"
    if two_factor.use_recovery_code(user, code):
        left = two_factor.unused_recovery_codes(user)
        record(
            Action.ACCOUNT,
            actor=user,
            object_type="user",
            object_id=user.id,
            summary=Summary.of("recovery_code_used", left=left),
        )
        return "recovery"
    return None


def end_session(user: User) -> None:
    if user.current_session is not None:
        user.current_session.revoked_at = utcnow()
        user.current_session.handover_encrypted = None  # an unshown account link goes too
    record(Action.LOGOUT, actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    logout_user()
    session.clear()


def revoke_sessions(user: User, *, keep: UserSession | None = None) -> None:
    """End every login of this user (except ``keep``): used by password change and disabling."""
    stmt = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    db.session.execute(stmt.values(revoked_at=utcnow(), handover_encrypted=None))


# last_seen_at is written at most this often: no database write on every request.
LAST_SEEN_RESOLUTION = dt.timedelta(seconds=60)


def _idle_limit(user: User) -> int:
    key = "REHAB_IDLE_TIMEOUT_STAFF" if user.is_staff else "REHAB_IDLE_TIMEOUT_PATIENT"
    return current_app.config[key]


def load_session_user(token: str) -> User | None:
    """Flask-Login's user loader: the user of a live, unrevoked login session.

    One query loads the session, the user and their clinic, and a patient's own record (every
    page of theirs starts from it). The server checks the idle and absolute limits itself
    too, so a copied cookie cannot outlive them.
    """
    from rehab.patients.models import Patient

    found = db.session.execute(
        select(UserSession, Patient)
        .join(UserSession.user)
        .join(User.clinic)
        .outerjoin(Patient, Patient.user_id == User.id)
        .options(contains_eager(UserSession.user).contains_eager(User.clinic))
        .where(UserSession.token == token, UserSession.revoked_at.is_(None))
    ).first()
    if found is None:
        return None
    login, own_record = found
    user = login.user
    if not user.active:
        return None
    now = utcnow()
    max_age = current_app.config["REHAB_ABSOLUTE_TIMEOUT"]
    if now - login.created_at > dt.timedelta(seconds=max_age):
        return None
    idle = now - login.last_seen_at
    if idle > dt.timedelta(seconds=_idle_limit(user)) + LAST_SEEN_RESOLUTION:
        return None
    if idle > LAST_SEEN_RESOLUTION:
        login.last_seen_at = now
        db.session.commit()
    user.current_session = login
    user.own_record = own_record
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
        summary=Summary.of("password_changed"),
    )
    db.session.commit()
    if current is not None:
        start_session(user, second_factor=current.second_factor)


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
        summary=Summary.of("account_created", role=role),
    )
    return user


class AccountUnchanged(Exception):
    """The account already was in the state asked for (another admin was first)."""


def set_active(user: User, active: bool, *, actor: User) -> None:
    """Disable or re-enable an account; disabling ends its sessions at once. AccountUnchanged
    when it already is (one conditional write: two admins' clicks do not cancel out)."""
    if not claim(user, User.active.is_(not active), active=active):
        db.session.rollback()
        raise AccountUnchanged(user.id)
    if not active:
        revoke_sessions(user)
    record(
        Action.ACCOUNT,
        actor=actor,
        object_type="user",
        object_id=user.id,
        summary=Summary.of("account_enabled" if active else "account_disabled"),
    )
    db.session.commit()


# --- re-authentication and the account page -----------------------------------------------


def recently_authenticated() -> bool:
    """Did this login prove the password (and second factor) within the last few minutes?"""
    window = current_app.config["REHAB_REAUTH_SECONDS"]
    return utcnow().timestamp() - session.get("auth_at", 0) <= window


def reauthenticate(user: User, password: str, code: str | None) -> bool:
    """Check the password, and the second factor when enrolled, before a sensitive change.

    Failures count towards the account's back-off like failed log-ins.
    """
    if is_locked(user):
        verify_password(None, password)
        record_failed_login(user.email, user=user, count=False, step="re-authentication")
        return False
    ok = verify_password(user.password_hash, password)
    if ok and user.has_two_factor:
        ok = check_second_factor(user, code or "") is not None
    if not ok:
        record_failed_login(user.email, user=user, step="re-authentication")
        return False
    user.failed_logins = 0
    session["auth_at"] = utcnow().timestamp()
    record(
        Action.ACCOUNT,
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=Summary.of("reauthenticated"),
    )
    db.session.commit()
    return True


def active_sessions(user: User) -> list[UserSession]:
    oldest = utcnow() - dt.timedelta(seconds=current_app.config["REHAB_ABSOLUTE_TIMEOUT"])
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.revoked_at.is_(None),
                UserSession.created_at > oldest,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def revoke_session(user: User, login: UserSession) -> None:
    """End one of the user's own logins (a lost phone, a shared computer)."""
    login.revoked_at = utcnow()
    login.handover_encrypted = None
    record(
        Action.ACCOUNT,
        actor=user,
        object_type="user_session",
        object_id=login.id,
        summary=Summary.of("login_session_ended"),
    )
    db.session.commit()


def revoke_other_sessions(user: User) -> int:
    others = [s for s in active_sessions(user) if s.id != user.current_session.id]
    revoke_sessions(user, keep=user.current_session)
    record(
        Action.ACCOUNT,
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=Summary.of("other_sessions_ended", count=len(others)),
    )
    db.session.commit()
    return len(others)


def change_email(user: User, new_email: str) -> None:
    """A new log-in address; a patient's record follows their account's address."""
    from rehab.patients.models import Patient

    email = normalise_email(new_email)
    if email != user.email and email_in_use(email):
        raise EmailTaken(email)
    old = user.email
    user.email = email
    if user.role == Role.PATIENT:
        db.session.execute(
            update(Patient)
            .where(Patient.user_id == user.id)
            .values(email=email)
            .execution_options(synchronize_session=False)
        )
    record(
        Action.ACCOUNT,
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=Summary.of("email_changed", old=old),
    )
    db.session.commit()


# --- two-factor authentication ------------------------------------------------------------


class TwoFactorAlreadyOn(Exception):
    """Two-step verification was switched on a moment ago (another tab, the same code)."""


def enable_two_factor(user: User, secret: str, code: str) -> list[str] | None:
    """Switch on TOTP once the user proves their app has ``secret``; returns the new
    recovery codes (shown once), or None when the code does not match. Switched on with
    one conditional write: two tabs confirming at once make one secret and one set of codes
    (TwoFactorAlreadyOn for the other)."""
    from rehab.auth import two_factor

    step = two_factor.matching_step(secret, code, after=None)
    if step is None:
        return None
    # totp_last_step = step: the code just typed cannot also log in.
    if not claim(user, User.totp_enabled_at.is_(None),
                 totp_secret_encrypted=two_factor.encrypt_secret(secret),
                 totp_enabled_at=utcnow(), totp_last_step=step):  # fmt: skip
        db.session.rollback()
        raise TwoFactorAlreadyOn(user.id)
    codes = two_factor.new_recovery_codes(user)
    if user.current_session is not None:
        user.current_session.second_factor = "totp"
    record(
        Action.ACCOUNT,
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=Summary.of("two_factor_enabled"),
    )
    db.session.commit()
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    from rehab.auth import two_factor

    codes = two_factor.new_recovery_codes(user)
    record(
        Action.ACCOUNT,
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=Summary.of("recovery_codes_replaced"),
    )
    db.session.commit()
    return codes


def remove_two_factor(user: User, *, actor: User) -> None:
    """Switch TOTP off: the user themself, or an admin for a user who lost their phone.

    After an admin's reset every login of the user ends; staff of a clinic that requires a
    second factor enrol again at their next log-in.
    """
    from rehab.auth.models import RecoveryCode

    user.totp_secret_encrypted = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
    if actor.id != user.id:
        revoke_sessions(user)
        summary = Summary.of("two_factor_reset_by_admin")
    else:
        summary = Summary.of("two_factor_switched_off")
    record(Action.ACCOUNT, actor=actor, object_type="user", object_id=user.id, summary=summary)
    db.session.commit()


# --- clinic settings ----------------------------------------------------------------------

CLINIC_SETTINGS = (
    "name",
    "phone",
    "default_locale",
    "timezone",
    "require_staff_2fa",
    "uses_start_back",
    "pain_safe_max",
    "pain_amber_max",
    "spike_week_caution_pct",
    "spike_two_week_alert_pct",
    "spike_session_pct",
    "acwr_alerts_enabled",
    "no_log_alert_days",
    "stiffness_review_minutes",
    "reminder_time",
)


def update_clinic_settings(clinic: Clinic, values: dict, *, actor: User) -> list[tuple]:
    """Save the clinic's settings; returns (name, old value, new value) of each change."""
    changed = []
    for name in CLINIC_SETTINGS:
        if name in values and getattr(clinic, name) != values[name]:
            changed.append((name, getattr(clinic, name), values[name]))
            setattr(clinic, name, values[name])
    if changed:
        record(
            Action.UPDATE,
            actor=actor,
            clinic_id=clinic.id,
            object_type="clinic",
            object_id=clinic.id,
            summary=Summary.of("clinic_settings_changed", changes=changed),
        )
        db.session.commit()
    return changed
