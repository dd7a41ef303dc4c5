"""The page number of a paginated list, and the filter arguments its page links carry."""

from __future__ import annotations

from flask import request

MAX_PAGE = 100_000


def page_arg(name: str = "page") -> int:
    """1 … MAX_PAGE: a negative, non-numeric or enormous ?page= cannot break the query
    (SQLite refuses offsets beyond 64 bits)."""
    page = request.args.get(name, 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


def filter_args(form) -> dict[str, list[str]]:
    """A list's filter arguments, to carry into its page links: the filter form's own fields
    only, as the user typed them (none when the view set the form aside as invalid).

    Anything else in the query string stays behind: passed on to ``url_for`` it could be one
    of its own keywords (``_method``, ``_external``, ``endpoint``…) and break the page.
    """
    return {
        field.name: list(field.raw_data)
        for field in form
        if field.raw_data and field.type not in ("CSRFTokenField", "SubmitField")
    }
