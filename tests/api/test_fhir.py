"""The FHIR R4 bundle: every resource validates (fhir.resources' R4B models: see
rehab/interop/fhir.py for why not R4), references resolve inside the bundle, standard codes
where they exist; the demo data's patient too, and the GDPR export carries the bundle."""

from __future__ import annotations

import io
import json
import zipfile

from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from rehab import demo
from rehab.extensions import db
from rehab.interop.fhir import patient_bundle
from rehab.patients.models import Patient
from tests.api.conftest import bearer
from tests.patients.factories import make_analysis
from tests.training.factories import log_session, make_plan, today


def _references(value) -> list[str]:
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                found.append(inner)
            else:
                found += _references(inner)
    elif isinstance(value, list):
        for inner in value:
            found += _references(inner)
    return found


def assert_valid_bundle(document: dict) -> Bundle:
    bundle = Bundle.model_validate(document)  # raises on any invalid resource
    urls = [entry["fullUrl"] for entry in document["entry"]]
    assert len(urls) == len(set(urls)), "every entry once"
    missing = set(_references(document["entry"])) - set(urls)
    assert not missing, f"references outside the bundle: {missing}"
    return bundle


def _kinds(document: dict) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for entry in document["entry"]:
        kind = entry["resource"]["resourceType"]
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def test_a_patients_bundle_validates_and_resolves(app, world, token_for):
    plan = make_plan(world.patient)
    make_analysis(world.patient, nprs=6, odi=32, hip_flexion_left=110, hip_flexion_right=95)
    log_session(
        world.patient,
        today(),
        pain_after=3,
        note="ging goed",
        exercises=[(plan["squat"], {"sets_done": 3, "reps_done": 10, "pain_during": 4})],
    )
    db.session.commit()

    answer = app.test_client().get(
        f"/api/v1/patients/{world.patient.id}/fhir", headers=bearer(token_for(world.therapist))
    )
    assert answer.status_code == 200 and answer.mimetype == "application/fhir+json"
    document = answer.json if answer.is_json else json.loads(answer.data)
    assert_valid_bundle(document)
    kinds = _kinds(document)
    assert kinds["Patient"] == 1 and kinds["CarePlan"] == 1
    assert kinds["ServiceRequest"] == 3 and kinds["QuestionnaireResponse"] == 1
    assert kinds["Observation"] == 4, "NPRS, two hip flexions, one session"

    resources = [e["resource"] for e in document["entry"]]
    pain = next(r for r in resources if "loinc" in json.dumps(r))
    assert pain["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "72514-3",
        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    }
    hip = next(r for r in resources if "hip_flexion_left" in json.dumps(r))
    assert hip["valueQuantity"]["code"] == "deg" and hip["valueQuantity"]["value"] == 110
    session = next(r for r in resources if r.get("issued"))
    assert session["effectiveDateTime"] == today().isoformat()
    assert session["issued"].endswith("+00:00")
    care_plan = next(r for r in resources if r["resourceType"] == "CarePlan")
    assert care_plan["activity"][0]["detail"]["status"] == "in-progress"


def test_the_demo_patients_bundle_validates(app):
    demo.seed()
    sanne = db.session.scalar(select(Patient).where(Patient.first_name == "Sanne"))
    document = patient_bundle(sanne)
    assert_valid_bundle(document)
    kinds = _kinds(document)
    assert {"Patient", "Practitioner", "CarePlan", "ServiceRequest", "Observation"} <= set(kinds)


def test_the_gdpr_export_carries_the_bundle(app, world, client_for):
    make_plan(world.patient)
    db.session.commit()
    answer = client_for("therapist").get(f"/patients/{world.patient.id}/export")
    assert answer.status_code == 200, answer.status_code
    with zipfile.ZipFile(io.BytesIO(answer.data)) as archive:
        document = json.loads(archive.read("files/fhir-bundle.json"))
    assert_valid_bundle(document)
