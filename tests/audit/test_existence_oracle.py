"""Probing another clinic's record numbers teaches nothing: the 404 for "exists elsewhere"
and for "does not exist" look the same in the response and in the prober's own clinic's
access log; the refusal is written in the record's own clinic, whose admin sees who tried.

Before, the refusal went into the prober's clinic with the foreign patient's number, so an
admin could list which numbers exist in other clinics (and a session's or programme's id
gave away its patient's number too).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from rehab.audit.models import AuditEntry
from rehab.auth.models import Role
from rehab.extensions import db
from tests.factories import login_as, make_user
from tests.security.factories import make_clinical_history

MISSING = 2_000_000_000


def _clinic_entries(clinic_id: int) -> list[tuple]:
    rows = db.session.execute(
        select(AuditEntry.action, AuditEntry.patient_id, AuditEntry.object_type,
               AuditEntry.object_id, AuditEntry.summary_code,
               AuditEntry.summary_values)
        .where(AuditEntry.clinic_id == clinic_id)
        .order_by(AuditEntry.id)
    ).all()  # fmt: skip
    return [tuple(row) for row in rows]


def _normalised(html: str) -> str:
    """The page without what differs on every response anyway (tokens, nonces)."""
    return re.sub(r'(nonce|value|content)="[^"]*"', r'\1=""', html)


@pytest.fixture
def foreign_paths(world):
    """(method, URL of the other clinic's object, the same URL with an id that exists
    nowhere): a record, its edit form, its programme, its progress page, an alert of it."""
    from rehab.programmes.models import Programme
    from rehab.training.models import Alert

    make_clinical_history(world.patient, tag="A")
    db.session.commit()
    pid = world.patient.id
    programme = db.session.scalar(select(Programme).where(Programme.patient_id == pid))
    alert = db.session.scalar(select(Alert).where(Alert.patient_id == pid))
    return [
        ("GET", f"/patients/{pid}", f"/patients/{MISSING}"),
        ("GET", f"/patients/{pid}/edit", f"/patients/{MISSING}/edit"),
        ("GET", f"/programmes/{programme.id}", f"/programmes/{MISSING}"),
        ("GET", f"/training/patients/{pid}/progress", f"/training/patients/{MISSING}/progress"),
        ("POST", f"/training/patients/{pid}/alerts/{alert.id}/acknowledge",
         f"/training/patients/{MISSING}/alerts/{alert.id}/acknowledge"),
    ]  # fmt: skip


def test_exists_elsewhere_and_does_not_exist_look_the_same(app, world, foreign_paths):
    prober = world.other_therapist
    prober_admin = make_user(world.other_clinic, Role.ADMIN)
    db.session.commit()
    client = login_as(app.test_client(), prober)

    for method, existing, missing in foreign_paths:
        before = _clinic_entries(world.other_clinic.id)
        found = client.open(existing, method=method)
        after_found = _clinic_entries(world.other_clinic.id)
        not_found = client.open(missing, method=method)
        after_missing = _clinic_entries(world.other_clinic.id)

        assert found.status_code == not_found.status_code == 404, existing
        assert _normalised(found.text) == _normalised(not_found.text), existing
        assert sorted(found.headers.keys()) == sorted(not_found.headers.keys()), existing
        # The prober's clinic's log grows alike (not at all) for both.
        assert after_found[len(before) :] == after_missing[len(after_found) :] == [], existing

    # Nothing in the prober's clinic names the other clinic's patient.
    admin_page = login_as(app.test_client(), prober_admin).get("/audit/?action=access_denied")
    assert "Geen registraties gevonden." in admin_page.text


def test_the_records_own_clinic_sees_who_was_refused(app, client_for, world, foreign_paths):
    login_as(app.test_client(), world.other_therapist).get(f"/patients/{world.patient.id}")

    refused = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "access_denied")
    ).all()
    assert [(e.clinic_id, e.patient_id, e.actor_name) for e in refused] == [
        (world.clinic.id, world.patient.id, world.other_therapist.full_name)
    ]
    page = client_for("admin").get("/audit/?action=access_denied").text
    assert world.other_therapist.full_name in page and "Toegang geweigerd" in page


def test_the_patient_sees_what_was_opened_not_a_refused_attempt(client_for, world):
    client_for("other_therapist").get(f"/patients/{world.patient.id}")
    client_for("therapist").get(f"/patients/{world.patient.id}")
    page = client_for("patient").get("/audit/my-record").text
    assert world.therapist.full_name in page
    assert world.other_therapist.full_name not in page
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "access_denied")
        )
        == 1
    )
