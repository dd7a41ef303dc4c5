"""Parallel requests for the concurrency tests: N clients, each with its own login and its
own database connection, sent at the same moment.

``race()`` runs one request per client in its own thread. ``hold_after()`` makes every
request wait, right after a function it calls (typically the loader that reads the row it
will change), until all N have read that row: the check-then-write window that a real race
hits now and then is then hit every time. A request that never reaches the gate (refused
earlier) does not block the others: the gate gives up after a few seconds.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from flask.testing import FlaskClient

PARALLEL = 8
GATE_SECONDS = 5


@dataclass
class Outcome:
    """What one of the parallel requests got back."""

    status: int
    location: str | None = None
    text: str = ""
    flashes: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None

    @property
    def messages(self) -> list[str]:
        return [message for _category, message in self.flashes]


def hold_after(monkeypatch, owner, name: str, parties: int = PARALLEL) -> threading.Barrier:
    """Make ``owner.name`` wait, after doing its work, until ``parties`` callers got there."""
    original = getattr(owner, name)
    gate = threading.Barrier(parties, timeout=GATE_SECONDS)

    def held(*args, **kwargs):
        result = original(*args, **kwargs)
        # A request refused before the gate breaks it: the others go on without it.
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait()
        return result

    monkeypatch.setattr(owner, name, held)
    return gate


def race(clients: list[FlaskClient], send: Callable[[FlaskClient, int], object]) -> list[Outcome]:
    """``send(client, i)`` for every client at once; the outcomes in client order.

    A 500 (raised in testing mode) becomes an Outcome with status 500 and its traceback.
    """

    def one(index: int) -> Outcome:
        client = clients[index]
        try:
            response = send(client, index)
        except Exception:
            return Outcome(500, error=traceback.format_exc())
        outcome = Outcome(
            response.status_code,
            location=response.headers.get("Location"),
            text=response.get_data(as_text=True) if response.mimetype == "text/html" else "",
        )
        response.close()
        with client.session_transaction() as session:
            outcome.flashes = list(session.get("_flashes", []))
        return outcome

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return list(pool.map(one, range(len(clients))))


def no_server_errors(outcomes: list[Outcome]) -> None:
    errors = [o.error or o.text[:500] for o in outcomes if o.status >= 500]
    assert not errors, "server errors:\n" + "\n".join(errors)
