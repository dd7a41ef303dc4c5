"""Alerts: raised set-based with the clinic's thresholds, once per patient, kind and period."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.training.alerts import scan_alerts, scan_patient_alerts
from rehab.training.findings import sleep_worse_reason
from rehab.training.models import Alert
from rehab.training.wording import describe
from tests.factories import clinic_today, make_patient
from tests.training.factories import check_in, log_session, make_plan

MONDAY = dt.date(2024, 1, 1)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


@pytest.fixture
def plan(world):
    plan = make_plan(world.patient, started_on=dt.date(2023, 11, 1))
    db.session.commit()
    return plan


def alerts(patient=None) -> list[Alert]:
    stmt = select(Alert).order_by(Alert.kind, Alert.dedupe_key)
    if patient is not None:
        stmt = stmt.where(Alert.patient_id == patient.id)
    return list(db.session.scalars(stmt))


def kinds(patient=None) -> list[tuple[str, str]]:
    return [(a.kind, a.dedupe_key) for a in alerts(patient)]


def steady_weeks(patient, weeks, *, first_monday=MONDAY, minutes=(40, 40, 40)):
    """Sessions Mon/Wed/Fri at RPE 5 and a check-in every day (so no day is missing)."""
    for week in range(weeks):
        monday = first_monday + dt.timedelta(weeks=week)
        for offset, length in zip((0, 2, 4), minutes, strict=True):
            log_session(patient, monday + dt.timedelta(days=offset), rpe=5, minutes=length)
        for offset in range(7):
            check_in(patient, monday + dt.timedelta(days=offset), pain=2)


def test_a_load_spike_over_weeks_raises_caution_and_alert(world, plan):
    # Weeks of 1 and 8 January: 3 × 200 AU = 600 AU. Week of 15 January: 3 × 270 = 810 AU.
    #   week on week: 810 vs 600 = +35 % > 10 % → caution
    #   over two weeks: 810 vs 600 (week of 1 Jan) = +35 % > 30 % → alert
    steady_weeks(world.patient, 2)
    steady_weeks(world.patient, 1, first_monday=day(14), minutes=(54, 54, 54))
    db.session.commit()

    scan_alerts(today=day(22), clinic_ids=[world.clinic.id])
    db.session.commit()

    found = {a.kind: a for a in alerts(world.patient)}
    assert set(found) >= {"week_on_week_caution", "two_week_alert"}
    assert found["two_week_alert"].severity == "alert"
    assert found["week_on_week_caution"].severity == "caution"
    assert found["two_week_alert"].dedupe_key == "2024-01-15"
    assert found["two_week_alert"].evidence["week_start"] == "2024-01-15"
    assert describe(found["two_week_alert"].evidence["reasons"][0]) == (
        "Weekbelasting 810 AU ligt 35 % boven twee weken eerder (600 AU; signaal boven 30 %)."
    )


def test_the_clinics_thresholds_decide(world, plan):
    world.clinic.spike_week_caution_pct = 40
    world.clinic.spike_two_week_alert_pct = 50
    steady_weeks(world.patient, 2)
    steady_weeks(world.patient, 1, first_monday=day(14), minutes=(54, 54, 54))
    db.session.commit()
    scan_alerts(today=day(22), clinic_ids=[world.clinic.id])
    assert not {"week_on_week_caution", "two_week_alert"} & {k for k, _ in kinds()}


def test_a_session_well_above_the_30_day_maximum(world, plan):
    # The largest session of the previous 30 days: 5 × 40 = 200 AU. Then 6 × 40 = 240 AU
    # (+20 % > 10 %) → session spike; 5 × 44 = 220 AU (exactly +10 %) would not be.
    steady_weeks(world.patient, 2)
    spike = log_session(world.patient, day(15), rpe=6, minutes=40)
    db.session.commit()
    scan_alerts(today=day(16), patient_ids=[world.patient.id])
    (alert,) = [a for a in alerts() if a.kind == "session_spike"]
    assert (alert.dedupe_key, alert.session_id) == ("2024-01-16", spike.id)
    assert alert.evidence["reasons"][0]["values"]["max_previous"] == 200


def test_acwr_raises_an_alert_only_when_the_clinic_turns_it_on(world, plan):
    # Four weeks at 100 AU a day, then a week at 300 AU a day: coupled ACWR on the last day
    # = 300 ÷ ((21 × 100 + 7 × 300) ÷ 28 = 150) = 2.0 ≥ 1.5.
    for n in range(28):
        log_session(world.patient, day(n), rpe=10 if n >= 21 else 5, minutes=30 if n >= 21 else 20)
    db.session.commit()
    scan_alerts(today=day(27), patient_ids=[world.patient.id])
    assert "acwr_high" not in {k for k, _ in kinds()}

    world.clinic.acwr_alerts_enabled = True
    db.session.commit()
    scan_alerts(today=day(27), patient_ids=[world.patient.id])
    (alert,) = [a for a in alerts() if a.kind == "acwr_high"]
    assert alert.severity == "caution"
    assert alert.evidence["reasons"][0]["values"]["ratio"] == 2.0


def test_a_red_pain_response_is_raised_once_per_day(world, plan):
    for n in range(7):
        check_in(world.patient, day(n), pain=2)
    session = log_session(world.patient, day(7), exercises=[
        (plan["squat"], {"sets_done": 3, "reps_done": 10, "pain_during": 7}),
    ])  # fmt: skip
    db.session.commit()
    scan_alerts(today=day(8), patient_ids=[world.patient.id])
    scan_alerts(today=day(8), patient_ids=[world.patient.id])  # a second scan adds nothing
    db.session.commit()
    (alert,) = alerts()
    assert (alert.kind, alert.severity, alert.session_id) == ("pain_red", "alert", session.id)
    assert describe(alert.evidence["reasons"][0]) == (
        "Pijn tijdens de oefening 7/10 is hoger dan 5."
    )


def test_pain_after_nine_with_a_normal_morning_raises_a_red_alert(world, plan):
    # Pain during 2 and the next morning at the baseline of 2, but 9/10 after the session:
    # after-pain may reach 5 (Silbernagel 2007), so the session is red and the therapist
    # is alerted.
    for n in range(9):
        check_in(world.patient, day(n), pain=2)
    session = log_session(world.patient, day(7), pain_after=9, exercises=[
        (plan["squat"], {"sets_done": 3, "reps_done": 10, "pain_during": 2}),
    ])  # fmt: skip
    db.session.commit()
    scan_alerts(today=day(8), patient_ids=[world.patient.id])
    db.session.commit()
    (alert,) = alerts()
    assert (alert.kind, alert.session_id) == ("pain_red", session.id)
    assert describe(alert.evidence["reasons"][0]) == "Pijn na de sessie 9/10 is hoger dan 5."


def test_the_next_morning_check_in_turns_a_session_red(client_for, world, plan):
    # Baseline 2 (seven mornings); pain during 3 was fine, but the next morning is 5.
    today = clinic_today()
    for n in range(8, 1, -1):
        check_in(world.patient, today - dt.timedelta(days=n), pain=2)
    log_session(world.patient, today - dt.timedelta(days=1), exercises=[
        (plan["squat"], {"sets_done": 3, "reps_done": 10, "pain_during": 3}),
    ])  # fmt: skip
    db.session.commit()
    response = client_for("patient").post("/training/check-in", data={
        "check_date": today.isoformat(), "morning_pain": "5", "stiffness_minutes": "10",
        "sleep_quality": "good", "worse_than_yesterday": "yes",
    })  # fmt: skip
    assert response.status_code == 302
    (alert,) = [a for a in alerts() if a.kind == "pain_red"]
    assert describe(alert.evidence["reasons"][0]) == (
        "Pijn de volgende ochtend 5/10 is hoger dan het uitgangsniveau van 2."
    )


def test_check_in_warning_signs_go_to_review(world, plan):
    # Stiffness 45 min > the clinic's 30 → review; exactly 30 is not "above".
    check_in(world.patient, day(20), stiffness=45)
    check_in(world.patient, day(19), stiffness=30)
    # Morning pain per week 1 → 2 → 3 (weeks of 1, 8 and 15 January): rising two weeks.
    for week, pain in enumerate((1, 2, 3)):
        for n in range(0, 5):
            check_in(
                world.patient, day(7 * week + n), pain=pain, sleep="good" if week < 2 else "poor"
            )
    db.session.commit()

    scan_alerts(today=day(22), clinic_ids=[world.clinic.id])

    found = {a.kind: a for a in alerts()}
    assert found["morning_stiffness"].dedupe_key == "2024-01-21"
    assert found["morning_stiffness"].severity == "review"
    assert found["pain_rising"].dedupe_key == "2024-01-15"
    assert found["sleep_worse"].dedupe_key == "2024-01-15"
    assert all(found[k].severity == "review" for k in ("pain_rising", "sleep_worse"))


def test_sleep_worse_needs_three_nights_and_half_a_point():
    # good 0, fair 1, poor 2: last week 1.5 against 0.5 → worse by 1.0.
    assert sleep_worse_reason([0, 1, 0, 1], [2, 1, 2, 1], MONDAY) is not None
    # Two nights only: not enough to speak of a trend.
    assert sleep_worse_reason([0, 0, 0], [2, 2], MONDAY) is None
    # 0.33 → 0.67: worse by 0.33 < 0.5.
    assert sleep_worse_reason([0, 0, 1], [1, 1, 0], MONDAY) is None


def test_nothing_logged_for_more_than_the_clinics_days(world, plan):
    # The clinic's setting: 4 days. Last logging on 10 January; on the 14th that is 4 days
    # (no alert yet); on the 15th it is 5 → "nothing logged since 10 January".
    check_in(world.patient, day(9))
    db.session.commit()
    scan_alerts(today=day(13), clinic_ids=[world.clinic.id])
    assert "no_logs" not in {k for k, _ in kinds()}
    scan_alerts(today=day(14), clinic_ids=[world.clinic.id])
    scan_alerts(today=day(16), clinic_ids=[world.clinic.id])  # the same gap: one alert
    assert [k for k in kinds() if k[0] == "no_logs"] == [("no_logs", "since:2024-01-10")]


def test_the_scan_after_logging_raises_what_the_full_scan_raises(world, plan):
    # Sessions of 270 AU after weeks of 200 (+35 %) and a red squat (7/10 > 5) on the 19th:
    # the scan that logging runs, with the programme the view loaded, raises the same alerts
    # with the same evidence as the scan that looks the patient up.
    steady_weeks(world.patient, 2)
    steady_weeks(world.patient, 1, first_monday=day(14), minutes=(54, 54, 54))
    log_session(world.patient, day(18), exercises=[
        (plan["squat"], {"sets_done": 3, "reps_done": 10, "pain_during": 7}),
    ])  # fmt: skip
    db.session.commit()
    offered = scan_patient_alerts(world.patient, plan["programme"], today=day(18))
    db.session.commit()
    found = [(a.kind, a.dedupe_key, a.severity, a.evidence) for a in alerts()]
    assert {kind for kind, *_ in found} == {"pain_red", "session_spike"}, found
    db.session.execute(Alert.__table__.delete())
    assert scan_alerts(today=day(18), patient_ids=[world.patient.id]) == offered
    db.session.commit()
    assert [(a.kind, a.dedupe_key, a.severity, a.evidence) for a in alerts()] == found


def test_the_scan_after_logging_leaves_an_ended_programme_alone(world, plan):
    check_in(world.patient, day(0), stiffness=90)
    plan["programme"].status = "completed"
    db.session.commit()
    assert scan_patient_alerts(world.patient, plan["programme"], today=day(1)) == 0
    assert alerts() == []


def test_patients_without_an_active_programme_are_not_scanned(world):
    check_in(world.patient, day(0), stiffness=90)
    db.session.commit()
    assert scan_alerts(today=day(1), clinic_ids=[world.clinic.id]) == 0


def test_acknowledging_keeps_the_note_and_the_alert_is_not_raised_again(client_for, world, plan):
    check_in(world.patient, clinic_today(), stiffness=60)
    db.session.commit()
    client_for("therapist").get("/training/dashboard")  # the dashboard scans its clinic
    (alert,) = alerts()
    url = f"/training/patients/{world.patient.id}/alerts/{alert.id}/acknowledge"
    response = client_for("therapist").post(url, data={"note": "Gebeld: bekend, gaat beter"})
    assert response.status_code == 302
    db.session.refresh(alert)
    assert alert.acknowledged_by_id == world.therapist.id
    assert alert.acknowledgement_note == "Gebeld: bekend, gaat beter"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "alert"))
    assert entry.action == "update" and entry.summary_values["kind"] == "morning_stiffness"
    client_for("therapist").get("/training/dashboard")
    assert len(alerts()) == 1


def test_the_scan_runs_the_same_queries_for_few_and_many_patients(app, world, count_queries):
    def add_patients(n):
        for _ in range(n):
            patient = make_patient(world.clinic, world.therapist)
            make_plan(patient, started_on=dt.date(2023, 11, 1))
            steady_weeks(patient, 3)
        db.session.commit()

    add_patients(2)
    with count_queries() as few:
        scan_alerts(today=day(23), clinic_ids=[world.clinic.id])
    db.session.rollback()
    add_patients(8)
    with count_queries() as many:
        scan_alerts(today=day(23), clinic_ids=[world.clinic.id])
    assert few.count == many.count


def test_the_scan_alerts_command_covers_every_clinic(runner, world, plan):
    check_in(world.patient, clinic_today() - dt.timedelta(days=20))
    db.session.commit()
    result = runner.invoke(args=["rehab", "scan-alerts"])
    assert result.exit_code == 0, result.output
    assert [k for k, _ in kinds()] == ["no_logs"]


def test_filling_in_an_earlier_day_today_is_activity_not_a_gap(world, plan):
    from rehab.core.db import utcnow

    row = check_in(world.patient, clinic_today() - dt.timedelta(days=6))
    row.created_at = utcnow()  # entered just now, for six days ago
    db.session.commit()
    scan_alerts(today=clinic_today(), clinic_ids=[world.clinic.id])
    assert "no_logs" not in {k for k, _ in kinds()}
