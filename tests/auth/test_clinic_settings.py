"""The admin's clinic settings: validated, saved, and logged."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.auth.models import Clinic
from rehab.extensions import db

VALID = {
    "name": "Fysio Noord-Oost",
    "default_locale": "en",
    "timezone": "Europe/Brussels",
    "require_staff_2fa": "y",
    "uses_start_back": "",
    "pain_safe_max": "2",
    "pain_amber_max": "4",
    "spike_week_caution_pct": "15",
    "spike_two_week_alert_pct": "35",
    "spike_session_pct": "12",
    "acwr_alerts_enabled": "y",
    "no_log_alert_days": "5",
    "stiffness_review_minutes": "45",
    "reminder_time": "08:30",
}


def test_admin_sees_the_settings_with_the_acwr_caveat(client_for):
    page = client_for("admin").get("/admin/clinic").text
    assert "Impellizzeri" in page and "staat ter discussie" in page
    assert 'value="Europe/Amsterdam"' in page


def test_admin_saves_the_settings_and_it_is_logged(client_for, world):
    response = client_for("admin").post("/admin/clinic", data=VALID)
    assert response.status_code == 302
    clinic = db.session.get(Clinic, world.clinic.id)
    db.session.refresh(clinic)
    assert clinic.name == "Fysio Noord-Oost"
    assert clinic.timezone == "Europe/Brussels"
    assert (clinic.pain_safe_max, clinic.pain_amber_max) == (2, 4)
    assert clinic.require_staff_2fa and clinic.acwr_alerts_enabled and not clinic.uses_start_back
    assert clinic.stiffness_review_minutes == 45
    assert clinic.reminder_time == dt.time(8, 30)  # offered to patients as their default
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "clinic"))
    assert entry.summary_code == "clinic_settings_changed"
    assert ["timezone", "Europe/Amsterdam", "Europe/Brussels"] in entry.summary_values["changes"]
    assert entry.actor_id == world.admin.id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timezone", "Europe/Atlantis", "Onbekende tijdzone"),
        ("timezone", "../../etc/passwd", "Onbekende tijdzone"),
        ("pain_amber_max", "2", "boven de veilige grens"),
        ("pain_amber_max", "11", ""),
        ("pain_safe_max", "5", ""),
        ("spike_two_week_alert_pct", "5", "niet lager zijn"),
        ("spike_week_caution_pct", "-3", ""),
        ("no_log_alert_days", "0", ""),
        ("stiffness_review_minutes", "99999999999999999999", ""),
        ("name", "", ""),
        ("default_locale", "de", ""),
        ("reminder_time", "23:00", ""),
        ("reminder_time", "noon", ""),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(client_for, world, field, value, message):
    response = client_for("admin").post("/admin/clinic", data={**VALID, field: value})
    assert response.status_code == 200
    assert "is-invalid" in response.text
    assert message in response.text
    db.session.expire_all()
    assert db.session.get(Clinic, world.clinic.id).name == "Fysio Noord"


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(sorted(VALID)),
        st.one_of(st.text(max_size=40), st.integers().map(str)),
        max_size=6,
    )
)
def test_any_input_is_saved_whole_or_not_at_all(client_for, world, changes):
    response = client_for("admin").post("/admin/clinic", data={**VALID, **changes})
    # 400: a NUL character refuses the whole request before the form sees it.
    assert response.status_code in (200, 302, 400)
    db.session.expire_all()
    clinic = db.session.get(Clinic, world.clinic.id)
    assert 0 <= clinic.pain_safe_max < clinic.pain_amber_max <= 10


def test_the_demo_clinic_alone_does_not_require_two_step(runner):
    result = runner.invoke(args=["rehab", "seed-demo", "--any-database"])
    assert "does not require two-step verification" in result.output
    demo = db.session.scalar(select(Clinic))
    assert demo.require_staff_2fa is False


def test_create_admin_makes_a_clinic_that_requires_two_step(runner):
    result = runner.invoke(
        args=["rehab", "create-admin", "--clinic", "Fysio West", "--name", "Wim West",
              "--email", "wim@example.nl", "--password-file", "-"],
        input="een lange zin van wim\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Clinic).where(Clinic.name == "Fysio West")).require_staff_2fa
