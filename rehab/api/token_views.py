"""The account page's personal access tokens: make one (shown once), list, revoke."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from rehab.api import tokens
from rehab.api.forms import TokenForm
from rehab.auth.access import login_required
from rehab.auth.forms import ConfirmForm
from rehab.auth.views import recent_auth_required
from rehab.core.i18n import gettext as _

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


def _page(form: TokenForm, *, new_secret: str | None = None, status: int = 200):
    user = current_user._get_current_object()
    return render_template(
        "api/tokens.html",
        form=form,
        tokens=tokens.tokens_of(user),
        new_secret=new_secret,
        action_form=ConfirmForm(),
    ), status


@bp.route("")
@login_required
def index():
    return _page(TokenForm())


@bp.route("", methods=["POST"])
@login_required
@recent_auth_required
def create():
    """Make a token and show it on the answer to this POST: once, never stored in clear."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    _token, secret = tokens.create_token(
        current_user._get_current_object(),
        name=form.name.data,
        scope=form.scope.data,
        days=form.days.data,
    )
    flash(_("Your token is below. Copy it now: it is shown only this once."), "success")
    return _page(TokenForm(formdata=None), new_secret=secret)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not tokens.revoke_token(current_user._get_current_object(), token_id):
        abort(404)
    flash(_("The token was revoked: it no longer works."), "success")
    return redirect(url_for("api_tokens.index"))
