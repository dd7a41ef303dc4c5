"""Where a user lands, and which redirect targets are safe."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import url_for
from werkzeug.routing import IntegerConverter

# Control (C0, DEL, C1), format (e.g. right-to-left override) and line/paragraph separators.
_CONTROL = frozenset({"Cc", "Cf", "Zl", "Zp"})

# Ids are 32-bit in the schema: a larger number in a URL is simply not found (404), instead of
# overflowing the database driver (SQLite refuses integers beyond 64 bits).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route, capped at MAX_ID."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def home_for(user) -> str:
    if user.role == "patient":
        return url_for("training.today")
    return url_for("patients.caseload")


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: an open redirect would make a convincing phishing link.

    Control characters are refused too: a Location header cannot carry a line break (a 500
    after a successful log-in), and browsers drop tabs and line breaks from a URL, so that
    "/\t/evil.example" would lead off-site.
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(unicodedata.category(character) in _CONTROL for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
