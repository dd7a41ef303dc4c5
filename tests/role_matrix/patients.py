"""Rows for the patient record and movement-analysis routes (issue 4)."""

from tests.patients.factories import make_analysis
from tests.role_matrix import (
    PATIENT_OBJECT,
    PATIENT_PAGE,
    STAFF_OBJECT,
    Case,
    expect,
)


def extend_world(world) -> None:
    """An intake and a re-assessment of patient P (clinic A)."""
    if "analysis" in world.extra:
        return
    world.extra["analysis"] = make_analysis(world.patient, nprs=6, private_notes="privé")
    world.extra["reassessment"] = make_analysis(world.patient, kind="reassessment", nprs=3)
    from rehab.extensions import db

    db.session.commit()


def _patient(w):
    return {"patient_id": w.patient.id}


def _analysis(w):
    return {"patient_id": w.patient.id, "analysis_id": w.analysis.id}


CASES = [
    Case("patients.edit", STAFF_OBJECT, params=_patient),
    # An empty form is shown again with its messages (200); nothing changes.
    Case("patients.edit", STAFF_OBJECT, method="POST", params=_patient),
    Case("patients.discharge", STAFF_OBJECT, params=_patient),
    Case("patients.discharge", STAFF_OBJECT, method="POST", params=_patient),
    # The patient is active: re-opening changes nothing and returns to the record.
    Case("patients.reopen", expect(302, 403, 403, 302, 404, 302), method="POST", params=_patient),
    # The record is loaded first, so another clinic's staff get 404; only an admin transfers.
    Case("patients.transfer", expect(302, 403, 403, 403, 404, 200), params=_patient),
    Case(
        "patients.transfer",
        expect(302, 403, 403, 403, 404, 200),
        method="POST",
        params=_patient,
    ),
    Case("patients.analyses", STAFF_OBJECT, params=_patient),
    Case("patients.new_analysis", STAFF_OBJECT, params=_patient),
    Case("patients.new_analysis", STAFF_OBJECT, method="POST", params=_patient),
    Case("patients.analysis", STAFF_OBJECT, params=_analysis),
    Case("patients.edit_analysis", STAFF_OBJECT, params=_analysis),
    Case("patients.edit_analysis", STAFF_OBJECT, method="POST", params=_analysis),
    Case("patients.compare", STAFF_OBJECT, params=_patient),
    Case("patients.my_analyses", PATIENT_PAGE),
    Case(
        "patients.my_analysis",
        PATIENT_OBJECT,
        params=lambda w: {"analysis_id": w.analysis.id},
    ),
]
