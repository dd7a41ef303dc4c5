"""Rows for the foundation's routes: log-in, accounts, staff, language, caseload, audit."""

from tests.role_matrix import (
    ADMIN_PAGE,
    STAFF_OBJECT,
    STAFF_PAGE,
    Case,
    expect,
)


def extend_world(world) -> None:
    """The foundation's objects are already in the world."""


CASES = [
    Case("main.index", expect(302, 302, 302, 302, 302, 302)),
    Case("main.health", expect(200, 200, 200, 200, 200, 200)),
    Case("main.robots", expect(200, 200, 200, 200, 200, 200)),
    Case(
        "main.set_language",
        expect(302, 302, 302, 302, 302, 302),
        method="POST",
        data=lambda w: {"language": "en"},
    ),
    # Logged-in users are sent on to their start page.
    Case("auth.login", expect(200, 302, 302, 302, 302, 302)),
    Case(
        "auth.login",
        expect(200, 302, 302, 302, 302, 302),
        method="POST",
        data=lambda w: {"email": "nobody@example.test", "password": "wrong password"},
    ),
    Case("auth.logout", expect(302, 302, 302, 302, 302, 302), method="POST"),
    Case("auth.change_password", expect(302, 200, 200, 200, 200, 200)),
    Case("auth.change_password", expect(302, 200, 200, 200, 200, 200), method="POST"),
    # An unknown token: everyone gets the same clear 404 page.
    Case(
        "auth.activate",
        expect(404, 404, 404, 404, 404, 404),
        params=lambda w: {"token": "not-a-real-token"},
    ),
    Case(
        "auth.activate",
        expect(404, 404, 404, 404, 404, 404),
        method="POST",
        params=lambda w: {"token": "not-a-real-token"},
    ),
    # Without a link to show, staff are sent back to the caseload.
    Case("auth.handover", expect(302, 403, 403, 302, 302, 302)),
    Case("auth.staff", ADMIN_PAGE),
    Case("auth.new_staff", ADMIN_PAGE),
    Case("auth.new_staff", ADMIN_PAGE, method="POST"),
    Case(
        "auth.reset_password",
        expect(302, 403, 403, 403, 403, 302),
        method="POST",
        params=lambda w: {"user_id": w.therapist.id},
    ),
    Case(
        "auth.set_active",
        expect(302, 403, 403, 403, 403, 302),
        method="POST",
        params=lambda w: {"user_id": w.other_patient.user_id},
    ),
    Case("patients.caseload", STAFF_PAGE),
    Case("patients.new", STAFF_PAGE),
    # Empty form: re-shown with messages (200), nothing created.
    Case("patients.new", STAFF_PAGE, method="POST"),
    Case("patients.detail", STAFF_OBJECT, params=lambda w: {"patient_id": w.patient.id}),
    Case(
        "patients.account_link",
        expect(302, 403, 403, 302, 404, 302),
        method="POST",
        params=lambda w: {"patient_id": w.patient.id},
    ),
    Case("audit.index", ADMIN_PAGE),
]
