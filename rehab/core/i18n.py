"""Language and time zone of each request: the user's setting, then the browser."""

from __future__ import annotations

import datetime as dt
import functools

import flask_babel
from babel import Locale, dates, numbers, support
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup


def select_locale() -> str:
    languages = current_app.config["REHAB_LANGUAGES"]
    if not has_request_context():  # CLI commands and background jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone() -> str:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.clinic.timezone
    return current_app.config["REHAB_TIMEZONE"]


# --- Translating many strings a request ----------------------------------------------------------
# Flask-Babel finds the request's catalogue anew for every string: six context lookups and
# the locale's name each time. A dashboard translates some 900 strings and formats some 400
# numbers, so that search was a fifth of its time. These helpers look the catalogue up once
# per request and locale (force_locale, used for a patient's PDF, switches it) and behave
# like Flask-Babel's functions of the same names.


def _request_globals() -> dict | None:
    """flask.g's attributes as a dict (one context lookup), or None outside an app context."""
    try:
        return g._get_current_object().__dict__
    except RuntimeError:
        return None


def _babel_locale(found: dict) -> Locale | None:
    state = found.get("_flask_babel")
    return getattr(state, "babel_locale", None) if state is not None else None


def current_locale() -> Locale | None:
    """The request's locale, as flask_babel.get_locale() (None outside an app context)."""
    found = _request_globals()
    if found is None:
        return None
    locale = _babel_locale(found)
    return locale if locale is not None else flask_babel.get_locale()


def translations() -> support.NullTranslations:
    """The request's catalogue, as flask_babel.get_translations(), found once per locale."""
    found = _request_globals()
    if found is None:
        return flask_babel.get_translations()
    locale = _babel_locale(found)
    cached = found.get("_rehab_translations")
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    catalogue = flask_babel.get_translations()
    found["_rehab_translations"] = (_babel_locale(found), catalogue)
    return catalogue


def gettext(string: str, **variables) -> str:
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    return LazyString(gettext, string, **variables)


def pgettext(context: str, string: str, **variables) -> str:
    """A word that means two things in English gets a context, so that Dutch can tell them
    apart: "Progress" the decision (opbouwen) is not "progress" the course (voortgang)."""
    text = translations().upgettext(context, string)
    return text % variables if variables else text


def lazy_pgettext(context: str, string: str, **variables) -> LazyString:
    return LazyString(pgettext, context, string, **variables)


@functools.lru_cache(maxsize=4096)
def _decimal(number, pattern: str, locale: Locale) -> str:
    return numbers.parse_pattern(pattern).apply(number, locale)


def format_decimal(number, format: str | None = None) -> str:
    """As flask_babel.format_decimal; a number already written in a pattern and language is
    looked up, not written again (equal numbers are written alike)."""
    locale = current_locale()
    if format is None or locale is None:
        return flask_babel.format_decimal(number, format=format)
    if number == 0:  # 0, 0.0, -0.0 and Decimal("-0") are all written "0"
        number = 0
    try:
        return _decimal(number, format, locale)
    except TypeError:  # not hashable (a signalling NaN): write it without the memo
        return numbers.parse_pattern(format).apply(number, locale)


_NAMED_FORMATS = frozenset({"short", "medium", "long", "full"})


def format_date(date, format: str | None = None) -> str:
    """As flask_babel.format_date; a plain date in a given pattern skips Flask-Babel's lookups
    (a datetime still goes through it: it is moved into the user's time zone first)."""
    locale = current_locale()
    if (
        locale is None
        or format is None
        or format in _NAMED_FORMATS
        or not isinstance(date, dt.date)
        or isinstance(date, dt.datetime)
    ):
        return flask_babel.format_date(date, format)
    return dates.format_date(date, format, locale=locale)


def install_jinja_gettext(app: Flask) -> None:
    """Templates translate through the helpers above (after Babel installed its own).

    As Jinja's "new style" gettext (the string is a format string, its variables escaped
    under autoescape), but each callable takes the evaluation context only. Jinja's own take
    the whole template context, and a call inside a loop, or inside a block that set a
    variable, first copies every global and block into a derived context for it: the
    dashboard made some 130 such copies a request (issue 24).
    """

    def finish(eval_ctx, text: str, variables: dict) -> str:
        if eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704  # our catalogue; Markup % escapes the variables
        return text % variables  # always a format string, as in Jinja's new style

    @pass_eval_context
    def gettext(eval_ctx, string: str, /, **variables) -> str:
        return finish(eval_ctx, translations().ugettext(string), variables)

    @pass_eval_context
    def ngettext(eval_ctx, singular: str, plural: str, num: int, /, **variables) -> str:
        variables.setdefault("num", num)
        text = translations().ungettext(singular, plural, num)
        return finish(eval_ctx, text, variables)

    @pass_eval_context
    def pgettext(eval_ctx, context: str, string: str, /, **variables) -> str:
        variables.setdefault("context", context)
        return finish(eval_ctx, translations().upgettext(context, string), variables)

    @pass_eval_context
    def npgettext(
        eval_ctx, context: str, singular: str, plural: str, num: int, /, **variables
    ) -> str:
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        text = translations().unpgettext(context, singular, plural, num)
        return finish(eval_ctx, text, variables)

    app.jinja_env.newstyle_gettext = True  # {% trans %} passes its variables to these
    app.jinja_env.globals.update(
        _=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext
    )
