"""The built-in programme templates: bilingual TOML files in rehab/programmes/templates/.

A template names exercises by their library slug (rehab/exercises/library/*.toml), gives
each its dose, mode and rule, and each phase its goal and default exit criteria. The same
checks as the builder's (rehab.programmes.rules) validate them; tests run them on every file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from rehab.programmes.rules import clean_criterion, clean_prescription

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("nl", "en")
_DECIMALS = {
    "load_kg",
    "target_effort",
    "load_increment_kg",
    "load_increment_pct",
    "percent_per_week",
}
PRESCRIPTION_KEYS = {
    "exercise", "key", "sets", "dosage_type", "reps", "hold_seconds", "duration_seconds",
    "distance_m", "load_kind", "load_kg", "band_colour", "effort_kind", "target_effort",
    "rest_seconds", "tempo", "days_per_week", "sides", "notes", "mode", "rule",
    "load_increment_kg", "load_increment_pct", "seconds_per_week", "max_hold_seconds",
    "percent_per_week", "session_label", "minutes_per_week", "target_duration_minutes",
}  # fmt: skip
CRITERION_KEYS = {
    "kind", "measure", "side", "comparison", "target", "target_high", "window_weeks",
    "prescription", "label",
}  # fmt: skip


def text(value: Any, language: str) -> str | None:
    """A bilingual value ({nl = …, en = …}) in ``language``; a plain string as it is."""
    if value is None or isinstance(value, str):
        return value
    return value.get(language) or value.get("nl")


@dataclass(frozen=True)
class BuiltinTemplate:
    slug: str
    data: dict

    def title(self, language: str) -> str:
        return text(self.data["title"], language) or self.slug

    def description(self, language: str) -> str | None:
        return text(self.data.get("description"), language)

    @property
    def phases(self) -> list[dict]:
        return self.data.get("phase", [])

    @property
    def slugs(self) -> set[str]:
        return {rx["exercise"] for phase in self.phases for rx in phase.get("prescription", [])}


@cache
def builtin_templates() -> dict[str, BuiltinTemplate]:
    """Every built-in template by slug, in the order of their ``order`` key."""
    templates = []
    for path in sorted(TEMPLATE_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        templates.append(BuiltinTemplate(slug=data["slug"], data=data))
    templates.sort(key=lambda t: (t.data.get("order", 99), t.slug))
    return {t.slug: t for t in templates}


def builtin_template(slug: str) -> BuiltinTemplate | None:
    return builtin_templates().get(slug)


def prescription_values(rx: dict, language: str) -> dict[str, Any]:
    """A template prescription as Prescription column values (before checking)."""
    reps = rx.get("reps")
    low, high = (reps[0], reps[1]) if isinstance(reps, list) else (reps, reps)
    values: dict[str, Any] = {
        "sets": rx.get("sets"),
        "dosage_type": rx.get("dosage_type"),
        "reps_min": low,
        "reps_max": high,
        "hold_seconds": rx.get("hold_seconds"),
        "duration_seconds": rx.get("duration_seconds"),
        "distance_m": rx.get("distance_m"),
        "load_kind": rx.get("load_kind", "bodyweight"),
        "load_kg": rx.get("load_kg"),
        "band_colour": text(rx.get("band_colour"), language),
        "effort_kind": rx.get("effort_kind", "rpe"),
        "target_effort": rx.get("target_effort"),
        "rest_seconds": rx.get("rest_seconds"),
        "tempo": rx.get("tempo"),
        "days_per_week": rx.get("days_per_week"),
        "sides": rx.get("sides", "both"),
        "notes": text(rx.get("notes"), language),
        "mode": rx.get("mode", "pain_contingent"),
        "rule_kind": rx.get("rule", "therapist_decides"),
        "load_increment_kg": rx.get("load_increment_kg"),
        "load_increment_pct": rx.get("load_increment_pct"),
        "seconds_per_week": rx.get("seconds_per_week"),
        "max_hold_seconds": rx.get("max_hold_seconds"),
        "percent_per_week": rx.get("percent_per_week"),
        "minutes_per_week": rx.get("minutes_per_week"),
        "target_duration_seconds": (
            rx["target_duration_minutes"] * 60 if rx.get("target_duration_minutes") else None
        ),
        "session_label": rx.get("session_label"),
    }
    for name in _DECIMALS:
        if values[name] is not None:
            values[name] = Decimal(str(values[name]))
    return values


def criterion_values(criterion: dict, language: str) -> dict[str, Any]:
    """A template criterion as ExitCriterion column values; ``prescription`` stays a key."""
    values = {
        "kind": criterion.get("kind"),
        "measure": criterion.get("measure"),
        "side": criterion.get("side"),
        "comparison": criterion.get("comparison", "=="),
        "target": criterion.get("target"),
        "target_high": criterion.get("target_high"),
        "window_weeks": criterion.get("window_weeks"),
        "label": text(criterion.get("label"), language),
    }
    for name in ("target", "target_high"):
        if values[name] is not None:
            values[name] = Decimal(str(values[name]))
    return values


def rotation_labels(phase: dict) -> list[str]:
    return list(phase.get("rotation", [])) if phase.get("schedule") == "rotation" else []


@cache
def library_index() -> dict[str, dict]:
    """The built-in library's exercises by slug, from its files (no database needed):
    whether each has a harder step, is done one side at a time, and its names."""
    from rehab.exercises.services import read_library

    return {
        entry.slug: {
            "progression": entry.progression,
            "requires": entry.requires,
            "unilateral": entry.columns["unilateral"],
            "dosage_type": entry.columns["dosage_type"],
            "name": {language: entry.columns[f"name_{language}"] for language in LANGUAGES},
        }
        for entry in read_library()
    }


def template_problems(template: BuiltinTemplate) -> list[str]:
    """Everything wrong with a template file, in words; empty when it is sound."""
    problems: list[str] = []
    library = library_index()
    for key in ("title", "description"):
        for language in LANGUAGES:
            if not (template.data.get(key) or {}).get(language):
                problems.append(f"{key} has no {language} text")
    if not template.phases:
        problems.append("no phases")
    problems += _order_problems(template, library)
    for number, phase in enumerate(template.phases, start=1):
        where = f"phase {number}"
        problems += _phase_problems(phase, where)
        keys: dict[str, dict] = {}
        for rx in phase.get("prescription", []):
            problems += _prescription_problems(rx, phase, library, where)
            keys[rx.get("key", rx.get("exercise"))] = rx
        for criterion in phase.get("criterion", []):
            problems += _criterion_problems(criterion, keys, where)
    return problems


def _order_problems(template: BuiltinTemplate, library: dict) -> list[str]:
    """An exercise the library says must follow others (a loaded hinge after the dowel hip
    hinge and the Romanian deadlift, domain.md §5) comes in a later phase than they do."""
    problems = []
    earlier: set[str] = set()
    for number, phase in enumerate(template.phases, start=1):
        here = [rx.get("exercise") for rx in phase.get("prescription", [])]
        for slug in here:
            missing = [s for s in library.get(slug, {}).get("requires", ()) if s not in earlier]
            if missing:
                problems.append(f"phase {number} {slug}: needs {missing} in an earlier phase")
        earlier.update(here)
    return problems


def _phase_problems(phase: dict, where: str) -> list[str]:
    problems = []
    for key in ("name", "goal"):
        for language in LANGUAGES:
            if not (phase.get(key) or {}).get(language):
                problems.append(f"{where}: {key} has no {language} text")
    schedule = phase.get("schedule", "per_week")
    if schedule not in ("per_week", "weekdays", "rotation"):
        problems.append(f"{where}: unknown schedule {schedule!r}")
    if schedule == "weekdays" and not all(1 <= d <= 7 for d in phase.get("weekdays", [])):
        problems.append(f"{where}: weekdays must be ISO numbers 1–7")
    if schedule == "weekdays" and not phase.get("weekdays"):
        problems.append(f"{where}: a weekday schedule needs weekdays")
    if schedule == "rotation" and len(phase.get("rotation", [])) < 2:
        problems.append(f"{where}: a rotation needs at least two session days")
    if schedule != "weekdays" and not 1 <= phase.get("sessions_per_week", 0) <= 14:
        problems.append(f"{where}: sessions_per_week must be 1–14")
    if not 1 <= phase.get("planned_weeks", 0) <= 52:
        problems.append(f"{where}: planned_weeks must be 1–52")
    if not phase.get("prescription"):
        problems.append(f"{where}: no exercises")
    return problems


def _prescription_problems(rx: dict, phase: dict, library: dict, where: str) -> list[str]:
    slug = rx.get("exercise")
    unknown = set(rx) - PRESCRIPTION_KEYS
    problems = [f"{where} {slug}: unknown keys {sorted(unknown)}"] if unknown else []
    exercise = library.get(slug)
    if exercise is None:
        return [*problems, f"{where}: exercise {slug!r} is not in the library"]
    for language in LANGUAGES:
        values = prescription_values(rx, language)
        _, found = clean_prescription(
            values,
            has_harder_step=bool(exercise.get("progression")),
            rotation_labels=rotation_labels(phase),
        )
        problems += [f"{where} {slug}: {field}: {message}" for field, message in found.items()]
    if rx.get("sides") == "each" and not exercise.get("unilateral"):
        problems.append(f"{where} {slug}: 'each side' for an exercise done with both sides")
    return problems


def _criterion_problems(criterion: dict, keys: dict[str, dict], where: str) -> list[str]:
    unknown = set(criterion) - CRITERION_KEYS
    problems = [f"{where}: criterion has unknown keys {sorted(unknown)}"] if unknown else []
    label = criterion.get("label") or {}
    if not all(label.get(language) for language in LANGUAGES):
        problems.append(f"{where}: criterion {criterion.get('kind')} needs an nl and en label")
    values = criterion_values(criterion, "nl")
    hold_ids: set[int] = set()
    if criterion.get("kind") == "hold_time":
        target = keys.get(criterion.get("prescription", ""))
        if target is None or target.get("dosage_type") != "hold":
            problems.append(f"{where}: hold_time names no timed hold of this phase")
        else:
            values["prescription_id"] = hold_ids_marker = -1
            hold_ids = {hold_ids_marker}
    _, found = clean_criterion(values, hold_prescription_ids=hold_ids)
    problems += [f"{where} {criterion.get('kind')}: {f}: {m}" for f, m in found.items()]
    return problems
