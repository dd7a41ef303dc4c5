"""The role matrix: for every route, the status each role must get.

Each area keeps its rows in its own module here (``CASES``) and may add the objects its
routes need to the shared world (``extend_world(world)``). ``tests/test_role_matrix.py``
walks every route in ``app.url_map`` and fails when one has no row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ANON, PAT, OTHER_PAT, THER, OTHER_THER, ADMIN = (
    "anonymous",
    "patient",
    "other_patient",
    "therapist",
    "other_therapist",
    "admin",
)


def expect(anonymous, patient, other_patient, therapist, other_therapist, admin) -> dict:
    return {
        ANON: anonymous,
        PAT: patient,
        OTHER_PAT: other_patient,
        THER: therapist,
        OTHER_THER: other_therapist,
        ADMIN: admin,
    }


# Common shapes. "Object" means one of patient P's things in clinic A: another clinic's
# therapist gets 404 (not 403), so that foreign IDs reveal nothing.
PUBLIC_PAGE = expect(200, 200, 200, 200, 200, 200)
STAFF_PAGE = expect(302, 403, 403, 200, 200, 200)
STAFF_OBJECT = expect(302, 403, 403, 200, 404, 200)
ADMIN_PAGE = expect(302, 403, 403, 403, 403, 200)
PATIENT_PAGE = expect(302, 200, 200, 403, 403, 403)
# A patient's own object: the other patient of the same clinic gets 404.
PATIENT_OBJECT = expect(302, 200, 404, 403, 403, 403)


@dataclass(frozen=True)
class Case:
    endpoint: str
    expected: dict
    method: str = "GET"
    params: Callable = field(default=lambda w: {})
    data: Callable = field(default=lambda w: {})
    # A JSON body instead of form data (the API's creates); called once per role.
    json: Callable | None = None
    # Roles run in this order; state-changing POSTs put the allowed roles last.
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.endpoint, self.method)
