"""Where a user lands, and which redirect targets are safe."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def home_for(user) -> str:
    if user.role == "patient":
        return url_for("training.today")
    return url_for("patients.caseload")


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: an open redirect would make a convincing phishing link."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
