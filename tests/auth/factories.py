"""Two-step verification for tests: enrol a user directly and make codes for them."""

from __future__ import annotations

import time

import pyotp

from rehab.auth import two_factor
from rehab.auth.models import User
from rehab.core.db import utcnow
from rehab.extensions import db
from tests.factories import PASSWORD


def enrol(user: User) -> tuple[str, list[str]]:
    """Switch TOTP on for ``user``; returns (secret, recovery codes)."""
    secret = two_factor.new_secret()
    user.totp_secret_encrypted = two_factor.encrypt_secret(secret)
    user.totp_enabled_at = utcnow()
    codes = two_factor.new_recovery_codes(user)
    db.session.commit()
    return secret, codes


def code(secret: str, *, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def log_in(client, email, password=PASSWORD, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def verify(client, value, **kwargs):
    return client.post("/login/verify", data={"code": value}, **kwargs)
