"""Time-based one-time passwords (RFC 6238) and recovery codes.

Codes are 6 digits over 30-second steps (what every authenticator app uses). One step either
side is accepted for clock drift, and each step is accepted once per user: the last used
step is stored, so a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
from sqlalchemy import func, or_, select, update

from rehab.auth.models import RecoveryCode, User
from rehab.core.crypto import InvalidToken, decrypt, encrypt
from rehab.core.db import utcnow
from rehab.extensions import db

ISSUER = "Rehab"
PURPOSE = "totp-secret"
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# 12 characters from 31 without look-alikes (no 0/O, 1/I/L): about 59 random bits.
_RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def encrypt_secret(secret: str) -> str:
    return encrypt(secret, purpose=PURPOSE)


def user_secret(user: User) -> str | None:
    if not user.totp_secret_encrypted:
        return None
    try:
        return decrypt(user.totp_secret_encrypted, purpose=PURPOSE)
    except InvalidToken:
        return None  # SECRET_KEY changed: the admin resets this user's second factor


def provisioning_uri(secret: str, user: User) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI, made here: the secret never leaves the server."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def grouped(secret: str) -> str:
    """ABCD EFGH … : easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "")


def matching_step(secret: str, code: str, *, after: int | None, now: float | None = None):
    """The time step whose code this is (within the drift window and after ``after``)."""
    code = _normalise_code(code)
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now if now is not None else time.time())
    # Accept the latest matching step: a code from the future window spends it too.
    for step in range(current + DRIFT_STEPS, current - DRIFT_STEPS - 1, -1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def spend_step(user: User, step: int) -> bool:
    """Record ``step`` as used, atomically: of two requests with the same code, one wins."""
    result = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        user.totp_last_step = step
        return True
    return False


def check_totp(user: User, code: str) -> bool:
    secret = user_secret(user)
    if secret is None:
        return False
    step = matching_step(secret, code, after=user.totp_last_step)
    return step is not None and spend_step(user, step)


# --- recovery codes -----------------------------------------------------------------------


def _recovery_digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _canonical_recovery(code: str) -> str:
    return _normalise_code(code).upper()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; returns the new ones (shown once, stored hashed)."""
    db.session.execute(RecoveryCode.__table__.delete().where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        salt = secrets.token_hex(8)
        db.session.add(
            RecoveryCode(user_id=user.id, salt=salt, code_hash=_recovery_digest(salt, raw))
        )
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code; each works once."""
    code = _canonical_recovery(code)
    if not re.fullmatch(rf"[{_RECOVERY_ALPHABET}]{{12}}", code):
        return False
    unused = db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in unused:
        if hmac.compare_digest(row.code_hash, _recovery_digest(row.salt, code)):
            result = db.session.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            return result.rowcount == 1
    return False


def unused_recovery_codes(user: User) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
