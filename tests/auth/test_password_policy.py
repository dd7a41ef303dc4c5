"""New passwords: long enough, not on the list of common passwords, not the user's name."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.auth.links import issue_token
from rehab.auth.models import TokenPurpose
from rehab.auth.passwords import COMMON_PASSWORD_COUNT, common_passwords, password_problems
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


# --- the strength estimate (zxcvbn) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaaaa", "Herhaalde tekens of woorden"),
        ("abababababab", "Herhaalde tekens of woorden"),
        ("abcdefghijkl", "Reeksen als"),
        ("98765432109876", "Reeksen als"),
        ("asdfghjkl;lkj", "Rijen naast elkaar liggende toetsen"),
        ("12345678abcdefgh", "een wachtwoord dat veel mensen gebruiken"),
        ("jansenfysio", "je eigen naam, je e-mailadres of de naam van deze app"),
        ("rehab-rehab-rehab", "Herhaalde tekens of woorden"),
    ],
)
def test_easy_to_guess_passwords_are_refused_and_the_refusal_says_why(app, password, why):
    """Long enough and on no list, yet guessed in a moment: the estimate (zxcvbn, with the
    user's own name and address as known words) refuses them, in words, in their language."""
    with app.test_request_context():
        [problem] = password_problems(password, email="pjansen@praktijk.nl", name="Pieter Jansen")
    assert why in problem
    assert "Een zin van vier of vijf woorden" in problem


def test_the_refusal_is_in_english_for_an_english_user(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        [problem] = password_problems("aaaaaaaaaaaa", email="a@b.nl", name="Ab Cd")
    assert problem.startswith("Repeated characters or words, like “aaa” or “abcabc”")


def test_the_minimum_length_still_holds_for_a_strong_short_password(app):
    with app.test_request_context():
        assert password_problems("k#9Qz!", email="a@b.nl") == ["Gebruik minimaal 8 tekens."]


def test_the_reset_form_refuses_a_run_of_one_letter(client, world):
    """The attack test set "aaaaaaaaaaaa" at a reset: it was accepted."""
    token = issue_token(world.patient.user, TokenPurpose.RESET, actor=world.therapist)
    db.session.commit()
    weak = "aaaaaaaaaaaa"
    response = client.post(
        f"/activate/{token}", data={"new_password": weak, "confirm_password": weak}
    )
    assert response.status_code == 200
    assert "Herhaalde tekens of woorden" in response.text
    db.session.refresh(world.patient.user)
    assert world.patient.user.password_changed_at is None


def test_the_users_words_do_not_leak_between_parallel_checks(app):
    """zxcvbn's own entry point keeps the user's words in a module-wide dictionary; two
    threads checking at once must each judge against their own user's name."""
    import sys
    import threading

    interval = sys.getswitchinterval()

    results: dict[str, list] = {}

    def check(name: str, password: str) -> None:
        with app.test_request_context():
            for _ in range(20):
                results.setdefault(name, []).append(
                    password_problems(password, email=f"{name}@praktijk.nl", name=name)
                )

    # "vrijdagsmarehab" is weak for Ottoline Vrijdagsma (her own name and the app's), strong
    # for anyone else.
    threads = [
        threading.Thread(target=check, args=("vrijdagsma", "vrijdagsmarehab")),
        threading.Thread(target=check, args=("bartholomeus", "vrijdagsmarehab")),
    ]
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert all(problems for problems in results["vrijdagsma"])
    assert not any(problems for problems in results["bartholomeus"])
