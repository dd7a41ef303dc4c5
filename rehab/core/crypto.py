"""Encryption at rest for small secrets (TOTP keys), keyed from the app's SECRET_KEY.

A key per purpose is derived with HKDF-SHA256 (RFC 5869) and used with Fernet (AES-128-CBC
plus HMAC-SHA256). A copy of the database alone does not reveal the secrets; rotating
SECRET_KEY makes them unreadable, so users then enrol their authenticator again.
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

__all__ = ["InvalidToken", "decrypt", "encrypt"]


@cache
def _fernet(secret_key: str, purpose: str) -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"rehab-at-rest-v1",
        info=purpose.encode(),
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plaintext: str, *, purpose: str) -> str:
    return _fernet(current_app.config["SECRET_KEY"], purpose).encrypt(plaintext.encode()).decode()


def decrypt(token: str, *, purpose: str) -> str:
    """The plaintext; raises InvalidToken when the key changed or the value was tampered with."""
    return _fernet(current_app.config["SECRET_KEY"], purpose).decrypt(token.encode()).decode()
