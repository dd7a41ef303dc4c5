"""The pages issue 14 changed, in Dutch and English in a real browser: the analysis with the
Biering-Sørensen judgement and the side-bridge asymmetry, the suggested red flag, the
programme page's criteria judged from data, the duration rule and the adherence table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rehab.extensions import db
from rehab.programmes.models import ExitCriterion
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, clinic_today, make_exercise, make_prescription
from tests.patients.factories import make_analysis
from tests.training.factories import check_in, log_session, make_plan

pytestmark = pytest.mark.browser


def _log_in(page, live_server, user):
    page.goto(f"{live_server}/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url(f"{live_server}/patients/")


@pytest.fixture
def record(world):
    patient = world.patient
    patient.sex = "male"
    patient.date_of_birth = dt.date(clinic_today().year - 60, 1, 1)
    patient.episode = "first"
    make_analysis(
        patient,
        recorded_on=clinic_today() - dt.timedelta(weeks=6),
        biering_sorensen=150,
        side_bridge_left=100,
        side_bridge_right=94,
        modified_schober=3,
        activities=[("Zitten", 6), ("Voetbal", 8), ("Tillen", 7)],
        instrument="psk",
    )
    latest = make_analysis(patient, kind="reassessment", recorded_on=clinic_today(),
                           biering_sorensen=110, side_bridge_left=100, side_bridge_right=95.1,
                           modified_schober=5.2,
                           activities=[("Zitten", 4), ("Voetbal", 3), ("Tillen", 4)],
                           instrument="psk")  # fmt: skip
    latest.activities[1].sport_or_work = True
    db.session.commit()
    return latest


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_analysis_page_and_form(live_server, page, world, record, language):
    world.therapist.locale = language
    db.session.commit()
    _log_in(page, live_server, world.therapist)
    page.goto(f"{live_server}/patients/{world.patient.id}/analyses/{record.id}")
    text = page.locator("main").inner_text()
    if language == "en":
        assert "Suggested red flag, not ticked: Age over 50 at a first episode." in text
        assert "Under 176 s: in men this predicted low back pain" in text
        assert "Asymmetry: 4.9 %" in text
    screenshot(page, f"issue14-analysis-{language}")
    page.goto(f"{live_server}/patients/{world.patient.id}/analyses/{record.id}/edit#red-flags")
    assert page.locator(".suggested-red-flag").count() == 1
    screenshot(page, f"issue14-analysis-form-{language}")
    page.goto(f"{live_server}/patients/{world.patient.id}/analyses/compare")
    screenshot(page, f"issue14-compare-{language}")
    page.goto(f"{live_server}/patients/{world.patient.id}/edit")
    screenshot(page, f"issue14-patient-form-{language}")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_programme_and_progress_pages(live_server, page, world, record, language):
    world.therapist.locale = language
    plan = make_plan(world.patient, started_on=clinic_today() - dt.timedelta(days=40))
    phase = plan["phase"]
    phase.started_on = clinic_today() - dt.timedelta(days=5)
    walk = make_exercise(name="Stevig wandelen", dosage_type="time")
    make_prescription(phase, walk, sets=1, dosage_type="time", reps_min=None, reps_max=None,
                      duration_seconds=1200, target_effort=None, mode="time_contingent",
                      rule_kind="duration_progression", minutes_per_week=5,
                      target_duration_seconds=2700, dose_since=phase.started_on)  # fmt: skip
    criteria = [
        ("red_flags_clear", None, None), ("lumbar_mobility", None, None),
        ("pain_during_max", "<=", 3), ("activity_score", ">=", 9),
        ("full_load_without_red", "==", 1),
    ]  # fmt: skip
    for position, (kind, comparison, target) in enumerate(criteria, start=1):
        db.session.add(ExitCriterion(
            phase_id=phase.id, position=position, kind=kind, comparison=comparison or "==",
            target=Decimal(target or 1), window_weeks=2,
            measure="sport_work" if kind == "activity_score" else None,
            label=f"{kind}", is_default=True,
        ))  # fmt: skip
    for n in range(1, 15):
        check_in(world.patient, clinic_today() - dt.timedelta(days=n), pain=2)
    for n in (1, 2, 3, 4):  # four sessions in a week of three planned
        log_session(world.patient, clinic_today() - dt.timedelta(days=7 * 1 + n), exercises=[
            (plan["squat"], {"sets_done": 3, "reps_done": 12, "pain_during": 2}),
        ])  # fmt: skip
    db.session.commit()
    _log_in(page, live_server, world.therapist)
    page.goto(f"{live_server}/programmes/{plan['programme'].id}")
    assert page.locator(".criteria-summary").count() == 1
    screenshot(page, f"issue14-programme-{language}")
    page.goto(f"{live_server}/training/patients/{world.patient.id}/progress")
    screenshot(page, f"issue14-progress-{language}")
    rx = phase.prescriptions[-1]
    page.goto(f"{live_server}/programmes/{plan['programme'].id}/prescriptions/{rx.id}/edit")
    screenshot(page, f"issue14-prescription-{language}")
