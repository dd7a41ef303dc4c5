"""Who may call an API route, and how a request proves who it is.

A request is authenticated either by a personal access token (``Authorization: Bearer``),
or by the login cookie of the pages. A token request is exempt from CSRF (a browser never
adds the header by itself); a cookie request that changes something must carry the CSRF
token like a form. Roles are those of the pages; the records a user may see are decided by
the same loaders (``patient_for``) that write the access log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from rehab.api import bp, tokens
from rehab.api.models import ApiToken
from rehab.audit.summaries import Summary
from rehab.auth.models import Role
from rehab.core.i18n import gettext as _
from rehab.extensions import csrf, login_manager

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        abort(401)
    return secret.strip()


@bp.before_request
def authenticate() -> None:
    g.audit_channel = Summary.of("read_through_api")
    secret = _bearer_secret()
    if secret is None:
        if request.method not in SAFE_METHODS and current_app.config["WTF_CSRF_ENABLED"]:
            csrf.protect()
        return
    token = tokens.resolve(secret, ip_address=request.remote_addr)
    if token is None:
        abort(401)
    g.api_token = token
    # The token's owner is the user of this request, whatever cookie came along.
    login_manager._update_request_context_with_user(token.user)


def current_token() -> ApiToken | None:
    return g.get("api_token")


def rate_limit_key() -> str:
    """Requests are counted per token (per address without one)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "api-token:" + hashlib.sha256(header.encode()).hexdigest()[:24]
    return "api-ip:" + get_remote_address()


def api_roles(*roles: Role, write: bool = False) -> Callable[[Callable], Callable]:
    """The route is for these roles; ``write`` routes also need a read-write token."""
    allowed = frozenset(roles)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                abort(401)
            if current_user.role not in allowed:
                abort(403)
            token = current_token()
            if write and token is not None and not token.can_write:
                abort(403, description=_("This token may only read. Make a read-write token."))
            return view(*args, **kwargs)

        wrapped.access = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


ANYONE = (Role.ADMIN, Role.THERAPIST, Role.PATIENT)
STAFF = (Role.ADMIN, Role.THERAPIST)
