"""The programme page, the builder, the patient's view and the patient-page panel run the
same number of SQL statements for 1 phase × 2 exercises as for 4 phases × 10 exercises."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab.extensions import db
from tests.factories import clinic_today, make_patient
from tests.programmes.factories import build_programme, check_in, log_session


def _programme(world, patient, phases, exercises):
    programme = build_programme(patient, phases=phases, exercises=exercises, status="active")
    # Some data for the criteria, so that every gathering query runs.
    today = clinic_today()
    for day in range(3):
        log_session(patient, today - dt.timedelta(days=day), programme.phases[0].prescriptions[0],
                    pain_during=2, hold_seconds_done=10, key=f"{patient.id}-{day}")  # fmt: skip
        check_in(patient, today - dt.timedelta(days=day), 2)
    db.session.commit()
    return programme


@pytest.mark.parametrize(
    "page",
    [
        "/programmes/{id}",
        "/programmes/{id}/builder",
        "/programmes/mine",
        "/patients/{patient}",
        "/programmes/{id}/phases/{phase}/exercises",
    ],
)
def test_pages_do_not_grow_with_phases_or_exercises(world, client_for, count_queries, page):
    small = _programme(world, world.patient, phases=1, exercises=2)
    other = make_patient(world.clinic, world.therapist, first_name="Groot")
    db.session.commit()
    large = _programme(world, other, phases=4, exercises=10)
    from tests.factories import login_as

    counts = []
    for programme, patient in ((small, world.patient), (large, other)):
        if page == "/programmes/mine":
            client = login_as(client_for("anonymous"), patient.user)
        else:
            client = client_for("therapist")
        url = page.format(id=programme.id, patient=patient.id, phase=programme.phases[0].id)
        client.get(url)  # warm up (first request of a client loads its session)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(counter.count)
    assert counts[0] == counts[1], f"{page}: {counts}"
    # The patient page gathers every area's panel (analyses, programme, training, documents,
    # patient rights): a few more statements, still a fixed number.
    limit = 24 if page.startswith("/patients/") else 20
    assert counts[0] <= limit, f"{page}: {counts[0]} statements"
