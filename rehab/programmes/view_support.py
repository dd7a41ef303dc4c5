"""What the programme pages share: the page's language, the answer to a conflicting save, the
programme a builder change may change (not a completed one), and the forms' version checks."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from rehab.core.i18n import gettext as _
from rehab.programmes import services
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


def editable_programme(programme_id: int):
    """The programme, with its whole tree, for a builder change: 404 when it is not one of
    the staff member's clinic, back to its page with a message when it is completed."""
    programme = services.programme_for(current_user, programme_id, tree=True)
    if programme.status == "completed":
        flash(_("A completed programme can no longer be changed."), "warning")
        abort(redirect(url_for(".show", programme_id=programme.id)))
    return programme


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
