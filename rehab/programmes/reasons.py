"""What the system writes about a dose change or a phase change, stored as a code with its
values and worded at view time in the reader's language.

A therapist's typed reason or note stays in the ``reason`` / ``note`` column as typed; a
system-written one leaves that column empty and sets ``reason_code`` (``reason_values``) or
``note_code``. Migration ``system_text_codes`` converted the sentences stored before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rehab.core.i18n import gettext as _

# Why a dose version exists, when the system says so.
VERSION_REASONS = ("from_template", "prescribed", "suggestion_accepted")
# What a phase change says, when the system says it.
PHASE_CHANGE_NOTES = ("programme_started",)


def accepted_values(suggestion) -> dict[str, Any]:
    """``reason_values`` for a version made by accepting ``suggestion``: its action, its
    reasons (already codes) and the exercise it moves to."""
    return {
        "action": suggestion.action,
        "reasons": list(suggestion.reasons or []),
        "new_exercise_id": suggestion.new_exercise_id,
    }


def exercise_ids(versions: Iterable) -> set[int]:
    """The exercises the reasons of ``versions`` name (for one name query)."""
    return {
        v.reason_values["new_exercise_id"]
        for v in versions
        if v.reason_code == "suggestion_accepted" and (v.reason_values or {}).get("new_exercise_id")
    }


def version_reason(version, exercise_names: Mapping[int, str] | None = None) -> str | None:
    """Why the dose version exists, in the current language; the therapist's words as typed."""
    code = version.reason_code
    if code is None:
        return version.reason
    if code == "from_template":
        return _("From the template")
    if code == "prescribed":
        return _("Prescribed")
    if code == "suggestion_accepted":
        from rehab.training.wording import describe

        values = version.reason_values or {}
        reasons = " ".join(describe(r, exercise_names or {}) for r in values.get("reasons", []))
        action = values.get("action")
        if action == "progress":
            return _("Suggestion to progress accepted: %(reasons)s", reasons=reasons)
        if action == "regress":
            return _("Suggestion to regress accepted: %(reasons)s", reasons=reasons)
        return _("Suggestion accepted: %(reasons)s", reasons=reasons)
    return version.reason


def phase_change_note(change) -> str | None:
    """A phase change's note in the current language; the therapist's words as typed."""
    if change.note_code == "programme_started":
        return _("Programme started")
    return change.note
