"""Programmes in words: a dose ("3 × 8–12 herhalingen, 12 kg, rust 60 s"), a rule, a
schedule and an exit criterion, in the reader's language.

``dose_text`` is shared with training and reports; it accepts a Prescription, the engine's
Dose, or a version's dose snapshot (rehab.programmes.dosing.snapshot).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from babel.dates import get_day_names
from babel.lists import format_list
from flask import has_app_context
from flask_babel import force_locale, get_locale

from rehab.core.i18n import format_decimal
from rehab.core.i18n import gettext as _
from rehab.core.i18n import lazy_gettext as _l
from rehab.patients.measures import MEASURES, RATIOS
from rehab.programmes.models import Prescription
from rehab.progress.progression import Dose

_COMPARISON_SIGNS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}


@contextlib.contextmanager
def _language(language: str | None) -> Iterator[None]:
    if language and has_app_context():
        with force_locale(language):
            yield
    else:
        yield


def number(value: Any) -> str:
    """A number as the reader writes it: 12, 12,5 (nl) or 12.5 (en); no trailing zeros."""
    if value is None:
        return "–"
    if isinstance(value, str):
        value = Decimal(value)
    if isinstance(value, float):
        value = Decimal(str(round(value, 3)))
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    return format_decimal(value) if has_app_context() else str(value)


def duration(seconds: int | None) -> str:
    """45 s, 90 s, 2 min, 2 min 30 s (under two minutes in seconds, as a clock reads)."""
    if seconds is None:
        return "–"
    minutes, rest = divmod(int(seconds), 60)
    if seconds < 120:
        return _("%(seconds)s s", seconds=int(seconds))
    if rest == 0:
        return _("%(minutes)s min", minutes=minutes)
    return _("%(minutes)s min %(seconds)s s", minutes=minutes, seconds=rest)


def _dose_values(item: Prescription | Dose | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(item, Mapping):
        return item
    if isinstance(item, Dose):
        return {
            "sets": item.sets,
            "dosage_type": str(item.dosage_type),
            "reps_min": item.reps_min,
            "reps_max": item.reps_max,
            "hold_seconds": item.hold_seconds,
            "duration_seconds": item.duration_seconds,
            "distance_m": item.distance_m,
            "load_kind": str(item.load_kind),
            "load_kg": item.load_kg,
            "band_colour": item.band,
            "effort_kind": str(item.effort_kind),
            "target_effort": item.target_effort,
        }
    return {name: getattr(item, name) for name in _FIELDS}


_FIELDS = (
    "sets", "dosage_type", "reps_min", "reps_max", "hold_seconds", "duration_seconds",
    "distance_m", "load_kind", "load_kg", "band_colour", "effort_kind", "target_effort",
    "rest_seconds", "tempo", "days_per_week", "sides",
)  # fmt: skip


def proposed_dose(prescription: Prescription, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The whole dose a suggestion proposes: its changed values over the prescription's
    others (sides, rest, tempo, days a week stay as they are when the dose is accepted)."""
    return {**_dose_values(prescription), **changes}


def dose_text(item: Prescription | Dose | Mapping[str, Any], language: str | None = None) -> str:
    """The dose in words, e.g. "3 × 8–12 herhalingen, 12 kg, rust 60 s" (nl)."""
    v = _dose_values(item)
    if isinstance(item, Prescription) and v.get("band_colour"):  # a template's, in both
        v = {**v, "band_colour": item.shown("band_colour", language)}
    with _language(language):
        parts = [_amount(v)]
        side = {"each": _("each side"), "left": _("left only"), "right": _("right only")}
        if v.get("sides") in side:
            parts.append(side[v["sides"]])
        if v.get("load_kind") == "kg" and v.get("load_kg") is not None:
            parts.append(_("%(kg)s kg", kg=number(v["load_kg"])))
        elif v.get("load_kind") == "band" and v.get("band_colour"):
            parts.append(_("band: %(colour)s", colour=v["band_colour"]))
        if v.get("target_effort") is not None:
            if v.get("effort_kind") == "rir":
                parts.append(_("%(reps)s reps in reserve", reps=number(v["target_effort"])))
            else:
                parts.append(_("effort %(rpe)s/10", rpe=number(v["target_effort"])))
        if v.get("tempo"):
            parts.append(_("tempo %(tempo)s", tempo=v["tempo"]))
        if v.get("rest_seconds"):
            parts.append(_("rest %(rest)s", rest=duration(v["rest_seconds"])))
        if v.get("days_per_week"):
            parts.append(_("%(days)s× per week", days=v["days_per_week"]))
        return ", ".join(str(part) for part in parts if part)


def _reps(v: Mapping[str, Any]) -> str:
    low, high = v.get("reps_min"), v.get("reps_max")
    if high is None or high == low:
        return str(low)
    return f"{low}–{high}"


def _amount(v: Mapping[str, Any]) -> str:
    sets = v.get("sets")
    dosage = v.get("dosage_type")
    if dosage == "reps":
        if (v.get("reps_max") or v.get("reps_min")) == 1:
            return _("%(sets)s × 1 repetition", sets=sets)
        return _("%(sets)s × %(reps)s repetitions", sets=sets, reps=_reps(v))
    if dosage == "hold":
        return _(
            "%(sets)s × %(reps)s holds of %(seconds)s s",
            sets=sets,
            reps=_reps(v),
            seconds=v.get("hold_seconds"),
        )
    if dosage == "time":
        return _("%(sets)s × %(duration)s", sets=sets, duration=duration(v.get("duration_seconds")))
    if dosage == "distance":
        metres = v.get("distance_m") or 0
        far = _("%(km)s km", km=number(Decimal(metres) / 1000)) if metres >= 1000 else None
        return _("%(sets)s × %(distance)s", sets=sets, distance=far or _("%(m)s m", m=metres))
    return ""


# --- rules and modes (for the therapist) -------------------------------------------------


def mode_text(mode: str) -> str:
    """The progression mode explained in words (domain.md §3)."""
    if mode == "time_contingent":
        return _(
            "Time-contingent (graded activity): the quota goes up every week on schedule, "
            "whatever the pain; only red flags or the therapist stop it (KNGF 2021)."
        )
    return _(
        "Pain-contingent: a step up only after 2 sessions with pain during exercise of at "
        "most 3/10 and the next morning at baseline; amber (4–5) repeats the dose, red "
        "(pain during or after above 5, or worse the next morning) steps back "
        "(pain-monitoring model, Silbernagel 2007)."
    )


def rule_text(v: Prescription | Mapping[str, Any]) -> str:
    """The progression rule with its parameters, in words (domain.md §4)."""
    if not isinstance(v, Mapping):
        v = {name: getattr(v, name) for name in (*_FIELDS, *_RULE_FIELDS)}
    kind = v.get("rule_kind")
    if kind == "double_progression":
        text = _(
            "Double progression: when every set reaches %(top)s reps at the target effort, "
            "add %(kg)s kg and go back to %(bottom)s reps.",
            top=v.get("reps_max"),
            kg=number(v.get("load_increment_kg")),
            bottom=v.get("reps_min"),
        )
        if v.get("load_increment_pct"):
            text += " " + _(
                "With a kg load: add %(pct)s %% instead, rounded to steps of %(kg)s kg "
                "(at least one step).",
                pct=number(v["load_increment_pct"]),
                kg=number(v.get("load_increment_kg")),
            )
        return text
    if kind == "hold_progression":
        return _(
            "Hold progression: add %(seconds)s s per week up to %(max)s s, then step up "
            "to the harder exercise on the ladder.",
            seconds=v.get("seconds_per_week"),
            max=v.get("max_hold_seconds"),
        )
    if kind == "load_percent_per_week":
        step = v.get("load_increment_kg")
        return _(
            "Add %(pct)s %% load per week, rounded to steps of %(kg)s kg.",
            pct=number(v.get("percent_per_week")),
            kg=number(step) if step else number(Decimal("0.5")),
        )
    if kind == "duration_progression":
        return _(
            "Duration progression: add %(minutes)s min per week up to %(target)s.",
            minutes=v.get("minutes_per_week"),
            target=duration(v.get("target_duration_seconds")),
        )
    if kind == "ladder_step":
        return _(
            "Step up to the harder exercise on the ladder when the top of the dose is "
            "reached; the dose starts again at the bottom of its range."
        )
    return _("No automatic suggestions: the therapist decides when the dose changes.")


_RULE_FIELDS = (
    "mode", "rule_kind", "load_increment_kg", "load_increment_pct", "seconds_per_week",
    "max_hold_seconds", "percent_per_week", "minutes_per_week", "target_duration_seconds",
)  # fmt: skip


# --- schedules -----------------------------------------------------------------------------


def weekday_names(weekdays: str | None) -> list[str]:
    """ISO weekday numbers "1,3,5" as day names in the reader's language."""
    if not weekdays:
        return []
    names = get_day_names("wide", locale=str(get_locale() or "nl"))
    # Babel numbers the days from Monday = 0.
    return [names[int(day) - 1] for day in weekdays.split(",") if day.strip()]


def schedule_text(phase) -> str:
    """How often the phase's sessions come, e.g. "3 sessions per week" or "on Monday…"."""
    if phase.schedule_kind == "weekdays" and phase.weekdays:
        days = weekday_names(phase.weekdays)
        return _("on %(days)s", days=format_list(days, locale=str(get_locale() or "nl")))
    if phase.schedule_kind == "rotation" and phase.rotation:
        return _(
            "%(n)s sessions per week, alternating days %(labels)s",
            n=phase.sessions_per_week or "–",
            labels="/".join(phase.rotation.split(",")),
        )
    return _("%(n)s sessions per week", n=phase.sessions_per_week or "–")


def sessions_per_week(phase) -> int | None:
    """Sessions the phase prescribes per week (for adherence)."""
    if phase.schedule_kind == "weekdays":
        return len([d for d in (phase.weekdays or "").split(",") if d.strip()]) or None
    return phase.sessions_per_week


# --- exit criteria -------------------------------------------------------------------------


def measure_label(key: str | None) -> str:
    if key in MEASURES:
        return str(MEASURES[key].label)
    if key in RATIOS:
        return str(RATIOS[key])
    return {
        "psk": "PSK",
        "psfs": "PSFS",
        "activities": _("the patient-specific activities (PSK or PSFS)"),
        "sport_work": _("the sport or work activity"),
        "mean": _("the mean of the patient-specific activities"),
    }.get(key or "", key or "")


def target_text(comparison: str, target: Any, high: Any = None, unit: str = "") -> str:
    suffix = f" {unit}" if unit else ""
    if comparison == "between":
        return _("between %(low)s and %(high)s", low=number(target), high=number(high)) + suffix
    return f"{_COMPARISON_SIGNS.get(comparison, comparison)} {number(target)}{suffix}"


def criterion_text(c, prescription_name: str | None = None) -> str:
    """A criterion in words, used as its label when the therapist gives none."""
    kind = c.kind
    side = {"each": _("each side"), "left": _("left"), "right": _("right")}.get(c.side or "")
    if kind == "measure":
        measure = MEASURES.get(c.measure)
        unit = str(measure.unit) if measure else ""
        text = (
            f"{measure_label(c.measure)} {target_text(c.comparison, c.target, c.target_high, unit)}"
        )
        return f"{text}, {side}" if side else text
    if kind == "ratio":
        text = f"{measure_label(c.measure)}: {target_text(c.comparison, c.target, c.target_high)}"
        return f"{text}, {side}" if side and c.measure == "side_bridge_extensor_ratio" else text
    if kind == "pain_during_max":
        return _(
            "Pain during exercise %(target)s/10 for %(weeks)s weeks",
            target=target_text(c.comparison, c.target, c.target_high),
            weeks=c.window_weeks,
        )
    if kind == "next_morning_baseline_days":
        return _(
            "Next morning at baseline on %(target)s of the last 7 days",
            target=target_text(c.comparison, c.target, c.target_high),
        )
    if kind == "adherence":
        return _(
            "Adherence %(target)s %% over %(weeks)s weeks",
            target=target_text(
                c.comparison,
                _percent(c.target),
                _percent(c.target_high) if c.target_high is not None else None,
            ),
            weeks=c.window_weeks,
        )
    if kind == "hold_time":
        return _(
            "Hold of %(exercise)s %(target)s",
            exercise=prescription_name or _("the exercise"),
            target=target_text(c.comparison, c.target, c.target_high, "s"),
        )
    if kind == "outcome_change":
        return _(
            "%(measure)s improved by %(target)s points",
            measure=measure_label(c.measure),
            target=target_text(c.comparison, c.target, c.target_high),
        )
    if kind == "activity_score":
        return _(
            "Score of %(subject)s %(target)s/10 (0 = unable … 10 = as before)",
            subject=measure_label(c.measure),
            target=target_text(c.comparison, c.target, c.target_high),
        )
    if kind == "full_load_without_red":
        return _(
            "%(weeks)s weeks at the full planned load without a red response",
            weeks=c.window_weeks,
        )
    if kind in _DATA_CHECK_TEXTS:
        return str(_DATA_CHECK_TEXTS[kind])
    return c.label or ""


_DATA_CHECK_TEXTS = {
    "red_flags_clear": _l("No red flags on the latest analysis"),
    "baselines_recorded": _l("Baselines of NPRS and PSK/PSFS recorded"),
    "lumbar_mobility": _l(
        "Modified Schober or finger-floor distance improved beyond its smallest detectable "
        "change (1.8 cm; 9.8 cm), or Schober normal (5 cm or more)"
    ),
    "single_leg_squat": _l("Single-leg squat good on all five items, each side"),
}


def _percent(fraction: Any) -> Decimal | None:
    if fraction is None:
        return None
    return (Decimal(str(fraction)) * 100).quantize(Decimal("0.1")).normalize()


def actual_text(kind: str, actual: Any, measure: str | None = None) -> str:
    """The value a criterion was judged on, for the programme page."""
    if actual is None:
        return _("no data yet")
    if kind in _ACTUAL_TEXTS:
        return _ACTUAL_TEXTS[kind](actual)
    if isinstance(actual, tuple):
        left, right = actual
        return _(
            "left %(left)s · right %(right)s",
            left=actual_text(kind, left, measure) if left is not None else "–",
            right=actual_text(kind, right, measure) if right is not None else "–",
        )
    if kind == "measure":
        unit = str(MEASURES[measure].unit) if measure in MEASURES else ""
        return f"{number(actual)} {unit}".strip()
    if kind == "ratio" and measure == "side_bridge_asymmetry":
        return f"{number(round(float(actual), 1))} %"
    if kind == "ratio":
        return number(round(float(actual), 2))
    if kind == "pain_during_max":
        return _("highest %(pain)s/10", pain=number(actual))
    if kind == "next_morning_baseline_days":
        return _("%(days)s of the last 7 days", days=actual)
    if kind == "adherence":
        return f"{number(_percent(actual))} %"
    if kind == "hold_time":
        return _("%(seconds)s s", seconds=number(actual))
    if kind == "outcome_change":
        sign = "+" if float(actual) > 0 else ""
        return _("%(points)s points", points=f"{sign}{number(actual)}")
    if kind == "therapist_check":
        return _("ticked") if actual else _("not yet ticked")
    return number(actual)


def _activity(score) -> str:
    """ "PSK 1 (9/10 as before)" or "PSFS 9": a PSK score with what it means on the one scale."""
    name = "PSK" if str(score.instrument) == "psk" else "PSFS"
    if name == "PSFS":
        return f"{name} {number(score.score)}"
    return _("%(name)s %(score)s (%(ability)s/10 as before)", name=name,
             score=number(score.score), ability=number(score.ability))  # fmt: skip


def _red_flags(codes) -> str:
    from rehab.patients.vocabulary import RED_FLAGS

    if not codes:
        return _("none ticked")
    return "; ".join(str(RED_FLAGS.get(code, code)) for code in codes)


def _baselines(baselines) -> str:
    nprs = number(baselines.nprs) if baselines.nprs is not None else "–"
    activities = number(baselines.activities) if baselines.activities is not None else "–"
    return _("NPRS %(nprs)s · activities %(activities)s", nprs=nprs, activities=activities)


def _mobility(m) -> str:
    parts = []
    if m.schober_latest is not None:
        parts.append(_("Schober %(first)s → %(latest)s cm", first=number(m.schober_first),
                       latest=number(m.schober_latest)))  # fmt: skip
    if m.floor_latest is not None:
        parts.append(_("finger-floor %(first)s → %(latest)s cm", first=number(m.floor_first),
                       latest=number(m.floor_latest)))  # fmt: skip
    return " · ".join(parts)


def _squat(good) -> str:
    left, right = good
    return _("good on %(left)s/5 left · %(right)s/5 right", left=left, right=right)


def _full_load(actual) -> str:
    full, required, reds = actual
    return _("%(full)s of %(required)s weeks at full load · %(reds)s red", full=full,
             required=required, reds=reds)  # fmt: skip


_ACTUAL_TEXTS = {
    "activity_score": _activity,
    "red_flags_clear": _red_flags,
    "baselines_recorded": _baselines,
    "lumbar_mobility": _mobility,
    "single_leg_squat": _squat,
    "full_load_without_red": _full_load,
}


def criterion_note_text(note) -> str:
    """What a criterion's result needs to say besides its value (a Reason), in words."""
    values = note.values
    if note.code == "window_not_covered":
        return _(
            "Not yet judged: the phase has run %(weeks)s of the %(required)s weeks this needs.",
            weeks=values.get("weeks"),
            required=values.get("required"),
        )
    if note.code == "age_first_episode":
        return _(
            "Age %(age)s at a first episode is a suggested red flag the therapist did not tick.",
            age=values.get("age"),
        )
    if note.code == "baselines_missing":
        names = {"nprs": "NPRS", "activities": "PSK/PSFS"}
        missing = ", ".join(names.get(name, name) for name in values.get("missing", []))
        return _("Not recorded yet: %(missing)s.", missing=missing)
    if note.code == "schober_normal":
        return _("Schober %(cm)s cm is normal (5 cm or more).", cm=number(values.get("cm")))
    if note.code == "improved_beyond_sdc":
        return _(
            "%(measure)s improved beyond its smallest detectable change.",
            measure=measure_label(values.get("measure")),
        )
    return note.code
