"""The page number of a paginated list, from the query string."""

from __future__ import annotations

from flask import request

MAX_PAGE = 100_000


def page_arg(name: str = "page") -> int:
    """1 … MAX_PAGE: a negative, non-numeric or enormous ?page= cannot break the query
    (SQLite refuses offsets beyond 64 bits)."""
    page = request.args.get(name, 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)
