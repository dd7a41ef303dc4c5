"""The API against its own OpenAPI document (schemathesis, property-based): every
operation with generated parameters, as a therapist and as a patient of clinic A.

Checks: no 500, every response (status, content type, headers, body) matches the document,
invalid input is refused with a 4xx, and no response carries clinic B's data, whatever
record numbers the generator tries.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask.globals import _cv_app
from hypothesis import given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from rehab.extensions import db
from tests.api.conftest import bearer
from tests.conftest import user_for_role
from tests.training.factories import check_in, log_session, make_plan, today

# Words only clinic B's records contain (tests/conftest.py's world, plus its session note).
FOREIGN_MARKERS = ("Vera", "Olga Elders", "Fysio Zuid", "clinic-b-note")


def _foreign_free(ctx, response, case) -> None:
    text = response.text or ""
    leaked = [marker for marker in FOREIGN_MARKERS if marker in text]
    if leaked:
        raise AssertionError(f"another clinic's data in the answer: {leaked}")


@pytest.fixture
def api_schema(app, world):
    """A world with data on both sides: P (clinic A) and Vera (clinic B) have a programme,
    a session, a check-in."""
    for patient in (world.patient, world.foreign_patient):
        plan = make_plan(patient)
        note = "clinic-b-note" if patient is world.foreign_patient else "clinic-a-note"
        log_session(
            patient,
            today(),
            note=note,
            exercises=[(plan["squat"], {"sets_done": 3, "reps_done": 10, "pain_during": 2})],
        )
        check_in(patient, today())
    db.session.commit()

    def isolated(environ, start_response):
        # Each request in its own app context, as in production (see IsolatedClient).
        token = _cv_app.set(None)
        try:
            return app(environ, start_response)
        finally:
            _cv_app.reset(token)

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", isolated)


def _fuzz(schema, headers: dict, examples: int, foreign_patient_id: int) -> int:
    """Every operation, positive and negative examples; returns how many operations ran.

    (schemathesis's pytest plug-in does not run under pytest 9 yet, so its Hypothesis
    strategies are driven here directly.)
    """
    # Uncompressed answers: the WSGI transport does not undo Flask-Compress.
    headers = headers | {"Accept-Encoding": "identity"}
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        strategies = [
            operation.as_strategy(generation_mode=mode)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        ]
        if "{patient_id}" in operation.path:
            # Clinic B's record number itself, not only numbers the generator happens on.
            strategies.append(
                operation.as_strategy(path_parameters={"patient_id": foreign_patient_id})
            )
        for strategy in strategies:

            @given(case=strategy)
            @settings(max_examples=examples)
            def run(case):
                case.call_and_validate(
                    headers=headers,
                    additional_checks=[_foreign_free],
                    # A schema-valid body may still break a clinical rule (a date ahead,
                    # an exercise not in the programme, an e-mail in use): a 422 then.
                    excluded_checks=[positive_data_acceptance],
                )

            run()
    return len(operations)


def test_as_a_therapist(api_schema, world, token_for):
    headers = bearer(token_for(user_for_role(world, "therapist"), write=True))
    assert _fuzz(api_schema, headers, 15, world.foreign_patient.id) >= 15


def test_as_a_patient(api_schema, world, token_for):
    headers = bearer(token_for(user_for_role(world, "patient"), write=True))
    assert _fuzz(api_schema, headers, 15, world.foreign_patient.id) >= 15
