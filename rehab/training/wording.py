"""Doses, reasons and alerts in words, in the reader's language.

The calculations return codes with numbers (rehab.progress.reasons.Reason); this module
turns them into sentences such as "pain during exercise 6/10 is above 5".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rehab.core.i18n import format_date, format_decimal, lazy_pgettext, ngettext
from rehab.core.i18n import gettext as _
from rehab.core.i18n import lazy_gettext as _l
from rehab.progress.reasons import Reason

_DATE_KEYS = {"day", "since", "week_start", "reference_week_start", "last"}


def number(value: Any, places: int = 1) -> str:
    """A number as people write it: 12, 12.5 (12,5 in Dutch); None → "–"."""
    if value is None:
        return "–"
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            return value
    return format_decimal(value, format="#,##0." + "#" * max(places, 0))


def percent(fraction: Any) -> str:
    """A fraction as a whole percentage: 0.667 → "67 %"; None → "–"."""
    if fraction is None:
        return "–"
    return f"{format_decimal(round(float(fraction) * 100), format='#,##0')} %"


def signed_percent(pct: Any) -> str:
    """A change in %: "+12 %", "−5 %"; None → "–"."""
    if pct is None:
        return "–"
    sign = "+" if pct > 0 else ("−" if pct < 0 else "")
    return f"{sign}{format_decimal(abs(round(float(pct))), format='#,##0')} %"


def _day(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value, "d MMM yyyy") if isinstance(value, dt.date) else "–"


def jsonable(value: Any) -> Any:
    """Reason values as JSON: dates as ISO text, Decimals as plain text, enums as text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def reasons_json(reasons) -> list[dict]:
    return [{"code": r.code, "values": jsonable(dict(r.values))} for r in reasons]


# --- doses --------------------------------------------------------------------------------------


def duration_text(seconds: Any) -> str:
    if seconds is None:
        return "–"
    seconds = int(seconds)
    if seconds >= 120 and seconds % 60 == 0:
        return _("%(n)s min", n=seconds // 60)
    if seconds >= 120:
        return _("%(m)s min %(s)s s", m=seconds // 60, s=seconds % 60)
    return _("%(n)s s", n=seconds)


def distance_text(metres: Any) -> str:
    if metres is None:
        return "–"
    if int(metres) >= 1000:
        return _("%(n)s km", n=number(Decimal(int(metres)) / 1000))
    return _("%(n)s m", n=number(metres))


def logged_text(log) -> str:
    """What a patient logged of one exercise, in words."""
    if log.skipped:
        return _("skipped")
    parts = []
    if log.sets_done is not None:
        if log.hold_seconds_done is not None:
            parts.append(
                _(
                    "%(sets)s × %(reps)s holds of %(seconds)s s",
                    sets=log.sets_done,
                    reps=number(log.reps_done),
                    seconds=log.hold_seconds_done,
                )
            )
        elif log.reps_done is not None:
            parts.append(_("%(sets)s × %(reps)s reps", sets=log.sets_done, reps=log.reps_done))
        else:
            parts.append(ngettext("%(num)s set", "%(num)s sets", log.sets_done))
    if log.duration_seconds_done is not None:
        parts.append(duration_text(log.duration_seconds_done))
    if log.distance_m_done is not None:
        parts.append(distance_text(log.distance_m_done))
    if log.load_kg is not None:
        parts.append(_("%(kg)s kg", kg=number(log.load_kg)))
    if log.pain_during is not None:
        parts.append(_("pain %(n)s/10", n=log.pain_during))
    if log.effort is not None:
        parts.append(_("effort %(n)s", n=number(log.effort)))
    return " · ".join(parts) or "–"


# --- reasons ------------------------------------------------------------------------------------

# A cut dose names what was cut as the start of its sentence, with its unit where it has one.
DOSE_CUTS = {
    "load_kg": _l("Weight from %(from)s to %(to)s kg (−%(pct)s %%)."),
    "reps_max": _l("Repetitions from %(from)s to %(to)s (−%(pct)s %%)."),
    "sets": _l("Sets from %(from)s to %(to)s (−%(pct)s %%)."),
    "hold_seconds": _l("Hold from %(from)s to %(to)s seconds (−%(pct)s %%)."),
    # Durations read as minutes ("10 min", "8 min 30 s"), never as "600 seconds".
    "duration_seconds": _l("Duration from %(from)s to %(to)s (−%(pct)s %%)."),
    "distance_m": _l("Distance from %(from)s to %(to)s m (−%(pct)s %%)."),
}


def _dose_cut(values: Mapping, shown: Mapping[str, str]) -> str:
    message = DOSE_CUTS.get(values.get("field"))
    if values.get("field") == "duration_seconds":
        shown = {**shown, "from": duration_text(values.get("from")),
                 "to": duration_text(values.get("to"))}  # fmt: skip
    if message is None:  # a field this version does not know: its name, as stored
        return _("%(field)s from %(from)s to %(to)s (−%(pct)s %%).", **shown)
    return str(message) % shown


def _dose_changed(values: Mapping, shown: Mapping[str, str]) -> str:
    """ "Today", "1 day", "5 days": a count needs its plural, so this message is a function."""
    days, required = int(values.get("days") or 0), shown.get("required", "")
    if days <= 0:
        return _("The dose changed today; the rule waits %(required)s days.", required=required)
    return ngettext(
        "The dose changed %(num)s day ago; the rule waits %(required)s days.",
        "The dose changed %(num)s days ago; the rule waits %(required)s days.",
        days,
        required=required,
    )


def _dose_minutes(values: Mapping, shown: Mapping[str, str]) -> str:
    """ "Duration from 20 to 25 minutes": the seconds are stored, minutes read better."""
    return _(
        "Duration from %(from)s to %(to)s.",
        **{
            "from": duration_text(values.get("from_seconds")),
            "to": duration_text(values.get("to_seconds")),
        },
    )


def _duration_not_reached(values: Mapping, shown: Mapping[str, str]) -> str:
    """ "8 min of 10 min on 6 Nov": minutes where the duration is long enough for them."""
    return _(
        "%(done)s of %(target)s on %(day)s.",
        done=duration_text(values.get("done")),
        target=duration_text(values.get("target")),
        day=shown.get("day", ""),
    )


# Named placeholders only; "%%" is a literal percent sign. A message with a count that needs a
# plural is a function of the values instead. Lazy strings: describe() translates the one
# message it needs (a dashboard describes a hundred reasons; building every message for each
# of them cost more than the rest of the page).
MESSAGES = {
    "red_flag_open": _l("A red flag is open: nothing changes until it is cleared."),
    "therapist_paused": _l("Progression is paused by the therapist."),
    "therapist_decides": _l("The rule leaves progression to the therapist."),
    "too_soon": _dose_changed,
    "no_recent_session": _l("No session in the last %(days)s days."),
    "on_schedule": _l("On schedule: %(days)s days at this dose (time-contingent)."),
    "no_sessions": _l("No sessions logged at this dose since %(since)s."),
    "pain_unknown": _l("The pain response is not known yet."),
    "pain_during_missing": _l("Pain during the exercise was not entered."),
    "next_morning_missing": _l("No check-in the next morning."),
    "baseline_missing": _l("Fewer than 7 morning check-ins: no baseline yet."),
    "pain_during_high": _l("Pain during exercise %(pain)s/10 is above %(limit)s."),
    "pain_after_high": _l("Pain after the session %(pain)s/10 is above %(limit)s."),
    "next_morning_above_baseline": _l(
        "Pain the next morning %(pain)s/10 is above the baseline of %(baseline)s."
    ),
    "weekly_trend_rising": _l("Morning pain rose two weeks running."),
    "pain_during_acceptable": _l(
        "Pain during exercise %(pain)s/10 is above the safe %(safe_max)s but within "
        "%(amber_max)s: repeat the dose."
    ),
    "pain_green": _l(
        "Pain during exercise %(pain)s/10 (safe up to %(safe_max)s) and the next "
        "morning at baseline."
    ),
    "not_enough_sessions": _l("%(green)s of %(required)s green sessions in a row."),
    "sets_not_reached": _l("%(sets)s of %(target)s sets on %(day)s."),
    "reps_not_reached": _l("%(reps)s of %(target)s reps on %(day)s."),
    "hold_not_reached": _l("Holds of %(done)s s of %(target)s s on %(day)s."),
    "duration_not_reached": _duration_not_reached,
    "distance_not_reached": _l("%(done)s m of %(target)s m on %(day)s."),
    "load_not_used": _l("%(load_kg)s kg of %(target_kg)s kg on %(day)s."),
    "effort_missing": _l("Effort was not entered on %(day)s."),
    "effort_above_target": _l("Effort %(effort)s missed the target of %(target)s on %(day)s."),
    "green_sessions": _l("%(green)s green sessions in a row."),
    "load_increased": _l("Weight from %(from_kg)s to %(to_kg)s kg, back to %(start_reps)s reps."),
    "hold_increased": _l("Hold from %(from_seconds)s to %(to_seconds)s seconds."),
    "duration_increased": _dose_minutes,
    "duration_at_target": _l("The target duration is reached: the dose stays."),
    "logged_late": _l("Logged late, for %(day)s, after the dose had changed."),
    "step_up": _l("Step up to %(exercise)s, starting at the bottom of the range."),
    "top_of_ladder": _l("Top of the ladder: there is no harder exercise."),
    "step_down": _l("Step down to %(exercise)s."),
    "dose_cut": _dose_cut,
    "dose_at_minimum": _l("The dose is already at its minimum."),
    "no_external_load": _l("There is no external weight to raise."),
    "week_on_week_caution": _l(
        "Weekly load %(load)s AU is %(change_pct)s %% above the week before "
        "(%(reference_load)s AU; caution above %(limit_pct)s %%)."
    ),
    "two_week_alert": _l(
        "Weekly load %(load)s AU is %(change_pct)s %% above two weeks earlier "
        "(%(reference_load)s AU; alert above %(limit_pct)s %%)."
    ),
    "session_spike": _l(
        "Session load %(load)s AU on %(day)s is %(change_pct)s %% above the largest "
        "of the previous 30 days (%(max_previous)s AU)."
    ),
    "morning_stiffness_long": _l(
        "Morning stiffness of %(minutes)s minutes on %(day)s (review above %(limit)s)."
    ),
    "acwr_high": _l(
        "Acute:chronic load ratio %(ratio)s on %(day)s, at or above %(limit)s "
        "(a contested measure)."
    ),
    "sleep_worse": _l(
        "Sleep worse in the week of %(week_start)s: score %(score)s against "
        "%(previous_score)s the week before (0 = good, 2 = poor)."
    ),
    "morning_pain_rising": _l(
        "Mean morning pain rose two weeks running: %(first)s → %(second)s → %(third)s."
    ),
    "no_logs": _l("Nothing logged since %(last)s (%(days)s days)."),
    "warning_leg_pain_spreading": _l("Pain spreading into a leg on %(day)s."),
    "warning_numbness": _l("Numbness or tingling (leg, foot or saddle area) on %(day)s."),
    "warning_bladder_bowel": _l("Changes in bladder or bowel function on %(day)s."),
}


def describe(reason: Reason | Mapping, exercise_names: Mapping[int, str] | None = None) -> str:
    """One reason in words; an unknown code is shown as its code rather than hidden."""
    if isinstance(reason, Reason):
        code, values = reason.code, dict(reason.values)
    else:
        code, values = reason.get("code", ""), dict(reason.get("values") or {})
    message = MESSAGES.get(code)
    if message is None:
        return code
    shown: dict[str, str] = {}
    for key, value in values.items():
        if key in _DATE_KEYS:
            shown[key] = _day(value)
        elif key == "exercise_id":
            shown["exercise"] = (exercise_names or {}).get(value) or f"#{value}"
        elif key in ("field", "kind"):
            shown[key] = str(value)
        else:
            shown[key] = number(value) if not isinstance(value, bool) else str(value)
    if callable(message):
        try:
            return message(values, shown)
        except (KeyError, TypeError, ValueError):  # stored values this message cannot show
            return code
    template = str(message)
    try:
        return template % shown
    except (KeyError, TypeError, ValueError):
        return template.split("%(")[0].strip() or code


ALERT_TITLES = {
    "pain_red": _l("Red pain response"),
    "week_on_week_caution": _l("Weekly load up on the week before"),
    "two_week_alert": _l("Weekly load up over two weeks"),
    "session_spike": _l("Session load spike"),
    "acwr_high": _l("High acute:chronic ratio"),
    "morning_stiffness": _l("Long morning stiffness"),
    "sleep_worse": _l("Sleep worse"),
    "pain_rising": _l("Morning pain rising"),
    "no_logs": _l("Nothing logged"),
    "warning_signs": _l("Warning signs in the check-in"),
}

SEVERITY_WORDS = {"alert": _l("Alert"), "caution": _l("Caution"), "review": _l("For review")}

# The three decisions; "progress" and "hold" also mean other things (the course of a
# patient, holding a position), hence the context (docs/glossary.md).
ACTION_WORDS = {
    "progress": lazy_pgettext("decision", "Progress"),
    "hold": lazy_pgettext("decision", "Hold"),
    "regress": lazy_pgettext("decision", "Regress"),
}

LIGHT_BADGES = {
    "green": "badge-green",
    "amber": "badge-amber",
    "red": "badge-red",
    "unknown": "text-bg-light border",
}

MODE_WORDS = {
    "pain_contingent": _l("pain-contingent"),
    "time_contingent": _l("time-contingent"),
}

LIGHT_WORDS = {
    "green": _l("green"),
    "amber": _l("amber"),
    "red": _l("red"),
    "unknown": _l("not known yet"),
}
