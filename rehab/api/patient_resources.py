"""A patient's programme, sessions, check-ins, suggestions, alerts and analyses.

Each view loads the patient through ``patient_for`` (staff of the clinic, or the patient
themself; 404 otherwise, and the access log notes the read), then reads only rows of that
patient. Suggestions and alerts are the therapist's: patients get 403 as on the pages.
"""

from __future__ import annotations

import marshmallow as ma
from flask import abort, current_app
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from rehab.api import bp
from rehab.api.access import ANYONE, STAFF, api_roles
from rehab.api.paging import DATE, INT, PageArgs, conditional, keyset_page, page_schema
from rehab.api.schemas import (
    AlertSchema,
    AnalysisSchema,
    CheckInSchema,
    OpenArgs,
    ProgrammeSchema,
    SessionSchema,
    SuggestionSchema,
)
from rehab.audit.services import record_read
from rehab.interop.fhir import bundle_json
from rehab.patients import measures
from rehab.patients.models import MovementAnalysis
from rehab.patients.services import patient_for
from rehab.programmes.models import Programme, Suggestion
from rehab.programmes.services import active_programme
from rehab.training.models import Alert, CheckIn, TrainingSession

FHIR_JSON = "application/fhir+json"
SessionPage = page_schema(SessionSchema, "SessionPage")
CheckInPage = page_schema(CheckInSchema, "CheckInPage")
SuggestionPage = page_schema(SuggestionSchema, "SuggestionPage")
AlertPage = page_schema(AlertSchema, "AlertPage")
AnalysisPage = page_schema(AnalysisSchema, "AnalysisPage")


def _patient(patient_id: int, what: str):
    return patient_for(current_user._get_current_object(), patient_id, what=what)


def programme_data(programme: Programme) -> dict:
    """The programme with its phases and their prescriptions, as the schema wants it."""
    name = "name_en" if programme.language == "en" else "name_nl"
    return {
        "id": programme.id,
        "title": programme.title,
        "description": programme.description,
        "language": programme.language,
        "status": programme.status,
        "started_on": programme.started_on,
        "ended_on": programme.ended_on,
        "current_phase_id": programme.current_phase_id,
        "phases": [
            {
                **{key: getattr(phase, key) for key in _PHASE_FIELDS},
                "exit_criteria": phase.criteria,
                "prescriptions": [
                    {
                        **{key: getattr(p, key) for key in _PRESCRIPTION_FIELDS},
                        "exercise_name": getattr(p.exercise, name),
                        "archived": p.archived_at is not None,
                    }
                    for p in phase.prescriptions
                ],
            }
            for phase in programme.phases
        ],
    }


_PHASE_FIELDS = (
    "id", "position", "name", "goal", "planned_weeks", "sessions_per_week", "started_on",
    "ended_on",
)  # fmt: skip
_PRESCRIPTION_FIELDS = (
    "id", "exercise_id", "position", "session_label", "sets", "dosage_type", "reps_min",
    "reps_max", "hold_seconds", "duration_seconds", "distance_m", "load_kind", "load_kg",
    "band_colour", "rest_seconds", "tempo", "days_per_week", "sides", "notes", "mode", "paused",
)  # fmt: skip


@bp.route("/patients/<int:patient_id>/programme")
@api_roles(*ANYONE)
@bp.response(200, ProgrammeSchema)
@conditional
def programme(patient_id: int):
    """The patient's active programme: phases (with exit criteria) and prescriptions."""
    patient = _patient(patient_id, "programme")
    found = active_programme(patient.id)
    if found is None:
        abort(404)
    return programme_data(found)


@bp.route("/patients/<int:patient_id>/sessions")
@api_roles(*ANYONE)
@bp.arguments(PageArgs, location="query")
@bp.response(200, SessionPage)
@conditional
def sessions(args, patient_id: int):
    """Logged sessions, newest first, each with its exercises."""
    patient = _patient(patient_id, "training_session")
    stmt = (
        select(TrainingSession)
        .where(TrainingSession.patient_id == patient.id)
        .options(selectinload(TrainingSession.exercises))
    )
    rows, cursor = keyset_page(
        stmt,
        keys=[TrainingSession.session_date, TrainingSession.id],
        parsers=[DATE, INT],
        descending=True,
        args=args,
    )
    return {"items": rows, "next_cursor": cursor}


@bp.route("/patients/<int:patient_id>/check-ins")
@api_roles(*ANYONE)
@bp.arguments(PageArgs, location="query")
@bp.response(200, CheckInPage)
@conditional
def check_ins(args, patient_id: int):
    """Next-morning check-ins, newest first."""
    patient = _patient(patient_id, "check_in")
    rows, cursor = keyset_page(
        select(CheckIn).where(CheckIn.patient_id == patient.id),
        keys=[CheckIn.check_date, CheckIn.id],
        parsers=[DATE, INT],
        descending=True,
        args=args,
    )
    return {"items": rows, "next_cursor": cursor}


@bp.route("/patients/<int:patient_id>/suggestions")
@api_roles(*STAFF)
@bp.arguments(OpenArgs, location="query")
@bp.arguments(PageArgs, location="query")
@bp.response(200, SuggestionPage)
@conditional
def suggestions(state, args, patient_id: int):
    """Suggestions to progress, hold or regress, newest first (open ones by default)."""
    patient = _patient(patient_id, "suggestion")
    stmt = select(Suggestion).where(Suggestion.patient_id == patient.id)
    if state["state"] == "open":
        stmt = stmt.where(Suggestion.status == "open")
    rows, cursor = keyset_page(
        stmt, keys=[Suggestion.id], parsers=[INT], descending=True, args=args
    )
    return {"items": rows, "next_cursor": cursor}


@bp.route("/patients/<int:patient_id>/alerts")
@api_roles(*STAFF)
@bp.arguments(OpenArgs, location="query")
@bp.arguments(PageArgs, location="query")
@bp.response(200, AlertPage)
@conditional
def alerts(state, args, patient_id: int):
    """Alerts (load spikes, red pain responses, stiffness…), newest first."""
    patient = _patient(patient_id, "alert")
    stmt = select(Alert).where(Alert.patient_id == patient.id)
    if state["state"] == "open":
        stmt = stmt.where(Alert.acknowledged_at.is_(None))
    rows, cursor = keyset_page(stmt, keys=[Alert.id], parsers=[INT], descending=True, args=args)
    return {"items": rows, "next_cursor": cursor}


def analysis_measures(analysis: MovementAnalysis) -> list[dict]:
    """The recorded measures of an analysis (those left empty are left out)."""
    values = []
    for measure in measures.MEASURES.values():
        for key in measure.field_names():
            value = getattr(analysis, key)
            if value is not None:
                values.append({"key": key, "value": float(value), "unit": str(measure.unit)})
    return values


@bp.route("/patients/<int:patient_id>/analyses")
@api_roles(*ANYONE)
@bp.arguments(PageArgs, location="query")
@bp.response(200, AnalysisPage)
@conditional
def analyses(args, patient_id: int):
    """Movement analyses (intake and re-assessments) with their measures, newest first."""
    patient = _patient(patient_id, "movement_analysis")
    stmt = (
        select(MovementAnalysis)
        .where(MovementAnalysis.patient_id == patient.id)
        .options(joinedload(MovementAnalysis.therapist))
    )
    rows, cursor = keyset_page(
        stmt,
        keys=[MovementAnalysis.recorded_on, MovementAnalysis.id],
        parsers=[DATE, INT],
        descending=True,
        args=args,
    )
    items = []
    for analysis in rows:
        record_read(patient_id=patient.id, object_type="movement_analysis", object_id=analysis.id)
        items.append(
            {
                "id": analysis.id,
                "recorded_on": analysis.recorded_on,
                "kind": analysis.kind,
                "therapist": analysis.therapist,
                "activity_instrument": analysis.activity_instrument,
                "start_back_group": analysis.start_back_group,
                "measures": analysis_measures(analysis),
            }
        )
    return {"items": items, "next_cursor": cursor}


class BundleSchema(ma.Schema):
    """A FHIR R4 Bundle (type collection); its resources follow the FHIR specification."""

    resourceType = fields.String(required=True, metadata={"enum": ["Bundle"]})
    id = fields.String(required=True)
    meta = fields.Dict(required=True)
    type = fields.String(required=True, metadata={"enum": ["collection"]})
    timestamp = fields.String(required=True)
    entry = fields.List(fields.Dict(), required=True)


@bp.route("/patients/<int:patient_id>/fhir")
@api_roles(*ANYONE)
@bp.response(200, BundleSchema, content_type=FHIR_JSON)
@conditional
def fhir_bundle(patient_id: int):
    """The patient's record as a FHIR R4 Bundle: Patient, Practitioner, CarePlan with its
    phases, ServiceRequest per prescription, Observations, QuestionnaireResponses."""
    patient = _patient(patient_id, "patient_record")
    return current_app.response_class(bundle_json(patient), mimetype=FHIR_JSON)
