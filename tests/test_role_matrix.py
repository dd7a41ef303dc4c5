"""Every route, every role: the status each must get. A route without a row fails here."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.role_matrix as matrix
from tests.conftest import ROLES

AREA_MODULES = [
    importlib.import_module(f"tests.role_matrix.{info.name}")
    for info in pkgutil.iter_modules(matrix.__path__)
]
CASES = [case for module in AREA_MODULES for case in module.CASES]
IGNORED_METHODS = {"HEAD", "OPTIONS"}
STATIC_ENDPOINTS = {"static", "bootstrap.static"}
# Forbidden and foreign first, allowed last: an allowed POST may change what others see.
ROLE_ORDER = ("anonymous", "other_patient", "other_therapist", "patient", "therapist", "admin")


def route_keys(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in STATIC_ENDPOINTS
        for method in rule.methods - IGNORED_METHODS
    }


def test_every_route_has_a_row(app):
    routes = route_keys(app)
    rows = [case.key for case in CASES]
    missing = sorted(routes - set(rows))
    stale = sorted(set(rows) - routes)
    duplicated = sorted({key for key in rows if rows.count(key) > 1})
    assert not missing, f"routes without a role-matrix row: {missing}"
    assert not stale, f"rows for routes that do not exist: {stale}"
    assert not duplicated, f"routes with two rows: {duplicated}"
    for case in CASES:
        assert set(case.expected) == set(ROLES), f"{case.key} must list all six roles"


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.endpoint}")
def test_role_gets_expected_status(app, world, client_for, case):
    for module in AREA_MODULES:
        module.extend_world(world)
    with app.test_request_context():
        from flask import url_for

        url = url_for(case.endpoint, **case.params(world))
    got = {}
    for role in ROLE_ORDER:
        client = client_for(role)
        if case.method == "GET":
            response = client.get(url)
        elif case.json is not None:
            response = client.open(url, method=case.method, json=case.json(world))
        else:
            response = client.open(url, method=case.method, data=case.data(world))
        got[role] = response.status_code
        response.close()  # a download streams its file
        assert response.status_code != 500, f"{role}: 500 on {case.method} {url}"
    expected = {role: case.expected[role] for role in ROLE_ORDER}
    assert got == expected, f"{case.method} {url}"
