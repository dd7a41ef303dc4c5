"""From which day a prescription can be logged, and which dose a session day belongs to.

No session before the programme started, and no exercise before its prescription began
(the phase started, or it was added to the phase later), is accepted for the programme.
A session logged late, for an earlier day, is stored against the dose version in effect
that day, so that what was prescribed then stays next to what was done (issue 14).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from rehab.extensions import db
from rehab.programmes.models import Phase, Prescription, PrescriptionVersion, Programme


@dataclass(frozen=True)
class DoseCalendar:
    """Per prescription: its first day, and its versions by the day each took effect."""

    starts: dict[int, dt.date | None] = field(default_factory=dict)
    # prescription id → ([effective days ascending], [version ids in the same order])
    versions: dict[int, tuple[list[dt.date], list[int]]] = field(default_factory=dict)

    def start(self, prescription_id: int) -> dt.date | None:
        """The first day this prescription can be logged (None: no limit known)."""
        return self.starts.get(prescription_id)

    def version_on(self, prescription_id: int, day: dt.date) -> int:
        """The id of the version in effect on ``day`` (the first one for earlier days)."""
        days, ids = self.versions[prescription_id]
        index = bisect.bisect_right(days, day) - 1
        return ids[max(index, 0)]


def phase_start(programme: Programme | None, phase: Phase | None) -> dt.date | None:
    """The day the phase started (its programme's start for a phase without one)."""
    if phase is not None and phase.started_on is not None:
        return phase.started_on
    return programme.started_on if programme is not None else None


def dose_calendar(
    prescriptions: list[Prescription], programme: Programme | None, phase: Phase | None
) -> DoseCalendar:
    """The calendar of these prescriptions (of one phase), in one query.

    A prescription begins when its phase started or when it was added, whichever is later
    (its first version's day). The current version is in effect from ``dose_since`` (reset
    when the phase starts); earlier ones from their own ``effective_on``.
    """
    if not prescriptions:
        return DoseCalendar()
    by_id = {p.id: p for p in prescriptions}
    rows = db.session.execute(
        select(
            PrescriptionVersion.prescription_id,
            PrescriptionVersion.version,
            PrescriptionVersion.id,
            PrescriptionVersion.effective_on,
        )
        .where(PrescriptionVersion.prescription_id.in_(list(by_id)))
        .order_by(PrescriptionVersion.prescription_id, PrescriptionVersion.version)
    ).all()
    floor = phase_start(programme, phase)
    grouped: dict[int, list[tuple[int, int, dt.date]]] = {pid: [] for pid in by_id}
    for pid, version, version_id, effective_on in rows:
        grouped[pid].append((version, version_id, effective_on))
    starts: dict[int, dt.date | None] = {}
    versions: dict[int, tuple[list[dt.date], list[int]]] = {}
    for pid, found in grouped.items():
        prescription = by_id[pid]
        days: list[dt.date] = []
        ids: list[int] = []
        for version, version_id, effective_on in found:
            if version > prescription.current_version:
                continue
            if version == prescription.current_version and prescription.dose_since:
                effective_on = prescription.dose_since
            # Days never go backwards: a later version takes over on its day or after.
            days.append(max(effective_on, days[-1]) if days else effective_on)
            ids.append(version_id)
        if not ids:
            # Every prescription gets version 1 when it is made (dosing.record_first_version).
            raise RuntimeError(f"prescription {pid} has no version")
        versions[pid] = (days, ids)
        first = days[0]
        starts[pid] = max(first, floor) if floor is not None else first
    return DoseCalendar(starts, versions)
