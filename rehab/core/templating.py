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
    def page_url(page: int) -> str:
        """This page's URL with the same filters, on another page of the list."""
        args = {**(request.view_args or {}), **request.args.to_dict(), "page": page}
        return url_for(request.endpoint, **args)

    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value else "–"
    )
    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else "–"
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
