"""Rows for the installable app: its manifest, service worker and offline page are public
(nothing personal: the worker keeps a patient's pages only after the patient loaded them)."""

from __future__ import annotations

from tests.role_matrix import PUBLIC_PAGE, Case


def extend_world(world) -> None:
    """Nothing to add: these routes read no one's records."""


CASES = [
    Case("offline.service_worker", PUBLIC_PAGE),
    Case("offline.manifest", PUBLIC_PAGE),
    Case("offline.offline_page", PUBLIC_PAGE),
]
