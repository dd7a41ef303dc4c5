"""What the API accepts on its creates: the same bounds as the pages' forms."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from rehab.core.i18n import lazy_gettext as _l
from rehab.training.forms import SKIP_REASONS
from rehab.training.models import EXERCISE_FEELS, SLEEP_QUALITIES


def _count(maximum: int, **kwargs) -> fields.Integer:
    return fields.Integer(
        validate=validate.Range(
            min=0, max=maximum, error=_l("Enter a whole number from 0 to %(max)s.", max=maximum)
        ),
        allow_none=True,
        load_default=None,
        **kwargs,
    )


def _scale(message) -> fields.Integer:
    return fields.Integer(
        validate=validate.Range(min=0, max=10, error=message), allow_none=True, load_default=None
    )


class PatientIn(ma.Schema):
    """A new patient record; its account gets a link to set a password (made on the
    patient's page, never sent back here)."""

    first_name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    date_of_birth = fields.Date(load_default=None, allow_none=True)
    sex = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=8))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    preferred_language = fields.String(load_default=None, validate=validate.OneOf(["nl", "en"]))
    therapist_id = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "A therapist of the clinic; a therapist's own id by default"},
    )
    main_complaint = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=2000)
    )
    body_region = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=32)
    )


class ExerciseLogIn(ma.Schema):
    prescription_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    as_prescribed = fields.Boolean(load_default=False)
    skipped = fields.Boolean(load_default=False)
    skip_reason = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(list(SKIP_REASONS))
    )
    sets = _count(20)
    reps = _count(100)
    hold_seconds = _count(600)
    duration_seconds = _count(14400)
    distance_m = _count(100000)
    load_kg = fields.Float(
        load_default=None,
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=500, error=_l("Enter a weight from 0 to 500 kg.")),
    )
    pain_during = _scale(_l("Pain is a number from 0 to 10."))
    effort = _scale(_l("Effort is a number from 0 to 10."))
    feel = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(EXERCISE_FEELS)
    )


class SessionIn(ma.Schema):
    submission_key = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z0-9_-]{16,64}$"),
        metadata={
            "description": "Idempotency key: the same key again returns the stored session "
            "(200) instead of a second one (201)"
        },
    )
    session_date = fields.Date(required=True)
    duration_minutes = fields.Integer(
        required=True,
        validate=validate.Range(
            min=1, max=600, error=_l("Enter a number of minutes from 1 to 600.")
        ),
    )
    session_rpe = fields.Integer(
        required=True,
        validate=validate.Range(min=0, max=10, error=_l("Effort is a number from 0 to 10.")),
        metadata={"description": "How hard the session was, CR-10"},
    )
    pain_after = _scale(_l("Pain is a number from 0 to 10."))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    exercises = fields.List(
        fields.Nested(ExerciseLogIn), required=True, validate=validate.Length(min=1, max=40)
    )


class CheckInIn(ma.Schema):
    check_date = fields.Date(required=True)
    morning_pain = fields.Integer(
        required=True,
        validate=validate.Range(min=0, max=10, error=_l("Pain is a number from 0 to 10.")),
    )
    stiffness_minutes = fields.Integer(
        required=True,
        validate=validate.Range(
            min=0, max=1440, error=_l("Enter a number of minutes from 0 to 1440.")
        ),
    )
    sleep_quality = fields.String(required=True, validate=validate.OneOf(SLEEP_QUALITIES))
    worse_than_yesterday = fields.Boolean(required=True)
    leg_pain_spreading = fields.Boolean(load_default=False)
    numbness = fields.Boolean(load_default=False)
    bladder_bowel = fields.Boolean(load_default=False)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class DecisionIn(ma.Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["accept", "dismiss"]))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
