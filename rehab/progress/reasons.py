"""Machine-readable reasons: a code plus the numbers behind it.

The calculations never word a message; the web layer translates ``code`` and fills in
``values`` in the patient's or therapist's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reason:
    """Why a calculation reached its verdict, e.g. ``Reason("pain_during_high", {...})``."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)
