"""Movement analyses for tests: straight into the database, as a therapist recorded them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rehab.extensions import db
from rehab.patients.models import AnalysisActivity, AnalysisExtraTest, MovementAnalysis


def make_analysis(
    patient,
    *,
    kind: str = "intake",
    recorded_on: dt.date | None = None,
    therapist=None,
    activities: list[tuple[str, int]] | None = None,
    instrument: str | None = None,
    extra_tests: list[dict] | None = None,
    **values,
) -> MovementAnalysis:
    """An analysis of ``patient``; ``values`` are column values (e.g. nprs=6)."""
    analysis = MovementAnalysis(
        patient_id=patient.id,
        therapist_id=(therapist or patient.therapist).id,
        kind=kind,
        recorded_on=recorded_on or dt.date.today(),
        activity_instrument=instrument,
        **values,
    )
    if activities:
        analysis.activity_instrument = instrument or "psk"
        analysis.activities = [
            AnalysisActivity(position=n, description=text, score=score)
            for n, (text, score) in enumerate(activities, start=1)
        ]
        mean = Decimal(sum(s for _, s in activities)) / len(activities)
        setattr(analysis, analysis.activity_instrument, mean.quantize(Decimal("0.01")))
    analysis.extra_tests = [
        AnalysisExtraTest(position=n, **test) for n, test in enumerate(extra_tests or [], start=1)
    ]
    db.session.add(analysis)
    db.session.flush()
    return analysis
