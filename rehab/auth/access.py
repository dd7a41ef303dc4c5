"""Who may use a route, declared on the route itself.

Every view carries an ``access`` attribute; create_app() refuses to start when a view lacks
one, and the role-matrix test walks every route for every role. Object-level checks (is this
patient in your clinic? is this your own record?) live in the loaders, e.g.
``rehab.patients.services.patient_for``, which answer 404 for missing *and* foreign IDs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort
from flask_login import current_user

from rehab.auth.models import Role
from rehab.extensions import login_manager

PUBLIC = "public"
# Endpoints that extensions register (static files only).
_EXTENSION_ENDPOINTS = {"static", "bootstrap.static"}


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anyone, logged in or not (login page, activation links, static pages)."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def roles_required(*roles: Role) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Logged-in users whose role is one of ``roles``; others get 403, anonymous the login."""
    allowed = frozenset(roles)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    return roles_required(Role.ADMIN, Role.THERAPIST, Role.PATIENT)(view)


def staff_required(view: Callable[..., Any]) -> Callable[..., Any]:
    return roles_required(Role.ADMIN, Role.THERAPIST)(view)


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    return roles_required(Role.ADMIN)(view)


def patient_required(view: Callable[..., Any]) -> Callable[..., Any]:
    return roles_required(Role.PATIENT)(view)


def check_every_route_declares_access(app: Flask) -> None:
    missing = sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in _EXTENSION_ENDPOINTS and not hasattr(view, "access")
    )
    if missing:
        raise RuntimeError(
            "These routes do not say who may use them (use @public or @roles_required): "
            + ", ".join(missing)
        )
