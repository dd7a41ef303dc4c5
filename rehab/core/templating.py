"""Template helpers: the language switch, dates in the clinic's time zone."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, get_locale


def init_app(app: Flask) -> None:
    @app.context_processor
    def _globals():
        return {
            "languages": [("nl", "Nederlands"), ("en", "English")],
            "current_language": str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
            "current_path": request.full_path.rstrip("?") if request else "/",
            # Menu entries appear only for routes that exist.
            "nav_endpoints": current_app.view_functions.keys(),
        }

    @app.template_global()
    def page_url(page: int, filters: dict | None = None) -> str:
        """This list's URL on another page, with the list's own ``filters`` (the view's
        ``filter_args``); nothing else from the query string is passed on."""
        return url_for(request.endpoint, **(request.view_args or {}), **(filters or {}),
                       page=page)  # fmt: skip

    from rehab.core.forms import error_summary

    app.jinja_env.globals["error_summary"] = error_summary
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value else "–"
    )
    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else "–"
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
