"""The API's creates: a patient (staff), a session and a check-in (the patient's own app),
and the therapist's decision on a suggestion.

Each runs the same service as its page, in one transaction, with the same checks: a patient
record goes through the page's form (the same rules and messages), a session through the
logging service (its submission key is the idempotency key: the same key again answers 200
with the stored session, never a second one).
"""

from __future__ import annotations

from decimal import Decimal

from flask_login import current_user
from flask_smorest import abort
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from rehab.api import bp
from rehab.api.access import STAFF, api_roles
from rehab.api.input_schemas import CheckInIn, DecisionIn, PatientIn, SessionIn
from rehab.api.schemas import CheckInSchema, PatientSchema, SessionSchema, SuggestionSchema
from rehab.auth.models import Role
from rehab.auth.services import EmailTaken
from rehab.core.clock import clinic_today
from rehab.core.forms import choices
from rehab.core.i18n import gettext as _
from rehab.extensions import db
from rehab.patients import services as patient_services
from rehab.patients.forms import PatientForm
from rehab.patients.models import Patient
from rehab.patients.services import patient_for
from rehab.training import check_ins, decisions
from rehab.training import services as training
from rehab.training.models import TrainingSession

# The page's record fields that the API takes (the rest stay for the page's full form).
API_RECORD_FIELDS = tuple(PatientIn().fields)


def _user():
    return current_user._get_current_object()


def _refused(errors: dict) -> None:
    abort(422, errors=errors)


@bp.route("/patients", methods=["POST"])
@api_roles(*STAFF, write=True)
@bp.arguments(PatientIn)
@bp.response(201, PatientSchema)
def create_patient(data):
    """A new patient record in the clinic, with an account that has no password yet (the
    therapist makes its link on the patient's page)."""
    user = _user()
    if data.get("therapist_id") is None and user.role == Role.THERAPIST:
        data["therapist_id"] = user.id
    if data.get("preferred_language") is None:
        data["preferred_language"] = user.clinic.default_locale
    plain = {k: ("" if v is None else str(v)) for k, v in data.items()}
    if data.get("date_of_birth") is not None:
        plain["date_of_birth"] = data["date_of_birth"].isoformat()
    form = PatientForm(formdata=MultiDict(plain), meta={"csrf": False})
    form.therapist_id.choices = choices(
        (t.id, t.full_name) for t in patient_services.clinic_therapists(user.clinic_id)
    )
    if not form.validate():
        _refused({name: list(errors) for name, errors in form.errors.items()})
    record = {name: getattr(form, name).data for name in API_RECORD_FIELDS}
    try:
        patient, _token = patient_services.create_patient(user, record)
    except EmailTaken:
        _refused({"email": [_("Another account already uses this e-mail address.")]})
    return db.session.get(Patient, patient.id, options=[joinedload(Patient.therapist)])


def _own_record(patient_id: int) -> Patient:
    """A patient's own record (another patient's is a 404, like the pages)."""
    return patient_for(_user(), patient_id)


def _exercise_entry(values: dict) -> training.ExerciseEntry:
    values = dict(values)
    for key in ("load_kg", "effort"):
        if values.get(key) is not None:
            # Weights to the 0.01 kg the form keeps (Numeric(6, 2)).
            values[key] = round(Decimal(str(values[key])), 2)
    return training.ExerciseEntry(**values)


@bp.route("/patients/<int:patient_id>/sessions", methods=["POST"])
@api_roles(Role.PATIENT, write=True)
@bp.arguments(SessionIn)
@bp.response(201, SessionSchema)
@bp.alt_response(200, schema=SessionSchema, description="Already stored under this key")
def log_session(data, patient_id: int):
    """Log a session of the patient's own programme (idempotent by ``submission_key``)."""
    patient = _own_record(patient_id)
    entry = training.SessionEntry(
        submission_key=data["submission_key"],
        session_date=data["session_date"],
        duration_minutes=data["duration_minutes"],
        session_rpe=data["session_rpe"],
        pain_after=data["pain_after"],
        note=data["note"] or None,
        exercises=tuple(_exercise_entry(exercise) for exercise in data["exercises"]),
    )
    try:
        session, created = training.log_session(
            _user(), patient, entry, today=clinic_today(patient.clinic)
        )
    except training.LoggingRefused as refused:
        _refused({refused.field or "_schema": [refused.message]})
    stored = db.session.get(
        TrainingSession,
        session.id,
        options=[selectinload(TrainingSession.exercises)],
        populate_existing=True,
    )
    return stored, 201 if created else 200


@bp.route("/patients/<int:patient_id>/check-ins", methods=["POST"])
@api_roles(Role.PATIENT, write=True)
@bp.arguments(CheckInIn)
@bp.response(201, CheckInSchema)
@bp.alt_response(200, schema=CheckInSchema, description="That day's check-in, updated")
def save_check_in(data, patient_id: int):
    """The next-morning check-in; a second one for the same day updates it."""
    patient = _own_record(patient_id)
    data["note"] = data["note"] or None
    try:
        check_in, created = check_ins.save_check_in(
            _user(), patient, check_ins.CheckInEntry(**data), today=clinic_today(patient.clinic)
        )
    except training.LoggingRefused as refused:
        _refused({refused.field or "_schema": [refused.message]})
    return check_in, 201 if created else 200


@bp.route("/patients/<int:patient_id>/suggestions/<int:suggestion_id>/decision", methods=["POST"])
@api_roles(*STAFF, write=True)
@bp.arguments(DecisionIn)
@bp.response(200, SuggestionSchema)
def decide_suggestion(data, patient_id: int, suggestion_id: int):
    """Accept (the prescription gets the suggested dose) or dismiss, with an optional note.
    An already decided suggestion, or one whose dose changed meanwhile, is a 409."""
    user = _user()
    patient, suggestion = decisions.suggestion_for(user, patient_id, suggestion_id)
    try:
        if data["decision"] == "accept":
            decisions.accept_suggestion(
                user,
                patient,
                suggestion,
                today=clinic_today(patient.clinic),
                note=data["note"] or None,
            )
        else:
            decisions.dismiss_suggestion(user, patient, suggestion, data["note"] or None)
    except decisions.DecisionRefused as refused:
        if str(refused) == "stale":
            abort(
                409,
                message=_(
                    "The dose changed since this suggestion was made; it has been set aside."
                ),
            )
        abort(409, message=_("This suggestion was already decided."))
    db.session.refresh(suggestion)
    return suggestion
