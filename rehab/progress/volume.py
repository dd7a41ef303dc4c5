"""Volume load and time under tension per exercise (domain.md §1)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class SetBlock:
    """Logged work: ``sets`` sets of ``reps`` reps (or holds).

    ``load_kg`` is the external load per rep; ``None`` for body weight (or a band), which is
    flagged rather than counted as 0 kg. ``hold_seconds`` is the length of each hold.
    """

    sets: int
    reps: int
    load_kg: Decimal | None = None
    hold_seconds: float | None = None

    def __post_init__(self) -> None:
        if self.sets < 0 or self.reps < 0:
            raise ValueError("sets and reps must not be negative")
        if self.load_kg is not None and self.load_kg < 0:
            raise ValueError("load must not be negative")
        if self.hold_seconds is not None and self.hold_seconds < 0:
            raise ValueError("hold seconds must not be negative")


@dataclass(frozen=True)
class VolumeLoad:
    """Volume of one exercise.

    ``kg`` sums the blocks with an external load (``None`` when none had one); ``bodyweight``
    is True when any block was done without kg, so its reps are not in ``kg``; ``reps`` is
    the total sets × reps of all blocks, so body-weight work still shows its volume.
    """

    kg: Decimal | None
    bodyweight: bool
    reps: int


def volume_load(blocks: Iterable[SetBlock]) -> VolumeLoad:
    """Volume load = Σ sets × reps × kg; body weight is flagged, never 0 kg (domain.md §1)."""
    blocks = list(blocks)
    loaded = [block for block in blocks if block.load_kg is not None]
    kg = sum((block.sets * block.reps * block.load_kg for block in loaded), Decimal(0))
    return VolumeLoad(
        kg=kg if loaded else None,
        bodyweight=len(loaded) < len(blocks),
        reps=sum(block.sets * block.reps for block in blocks),
    )


def time_under_tension(blocks: Iterable[SetBlock]) -> float:
    """Time under tension (s) = Σ sets × reps × hold seconds, for holds (domain.md §1)."""
    total = 0.0
    for block in blocks:
        if block.hold_seconds is None:
            raise ValueError("time under tension needs the hold seconds of every block")
        total += block.sets * block.reps * block.hold_seconds
    return total
