"""Absolute links for e-mails and the calendar feed, built on REHAB_BASE_URL.

Never on the request's Host header: a forged Host in a "forgot password" request would
otherwise mail the victim a reset link to the attacker's site. The same function works in a
web request, a CLI command and a queue worker (none of which need a request context).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    base = urlsplit(current_app.config["REHAB_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def endpoint_values(url: str, endpoint: str) -> dict | None:
    """The view arguments of ``url`` when it is a link to ``endpoint`` on this site, else None
    (a hand-over form posts its link back; only the token inside it matters)."""
    from werkzeug.exceptions import HTTPException

    parts = urlsplit(url or "")
    base = urlsplit(current_app.config["REHAB_BASE_URL"].rstrip("/"))
    path = parts.path
    prefix = base.path.rstrip("/")
    if prefix and path.startswith(prefix):
        path = path[len(prefix) :]
    adapter = current_app.url_map.bind("localhost")
    try:
        found, values = adapter.match(path or "/", method="GET")
    except HTTPException:
        return None
    return values if found == endpoint else None
