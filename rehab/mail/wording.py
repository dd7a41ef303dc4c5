"""The outbox page's words for kinds, statuses and errors (stored as codes)."""

from __future__ import annotations

from rehab.core.i18n import lazy_gettext as _l

KIND_LABELS = {
    "account_activation": _l("Account activation"),
    "password_reset": _l("New password"),
    "email_change_confirm": _l("Confirm new e-mail address"),
    "email_changed_notice": _l("E-mail address changed"),
    "exercise_reminder": _l("Exercise reminder"),
    "appointment_reminder": _l("Appointment reminder"),
}

STATUS_LABELS = {
    "queued": _l("Waiting"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "logged": _l("In the outbox only (no mail server set up)"),
    "failed": _l("Not sent"),
}

ERROR_LABELS = {
    "connection": _l("The mail server could not be reached."),
    "timeout": _l("The mail server did not answer in time."),
    "refused": _l("The mail server refused the address."),
    "rejected": _l("The mail server refused the message."),
    "login": _l("The mail server refused Rehab's user name or password."),
    "temporary": _l("The mail server asked to try again later."),
    "render": _l("The message could not be put together (see the server log)."),
}
