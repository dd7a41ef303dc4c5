"""What the programme pages share: the page's language, the answer to a conflicting save, the
guard against changing a completed programme, and the forms' version checks."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale

from rehab.core.i18n import gettext as _
from rehab.programmes.forms import VersionForm


def page_language() -> str:
    return str(get_locale() or "nl")


def conflict_page(programme_id: int | None, back: str | None = None):
    """409: someone else saved in between; the form is not saved."""
    return (
        render_template(
            "programmes/conflict.html",
            back=back or (url_for(".builder", programme_id=programme_id) if programme_id else None),
        ),
        409,
    )


def ensure_editable(programme) -> None:
    if programme.status == "completed":
        flash(_("A completed programme can no longer be changed."), "warning")
        abort(redirect(url_for(".show", programme_id=programme.id)))


def builder_url(programme, anchor: str | None = None) -> str:
    return url_for(".builder", programme_id=programme.id, _anchor=anchor)


def submitted(form) -> bool:
    """validate_on_submit, but a form without its version is broken: 400, not a message."""
    valid = form.validate_on_submit()
    if request.method == "POST" and "version" in form and form.version.errors:
        abort(400)
    return valid


def version_form() -> VersionForm:
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    return form
