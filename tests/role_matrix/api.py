"""Rows for the JSON API (/api/v1/), its documentation and the account page's tokens.

The rows run with the login cookie like every page (the API accepts it, with CSRF on
writes); tests/api/test_role_matrix_tokens.py runs the same rows with personal access
tokens. Without either the API answers 401 (problem details), never a redirect. Another
clinic's record is a 404, as on the pages; suggestions and alerts are for staff (403).
"""

from __future__ import annotations

import itertools
import secrets

from rehab.api import tokens
from rehab.api.models import TokenScope
from tests.role_matrix import PUBLIC_PAGE, STAFF_OBJECT, STAFF_PAGE, Case, expect

LOGGED_IN = expect(302, 200, 200, 200, 200, 200)
API_ANYONE = expect(401, 200, 200, 200, 200, 200)
API_STAFF = expect(401, 403, 403, 200, 200, 200)
API_STAFF_OBJECT = expect(401, 403, 403, 200, 404, 200)
# Patient P's record: P, and staff of clinic A.
API_PATIENT_OBJECT = expect(401, 200, 404, 200, 404, 200)


def extend_world(world) -> None:
    token, _secret = tokens.create_token(
        world.therapist, name="matrix", scope=TokenScope.READ, days=30
    )
    world.extra.update(therapist_token=token)


def _patient(w) -> dict:
    return {"patient_id": w.patient.id}


_emails = itertools.count()


def _new_patient(w) -> dict:
    return {
        "first_name": "Nina",
        "last_name": "Nieuw",
        "email": f"nina{next(_emails)}-{secrets.token_hex(3)}@example.org",
    }


def _session(w) -> dict:
    from tests.training.factories import today

    return {
        "submission_key": secrets.token_urlsafe(24),
        "session_date": today().isoformat(),
        "duration_minutes": 30,
        "session_rpe": 5,
        "exercises": [{"prescription_id": w.plan["squat"].id, "as_prescribed": True}],
    }


def _check_in(w) -> dict:
    from tests.training.factories import today

    return {
        "check_date": today().isoformat(),
        "morning_pain": 2,
        "stiffness_minutes": 5,
        "sleep_quality": "good",
        "worse_than_yesterday": False,
    }


CASES = [
    Case("api_docs.openapi_json", PUBLIC_PAGE),
    Case("api_docs.docs_page", PUBLIC_PAGE),
    Case("api_tokens.index", LOGGED_IN),
    # The answer shows the new token (200).
    Case(
        "api_tokens.create",
        LOGGED_IN,
        method="POST",
        data=lambda w: {"name": "sync", "scope": "read", "days": "30"},
    ),
    # Only the therapist's own token: everyone else's attempt is a 404.
    Case(
        "api_tokens.revoke",
        expect(302, 404, 404, 302, 404, 404),
        method="POST",
        params=lambda w: {"token_id": w.therapist_token.id},
    ),
    Case("api.me", API_ANYONE),
    Case("api.exercises", API_STAFF),
    Case("api.exercise", API_STAFF_OBJECT, params=lambda w: {"exercise_id": w.exercise.id}),
    Case("api.patients", API_STAFF),
    Case("api.patient", API_PATIENT_OBJECT, params=_patient),
    Case("api.programme", API_PATIENT_OBJECT, params=_patient),
    Case("api.sessions", API_PATIENT_OBJECT, params=_patient),
    Case("api.check_ins", API_PATIENT_OBJECT, params=_patient),
    Case("api.analyses", API_PATIENT_OBJECT, params=_patient),
    Case("api.suggestions", API_STAFF_OBJECT, params=_patient),
    Case("api.alerts", API_STAFF_OBJECT, params=_patient),
    Case("api.fhir_bundle", API_PATIENT_OBJECT, params=_patient),
    # The therapist's CSV downloads (pages, so the login redirect for anonymous).
    Case("exports.patient_sessions", STAFF_OBJECT, params=_patient),
    Case("exports.caseload", STAFF_PAGE),
    # Creates. A new record in the therapist's own clinic (201); patients may not; an admin
    # must name the therapist (422 without one).
    Case("api.create_patient", expect(401, 403, 403, 201, 201, 422), method="POST",
         json=_new_patient),
    # The patient's own app; check-ins: today's exists already (training area), so 200.
    Case("api.log_session", expect(401, 201, 404, 403, 403, 403), method="POST",
         params=_patient, json=_session),
    Case("api.save_check_in", expect(401, 200, 404, 403, 403, 403), method="POST",
         params=_patient, json=_check_in),
    # The therapist decides (200); the admin after them finds it decided (409).
    Case("api.decide_suggestion", expect(401, 403, 403, 200, 404, 409), method="POST",
         params=lambda w: {"patient_id": w.patient.id, "suggestion_id": w.suggestion.id},
         json=lambda w: {"decision": "dismiss", "note": "not now"}),
]  # fmt: skip
