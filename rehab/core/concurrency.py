"""State changes that two requests may race: one conditional write decides the winner."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import ClauseElement

from rehab.extensions import db


def claim(row, *conditions, **values) -> bool:
    """Write ``values`` to ``row`` only while ``conditions`` still hold: one conditional
    ``UPDATE … WHERE id = :id AND <conditions>``, with its row count checked.

    Of several requests that read the row in the same state and each want to move it on,
    exactly one matches: PostgreSQL makes the others wait for the winner's commit and then
    checks their condition again on the new row; SQLite writes one transaction at a time.
    True for the winner, whose ``row`` then holds the new values (the row stays locked until
    its commit); False for the others, which changed nothing.
    """
    model = type(row)
    result = db.session.execute(
        update(model)
        .where(model.id == row.id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    for name, value in values.items():
        if isinstance(value, ClauseElement):
            db.session.expire(row, [name])
        else:
            set_committed_value(row, name, value)
    return True
