"""What an access-log entry says about itself, stored as a code with values and put into
words when the log is read, in the reader's language.

A call site writes ``summary=Summary.of("patient_discharged", on=day)``; the entry keeps
``summary_code`` and ``summary_values`` (JSON). ``describe(entry)`` words it at view time.
Values someone typed (an address on a failed log-in, a therapist's note, a programme title)
stay values: they are never part of a msgid and the page escapes them like any other text.

Entries written before migration ``audit_summary_codes`` keep their English sentence in
``summary`` (the log is append-only: they are shown as written).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from flask_babel import format_datetime

from rehab.core.i18n import current_locale, format_date, pgettext
from rehab.core.i18n import gettext as _

VALUE_LIMIT = 500  # characters of one stored text value (the old summary column's cut)


def _stored(value: Any) -> Any:
    """A value as JSON keeps it: dates as ISO text, numbers as numbers, long text cut."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str):
        return value[:VALUE_LIMIT]
    if isinstance(value, Mapping):
        return {str(k): _stored(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_stored(v) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)[:VALUE_LIMIT]


@dataclass(frozen=True)
class Summary:
    """A code of ``WORDINGS`` with the values its words need."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, **values: Any) -> Summary:
        if code not in WORDINGS:
            raise KeyError(f"no wording for audit summary code {code!r}")
        return cls(code, {k: _stored(v) for k, v in values.items() if v is not None})


# --- values in words ------------------------------------------------------------------------


def _day(value: Any) -> str:
    try:
        return format_date(dt.date.fromisoformat(str(value)), "d MMM yyyy")
    except ValueError:
        return str(value)


def _moment(value: Any) -> str:
    try:
        return format_datetime(dt.datetime.fromisoformat(str(value)), "d MMM yyyy HH:mm")
    except ValueError:
        return str(value)


def _listed(values: Any) -> str:
    return ", ".join(str(v) for v in values or ()) or "–"


def _language(code: Any) -> str:
    """ "nl" → "Nederlands" for a Dutch reader, "Dutch" for an English one."""
    try:
        return Locale.parse(str(code)).get_display_name(current_locale() or "nl") or str(code)
    except (ValueError, UnknownLocaleError):
        return str(code)


def _labelled(labels: Mapping[str, Callable[[], str]], value: Any) -> str:
    word = labels.get(str(value))
    return word() if word else str(value)


_LINK_PURPOSES = {
    "activation": lambda: _("account activation"),
    "reset": lambda: _("new password"),
    "email_change": lambda: _("e-mail change"),
}
_ROLES = {
    "admin": lambda: _("clinic administrator"),
    "therapist": lambda: _("therapist"),
    "patient": lambda: _("patient"),
}
_DIRECTIONS = {"up": lambda: _("up"), "down": lambda: _("down")}
_SUGGESTION_ACTIONS = {
    "progress": lambda: pgettext("decision", "progress"),
    "hold": lambda: pgettext("decision", "hold"),
    "regress": lambda: pgettext("decision", "regress"),
}
_SECOND_FACTORS = {"totp": lambda: _("authenticator app"), "recovery": lambda: _("recovery code")}
_REMINDER_KINDS = {"exercise": lambda: _("exercise"), "appointment": lambda: _("appointment")}


_DECISIONS = {"accepted": lambda: _("accepted"), "dismissed": lambda: _("dismissed")}


def _listed_label(labels: Mapping[str, Any], value: Any) -> str:
    """A value through another area's labels (lazy strings), the value itself when unknown."""
    label = labels.get(str(value))
    return str(label) if label is not None else str(value)


def _appointment_kind(value: Any) -> str:
    from rehab.reminders.forms import APPOINTMENT_KIND_LABELS

    return _listed_label(APPOINTMENT_KIND_LABELS, value)


def _analysis_kind(value: Any) -> str:
    from rehab.patients.vocabulary import ANALYSIS_KINDS

    return _listed_label(ANALYSIS_KINDS, value)


def _alert_kind(value: Any) -> str:
    from rehab.training.wording import ALERT_TITLES

    return _listed_label(ALERT_TITLES, value)


def _with_note(sentence: str, v: Mapping) -> str:
    note = v.get("note")
    return _("%(sentence)s: %(note)s", sentence=sentence, note=note) if note else sentence


def _failed_login(v: Mapping) -> str:
    parts = [str(v.get("address", ""))]
    if v.get("locked_seconds"):
        parts.append(_("locked for %(seconds)s s", seconds=v["locked_seconds"]))
    if v.get("account_locked"):
        parts.append(_("account locked"))
    if v.get("step"):
        parts.append(str(v["step"]))
    return " · ".join(parts)


def _session(v: Mapping) -> dict[str, Any]:
    return {
        "day": _day(v.get("day")),
        "minutes": v.get("minutes"),
        "rpe": v.get("rpe"),
        "done": v.get("done"),
        "skipped": v.get("skipped"),
    }


def _check_in(v: Mapping) -> str:
    sentence = _(
        "%(day)s: pain %(pain)s, stiffness %(minutes)s min, sleep %(sleep)s",
        day=_day(v.get("day")),
        pain=v.get("pain"),
        minutes=v.get("stiffness_minutes"),
        sleep=v.get("sleep"),
    )
    return ", ".join([sentence, *v.get("warning_signs", [])])


def _appointment_added(v: Mapping) -> str:
    words = {
        "kind": _appointment_kind(v.get("kind")),
        "when": _moment(v.get("starts_at")),
        "minutes": v.get("minutes"),
    }
    if v.get("remind"):
        return _("%(kind)s at %(when)s (%(minutes)s min), reminder on", **words)
    return _("%(kind)s at %(when)s (%(minutes)s min), reminder off", **words)


def _settings(pairs: Mapping) -> str:
    return ", ".join(f"{name}: {value}" for name, value in sorted(pairs.items()))


# Every code a call site may write, with its words. Codes are stored: never rename one, add
# a new one instead (tests/audit/test_summaries.py checks the call sites against this list).
WORDINGS: dict[str, Callable[[Mapping], str]] = {
    # accounts and log-ins
    "login_failed": _failed_login,
    "login_second_factor": lambda v: _(
        "second factor: %(method)s", method=_labelled(_SECOND_FACTORS, v.get("method"))
    ),
    "recovery_code_used": lambda v: _("recovery code used (%(left)s left)", left=v.get("left")),
    "password_changed": lambda v: _("password changed"),
    "password_set_by_link": lambda v: _(
        "password set via %(purpose)s link", purpose=_labelled(_LINK_PURPOSES, v.get("purpose"))
    ),
    "account_created": lambda v: _(
        "%(role)s account created", role=_labelled(_ROLES, v.get("role"))
    ),
    "account_enabled": lambda v: _("account enabled"),
    "account_disabled": lambda v: _("account disabled"),
    "reauthenticated": lambda v: _("re-authenticated"),
    "login_session_ended": lambda v: _("login session ended from the account page"),
    "other_sessions_ended": lambda v: _(
        "logged out other sessions (%(count)s)", count=v.get("count")
    ),
    "email_changed": lambda v: _("e-mail address changed from %(old)s", old=v.get("old")),
    "two_factor_enabled": lambda v: _("two-step verification switched on"),
    "recovery_codes_replaced": lambda v: _("recovery codes replaced"),
    "two_factor_reset_by_admin": lambda v: _("two-step verification reset by an administrator"),
    "two_factor_switched_off": lambda v: _("two-step verification switched off"),
    "clinic_settings_changed": lambda v: _(
        "settings changed: %(changes)s",
        changes="; ".join(f"{name}: {old} → {new}" for name, old, new in v.get("changes", [])),
    ),
    "password_link_unknown": lambda v: _(
        "password link asked for %(address)s: none sent (unknown or disabled)",
        address=v.get("address"),
    ),
    "password_link_too_soon": lambda v: _("password link asked again within 2 minutes: none sent"),
    "link_sent_on_request": lambda v: _(
        "%(purpose)s link sent by e-mail on request",
        purpose=_labelled(_LINK_PURPOSES, v.get("purpose")),
    ),
    "link_sent": lambda v: _(
        "%(purpose)s link sent by e-mail", purpose=_labelled(_LINK_PURPOSES, v.get("purpose"))
    ),
    "email_change_asked": lambda v: _(
        "e-mail change to %(address)s asked; confirmation link sent", address=v.get("address")
    ),
    "api_token_created": lambda v: _("API token created"),
    "api_token_revoked": lambda v: _("API token revoked"),
    "read_through_api": lambda v: _("read through the API"),
    # the access log itself
    "audit_log_exported": lambda v: _(
        "access log exported as CSV (%(count)s entries; filters: %(filters)s)",
        count=v.get("count"),
        filters=_listed(v.get("filters")) if v.get("filters") else _("none"),
    ),
    # patient records
    "account_link_issued": lambda v: _("new account link issued"),
    "patient_changed": lambda v: _("changed: %(fields)s", fields=_listed(v.get("fields"))),
    "patient_discharged": lambda v: _("discharged on %(day)s", day=_day(v.get("on"))),
    "patient_reopened": lambda v: _(
        "re-opened (discharged on %(day)s)",
        day=_day(v["discharged_on"]) if v.get("discharged_on") else "?",
    ),
    "patient_transferred": lambda v: _(
        "transferred from therapist %(before)s to %(after)s",
        before=v.get("from_therapist"),
        after=v.get("to_therapist"),
    ),
    "analysis_recorded": lambda v: _(
        "%(kind)s of %(day)s", kind=_analysis_kind(v.get("kind")), day=_day(v.get("recorded_on"))
    ),
    "analysis_changed": lambda v: _("changed: %(fields)s", fields=_listed(v.get("fields"))),
    "email_send_again": lambda v: _("send again"),
    # privacy
    "record_exported": lambda v: _("complete record exported (GDPR access request)"),
    "destruction_requested": lambda v: _(
        "destruction requested: %(reason)s", reason=v.get("reason")
    ),
    "destruction_cancelled": lambda v: _("destruction request cancelled"),
    "record_destroyed": lambda v: _(
        "record destroyed on request (WGBO art. 7:455); rows: %(rows)s",
        rows=", ".join(f"{name} {count}" for name, count in sorted(v.get("rows", {}).items())),
    ),
    # exercises
    "exercise_created": lambda v: _("created"),
    "exercise_changed": lambda v: _("changed: %(fields)s", fields=_listed(v.get("fields"))),
    "exercise_builtin_copied": lambda v: _(
        "clinic copy of built-in %(slug)s; changed: %(fields)s",
        slug=v.get("slug"),
        fields=_listed(v.get("fields")),
    ),
    "exercise_archived": lambda v: _("archived"),
    "exercise_unarchived": lambda v: _("brought back from the archive"),
    "exercise_builtin_archived": lambda v: _(
        "archived clinic copy of built-in %(slug)s", slug=v.get("slug")
    ),
    # programmes and templates
    "programme_created": lambda v: _("programme created (%(source)s)", source=v.get("source")),
    "programme_details_changed": lambda v: _("title and description changed"),
    "phase_added": lambda v: _("phase %(n)s added", n=v.get("position")),
    "phase_changed": lambda v: _("phase %(n)s changed", n=v.get("position")),
    "phase_deleted": lambda v: _("phase %(n)s deleted", n=v.get("position")),
    "phase_moved": lambda v: _(
        "phase moved %(direction)s", direction=_labelled(_DIRECTIONS, v.get("direction"))
    ),
    "criterion_added": lambda v: _("exit criterion added: %(label)s", label=v.get("label")),
    "criterion_changed": lambda v: _("exit criterion changed: %(label)s", label=v.get("label")),
    "criterion_deleted": lambda v: _("exit criterion deleted: %(label)s", label=v.get("label")),
    "criterion_ticked": lambda v: _("exit criterion ticked: %(label)s", label=v.get("label")),
    "criterion_unticked": lambda v: _("exit criterion unticked: %(label)s", label=v.get("label")),
    "exercise_prescribed": lambda v: _("exercise %(id)s prescribed", id=v.get("exercise_id")),
    "dose_changed": lambda v: _(
        "dose changed to version %(version)s: %(reason)s",
        version=v.get("version"),
        reason=v.get("reason"),
    ),
    "prescription_moved": lambda v: _(
        "exercise moved %(direction)s", direction=_labelled(_DIRECTIONS, v.get("direction"))
    ),
    "prescription_archived": lambda v: _("exercise removed (archived: sessions were logged)"),
    "prescription_removed": lambda v: _("exercise removed"),
    "programme_activated": lambda v: _("programme activated"),
    "programme_completed": lambda v: _("programme completed"),
    "programme_completed_by_activation": lambda v: _("programme completed (another was activated)"),
    "phase_advanced": lambda v: _(
        "phase advanced to %(n)s: %(note)s", n=v.get("position"), note=v.get("note")
    ),
    "phase_stepped_back": lambda v: _(
        "phase stepped back to %(n)s: %(note)s", n=v.get("position"), note=v.get("note")
    ),
    "deleted": lambda v: _("deleted: %(title)s", title=v.get("title")),
    "template_saved": lambda v: _(
        "template saved from programme %(id)s: %(title)s",
        id=v.get("programme_id"),
        title=v.get("title"),
    ),
    "template_renamed": lambda v: _("template renamed: %(title)s", title=v.get("title")),
    # reminders and appointments
    "reminder_settings_changed": lambda v: _settings(v.get("settings", {})),
    "reminders_paused": lambda v: _(
        "exercise reminders paused until %(day)s", day=_day(v.get("until"))
    ),
    "reminders_resumed": lambda v: _("resumed"),
    "appointment_added": _appointment_added,
    "appointment_cancelled": lambda v: _(
        "%(kind)s at %(when)s",
        kind=_appointment_kind(v.get("kind")),
        when=_moment(v.get("starts_at")),
    ),
    "calendar_link_made": lambda v: _("calendar link made"),
    "calendar_link_turned_off": lambda v: _("calendar link turned off"),
    "calendar_feed_read": lambda v: _("calendar feed read through the private link"),
    "reminders_unsubscribed": lambda v: _(
        "%(kind)s reminders switched off through the e-mail's unsubscribe link",
        kind=_labelled(_REMINDER_KINDS, v.get("kind")),
    ),
    # exports and prints
    "sessions_exported": lambda v: _(
        "sessions CSV %(start)s–%(end)s (%(count)s sessions)",
        start=_day(v.get("start")),
        end=_day(v.get("end")),
        count=v.get("count"),
    ),
    "caseload_exported": lambda v: _(
        "caseload CSV %(start)s–%(end)s", start=_day(v.get("start")), end=_day(v.get("end"))
    ),
    "progress_report_printed": lambda v: _(
        "progress report %(start)s–%(end)s (%(language)s)",
        start=_day(v.get("start")),
        end=_day(v.get("end")),
        language=_language(v.get("language")),
    ),
    "batch_print": lambda v: _(
        "batch print of %(count)s progress reports %(start)s–%(end)s (%(format)s)",
        count=v.get("count"),
        start=_day(v.get("start")),
        end=_day(v.get("end")),
        format=v.get("format"),
    ),
    "batch_print_report": lambda v: _(
        "batch print job %(job)s: progress report %(start)s–%(end)s (%(language)s)",
        job=v.get("job_id"),
        start=_day(v.get("start")),
        end=_day(v.get("end")),
        language=_language(v.get("language")),
    ),
    "batch_download": lambda v: _("download of batch print job %(job)s", job=v.get("job_id")),
    "exercise_card_printed": lambda v: _(
        "exercise card (%(language)s)", language=_language(v.get("language"))
    ),
    "handout_printed": lambda v: _(
        "programme handout (%(language)s)", language=_language(v.get("language"))
    ),
    # training
    "session_logged": lambda v: _(
        "%(day)s: %(minutes)s min, RPE %(rpe)s, %(done)s done, %(skipped)s skipped", **_session(v)
    ),
    "session_corrected": lambda v: _(
        "corrected: %(day)s: %(minutes)s min, RPE %(rpe)s, %(done)s done, %(skipped)s skipped",
        **_session(v),
    ),
    "check_in_saved": _check_in,
    "suggestion_accepted": lambda v: _(
        "accepted (%(action)s) for prescription %(prescription)s: "
        "dose version %(before)s → %(after)s",
        action=_labelled(_SUGGESTION_ACTIONS, v.get("action")),
        prescription=v.get("prescription_id"),
        before=v.get("from_version"),
        after=v.get("to_version"),
    ),
    "suggestion_dismissed": lambda v: _with_note(
        _("dismissed (%(action)s)", action=_labelled(_SUGGESTION_ACTIONS, v.get("action"))), v
    ),
    "alert_resolved_by_decision": lambda v: _with_note(
        _(
            "resolved by the decision on suggestion %(id)s (%(status)s)",
            id=v.get("suggestion_id"),
            status=_labelled(_DECISIONS, v.get("status")),
        ),
        v,
    ),
    "alert_acknowledged": lambda v: _with_note(
        _("acknowledged %(kind)s %(key)s", kind=_alert_kind(v.get("kind")), key=v.get("key")), v
    ),
}


def describe(entry) -> str | None:
    """The entry's summary in the current language (plain text: templates escape it).

    An entry from before the codes shows its stored sentence; a code this version does not
    know (written by a newer one) shows the code and its values rather than nothing.
    """
    code = getattr(entry, "summary_code", None)
    if code is None:
        return entry.summary
    values = entry.summary_values or {}
    wording = WORDINGS.get(code)
    if wording is not None:
        try:
            return wording(values)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # values of an unexpected shape: fall through to the raw form
    return f"{code} {json.dumps(values, ensure_ascii=False, sort_keys=True)}"
