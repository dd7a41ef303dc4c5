"""What the API sends and accepts, as marshmallow schemas (the OpenAPI document's components)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate


class ProblemSchema(ma.Schema):
    """Problem details (RFC 9457)."""

    type = fields.String(metadata={"description": "'about:blank': the status says it all"})
    title = fields.String(metadata={"description": "The HTTP status phrase"})
    status = fields.Integer()
    detail = fields.String(metadata={"description": "What went wrong, in the user's language"})
    instance = fields.String(metadata={"description": "The path of the request"})
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Per field: what is wrong with its value (status 422)"},
    )


class MeSchema(ma.Schema):
    id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": ["admin", "therapist", "patient"]})
    clinic_id = fields.Integer(required=True)
    clinic_name = fields.String(required=True)
    token_scope = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "'read' or 'read_write'; null when the login cookie is used"},
    )
    patient_id = fields.Integer(
        allow_none=True, required=True, metadata={"description": "A patient's own record"}
    )


# --- the library ------------------------------------------------------------------------------


class ExerciseSchema(ma.Schema):
    id = fields.Integer(required=True)
    builtin = fields.Boolean(required=True, metadata={"description": "From Rehab's library"})
    slug = fields.String(allow_none=True, required=True)
    name_nl = fields.String(required=True)
    name_en = fields.String(required=True)
    category = fields.String(required=True)
    difficulty = fields.Integer(required=True)
    dosage_type = fields.String(required=True)
    sets = fields.Integer(required=True)
    reps = fields.Integer(allow_none=True, required=True)
    hold_seconds = fields.Integer(allow_none=True, required=True)
    duration_seconds = fields.Integer(allow_none=True, required=True)
    distance_m = fields.Integer(allow_none=True, required=True)
    rest_seconds = fields.Integer(allow_none=True, required=True)
    unilateral = fields.Boolean(required=True)
    progression_id = fields.Integer(allow_none=True, required=True)
    regression_id = fields.Integer(allow_none=True, required=True)


# --- patients ---------------------------------------------------------------------------------


class PersonSchema(ma.Schema):
    id = fields.Integer(required=True)
    full_name = fields.String(required=True)


class PatientSchema(ma.Schema):
    id = fields.Integer(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    date_of_birth = fields.Date(allow_none=True, required=True)
    sex = fields.String(allow_none=True, required=True)
    email = fields.String(allow_none=True, required=True)
    phone = fields.String(allow_none=True, required=True)
    preferred_language = fields.String(required=True, metadata={"enum": ["nl", "en"]})
    status = fields.String(required=True, metadata={"enum": ["active", "discharged"]})
    therapist = fields.Nested(PersonSchema, required=True)
    main_complaint = fields.String(allow_none=True, required=True)
    body_region = fields.String(allow_none=True, required=True)
    onset_date = fields.Date(allow_none=True, required=True)
    discharged_on = fields.Date(allow_none=True, required=True)
    created_at = fields.AwareDateTime(required=True)


class CaseloadArgs(ma.Schema):
    status = fields.String(
        load_default="active", validate=validate.OneOf(["active", "discharged", "all"])
    )
    scope = fields.String(
        load_default="clinic",
        validate=validate.OneOf(["mine", "clinic"]),
        metadata={"description": "'mine': a therapist's own patients; 'clinic': all"},
    )


# --- programmes -------------------------------------------------------------------------------


class PrescriptionSchema(ma.Schema):
    id = fields.Integer(required=True)
    exercise_id = fields.Integer(required=True)
    exercise_name = fields.String(
        required=True, metadata={"description": "In the programme's language"}
    )
    position = fields.Integer(required=True)
    session_label = fields.String(allow_none=True, required=True)
    sets = fields.Integer(required=True)
    dosage_type = fields.String(required=True)
    reps_min = fields.Integer(allow_none=True, required=True)
    reps_max = fields.Integer(allow_none=True, required=True)
    hold_seconds = fields.Integer(allow_none=True, required=True)
    duration_seconds = fields.Integer(allow_none=True, required=True)
    distance_m = fields.Integer(allow_none=True, required=True)
    load_kind = fields.String(required=True)
    load_kg = fields.Float(allow_none=True, required=True)
    band_colour = fields.String(allow_none=True, required=True)
    rest_seconds = fields.Integer(allow_none=True, required=True)
    tempo = fields.String(allow_none=True, required=True)
    days_per_week = fields.Integer(allow_none=True, required=True)
    sides = fields.String(required=True)
    notes = fields.String(allow_none=True, required=True)
    progression_mode = fields.String(required=True, attribute="mode")
    paused = fields.Boolean(required=True)
    archived = fields.Boolean(required=True)


class ExitCriterionSchema(ma.Schema):
    id = fields.Integer(required=True)
    label = fields.String(required=True)
    kind = fields.String(required=True)
    measure = fields.String(allow_none=True, required=True)
    comparison = fields.String(required=True)
    target = fields.Float(allow_none=True, required=True)
    met_at = fields.AwareDateTime(allow_none=True, required=True, attribute="checked_at")


class PhaseSchema(ma.Schema):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    name = fields.String(required=True)
    goal = fields.String(allow_none=True, required=True)
    planned_weeks = fields.Integer(allow_none=True, required=True)
    sessions_per_week = fields.Integer(allow_none=True, required=True)
    started_on = fields.Date(allow_none=True, required=True)
    ended_on = fields.Date(allow_none=True, required=True)
    exit_criteria = fields.List(fields.Nested(ExitCriterionSchema), required=True)
    prescriptions = fields.List(fields.Nested(PrescriptionSchema), required=True)


class ProgrammeSchema(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(allow_none=True, required=True)
    language = fields.String(required=True)
    status = fields.String(required=True)
    started_on = fields.Date(allow_none=True, required=True)
    ended_on = fields.Date(allow_none=True, required=True)
    current_phase_id = fields.Integer(allow_none=True, required=True)
    phases = fields.List(fields.Nested(PhaseSchema), required=True)


# --- sessions and check-ins -------------------------------------------------------------------


class ExerciseLogSchema(ma.Schema):
    prescription_id = fields.Integer(required=True)
    exercise_id = fields.Integer(required=True)
    skipped = fields.Boolean(required=True)
    skip_reason = fields.String(allow_none=True, required=True)
    sets_done = fields.Integer(allow_none=True, required=True)
    reps_done = fields.Integer(allow_none=True, required=True)
    hold_seconds_done = fields.Integer(allow_none=True, required=True)
    duration_seconds_done = fields.Integer(allow_none=True, required=True)
    distance_m_done = fields.Integer(allow_none=True, required=True)
    load_kg = fields.Float(allow_none=True, required=True)
    pain_during = fields.Integer(allow_none=True, required=True)
    effort = fields.Float(allow_none=True, required=True)


class SessionSchema(ma.Schema):
    id = fields.Integer(required=True)
    session_date = fields.Date(required=True)
    duration_minutes = fields.Integer(required=True)
    session_rpe = fields.Integer(required=True, metadata={"description": "How hard, CR-10"})
    pain_after = fields.Integer(allow_none=True, required=True)
    note = fields.String(allow_none=True, required=True)
    programme_id = fields.Integer(allow_none=True, required=True)
    phase_id = fields.Integer(allow_none=True, required=True)
    submission_key = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    exercises = fields.List(fields.Nested(ExerciseLogSchema), required=True)


class CheckInSchema(ma.Schema):
    id = fields.Integer(required=True)
    check_date = fields.Date(required=True)
    morning_pain = fields.Integer(required=True)
    stiffness_minutes = fields.Integer(required=True)
    sleep_quality = fields.String(allow_none=True, required=True)
    worse_than_yesterday = fields.Boolean(allow_none=True, required=True)
    leg_pain_spreading = fields.Boolean(required=True)
    numbness = fields.Boolean(required=True)
    bladder_bowel = fields.Boolean(required=True)
    note = fields.String(allow_none=True, required=True)
    created_at = fields.AwareDateTime(required=True)


# --- suggestions, alerts, analyses ------------------------------------------------------------


class ReasonSchema(ma.Schema):
    code = fields.String(required=True)
    values = fields.Dict(keys=fields.String(), load_default=dict)


class SuggestionSchema(ma.Schema):
    id = fields.Integer(required=True)
    prescription_id = fields.Integer(required=True)
    action = fields.String(required=True, metadata={"enum": ["progress", "hold", "regress"]})
    new_dose = fields.Dict(keys=fields.String(), allow_none=True, required=True)
    new_exercise_id = fields.Integer(allow_none=True, required=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)
    status = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    decided_at = fields.AwareDateTime(allow_none=True, required=True)
    decided_by_id = fields.Integer(allow_none=True, required=True)
    note = fields.String(allow_none=True, required=True)


class OpenArgs(ma.Schema):
    state = fields.String(load_default="open", validate=validate.OneOf(["open", "all"]))


class AlertSchema(ma.Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    severity = fields.String(required=True)
    evidence = fields.Dict(keys=fields.String(), required=True)
    session_id = fields.Integer(allow_none=True, required=True)
    check_in_id = fields.Integer(allow_none=True, required=True)
    prescription_id = fields.Integer(allow_none=True, required=True)
    created_at = fields.AwareDateTime(required=True)
    acknowledged_at = fields.AwareDateTime(allow_none=True, required=True)
    acknowledged_by_id = fields.Integer(allow_none=True, required=True)
    acknowledgement_note = fields.String(allow_none=True, required=True)


class MeasureValueSchema(ma.Schema):
    key = fields.String(required=True, metadata={"description": "e.g. hip_flexion_left"})
    value = fields.Float(required=True)
    unit = fields.String(required=True)


class AnalysisSchema(ma.Schema):
    id = fields.Integer(required=True)
    recorded_on = fields.Date(required=True)
    kind = fields.String(required=True)
    therapist = fields.Nested(PersonSchema, required=True)
    activity_instrument = fields.String(allow_none=True, required=True)
    start_back_group = fields.String(allow_none=True, required=True)
    measures = fields.List(fields.Nested(MeasureValueSchema), required=True)
