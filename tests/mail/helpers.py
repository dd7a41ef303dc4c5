"""Reading the outbox in tests: the messages queued, sending them, the links inside."""

from __future__ import annotations

import re

from sqlalchemy import select

from rehab.extensions import db
from rehab.mail.delivery import deliver_due
from rehab.mail.models import OutgoingEmail

LINK = re.compile(r"https?://\S+")


def outbox(kind: str | None = None, to: str | None = None) -> list[OutgoingEmail]:
    db.session.expire_all()
    stmt = select(OutgoingEmail).order_by(OutgoingEmail.id)
    if kind:
        stmt = stmt.where(OutgoingEmail.kind == kind)
    if to:
        stmt = stmt.where(OutgoingEmail.to_address == to)
    return list(db.session.scalars(stmt))


def send_outbox() -> dict[str, int]:
    """What the periodic job does: send every message that is due, from this thread."""
    counts = deliver_due()
    db.session.expire_all()
    return counts


def links_in(text: str) -> list[str]:
    return LINK.findall(text)


def path_of(url: str) -> str:
    """The path of a link in an e-mail (links are built on REHAB_BASE_URL)."""
    return re.sub(r"^https?://[^/]+", "", url)
