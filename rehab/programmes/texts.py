"""Programme content in both languages: what a programme took from a template stays bilingual.

A programme built from a built-in or clinic template copies the template's words (title,
description, phase names and goals, exercise notes, exit-criterion labels) into its rows, in
the language it was built in, and keeps *both* languages of each of them in the row's
``texts`` column: ``{"name": {"nl": "…", "en": "…"}}``. Pages and PDFs show ``shown(field)``:
the reader's language (the patient's on their pages and PDFs, the therapist's on staff pages).

What a therapist types is their own words: setting a field to anything that is not one of its
bilingual versions drops that field's versions, so the typed text is shown as typed, in every
language, never machine-translated (``is_own_words``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, event
from sqlalchemy.orm import Mapped, mapped_column

LANGUAGES = ("nl", "en")

# The fields of each model that can hold a template's bilingual text.
TRANSLATED_FIELDS = {
    "Programme": ("title", "description"),
    "Phase": ("name", "goal"),
    "ExitCriterion": ("label",),
    "Prescription": ("notes", "band_colour"),
}


def reader_language() -> str:
    """The language being rendered: the request's (or a PDF's forced) locale, else Dutch."""
    from rehab.core.i18n import current_locale

    try:
        locale = current_locale()
    except RuntimeError:  # pragma: no cover - outside any app context
        locale = None
    language = str(locale) if locale is not None else "nl"
    return language if language in LANGUAGES else "nl"


def versions(value: Any) -> dict[str, str] | None:
    """A template's bilingual value ({nl = …, en = …}) with both languages, or None."""
    if not isinstance(value, dict):
        return None
    found = {language: value.get(language) for language in LANGUAGES if value.get(language)}
    if not found:
        return None
    first = next(iter(found.values()))
    return {language: found.get(language) or first for language in LANGUAGES}


def shown_value(value: str | None, texts: dict | None, field: str, language: str | None = None):
    """As ``BilingualText.shown`` for a value and its ``texts`` read as plain columns."""
    found = (texts or {}).get(field)
    if not found:
        return value
    return found.get(language or reader_language()) or value


class BilingualText:
    """Mixin: the ``texts`` column and the reader's version of a field."""

    # {field: {"nl": …, "en": …}} for the fields that still hold a template's words.
    texts: Mapped[dict | None] = mapped_column(JSON)

    def shown(self, field: str, language: str | None = None) -> str | None:
        """``field`` in ``language`` (by default the reader's) when it is a template's text;
        the stored text as it is when it is the therapist's own words."""
        return shown_value(getattr(self, field), self.texts, field, language)

    def is_own_words(self, field: str) -> bool:
        """True when the field holds text a person typed (shown as typed in every language)."""
        return bool(getattr(self, field)) and not (self.texts or {}).get(field)

    def set_text(self, field: str, value: Any, language: str) -> None:
        """Set ``field`` from a template value: bilingual keeps both, a plain string is kept
        as it is."""
        found = versions(value)
        texts = {k: v for k, v in (self.texts or {}).items() if k != field}
        if found:
            texts[field] = found
        # The versions first: the set event below keeps them when the value is one of them.
        self.texts = texts or None
        setattr(self, field, found[language] if found else value)

    def copy_texts_from(self, other: BilingualText) -> None:
        """The bilingual versions of another row (a template's or programme's copy)."""
        self.texts = {k: dict(v) for k, v in (other.texts or {}).items()} or None


def _forget_on_change(field: str):
    def listener(target, value, oldvalue, initiator):
        found = (target.texts or {}).get(field)
        if found and value not in found.values():
            remaining = {k: v for k, v in target.texts.items() if k != field}
            target.texts = remaining or None
        return value

    return listener


def watch(model) -> None:
    """Typing over a template's text makes it the therapist's own words (see the module)."""
    for field in TRANSLATED_FIELDS[model.__name__]:
        event.listen(getattr(model, field), "set", _forget_on_change(field), retval=True)
