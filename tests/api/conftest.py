"""Fixtures for the API tests: personal access tokens for the world's people."""

from __future__ import annotations

import pytest

from rehab.api import tokens
from rehab.api.models import TokenScope


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def token_for(app):
    """token_for(user, write=False) → the secret of a new token of ``user``."""

    def make(user, *, write: bool = False, days: int = 30) -> str:
        scope = TokenScope.READ_WRITE if write else TokenScope.READ
        _token, secret = tokens.create_token(user, name="test", scope=scope, days=days)
        return secret

    return make
