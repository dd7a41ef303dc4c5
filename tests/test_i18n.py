"""Dutch by default, English on request; both catalogues complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "pgettext": ((1, "c"), 2),
}


def test_login_page_is_dutch_by_default(client):
    html = client.get("/login").text
    assert '<html lang="nl">' in html
    assert "Inloggen bij Rehab" in html


def test_browser_language_english_gives_english(client):
    html = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="en">' in html
    assert "Log in to Rehab" in html


def test_language_switch_is_remembered(client):
    client.post("/language", data={"language": "en", "next": "/login"})
    assert "Log in to Rehab" in client.get("/login").text
    client.post("/language", data={"language": "nl"})
    assert "Inloggen bij Rehab" in client.get("/login").text


def test_unknown_language_is_refused(client):
    assert client.post("/language", data={"language": "xx"}).status_code == 400


def test_logged_in_users_language_setting_wins_over_the_browser(client_for, world):
    from rehab.extensions import db

    world.therapist.locale = "en"
    db.session.commit()
    html = client_for("therapist").get("/patients/", headers={"Accept-Language": "nl"}).text
    assert "New patient" in html


@pytest.mark.parametrize(
    "language, expected",
    [
        ("nl", {"admin": "Toegangslog", "therapist": "Nieuwe patiënt", "patient": "Hallo"}),
        ("en", {"admin": "Access log", "therapist": "New patient", "patient": "Hello"}),
    ],
)
def test_each_demo_user_sees_a_translated_page(app, runner, language, expected):
    result = runner.invoke(args=["rehab", "seed-demo", "--any-database"])
    assert result.exit_code == 0, result.output
    logins = re.findall(r"^\s+(admin|therapist|patient)\s+(\S+)\s+(\S+)$", result.output, re.M)
    assert {role for role, _, _ in logins} == {"admin", "therapist", "patient"}
    for role, email, password in logins:
        client = app.test_client()
        client.post("/language", data={"language": language})
        response = client.post(
            "/login", data={"email": email, "password": password}, follow_redirects=True
        )
        assert response.status_code == 200, email
        # The user's own setting is applied at log-in; switch to the language under test.
        response = client.post(
            "/language", data={"language": language, "next": "/"}, follow_redirects=True
        )
        assert f'<html lang="{language}">' in response.text
        assert expected[role] in response.text, (email, language)


def _extracted_messages() -> set[str]:
    method_map = [
        ("rehab/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),  # the plain-text part of e-mails
    ]
    ids = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, keywords=KEYWORDS):
        ids.add(message if isinstance(message, str) else message[0])
    return {m for m in ids if m}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_catalogue_is_complete(language):
    path = ROOT / "rehab" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id
        and (all(m.string) if isinstance(m.string, tuple) else m.string)
        and "fuzzy" not in m.flags
    }
    missing = sorted(_extracted_messages() - translated)
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:20]}"


def test_dutch_translations_keep_their_placeholders():
    path = ROOT / "rehab" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    pattern = re.compile(r"%\(\w+\)[sd]")
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(pattern.findall(ids[-1]))
        for string in strings:
            assert set(pattern.findall(string)) <= wanted | set(pattern.findall(ids[0])), message.id
            assert wanted <= set(pattern.findall(string)) or len(ids) > 1, message.id


# --- The per-request catalogue (rehab.core.i18n) ---------------------------------------------
# Pages translate through a catalogue looked up once per request and locale; a PDF in the
# patient's language switches the locale halfway through a request (force_locale).


def test_a_forced_language_applies_inside_and_ends_after_it(app):
    from flask import render_template_string
    from flask_babel import force_locale

    from rehab.core.i18n import format_decimal, gettext, lazy_gettext, ngettext

    saved = "Your session has been saved."
    template = "{{ _('Your session has been saved.') }}"
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        dutch = gettext(saved)
        assert dutch != saved and "opgeslagen" in dutch
        assert render_template_string(template) == dutch
        with force_locale("en"):
            assert gettext(saved) == saved
            assert render_template_string(template) == saved
            assert str(lazy_gettext(saved)) == saved
            assert format_decimal(1234.5, "#,##0.#") == "1,234.5"
        assert gettext(saved) == dutch
        assert render_template_string(template) == dutch
        assert str(lazy_gettext(saved)) == dutch
        assert format_decimal(1234.5, "#,##0.#") == "1.234,5"
        reps = ("%(count)s repetition", "%(count)s repetitions")
        assert ngettext(*reps, 1, count=1) == "1 herhaling"
        assert ngettext(*reps, 5, count=5) == "5 herhalingen"


def test_numbers_are_written_alike_whatever_their_type(app):
    from decimal import Decimal

    from rehab.core.i18n import format_decimal

    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert format_decimal(-0.0, "#,##0.#") == "0"  # never "-0"
        assert format_decimal(Decimal("-0"), "#,##0.#") == "0"
        assert format_decimal(2, "#,##0.0") == format_decimal(2.0, "#,##0.0") == "2,0"
        assert format_decimal(Decimal("2.50"), "#,##0.##") == "2,5"
        assert format_decimal(Decimal("NaN"), "#,##0.#") == format_decimal(float("nan"), "#,##0.#")


def test_a_word_with_two_meanings_has_two_translations(app):
    """ "Progress" the decision is "Opbouwen"; the progress bar of a print job is
    "Voortgang" (it read "Opbouwen" while the two shared one entry)."""
    from rehab.core.i18n import gettext, pgettext
    from rehab.training.wording import ACTION_WORDS

    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert str(ACTION_WORDS["progress"]) == "Opbouwen"
        assert str(ACTION_WORDS["hold"]) == "Handhaven"
        assert pgettext("decision", "Progress") == "Opbouwen"
        assert gettext("Progress") == "Voortgang"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_catalogue_entry_is_untranslated_fuzzy_or_left_over(language):
    """Every entry of the catalogue itself, not only the ones the code uses today: an empty
    or fuzzy translation, or an obsolete entry kept at the end, fails."""
    path = ROOT / "rehab" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(("untranslated", message.id))
        if "fuzzy" in message.flags:
            problems.append(("fuzzy", message.id))
    problems += [("obsolete", key) for key in catalogue.obsolete]
    assert not problems, f"{len(problems)} in {language}: {problems[:10]}"
