"""Stable cursor pagination and conditional reads (ETag / If-None-Match) for the API.

A cursor is the sort key of the last item sent (keyset pagination): rows added or removed
meanwhile never shift a page, unlike an offset. It is opaque to clients (base64url JSON);
a tampered cursor only moves the starting point within what the user may read anyway.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

import marshmallow as ma
from flask import Response, abort, request
from marshmallow import fields, validate
from sqlalchemy import and_, or_

from rehab.api import bp
from rehab.core.i18n import gettext as _
from rehab.extensions import db

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


class PageArgs(ma.Schema):
    cursor = fields.String(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "The next_cursor of the previous page; none for the first"},
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=MAX_LIMIT)
    )


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The envelope of a page of ``item``: the items and the cursor of the next page."""
    return ma.Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "next_cursor": fields.String(
                required=True,
                allow_none=True,
                metadata={"description": "Pass as ?cursor= for the next page; null at the end"},
            ),
        },
        name=name,
    )


def _encode(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, parsers: Sequence[Callable[[Any], Any]]) -> list[Any]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(parsers):
            raise ValueError
        return [parse(value) for parse, value in zip(parsers, raw, strict=True)]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, OverflowError):
        abort(400, description=_("This cursor is not valid. Start again without a cursor."))


def _strict_int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) > 2**62:
        raise ValueError
    return value


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value)


INT = _strict_int
DATE = _date


def keyset_page(
    stmt,
    *,
    keys: Sequence,
    parsers: Sequence[Callable[[Any], Any]],
    descending: bool,
    args: dict,
) -> tuple[list, str | None]:
    """One page of ``stmt`` ordered by ``keys`` (the last one unique), and the next cursor."""
    limit = args["limit"]
    order = [key.desc() for key in keys] if descending else list(keys)
    stmt = stmt.order_by(*order)
    if args.get("cursor"):
        after = _decode(args["cursor"], parsers)
        stmt = stmt.where(_beyond(keys, after, descending))
    rows = list(db.session.scalars(stmt.limit(limit + 1)).unique())
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, _encode([getattr(last, key.key) for key in keys])


def _beyond(keys: Sequence, values: Sequence, descending: bool):
    """Rows strictly after ``values`` in the order of ``keys`` (row-value comparison, spelled
    out so that SQLite and PostgreSQL read it the same way)."""
    clauses = []
    for i, key in enumerate(keys):
        equal = [keys[j] == values[j] for j in range(i)]
        step = key < values[i] if descending else key > values[i]
        clauses.append(and_(*equal, step))
    return or_(*clauses)


# --- conditional reads ------------------------------------------------------------------------

CONDITIONAL_DOC = {
    "parameters": [
        {
            "in": "header",
            "name": "If-None-Match",
            "required": False,
            "schema": {"type": "string"},
            "description": "The ETag of an earlier answer: 304 when nothing changed",
        }
    ],
    "responses": {"304": {"description": "Not modified since the ETag you sent"}},
}


def conditional(view: Callable) -> Callable:
    """Document If-None-Match and 304 on a read (the ETag itself is set for every read)."""
    return bp.doc(**CONDITIONAL_DOC)(view)


@bp.after_request
def set_etag(response: Response) -> Response:
    """Every successful read carries a strong ETag of its body; If-None-Match → 304."""
    if request.method == "GET" and response.status_code == 200 and response.is_json:
        response.add_etag()
        response.make_conditional(request)
    return response
