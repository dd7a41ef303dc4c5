"""Suggestions: recomputed after logging, one open per prescription, accepted or dismissed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from rehab.audit.models import AuditEntry
from rehab.extensions import db
from rehab.programmes.models import Suggestion
from rehab.training import decisions
from rehab.training.suggestions import evaluate_prescriptions, refresh_suggestions
from rehab.training.wording import describe
from tests.factories import clinic_today
from tests.training.factories import check_in, log_session, make_plan, top_of_range

MONDAY = dt.date(2024, 1, 1)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


@pytest.fixture
def plan(world):
    plan = make_plan(world.patient, started_on=dt.date(2023, 12, 1))
    for n in range(-7, 12):  # mornings at pain 2: the baseline is 2
        check_in(world.patient, day(n), pain=2)
    db.session.commit()
    return plan


def green_sessions(world, plan, name, days=(7, 9)):
    for n in days:
        log_session(world.patient, day(n), exercises=[(plan[name], top_of_range(plan[name]))])
    db.session.commit()


def open_rows(world) -> list[Suggestion]:
    return list(
        db.session.scalars(
            select(Suggestion).where(
                Suggestion.patient_id == world.patient.id, Suggestion.status == "open"
            )
        )
    )


def test_two_green_sessions_at_the_top_suggest_the_next_load(world, plan):
    # Squat 3 × 8–12 with 20 kg, double progression +2 kg: two sessions of 3 × 12 at 20 kg,
    # effort 6 (target 7), pain 2 and the next mornings at the baseline of 2 → progress to
    # 22 kg, back to 8 reps.
    green_sessions(world, plan, "squat")
    (suggestion,) = refresh_suggestions(world.patient, today=day(10))
    db.session.commit()
    assert suggestion.prescription_id == plan["squat"].id
    assert suggestion.action == "progress"
    assert suggestion.new_dose["load_kg"] == "22"
    assert suggestion.based_on_version == 1
    texts = [describe(r) for r in suggestion.reasons]
    assert "2 groene sessies op rij." in texts
    assert "Gewicht van 20 naar 22 kg, terug naar 8 herhalingen." in texts
    # Recomputing with nothing new keeps the same open suggestion (no churn).
    again = refresh_suggestions(world.patient, today=day(10))
    assert [s.id for s in again] == [suggestion.id]


def test_a_red_session_replaces_the_open_suggestion_with_a_regress(world, plan):
    green_sessions(world, plan, "plank")
    plank_log = top_of_range(plan["plank"], pain=6)
    first = refresh_suggestions(world.patient, today=day(14))
    assert [s.action for s in first] == ["progress"]  # +5 s hold after a week
    log_session(world.patient, day(11), exercises=[(plan["plank"], plank_log)])
    (regress,) = refresh_suggestions(world.patient, today=day(14))
    db.session.commit()
    # Pain during 6 > 5 is red: one rung down the ladder, to the side plank on the knees.
    assert regress.action == "regress"
    assert regress.new_exercise_id == plan["exercises"]["easier_plank"].id
    assert describe(regress.reasons[0]) == "Pijn tijdens de oefening 6/10 is hoger dan 5."
    assert db.session.get(Suggestion, first[0].id).status == "superseded"
    assert len(open_rows(world)) == 1


def test_pain_after_nine_with_a_normal_morning_suggests_a_regress(world, plan):
    # Two plank sessions at the top of the dose, pain during 2, mornings at the baseline of
    # 2; the second hurt 9/10 afterwards → red: one rung down, not a progress.
    log_session(world.patient, day(7), exercises=[(plan["plank"], top_of_range(plan["plank"]))])
    log_session(world.patient, day(9), pain_after=9,
                exercises=[(plan["plank"], top_of_range(plan["plank"]))])  # fmt: skip
    db.session.commit()
    (regress,) = refresh_suggestions(world.patient, today=day(14))
    assert regress.action == "regress"
    assert regress.new_exercise_id == plan["exercises"]["easier_plank"].id
    with force_locale("en"):
        assert describe(regress.reasons[0]) == "Pain after the session 9/10 is above 5."


def test_accepting_changes_the_dose_and_keeps_the_old_one(client_for, world, plan):
    green_sessions(world, plan, "squat")
    (suggestion,) = refresh_suggestions(world.patient, today=day(10))
    db.session.commit()
    url = f"/training/patients/{world.patient.id}/suggestions/{suggestion.id}/accept"
    response = client_for("therapist").post(url)
    assert response.status_code == 302
    squat = plan["squat"]
    db.session.refresh(squat)
    assert squat.load_kg == Decimal("22") and squat.current_version == 2
    versions = [(v.version, v.dose["load_kg"], v.suggestion_id) for v in squat.versions]
    assert versions == [(1, "20", None), (2, "22", suggestion.id)]
    # The reason is kept as codes and worded for whoever reads the history, in their language.
    assert squat.versions[1].reason is None
    assert squat.versions[1].reason_code == "suggestion_accepted"
    history = f"/programmes/{squat.phase.programme_id}/prescriptions/{squat.id}/history"
    assert "Gewicht van 20 naar 22 kg" in client_for("therapist").get(history).text
    world.therapist.locale = "en"
    db.session.commit()
    assert "Weight from 20 to 22 kg" in client_for("therapist").get(history).text
    world.therapist.locale = "nl"
    db.session.commit()
    db.session.refresh(suggestion)
    assert (suggestion.status, suggestion.decided_by_id) == ("accepted", world.therapist.id)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "suggestion"))
    assert entry.action == "update" and entry.summary_code == "suggestion_accepted"
    # A second click finds it decided: nothing changes twice.
    again = client_for("therapist").post(url, follow_redirects=True)
    assert "Over dit voorstel is al besloten." in again.text
    db.session.refresh(squat)
    assert squat.current_version == 2


def test_accepting_a_ladder_step_moves_to_the_next_exercise(world, plan):
    # Side plank at its target hold (40 s): hold progression steps up the ladder, starting
    # again at 10-s holds (McGill) — the dose the engine returned.
    plank = plan["plank"]
    plank.hold_seconds = 40
    db.session.commit()
    green_sessions(world, plan, "plank")
    (suggestion,) = refresh_suggestions(world.patient, today=day(14))
    db.session.commit()
    assert suggestion.new_exercise_id == plan["exercises"]["harder_plank"].id
    decisions.accept_suggestion(
        world.therapist, world.patient, suggestion, today=day(14), reason="step up"
    )
    db.session.refresh(plank)
    assert plank.exercise_id == plan["exercises"]["harder_plank"].id
    assert plank.hold_seconds == 10
    assert [v.exercise_id for v in plank.versions] == [
        plan["exercises"]["plank"].id,
        plan["exercises"]["harder_plank"].id,
    ]


def test_dismissing_keeps_the_note_and_the_dose(client_for, world, plan):
    green_sessions(world, plan, "squat")
    (suggestion,) = refresh_suggestions(world.patient, today=day(10))
    db.session.commit()
    url = f"/training/patients/{world.patient.id}/suggestions/{suggestion.id}/dismiss"
    client_for("therapist").post(url, data={"note": "Eerst techniek verbeteren"})
    db.session.refresh(suggestion)
    assert (suggestion.status, suggestion.note) == ("dismissed", "Eerst techniek verbeteren")
    assert plan["squat"].current_version == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "suggestion"))
    assert entry.summary_code == "suggestion_dismissed"
    assert entry.summary_values["note"] == "Eerst techniek verbeteren"


def test_a_dose_changed_meanwhile_sets_the_suggestion_aside(client_for, world, plan):
    from rehab.programmes.dosing import change_dose

    green_sessions(world, plan, "squat")
    (suggestion,) = refresh_suggestions(world.patient, today=day(10))
    change_dose(plan["squat"], {"sets": 4}, actor=world.therapist, reason="builder")
    db.session.commit()
    url = f"/training/patients/{world.patient.id}/suggestions/{suggestion.id}/accept"
    page = client_for("therapist").post(url, follow_redirects=True).text
    assert "De dosering is aangepast sinds dit voorstel is gemaakt" in page
    db.session.refresh(suggestion)
    assert suggestion.status == "superseded"
    assert plan["squat"].sets == 4


def test_an_open_red_flag_stops_every_suggestion(world, plan, monkeypatch):
    green_sessions(world, plan, "squat")
    assert refresh_suggestions(world.patient, today=day(10))
    monkeypatch.setattr("rehab.patients.services.has_open_red_flags", lambda patient_id: True)
    assert refresh_suggestions(world.patient, today=day(10)) == []
    (evaluation,) = [
        e for e in evaluate_prescriptions(world.patient, [plan["squat"]], today=day(10)) if e.advice
    ]
    assert [r.code for r in evaluation.advice.reasons] == ["red_flag_open"]


def test_a_paused_prescription_holds(world, plan):
    plan["squat"].paused = True
    db.session.commit()
    green_sessions(world, plan, "squat")
    assert refresh_suggestions(world.patient, today=day(10)) == []


def test_time_contingent_mode_progresses_on_schedule_despite_pain(world, plan):
    # Graded activity (KNGF 2021): the quota rises weekly whatever the pain.
    squat = plan["squat"]
    squat.mode = "time_contingent"
    squat.rule_kind = "load_percent_per_week"
    squat.percent_per_week = Decimal(10)
    db.session.commit()
    log_session(world.patient, day(9), exercises=[(squat, top_of_range(squat, pain=7))])
    db.session.commit()
    (suggestion,) = refresh_suggestions(world.patient, today=day(10))
    assert suggestion.action == "progress"
    assert suggestion.new_dose["load_kg"] == "22"


def test_a_rule_the_engine_cannot_read_gives_no_advice_but_logging_works(client_for, world, plan):
    from tests.training.factories import session_form

    plan["squat"].load_increment_kg = None  # double progression needs its increment
    db.session.commit()
    data = session_form(plan, {"squat": {"as_prescribed": "y"}})
    data["session_date"] = (clinic_today()).isoformat()
    assert client_for("patient").post("/training/today", data=data).status_code == 302
    (evaluation,) = evaluate_prescriptions(world.patient, [plan["squat"]], today=day(10))
    assert evaluation.advice is None and "increment" in evaluation.problem


def test_reasons_are_worded_in_english_too(app, plan):

    reason = {"code": "pain_during_high", "values": {"pain": 6, "limit": 5}}
    with app.test_request_context(), force_locale("en"):
        assert describe(reason) == "Pain during exercise 6/10 is above 5."
    with app.test_request_context():
        assert describe({"code": "unknown_code"}) == "unknown_code"


@pytest.mark.parametrize(
    ("days", "dutch"),
    [
        (0, "De dosering is vandaag aangepast; de regel wacht 7 dagen."),
        (1, "De dosering is 1 dag geleden aangepast; de regel wacht 7 dagen."),
        (5, "De dosering is 5 dagen geleden aangepast; de regel wacht 7 dagen."),
    ],
)
def test_the_waiting_rule_counts_days_in_words(app, days, dutch):
    reason = {"code": "too_soon", "values": {"days": days, "required": 7}}
    with app.test_request_context():
        assert describe(reason) == dutch


@pytest.mark.parametrize(
    ("field", "dutch", "english"),
    [
        ("hold_seconds", "Vasthouden van 30 naar 26 seconden (−15 %).",
         "Hold from 30 to 26 seconds (−15 %)."),
        ("reps_max", "Herhalingen van 30 naar 26 (−15 %).", "Repetitions from 30 to 26 (−15 %)."),
        ("load_kg", "Gewicht van 30 naar 26 kg (−15 %).", "Weight from 30 to 26 kg (−15 %)."),
        ("sets", "Series van 30 naar 26 (−15 %).", "Sets from 30 to 26 (−15 %)."),
        ("duration_seconds", "Duur van 30 s naar 26 s (−15 %).",
         "Duration from 30 s to 26 s (−15 %)."),
        ("distance_m", "Afstand van 30 naar 26 m (−15 %).", "Distance from 30 to 26 m (−15 %)."),
    ],
)  # fmt: skip
def test_a_cut_dose_says_what_was_cut_with_its_unit(app, field, dutch, english):
    reason = {"code": "dose_cut", "values": {"field": field, "from": 30, "to": 26, "pct": 15}}
    with app.test_request_context():
        assert describe(reason) == dutch
        with force_locale("en"):
            assert describe(reason) == english


def test_a_cut_walk_reads_in_minutes_not_seconds(app):
    """A 10-minute walk cut by 15 %: 600 s → 510 s reads "10 min" → "8 min 30 s"."""
    reason = {
        "code": "dose_cut",
        "values": {"field": "duration_seconds", "from": 600, "to": 510, "pct": 15},
    }
    short = {
        "code": "duration_not_reached",
        "values": {"done": 480, "target": 600, "day": "2026-11-06"},
    }
    with app.test_request_context():
        assert describe(reason) == "Duur van 10 min naar 8 min 30 s (−15 %)."
        assert describe(short).startswith("8 min van 10 min op ")
        with force_locale("en"):
            assert describe(reason) == "Duration from 10 min to 8 min 30 s (−15 %)."


def test_a_cut_of_an_unknown_field_or_with_missing_values_still_reads(app):
    unknown = {"code": "dose_cut", "values": {"field": "tempo", "from": 3, "to": 2, "pct": 15}}
    broken = {"code": "dose_cut", "values": {"field": "sets"}}
    with app.test_request_context(), force_locale("en"):
        assert describe(unknown) == "tempo from 3 to 2 (−15 %)."
        assert describe(broken) == "dose_cut"


def test_walk_run_pain_8_with_a_worse_next_morning_regresses_and_alerts(world):
    # Running knee, phase 3: walk-run 20 min, pain-contingent, 5 minutes more a week up to
    # 30 (the template's own prescription). Pain 8/10 while running and the next morning 4
    # against a baseline of 2: red → the time is cut and the therapist is alerted; it used
    # to hold (time-contingent without a rule).
    from rehab.programmes.builtin import builtin_template, prescription_values
    from rehab.training.alerts import scan_alerts
    from rehab.training.models import Alert
    from tests.factories import make_exercise, make_prescription

    template = builtin_template("running-knee")
    values = next(
        prescription_values(rx, "nl")
        for rx in template.phases[2]["prescription"]
        if rx["exercise"] == "walk-run-intervals"
    )
    assert (values["mode"], values["rule_kind"]) == ("pain_contingent", "duration_progression")
    plan = make_plan(world.patient, started_on=dt.date(2023, 12, 1))
    run = make_prescription(plan["phase"], make_exercise(name="Wandel-hardlopen"),
                            dose_since=day(0), **{k: v for k, v in values.items()
                                                  if k not in ("session_label",)})  # fmt: skip
    for n in range(-7, 6):
        check_in(world.patient, day(n), pain=2)
    check_in(world.patient, day(6), pain=4)  # the morning after the run
    log_session(world.patient, day(5), exercises=[
        (run, {"sets_done": 1, "duration_seconds_done": 1200, "pain_during": 8}),
    ])  # fmt: skip
    db.session.commit()
    suggestions = refresh_suggestions(world.patient, today=day(6))
    (regress,) = [s for s in suggestions if s.prescription_id == run.id]
    assert regress.action == "regress"
    assert [r["code"] for r in regress.reasons] == [
        "pain_during_high", "next_morning_above_baseline", "dose_cut",
    ]  # fmt: skip
    assert regress.new_dose["duration_seconds"] == 1020  # 20 min − 15 %
    scan_alerts(today=day(6), patient_ids=[world.patient.id])
    alert = db.session.scalar(
        select(Alert).where(Alert.kind == "pain_red", Alert.prescription_id == run.id)
    )
    assert alert.evidence["sessions"][-1]["day"] == day(5).isoformat()
