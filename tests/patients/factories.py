"""Movement analyses for tests: straight into the database, as a therapist recorded them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rehab.extensions import db
from rehab.patients.models import AnalysisActivity, AnalysisExtraTest, MovementAnalysis
from tests.factories import clinic_today


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
        recorded_on=recorded_on or clinic_today(),
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


def analysis_form(recorded_on: dt.date | None = None, kind: str = "intake", **fields) -> dict:
    """Form data as the analysis page posts it: date and kind, plus ``fields`` by name.

    ``activities=[("Lopen", 6), …]`` and ``extra_tests=[{"name": …}, …]`` become the rows.
    """
    data = {"recorded_on": (recorded_on or clinic_today()).isoformat(), "kind": kind}
    for n, (text, score) in enumerate(fields.pop("activities", []) or []):
        data[f"activities-{n}-description"] = text
        data[f"activities-{n}-score"] = str(score)
    for n, test in enumerate(fields.pop("extra_tests", []) or []):
        for key, value in test.items():
            data[f"extra_tests-{n}-{key}"] = "" if value is None else str(value)
    for name, value in fields.items():
        if value is True:
            data[name] = "y"
        elif value not in (None, False):
            data[name] = str(value)
    return data


def analysis_count() -> int:
    from sqlalchemy import func, select

    return db.session.scalar(select(func.count(MovementAnalysis.id)))
