"""A just-made account link, kept for the hand-over page on the server, and shown once.

The link (with the new user's name and e-mail address) used to travel in the staff member's
session cookie, which is signed but not encrypted, until the page was opened, and stayed
there after logging out. Now it waits on the staff member's own login-session row,
encrypted (rehab.core.crypto), until the hand-over page takes it; logging out, or any other
end of that login, removes it.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from rehab.auth.models import UserSession
from rehab.core.concurrency import claim
from rehab.core.crypto import InvalidToken, decrypt, encrypt
from rehab.extensions import db

PURPOSE = "account-link-handover"


def keep_link(login: UserSession, link: dict) -> None:
    """Keep ``link`` for the next hand-over page of this login (replacing an unshown one)."""
    login.handover_encrypted = encrypt(json.dumps(link), purpose=PURPOSE)
    db.session.commit()


def take_link(login: UserSession) -> dict | None:
    """The kept link, removed as it is taken (one conditional write: two tabs opening the
    page at once show it once); None when there is none."""
    stored = db.session.scalar(
        select(UserSession.handover_encrypted).where(UserSession.id == login.id)
    )
    if stored is None:
        return None
    taken = claim(login, UserSession.handover_encrypted == stored, handover_encrypted=None)
    db.session.commit()
    if not taken:
        return None
    try:
        return json.loads(decrypt(stored, purpose=PURPOSE))
    except InvalidToken:  # SECRET_KEY changed since: the link cannot be read, make a new one
        return None
