"""One word for one thing: the catalogues, the exercise library and the templates use the
glossary's words (docs/glossary.md), never a variant it forbids."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
COLUMNS = {"en": "not in English", "nl": "not in Dutch"}
# Placeholders (%(email)s), file names (handout.pdf) and web addresses are not words.
NOT_WORDS = re.compile(r"%\(\w+\)[sd]|\S+\.pdf\b|https?://\S+")


def forbidden_words(language: str) -> list[str]:
    """The glossary table's "not in …" column for ``language``, word by word."""
    lines = [line for line in GLOSSARY.read_text().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    column = header.index(COLUMNS[language])
    words = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        words += [word.strip() for word in cells[column].split(",") if word.strip()]
    return words


def _pattern(words: list[str]) -> re.Pattern:
    variants = {variant for word in words for variant in (word, word[:1].upper() + word[1:])}
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def catalogue_texts(language: str) -> list[tuple[str, str]]:
    """(msgid, text) for every translation in the language's catalogue."""
    path = ROOT / "rehab" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    texts = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        key = message.id if isinstance(message.id, str) else message.id[0]
        texts += [(key, string) for string in strings if string]
    return texts


def data_texts(language: str) -> list[tuple[str, str]]:
    """(file, text) for every ``language`` text of the built-in library and templates: the
    values under a key ``nl``/``en``, or in an ``[exercise.nl]``-like table."""
    found: list[tuple[str, str]] = []

    def walk(value, where: str, inside: bool) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, where, inside or key == language)
        elif isinstance(value, list):
            for item in value:
                walk(item, where, inside)
        elif isinstance(value, str) and inside:
            found.append((where, value))

    for folder in (
        ROOT / "rehab" / "exercises" / "library",
        ROOT / "rehab" / "programmes" / "templates",
    ):
        for path in sorted(folder.glob("*.toml")):
            with path.open("rb") as handle:
                walk(tomllib.load(handle), path.name, False)
    return found


def _offences(texts: list[tuple[str, str]], language: str) -> list[str]:
    pattern = _pattern(forbidden_words(language))
    offences = []
    for where, text in texts:
        match = pattern.search(NOT_WORDS.sub(" ", text))
        if match:
            offences.append(f"{match.group()!r} in {where!r}: {text[:80]!r}")
    return offences


def test_the_glossary_forbids_the_variants_we_met():
    assert {"zijbrug", "zijplank", "pdf", "suggestie", "training"} <= set(forbidden_words("nl"))
    assert {"side plank", "program", "email"} <= set(forbidden_words("en"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_catalogue_uses_the_glossarys_words(language):
    offences = _offences(catalogue_texts(language), language)
    assert not offences, f"{len(offences)} forbidden variants (docs/glossary.md): {offences[:15]}"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_library_and_templates_use_the_glossarys_words(language):
    offences = _offences(data_texts(language), language)
    assert not offences, f"{len(offences)} forbidden variants (docs/glossary.md): {offences[:15]}"


def test_a_forbidden_variant_is_caught():
    texts = [("x", "Houd de zijbrug 10 s vast."), ("y", "Zijplank links"), ("z", "%(email)s")]
    assert len(_offences(texts, "nl")) == 2
    assert _offences([("a", "Download handout.pdf")], "en") == []
    assert len(_offences([("b", "Download the pdf")], "nl")) == 1
