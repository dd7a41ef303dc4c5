"""The API's role-matrix rows again, this time with personal access tokens instead of the
login cookie: a token has exactly its owner's access."""

from __future__ import annotations

import pytest

from tests.api.conftest import bearer
from tests.conftest import user_for_role
from tests.role_matrix import api as api_rows
from tests.test_role_matrix import AREA_MODULES, ROLE_ORDER

API_CASES = [case for case in api_rows.CASES if case.endpoint.startswith("api.")]


@pytest.mark.parametrize("case", API_CASES, ids=lambda c: f"{c.method} {c.endpoint}")
def test_a_token_has_its_owners_access(app, world, token_for, case):
    for module in AREA_MODULES:
        module.extend_world(world)
    with app.test_request_context():
        from flask import url_for

        url = url_for(case.endpoint, **case.params(world))
    client = app.test_client()
    got = {}
    for role in ROLE_ORDER:
        user = user_for_role(world, role)
        headers = bearer(token_for(user, write=True)) if user is not None else {}
        body = case.json(world) if case.json is not None else None
        response = client.open(url, method=case.method, headers=headers, json=body)
        got[role] = response.status_code
        assert response.status_code != 500, f"{role}: 500 on {case.method} {url}"
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json"
    assert got == {role: case.expected[role] for role in ROLE_ORDER}
