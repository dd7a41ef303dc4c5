"""Password hashing (argon2id) and the password policy (NIST SP 800-63B style)."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from rehab.core.i18n import gettext as _

MIN_LENGTH = 8
# Long passphrases are welcome; the cap only stops hashing megabytes of input.
MAX_LENGTH = 128

_production = PasswordHasher()  # argon2id, RFC 9106 low-memory profile defaults
_cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def _hasher() -> PasswordHasher:
    if current_app and current_app.config.get("REHAB_PASSWORD_HASH_COST") == "test":
        return _cheap
    return _production


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Same work as a real check, so timing does not tell whether the account exists.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


COMMON_PASSWORD_COUNT = 10_000


@cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords, lower-cased.

    From zxcvbn's frequency list (Dropbox's estimator, ranked from leaked password sets); the
    package ships it, so nothing is fetched at run time (NIST SP 800-63B §5.1.1.2 asks to
    refuse passwords from such lists).
    """
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_PASSWORD_COUNT])


def _is_common(password: str) -> bool:
    lowered = password.strip().lower()
    # "Welkom123!" is "welkom" with decoration: strip trailing digits and symbols too.
    stem = re.sub(r"[\d\W_]+$", "", lowered)
    return lowered in common_passwords() or (len(stem) >= 4 and stem in common_passwords())


def _personal_words(email: str | None, name: str | None) -> set[str]:
    words: set[str] = set()
    if email:
        local = email.strip().lower().split("@")[0]
        words.add(local)
        words.update(re.split(r"[._+-]+", local))
    if name:
        words.update(re.split(r"\s+", name.strip().lower()))
        words.add(re.sub(r"\s+", "", name.strip().lower()))
    return {word for word in words if len(word) >= 3}


def password_problems(
    password: str, *, email: str | None = None, name: str | None = None
) -> list[str]:
    """Reasons, in the user's language, why a new password is refused (empty when fine).

    No composition rules (NIST SP 800-63B §5.1.1.2): length, a list of common passwords, the
    user's own name or e-mail address, and zxcvbn's strength estimate with the user's own
    data as context (repeats, sequences, keyboard rows, dates, words); a refusal says why.
    """
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("Use at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.strip().lower()
    if email and lowered == email.strip().lower():
        problems.append(_("Your password cannot be your e-mail address."))
    elif _is_common(password):
        problems.append(
            _(
                "This is one of the most common passwords and is guessed first. "
                "Try a sentence of a few unrelated words instead."
            )
        )
    elif lowered and _only_personal(lowered, _personal_words(email, name)):
        problems.append(_("Your password cannot be made of your own name or e-mail address."))
    elif MIN_LENGTH <= len(password) <= MAX_LENGTH:
        weakness = _weakness(password, _context_words(email, name))
        if weakness is not None:
            problems.append(weakness)
    return problems


# zxcvbn's score (0–4): 3 means "safely unguessable", at least 10⁸ guesses even for an
# attacker who knows common patterns (Wheeler D., USENIX Security 2016). A length rule alone
# let "aaaaaaaaaaaa" through.
MIN_SCORE = 3
# zxcvbn's work grows steeply with length (seconds for 128 random characters): it judges the
# first 64. A password whose first 64 characters are strong is at least as strong itself.
_ESTIMATED_LENGTH = 64
# Words anyone targeting a Rehab account would try first, beside the user's own data.
_SITE_WORDS = ("rehab", "fysio", "fysiotherapie", "physio", "wachtwoord")


def _context_words(email: str | None, name: str | None) -> list[str]:
    """The user's name and address, in parts (the clinic's domain too), and the site's."""
    words = set(_personal_words(email, name))
    if email and "@" in email:
        address = email.strip().lower()
        words.add(address)
        words.update(part for part in re.split(r"[.@-]+", address) if len(part) >= 3)
    return sorted(words | set(_SITE_WORDS))


def _weakness(password: str, user_inputs: list[str]) -> str | None:
    """Why zxcvbn finds the password easy to guess, in the user's words; None when it is
    strong enough. Explained by the longest pattern it found, as zxcvbn's own feedback is."""
    score, sequence = _estimate(password[:_ESTIMATED_LENGTH], user_inputs)
    if score >= MIN_SCORE:
        return None
    patterns = [m for m in sequence if m["pattern"] != "bruteforce"]
    longest = max(patterns, key=lambda m: len(m["token"]), default=None)
    return (
        _pattern_message(longest)
        + " "
        + _("A sentence of four or five unrelated words is long and easy to remember.")
    )


def _estimate(password: str, user_inputs: list[str]) -> tuple[int, list[dict]]:
    """zxcvbn's score and the patterns it found. Its ``zxcvbn()`` keeps the user's words in
    a module-wide dictionary, which two requests in threads would overwrite for each other:
    here each call matches against a copy of its own."""
    from zxcvbn import matching, scoring, time_estimates

    dictionaries = {
        **matching.RANKED_DICTIONARIES,
        "user_inputs": matching.build_ranked_dict([word.lower() for word in user_inputs]),
    }
    matches = matching.omnimatch(password, dictionaries)
    result = scoring.most_guessable_match_sequence(password, matches)
    return time_estimates.guesses_to_score(result["guesses"]), result["sequence"]


def _pattern_message(match: dict | None) -> str:
    kind = match["pattern"] if match else None
    if kind == "repeat":
        return _("Repeated characters or words, like “aaa” or “abcabc”, are guessed at once.")
    if kind == "sequence":
        return _("Sequences like “abcd” or “4321” are guessed at once.")
    if kind == "spatial":
        return _("Rows of neighbouring keys, like “qwerty” or “asdf”, are guessed at once.")
    if kind in ("date", "regex"):
        return _("Dates and years are among the first things tried.")
    if kind == "dictionary" and match.get("dictionary_name") == "user_inputs":
        return _("It is built on your own name, your e-mail address or the name of this app.")
    if kind == "dictionary" and match.get("dictionary_name") == "passwords":
        return _("It is built on a password that many people use, like “12345678” or "
                 "“qwerty”.")  # fmt: skip
    if kind == "dictionary":
        return _("It is built on a common word or name; digits or capitals added to it "
                 "hardly help.")  # fmt: skip
    return _("This password is too easy to guess.")


def _only_personal(password: str, words: set[str]) -> bool:
    """True when what is left after removing the user's name, e-mail, digits and symbols is
    too short to guess slowly, e.g. "pieter1988" or "jansen.pieter!"."""
    rest = password
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(word, "")
    rest = re.sub(r"[\d\W_]+", "", rest)
    return rest != re.sub(r"[\d\W_]+", "", password) and len(rest) < 4
