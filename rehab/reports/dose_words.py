"""Doses and progression rules in plain words for the patient, in the current locale.

Call inside ``flask_babel.force_locale(language)`` (the services do) to get the patient's
language. Numbers are formatted for the locale (12,5 kg in Dutch).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rehab.core.i18n import format_decimal, gettext, ngettext


@dataclass(frozen=True)
class DoseFacts:
    """The parts of a dose that are printed (from a Prescription or an exercise's default)."""

    sets: int
    dosage_type: str
    reps_min: int | None = None
    reps_max: int | None = None
    hold_seconds: int | None = None
    duration_seconds: int | None = None
    distance_m: int | None = None
    load_kind: str = "bodyweight"
    load_kg: Decimal | None = None
    band: str | None = None
    effort_kind: str = "rpe"
    target_effort: Decimal | float | None = None
    rest_seconds: int | None = None
    tempo: str | None = None
    days_per_week: int | None = None
    sides: str = "both"


def prescription_facts(prescription) -> DoseFacts:
    p = prescription
    return DoseFacts(
        sets=p.sets,
        dosage_type=p.dosage_type,
        reps_min=p.reps_min,
        reps_max=p.reps_max,
        hold_seconds=p.hold_seconds,
        duration_seconds=p.duration_seconds,
        distance_m=p.distance_m,
        load_kind=p.load_kind,
        load_kg=p.load_kg,
        # A template's band colour in the reader's language (call inside force_locale).
        band=p.shown("band_colour") if hasattr(p, "shown") else p.band_colour,
        effort_kind=p.effort_kind,
        target_effort=p.target_effort,
        rest_seconds=p.rest_seconds,
        tempo=p.tempo,
        days_per_week=p.days_per_week,
        sides=p.sides,
    )


def exercise_facts(exercise) -> DoseFacts:
    """An exercise's default dose from the library."""
    return DoseFacts(
        sets=exercise.sets,
        dosage_type=exercise.dosage_type,
        reps_min=exercise.reps,
        reps_max=exercise.reps,
        hold_seconds=exercise.hold_seconds,
        duration_seconds=exercise.duration_seconds,
        distance_m=exercise.distance_m,
        rest_seconds=exercise.rest_seconds,
        tempo=exercise.tempo,
        sides="each" if exercise.unilateral else "both",
    )


def number(value) -> str:
    """12 → "12", Decimal("12.50") → "12,5" (nl) / "12.5" (en)."""
    if isinstance(value, Decimal):
        value = value.normalize()
    return format_decimal(value)


def duration(seconds: int) -> str:
    """45 → "45 seconds", 300 → "5 minutes", 150 → "2 min 30 s"."""
    if seconds % 60 == 0:
        return ngettext("%(num)s minute", "%(num)s minutes", seconds // 60)
    if seconds < 120:
        return ngettext("%(num)s second", "%(num)s seconds", seconds)
    return gettext("%(min)s min %(sec)s s", min=seconds // 60, sec=seconds % 60)


def distance(metres: int) -> str:
    if metres >= 1000 and metres % 100 == 0:
        return gettext("%(km)s km", km=number(Decimal(metres) / 1000))
    return gettext("%(m)s m", m=metres)


def _count(low: int | None, high: int | None) -> tuple[str, int] | None:
    """ "8–12" or "10", with the number that decides singular or plural."""
    if low is None and high is None:
        return None
    low, high = low or high, high or low
    return (f"{low}–{high}" if low != high else str(low)), high


def _amount(facts: DoseFacts) -> str:
    """What one set is: "8–12 repetitions", "5 holds of 10 seconds", "5 minutes", "400 m"."""
    count = _count(facts.reps_min, facts.reps_max)
    if facts.dosage_type == "hold" and facts.hold_seconds:
        hold = duration(facts.hold_seconds)
        if count is None:
            return gettext("a hold of %(time)s", time=hold)
        text, n = count
        return ngettext(
            "%(count)s hold of %(time)s", "%(count)s holds of %(time)s", n, count=text, time=hold
        )
    if facts.dosage_type == "time" and facts.duration_seconds:
        return duration(facts.duration_seconds)
    if facts.dosage_type == "distance" and facts.distance_m:
        return distance(facts.distance_m)
    if count is None:
        return ""
    text, n = count
    return ngettext("%(count)s repetition", "%(count)s repetitions", n, count=text)


def _sides(sides: str) -> str | None:
    return {
        "each": gettext("each side"),
        "left": gettext("left side only"),
        "right": gettext("right side only"),
    }.get(sides)


def _load(facts: DoseFacts) -> str | None:
    if facts.load_kind == "kg" and facts.load_kg is not None:
        return gettext("with %(kg)s kg", kg=number(facts.load_kg))
    if facts.load_kind == "band" and facts.band:
        return gettext("with the %(band)s band", band=facts.band)
    return None


def _effort(facts: DoseFacts) -> str | None:
    if facts.target_effort is None:
        return None
    effort = number(Decimal(str(facts.target_effort)))
    if facts.effort_kind == "rir":
        return gettext("stop when you could still do %(n)s more", n=effort)
    return gettext("effort about %(n)s out of 10", n=effort)


def dose_words(facts: DoseFacts) -> str:
    """The whole dose in one line, e.g. "3 sets of 8–12 repetitions, each side · with 10 kg ·
    effort about 7 out of 10 · rest 1 minute between sets · 3 days a week"."""
    amount = _amount(facts)
    head = (
        ngettext(
            "%(num)s set of %(amount)s", "%(num)s sets of %(amount)s", facts.sets, amount=amount
        )
        if amount
        else ngettext("%(num)s set", "%(num)s sets", facts.sets)
    )
    sides = _sides(facts.sides)
    if sides:
        head = f"{head}, {sides}"
    parts = [head, _load(facts), _effort(facts)]
    if facts.tempo:
        parts.append(gettext("tempo %(tempo)s", tempo=facts.tempo))
    if facts.rest_seconds:
        parts.append(gettext("rest %(time)s between sets", time=duration(facts.rest_seconds)))
    if facts.days_per_week:
        parts.append(ngettext("%(num)s day a week", "%(num)s days a week", facts.days_per_week))
    return " · ".join(part for part in parts if part)


def short_dose(facts: DoseFacts) -> str:
    """The dose without the extras, for the log sheet: "3 × 8–12", "3 × 5 × 10 s"."""
    count = _count(facts.reps_min, facts.reps_max)
    if facts.dosage_type == "hold" and facts.hold_seconds:
        seconds = gettext("%(n)s s", n=facts.hold_seconds)
        what = f"{count[0]} × {seconds}" if count else seconds
    elif facts.dosage_type == "time" and facts.duration_seconds:
        what = duration(facts.duration_seconds)
    elif facts.dosage_type == "distance" and facts.distance_m:
        what = distance(facts.distance_m)
    else:
        what = count[0] if count else ""
    return f"{facts.sets} × {what}" if what else str(facts.sets)


def progression_cue(
    prescription,
    *,
    next_exercise: str | None,
    pain_safe_max: int,
) -> str:
    """What happens next with this exercise and when, from the prescription's rule."""
    p = prescription
    if p.paused:
        return gettext("Keep this dose for now: your therapist has paused the step-up.")
    rule = p.rule_kind
    if rule == "double_progression" and p.reps_max:
        if p.load_increment_kg:
            cue = gettext(
                "When all sets reach %(top)s repetitions for 2 sessions in a row, the weight "
                "goes up by %(step)s kg and you start again at %(bottom)s repetitions.",
                top=p.reps_max,
                step=number(p.load_increment_kg),
                bottom=p.reps_min or p.reps_max,
            )
        else:
            cue = gettext(
                "When all sets reach %(top)s repetitions for 2 sessions in a row, the weight "
                "goes up and you start again at %(bottom)s repetitions.",
                top=p.reps_max,
                bottom=p.reps_min or p.reps_max,
            )
    elif rule == "hold_progression" and p.seconds_per_week:
        if p.max_hold_seconds:
            cue = gettext(
                "Each week the hold gets %(sec)s seconds longer, up to %(max)s seconds; after "
                "that you move on to a harder version.",
                sec=p.seconds_per_week,
                max=p.max_hold_seconds,
            )
        else:
            cue = gettext("Each week the hold gets %(sec)s seconds longer.", sec=p.seconds_per_week)
    elif rule == "load_percent_per_week" and p.percent_per_week:
        cue = gettext(
            "Each week the weight goes up by about %(pct)s %%.", pct=number(p.percent_per_week)
        )
    elif rule == "ladder_step":
        cue = gettext("When the top of the dose goes well, you move on to a harder version.")
    elif rule == "duration_progression" and p.minutes_per_week and p.target_duration_seconds:
        cue = gettext(
            "Each week this gets %(minutes)s minutes longer, up to %(target)s minutes.",
            minutes=p.minutes_per_week,
            target=p.target_duration_seconds // 60,
        )
    else:
        return gettext("Your therapist decides with you when this exercise gets harder.")
    if next_exercise and rule in ("hold_progression", "ladder_step"):
        step = gettext("Next step: %(name)s.", name=next_exercise)
        cue = f"{cue} {step}"
    if p.mode == "time_contingent":
        return f"{cue} " + gettext(
            "This exercise builds up on a fixed schedule, even if you still feel some pain: "
            "that is part of the plan."
        )
    return f"{cue} " + gettext(
        "Only step up when the pain during the exercise stays at %(max)s out of 10 or lower "
        "and has settled by the next morning.",
        max=pain_safe_max,
    )
