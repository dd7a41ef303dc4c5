"""A patient's record as a FHIR R4 Bundle (type ``collection``), for another system to read.

What goes in: Patient; a Practitioner for each therapist named; a CarePlan per programme with
its phases as activities (detail) and its prescriptions as activities that reference one
ServiceRequest each; an Observation per recorded analysis measure; a QuestionnaireResponse
per recorded questionnaire score; an Observation per logged session (duration, effort, pain).

Every reference points at another entry of the bundle (``urn:uuid:`` full URLs made from the
record numbers, so the same record always gets the same ids). Dates are dates; moments are
UTC with their offset. The JSON follows FHIR R4 (4.0.1), the version the Dutch national
profiles use; the tests validate it with the ``fhir.resources`` package's R4B (4.3.0) models,
because its releases with R4 models need pydantic 1. For these resources and elements R4 and
R4B are the same.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.interop.fhir_codes import (
    QUESTIONNAIRES,
    STANDARD_CODES,
    UCUM,
    code_system,
    identifier_system,
    questionnaire_url,
    ucum,
)
from rehab.patients import measures
from rehab.patients.models import MovementAnalysis, Patient
from rehab.programmes.models import Phase, Prescription, Programme
from rehab.training.models import TrainingSession

_NAMESPACE = uuid.UUID("6f1c1f39-4b0e-4c55-9a57-0d7c6d1b7a11")
CAREPLAN_STATUS = {"draft": "draft", "active": "active", "completed": "completed"}
GENDER = {"female": "female", "male": "male"}


def _urn(kind: str, number: int) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}/{number}')}"


def _ref(kind: str, number: int) -> dict:
    return {"reference": _urn(kind, number)}


def _number(value) -> float | int:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _clean(resource: dict) -> dict:
    """FHIR allows no empty values: drop None, empty strings, lists and objects."""
    cleaned = {}
    for key, value in resource.items():
        if isinstance(value, dict):
            value = _clean(value)
        elif isinstance(value, list):
            value = [_clean(v) if isinstance(v, dict) else v for v in value]
            value = [v for v in value if v not in (None, "", {}, [])]
        if value not in (None, "", {}, []):
            cleaned[key] = value
    return cleaned


def _entry(kind: str, number: int, resource: dict) -> dict:
    return {"fullUrl": _urn(kind, number), "resource": _clean(resource)}


# --- loading ------------------------------------------------------------------------------


def _load(patient: Patient):
    programmes = list(
        db.session.scalars(
            select(Programme)
            .where(Programme.patient_id == patient.id, Programme.is_template.is_(False))
            .options(
                selectinload(Programme.phases)
                .selectinload(Phase.prescriptions)
                .joinedload(Prescription.exercise)
            )
            .order_by(Programme.id)
        )
    )
    analyses = list(
        db.session.scalars(
            select(MovementAnalysis)
            .where(MovementAnalysis.patient_id == patient.id)
            .options(joinedload(MovementAnalysis.therapist))
            .order_by(MovementAnalysis.recorded_on, MovementAnalysis.id)
        )
    )
    sessions = list(
        db.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.patient_id == patient.id)
            .options(selectinload(TrainingSession.exercises))
            .order_by(TrainingSession.session_date, TrainingSession.id)
        )
    )
    return programmes, analyses, sessions


# --- resources ----------------------------------------------------------------------------


def _patient(patient: Patient) -> dict:
    telecom = [{"system": "email", "value": patient.email}] if patient.email else []
    if patient.phone:
        telecom.append({"system": "phone", "value": patient.phone})
    return {
        "resourceType": "Patient",
        "identifier": [{"system": identifier_system("patient"), "value": str(patient.id)}],
        "active": patient.status == "active",
        "name": [{"family": patient.last_name, "given": [patient.first_name]}],
        "telecom": telecom,
        "gender": GENDER.get(patient.sex or "", "unknown"),
        "birthDate": patient.date_of_birth.isoformat() if patient.date_of_birth else None,
        "communication": [
            {
                "language": {
                    "coding": [{"system": "urn:ietf:bcp:47", "code": patient.preferred_language}]
                }
            }
        ],
        "generalPractitioner": [_ref("Practitioner", patient.therapist_id)],
    }


def _practitioner(user) -> dict:
    return {
        "resourceType": "Practitioner",
        "identifier": [{"system": identifier_system("user"), "value": str(user.id)}],
        "name": [{"text": user.full_name}],
    }


def _phase_status(phase: Phase, programme: Programme) -> str:
    if phase.ended_on or programme.status == "completed":
        return "completed"
    if phase.id == programme.current_phase_id and programme.status == "active":
        return "in-progress"
    return "in-progress" if phase.started_on else "not-started"


def _period(start, end) -> dict | None:
    period = {
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
    }
    return period if any(period.values()) else None


def _care_plan(programme: Programme, patient: Patient) -> dict:
    activities = [
        {
            "detail": {
                "status": _phase_status(phase, programme),
                "description": f"{phase.position}. {phase.name}"
                + (f": {phase.goal}" if phase.goal else ""),
                "scheduledPeriod": _period(phase.started_on, phase.ended_on),
            }
        }
        for phase in programme.phases
    ]
    activities += [
        {"reference": _ref("ServiceRequest", p.id)}
        for phase in programme.phases
        for p in phase.prescriptions
    ]
    return {
        "resourceType": "CarePlan",
        "identifier": [{"system": identifier_system("programme"), "value": str(programme.id)}],
        "status": CAREPLAN_STATUS.get(programme.status, "unknown"),
        "intent": "plan",
        "title": programme.title,
        "description": programme.description,
        "subject": _ref("Patient", patient.id),
        "period": _period(programme.started_on, programme.ended_on),
        "author": _ref("Practitioner", patient.therapist_id),
        "activity": activities,
    }


def _dose_text(p: Prescription) -> str:
    parts = [f"{p.sets} ×"]
    if p.reps_min is not None:
        parts.append(
            f"{p.reps_min}"
            + (f"–{p.reps_max}" if p.reps_max and p.reps_max != p.reps_min else "")
            + " reps"
        )
    if p.hold_seconds:
        parts.append(f"{p.hold_seconds} s hold")
    if p.duration_seconds:
        parts.append(f"{p.duration_seconds} s")
    if p.distance_m:
        parts.append(f"{p.distance_m} m")
    if p.load_kg is not None:
        parts.append(f"{_number(p.load_kg)} kg")
    return " ".join(parts)


def _request_status(p: Prescription, programme: Programme) -> str:
    if p.archived_at is not None:
        return "revoked"
    return {"active": "active", "completed": "completed"}.get(programme.status, "draft")


def _service_request(p: Prescription, phase: Phase, programme: Programme, patient: Patient) -> dict:
    exercise = p.exercise
    name = exercise.name_en if programme.language == "en" else exercise.name_nl
    timing = {"repeat": {"frequency": p.days_per_week, "period": 1, "periodUnit": "wk"}}
    return {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": identifier_system("prescription"), "value": str(p.id)}],
        "basedOn": [_ref("CarePlan", programme.id)],
        "status": _request_status(p, programme),
        "intent": "order",
        "category": [{"text": "Exercise therapy"}],
        "code": {
            "coding": [
                {
                    "system": code_system("exercise"),
                    "code": exercise.slug or f"exercise-{exercise.id}",
                    "display": name,
                }
            ],
            "text": name,
        },
        "subject": _ref("Patient", patient.id),
        "occurrenceTiming": timing if p.days_per_week else None,
        "requester": _ref("Practitioner", patient.therapist_id),
        "note": [
            {"text": f"{phase.name}: {_dose_text(p)}"},
            {"text": p.notes} if p.notes else None,
        ],
    }


def _measure_observation(analysis: MovementAnalysis, measure, key: str, value, patient) -> dict:
    unit_code, unit_text = ucum(str(measure.unit))
    codings = [{"system": code_system("measure"), "code": key, "display": str(measure.label)}]
    if key in STANDARD_CODES:
        system, code, display = STANDARD_CODES[key]
        codings.insert(0, {"system": system, "code": code, "display": display})
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "exam",
                    }
                ]
            }
        ],
        "code": {"coding": codings, "text": str(measure.label)},
        "subject": _ref("Patient", patient.id),
        "effectiveDateTime": analysis.recorded_on.isoformat(),
        "performer": [_ref("Practitioner", analysis.therapist_id)],
        "valueQuantity": {
            "value": _number(value),
            "unit": unit_text,
            "system": UCUM,
            "code": unit_code,
        },
    }


def _questionnaire_response(analysis: MovementAnalysis, measure, value, patient) -> dict:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire_url(measure.key),
        "status": "completed",
        "subject": _ref("Patient", patient.id),
        "authored": analysis.recorded_on.isoformat(),
        "author": _ref("Practitioner", analysis.therapist_id),
        "item": [
            {
                "linkId": f"{measure.key}-score",
                "text": str(measure.label),
                "answer": [{"valueDecimal": float(value)}],
            }
        ],
    }


def _component(code: str, display: str, value, unit: str) -> dict | None:
    if value is None:
        return None
    unit_code, unit_text = ucum(unit)
    return {
        "code": {
            "coding": [{"system": code_system("session-log"), "code": code, "display": display}]
        },
        "valueQuantity": {
            "value": _number(value),
            "unit": unit_text,
            "system": UCUM,
            "code": unit_code,
        },
    }


def _session_observation(session: TrainingSession, patient: Patient) -> dict:
    pains = [log.pain_during for log in session.exercises if log.pain_during is not None]
    return {
        "resourceType": "Observation",
        "identifier": [{"system": identifier_system("session"), "value": str(session.id)}],
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "activity",
                    }
                ]
            }
        ],
        "code": {
            "coding": [
                {
                    "system": code_system("session-log"),
                    "code": "home-session",
                    "display": "Home exercise session",
                }
            ],
            "text": "Home exercise session",
        },
        "subject": _ref("Patient", patient.id),
        "effectiveDateTime": session.session_date.isoformat(),
        "issued": session.created_at.isoformat(),
        "note": [{"text": session.note}] if session.note else None,
        "component": [
            _component("duration", "Duration", session.duration_minutes, "min"),
            _component("session-rpe", "Session effort (CR-10)", session.session_rpe, "0–10"),
            _component("pain-after", "Pain after the session (NPRS)", session.pain_after, "0–10"),
            _component(
                "pain-during-max",
                "Highest pain during an exercise (NPRS)",
                max(pains) if pains else None,
                "0–10",
            ),
        ],
    }


def patient_bundle(patient: Patient) -> dict:
    """The bundle of one patient (loaded in a fixed number of queries)."""
    programmes, analyses, sessions = _load(patient)
    practitioners = {patient.therapist_id: patient.therapist}
    practitioners.update({a.therapist_id: a.therapist for a in analyses})
    entries = [_entry("Patient", patient.id, _patient(patient))]
    entries += [
        _entry("Practitioner", uid, _practitioner(u)) for uid, u in sorted(practitioners.items())
    ]
    for programme in programmes:
        entries.append(_entry("CarePlan", programme.id, _care_plan(programme, patient)))
        for phase in programme.phases:
            entries += [
                _entry("ServiceRequest", p.id, _service_request(p, phase, programme, patient))
                for p in phase.prescriptions
            ]
    for analysis in analyses:
        for measure in measures.MEASURES.values():
            for key in measure.field_names():
                value = getattr(analysis, key)
                if value is None:
                    continue
                number = f"{analysis.id}/{key}"
                if measure.key in QUESTIONNAIRES:
                    resource = _questionnaire_response(analysis, measure, value, patient)
                    entries.append(
                        {
                            "fullUrl": _urn("QuestionnaireResponse", number),
                            "resource": _clean(resource),
                        }
                    )
                else:
                    resource = _measure_observation(analysis, measure, key, value, patient)
                    entries.append(
                        {"fullUrl": _urn("Observation", number), "resource": _clean(resource)}
                    )
    entries += [
        _entry("SessionObservation", s.id, _session_observation(s, patient)) for s in sessions
    ]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(_NAMESPACE, f"bundle/{patient.id}")),
        "meta": {"lastUpdated": utcnow().isoformat()},
        "type": "collection",
        "timestamp": utcnow().isoformat(),
        "entry": entries,
    }


def bundle_json(patient: Patient) -> bytes:
    import json

    return json.dumps(patient_bundle(patient), ensure_ascii=False, indent=2).encode()


def _bundle_for_export(actor, patient: Patient):
    """The GDPR export (rehab.privacy) carries the same bundle as the API."""
    yield "fhir-bundle.json", bundle_json(patient)


def register_export() -> None:
    from rehab.privacy.export import register_attachment

    register_attachment(_bundle_for_export)
