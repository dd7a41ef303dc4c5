"""Password hashing (argon2id) and the password policy (NIST SP 800-63B style)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 8
# Long passphrases are welcome; the cap only stops hashing megabytes of input.
MAX_LENGTH = 128

_production = PasswordHasher()  # argon2id, RFC 9106 low-memory profile defaults
_cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def _hasher() -> PasswordHasher:
    if current_app and current_app.config.get("REHAB_PASSWORD_HASH_COST") == "test":
        return _cheap
    return _production


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Same work as a real check, so timing does not tell whether the account exists.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def password_problems(password: str, *, email: str | None = None) -> list[str]:
    """Reasons, in the user's language, why a new password is refused (empty when fine).

    No composition rules (NIST SP 800-63B §5.1.1.2): length and obvious guesses only.
    """
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("Use at most %(n)d characters.", n=MAX_LENGTH))
    if email and password.strip().lower() == email.strip().lower():
        problems.append(_("Your password cannot be your e-mail address."))
    return problems
