"""New passwords: long enough, not on the list of common passwords, not the user's name."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.auth.models import TokenPurpose
from rehab.auth.passwords import COMMON_PASSWORD_COUNT, common_passwords, password_problems
from rehab.auth.services import issue_token
from rehab.extensions import db


def test_the_list_holds_the_ten_thousand_most_common_passwords():
    listed = common_passwords()
    assert len(listed) == COMMON_PASSWORD_COUNT
    assert {"123456", "password", "qwerty", "welcome"} <= listed


@pytest.mark.parametrize(
    "password",
    ["password", "Password1", "qwerty123", "iloveyou!", "Welcome2024", "sunshine", "  LETMEIN  "],
)
def test_common_passwords_are_refused_with_a_helpful_message(app, password):
    with app.test_request_context():
        [problem] = password_problems(password)
    assert "meest gebruikte wachtwoorden" in problem
    assert "zin van een paar woorden" in problem


@pytest.mark.parametrize(
    "password", ["pieter1988", "Jansen.Pieter!", "pieter.jansen", "PieterJansen2", "pjansen123"]
)
def test_the_users_own_name_or_address_is_refused(app, password):
    with app.test_request_context():
        problems = password_problems(password, email="pjansen@praktijk.nl", name="Pieter Jansen")
    assert problems, password


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "fietsen langs de Amstel", "pieter leest graag"]
)
def test_passphrases_pass(app, password):
    with app.test_request_context():
        assert password_problems(password, email="pjansen@praktijk.nl", name="Pieter Jansen") == []


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_the_policy_never_fails_on_any_text(app, password):
    with app.test_request_context():
        problems = password_problems(password, email="a@b.nl", name="Ab Cd")
    assert isinstance(problems, list)
    if len(password) < 8:
        assert problems


def test_activation_refuses_a_common_password_and_says_why(client, world):
    token = issue_token(world.patient.user, TokenPurpose.RESET, actor=world.therapist)
    db.session.commit()
    response = client.post(
        f"/activate/{token}", data={"new_password": "welkom123", "confirm_password": "welkom123"}
    )
    assert response.status_code == 200
    assert "meest gebruikte wachtwoorden" in response.text
