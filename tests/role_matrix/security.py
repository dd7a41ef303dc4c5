"""Rows for two-step verification, the account page, clinic settings, the access log's
export, the patient's access page, and the export and destruction of a record."""

from rehab.auth.models import UserSession
from rehab.extensions import db
from rehab.privacy.models import DestructionRequest
from tests.factories import make_patient
from tests.role_matrix import ADMIN_PAGE, PATIENT_PAGE, STAFF_OBJECT, Case, expect

LOGGED_IN = expect(302, 200, 200, 200, 200, 200)
LOGGED_IN_POST = expect(302, 302, 302, 302, 302, 302)


def extend_world(world) -> None:
    # A second login of patient P, for the per-session revoke button.
    login = UserSession(user_id=world.patient.user_id, token=f"matrix-{world.patient.id}")
    db.session.add(login)
    # A patient whose destruction the therapist asked for; the admin may confirm it.
    doomed = make_patient(world.clinic, world.therapist, first_name="Dirk")
    db.session.flush()
    request = DestructionRequest(
        clinic_id=world.clinic.id,
        patient_id=doomed.id,
        reason="Written request of the patient",
        requested_by_id=world.therapist.id,
    )
    db.session.add(request)
    db.session.commit()
    world.extra.update(patient_login=login, doomed=doomed, destruction_request=request)


def _doomed(w) -> dict:
    return {"patient_id": w.doomed.id, "request_id": w.destruction_request.id}


CASES = [
    # Without a password step in progress, the second step sends everyone back.
    Case("auth.login_verify", expect(302, 302, 302, 302, 302, 302)),
    Case("auth.login_verify", expect(302, 302, 302, 302, 302, 302), method="POST"),
    Case("auth.account", LOGGED_IN),
    Case("auth.reauthenticate", LOGGED_IN),
    # An empty form is shown again with its messages.
    Case("auth.reauthenticate", LOGGED_IN, method="POST"),
    Case("auth.change_email", LOGGED_IN),
    Case("auth.change_email", LOGGED_IN, method="POST"),
    Case("auth.two_factor_setup", LOGGED_IN),
    Case("auth.two_factor_setup", LOGGED_IN, method="POST"),
    # Not enrolled: back to the account page.
    Case("auth.recovery_codes", LOGGED_IN_POST, method="POST"),
    Case("auth.two_factor_disable", LOGGED_IN_POST, method="POST"),
    # Only patient P's own session; everyone else's answer is 404.
    Case(
        "auth.revoke_session",
        expect(302, 302, 404, 404, 404, 404),
        method="POST",
        params=lambda w: {"session_id": w.patient_login.id},
    ),
    Case("auth.revoke_other_sessions", LOGGED_IN_POST, method="POST"),
    Case(
        "auth.reset_two_factor",
        expect(302, 403, 403, 403, 403, 302),
        method="POST",
        params=lambda w: {"user_id": w.therapist.id},
    ),
    Case("auth.clinic_settings", ADMIN_PAGE),
    Case("auth.clinic_settings", ADMIN_PAGE, method="POST"),
    Case("audit.export", ADMIN_PAGE),
    Case("audit.my_record_access", PATIENT_PAGE),
    Case("privacy.export", STAFF_OBJECT, params=lambda w: {"patient_id": w.patient.id}),
    Case("privacy.destruction", STAFF_OBJECT, params=lambda w: {"patient_id": w.patient.id}),
    Case(
        "privacy.destruction",
        STAFF_OBJECT,
        method="POST",
        params=lambda w: {"patient_id": w.patient.id},
    ),
    # The therapist asked, so their confirmation is refused (302 back with a message); the
    # admin's confirmation destroys the record.
    Case(
        "privacy.confirm_destruction",
        expect(302, 403, 403, 302, 404, 302),
        method="POST",
        params=_doomed,
    ),
    Case(
        "privacy.cancel_destruction",
        expect(302, 403, 403, 302, 404, 302),
        method="POST",
        params=_doomed,
    ),
]
