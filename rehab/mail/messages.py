"""What each kind of e-mail says, put into words in the recipient's language.

A message is a kind plus a few plain values. Each kind lists the values it may carry, so no
health information can travel in an e-mail by accident: a reminder says "time for your
exercises", never which exercises, what the diagnosis is or how much it hurt
(tests/mail/test_privacy.py renders every kind in both languages to check).
Plain text plus simple HTML (inline styles only: mail programs drop style sheets).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from babel import dates
from flask import current_app, render_template
from flask_babel import force_locale
from itsdangerous import URLSafeSerializer

from rehab.core.i18n import lazy_gettext as _l
from rehab.mail.links import external_url

UNSUBSCRIBE_SALT = "rehab-unsubscribe"


@dataclass(frozen=True)
class Kind:
    subject: object  # a lazy string; may use %(clinic)s
    params: frozenset[str]
    link: Callable[[str | None], str]  # the message's one button, from its secret token
    link_label: object
    # Reminders carry a one-click unsubscribe (RFC 8058) for this reminder kind.
    unsubscribe: str | None = None
    needs_secret: bool = False


def _activation_link(token: str | None) -> str:
    return external_url("auth.activate", token=token or "-")


def _email_change_link(token: str | None) -> str:
    return external_url("auth.confirm_email_change", token=token or "-")


def _login_link(_token: str | None) -> str:
    return external_url("auth.login")


def _today_link(_token: str | None) -> str:
    return external_url("training.today")


KINDS: dict[str, Kind] = {
    "account_activation": Kind(
        _l("Your Rehab account at %(clinic)s"),
        frozenset({"name", "hours"}),
        _activation_link,
        _l("Choose your password"),
        needs_secret=True,
    ),
    "password_reset": Kind(
        _l("Choose a new password for Rehab"),
        frozenset({"name", "hours"}),
        _activation_link,
        _l("Choose a new password"),
        needs_secret=True,
    ),
    "email_change_confirm": Kind(
        _l("Confirm your new e-mail address for Rehab"),
        frozenset({"name", "hours"}),
        _email_change_link,
        _l("Confirm this address"),
        needs_secret=True,
    ),
    "email_changed_notice": Kind(
        _l("Your e-mail address for Rehab has been changed"),
        frozenset({"name", "new_address"}),
        _login_link,
        _l("Open Rehab"),
    ),
    "exercise_reminder": Kind(
        _l("Time for your exercises"),
        frozenset({"name"}),
        _today_link,
        _l("Open Rehab"),
        unsubscribe="exercise",
    ),
    "appointment_reminder": Kind(
        _l("Reminder: your appointment at %(clinic)s"),
        frozenset({"name", "starts_at", "timezone"}),
        _login_link,
        _l("Open Rehab"),
        unsubscribe="appointment",
    ),
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


def check_params(kind: str, params: dict) -> None:
    """Refuse a value the kind does not carry (the privacy rule, enforced where mail is made)."""
    extra = set(params) - KINDS[kind].params
    if extra:
        raise ValueError(f"{kind} e-mails carry no {sorted(extra)}")


def unsubscribe_url(user_id: int, reminder_kind: str) -> str:
    """A signed, lasting link that switches one kind of reminder off without logging in."""
    token = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).dumps(
        {"u": user_id, "k": reminder_kind}
    )
    return external_url("reminders.unsubscribe", token=token)


def _appointment_words(params: dict, locale: str) -> dict:
    if "starts_at" not in params:
        return {}
    zone = ZoneInfo(params.get("timezone") or "Europe/Amsterdam")
    local = dt.datetime.fromisoformat(params["starts_at"]).astimezone(zone)
    return {
        "day": dates.format_date(local.date(), "full", locale=locale),
        "time": dates.format_time(local.time(), "short", locale=locale),
    }


def compose(
    *,
    kind: str,
    params: dict,
    locale: str,
    clinic_name: str,
    user_id: int,
    secret: str | None,
) -> Rendered:
    """The message in ``locale``: subject, plain text, HTML and the headers it needs."""
    spec = KINDS[kind]
    check_params(kind, params)
    with force_locale(locale):
        link = spec.link(secret)
        unsubscribe = unsubscribe_url(user_id, spec.unsubscribe) if spec.unsubscribe else None
        context = {
            **params,
            **_appointment_words(params, locale),
            "kind": kind,
            "clinic": clinic_name,
            "link": link,
            "link_label": str(spec.link_label),
            "unsubscribe": unsubscribe,
            "secret_shown": secret is not None or not spec.needs_secret,
            "language": locale,
        }
        # A subject without %(clinic)s is left as it is by the formatting.
        subject = str(spec.subject) % {"clinic": clinic_name}
        text = render_template(f"mail/{kind}.txt", **context, subject=subject)
        html = render_template(f"mail/{kind}.html", **context, subject=subject)
    headers = {}
    if unsubscribe:
        # RFC 8058: a mail program may POST "List-Unsubscribe=One-Click" to the https link.
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return Rendered(subject=subject, text=text, html=html, headers=headers)
