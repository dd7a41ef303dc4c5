"""Scenarios and properties for rehab.progress.progression (domain.md §3–4)."""

from dataclasses import fields, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.progress.pain import PainLimits
from rehab.progress.progression import (
    Action,
    DosageType,
    Dose,
    EffortKind,
    LoadKind,
    LoggedExercise,
    Mode,
    Rule,
    RuleKind,
    Step,
    cut_dose,
    dose_reached,
    effort_met,
    logged_effort,
    raised_load,
    rir_to_rpe,
    round_to_increment,
    rpe_to_rir,
    suggest,
)

TODAY = date(2024, 3, 15)
HARDER, EASIER = 42, 41

SQUAT = Dose(
    sets=3,
    dosage_type="reps",
    reps_min=8,
    reps_max=12,
    load_kind="kg",
    load_kg=Decimal(20),
    effort_kind="rpe",
    target_effort=8,
)
DOUBLE = Rule(kind="double_progression", load_increment_kg=Decimal("2.5"))
SIDE_BRIDGE = Dose(sets=3, dosage_type="hold", reps_min=5, reps_max=5, hold_seconds=10)
HOLDS = Rule(kind="hold_progression", seconds_per_week=5, max_hold_seconds=30)


def log(days_ago: int, **changes) -> LoggedExercise:
    """A session that met the squat dose at the top of the range with green pain."""
    values = {
        "day": TODAY - timedelta(days=days_ago),
        "reps_per_set": (12, 12, 12),
        "load_kg": Decimal(20),
        "pain_during": 2,
        "effort": 8,
        "next_morning_pain": 1,
        "morning_baseline": 2,
    }
    values.update(changes)
    return LoggedExercise(**values)


def hold_log(days_ago: int, **changes) -> LoggedExercise:
    values = {"reps_per_set": (5, 5, 5), "hold_seconds": 10, "load_kg": None, "effort": None}
    values.update(changes)
    return log(days_ago, **values)


def run(dose=SQUAT, rule=DOUBLE, logs=(), since_days=10, **kwargs):
    return suggest(
        dose, rule, list(logs), today=TODAY, dose_since=TODAY - timedelta(days=since_days), **kwargs
    )


def codes(suggestion) -> list[str]:
    return [reason.code for reason in suggestion.reasons]


# --- effort ---------------------------------------------------------------------------------


def test_rpe_rir_conversion_after_helms():
    # RPE 10 = 0 RIR, 9 = 1, 8 = 2
    assert [rpe_to_rir(rpe) for rpe in (10, 9, 8)] == [0, 1, 2]
    assert rir_to_rpe(2) == 8
    with pytest.raises(ValueError):
        rpe_to_rir(11)


def test_effort_met_per_scale():
    assert effort_met(8, 8, "rpe") and effort_met(7, 8, "rpe") and not effort_met(9, 8, "rpe")
    assert effort_met(2, 2, "rir") and effort_met(3, 2, "rir") and not effort_met(1, 2, "rir")


def test_a_logged_rpe_is_converted_to_a_rir_target():
    rir_dose = replace(SQUAT, effort_kind=EffortKind.RIR, target_effort=2)
    entry = log(1, effort=8, effort_kind="rpe")
    assert logged_effort(entry, EffortKind.RIR) == 2  # RPE 8 = 2 RIR → target met
    assert dose_reached(entry, rir_dose) == []
    harder = log(1, effort=9, effort_kind="rpe")  # RPE 9 = 1 RIR < 2 → above target
    assert [r.code for r in dose_reached(harder, rir_dose)] == ["effort_above_target"]


# --- pain-contingent: double progression ------------------------------------------------------


def test_green_twice_at_the_top_of_the_range_adds_load():
    result = run(logs=[log(4), log(2)])
    # 20 kg + 2.5 kg increment = 22.5 kg, back to the bottom of the range (8 reps)
    assert result.action is Action.PROGRESS
    assert result.dose == replace(SQUAT, load_kg=Decimal("22.5"))
    assert result.step is None
    assert codes(result) == ["green_sessions", "load_increased"]
    assert result.reasons[-1].values == {
        "from_kg": Decimal(20),
        "to_kg": Decimal("22.5"),
        "start_reps": 8,
    }


def test_a_percentage_increase_is_rounded_to_the_equipment_increment():
    rule = replace(DOUBLE, load_increment_pct=Decimal(5))
    dose = replace(SQUAT, load_kg=Decimal(40))
    logs = [log(4, load_kg=Decimal(40)), log(2, load_kg=Decimal(40))]
    # 40 × 1.05 = 42 → nearest 2.5 kg step: 42 / 2.5 = 16.8 → 17 × 2.5 = 42.5 kg
    assert run(dose, rule, logs).dose.load_kg == Decimal("42.5")


def test_raised_load_and_rounding():
    # + one increment
    assert raised_load(Decimal(20), Decimal("2.5")) == Decimal("22.5")
    # 20 × 1.02 = 20.4 → rounds to 20.0, less than one increment → at least 22.5
    assert raised_load(Decimal(20), Decimal("2.5"), Decimal(2)) == Decimal("22.5")
    # 100 × 1.10 = 110 → a multiple of 2 already
    assert raised_load(Decimal(100), Decimal(2), Decimal(10)) == Decimal(110)
    # halves round up: 21.25 / 2.5 = 8.5 → 9 × 2.5 = 22.5
    assert round_to_increment(Decimal("21.25"), Decimal("2.5")) == Decimal("22.5")


def test_fewer_than_two_green_sessions_holds():
    result = run(logs=[log(2)])
    assert result.action is Action.HOLD
    assert result.dose == SQUAT
    assert [(r.code, r.values) for r in result.reasons] == [
        ("not_enough_sessions", {"green": 1, "required": 2})
    ]


def test_an_amber_session_breaks_the_green_run():
    result = run(logs=[log(6), log(4, pain_during=4), log(2)])
    assert result.action is Action.HOLD
    assert codes(result) == ["not_enough_sessions"]


def test_reps_not_reached_holds_with_the_reason():
    result = run(logs=[log(4), log(2, reps_per_set=(12, 12, 10))])
    assert result.action is Action.HOLD
    (reason,) = result.reasons
    assert reason.code == "reps_not_reached"
    assert reason.values == {"reps": 10, "target": 12, "day": TODAY - timedelta(days=2)}


def test_only_the_lowest_set_may_be_known():
    weakest_only = log(2, reps_per_set=(), sets_done=3, fewest_reps=12)
    assert run(logs=[log(4), weakest_only]).action is Action.PROGRESS


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"effort": 9}, "effort_above_target"),
        ({"effort": None}, "effort_missing"),
        ({"load_kg": Decimal("17.5")}, "load_not_used"),
        ({"reps_per_set": (12, 12)}, "sets_not_reached"),
    ],
)
def test_the_rule_requirement_must_be_met_in_the_logs(changes, code):
    result = run(logs=[log(4), log(2, **changes)])
    assert result.action is Action.HOLD
    assert codes(result) == [code]


def test_amber_holds_the_dose():
    result = run(logs=[log(4), log(2, pain_during=5)])
    assert result.action is Action.HOLD
    assert result.dose == SQUAT
    assert codes(result) == ["pain_during_acceptable"]


def test_red_cuts_the_dose_when_no_easier_exercise_exists():
    result = run(logs=[log(4), log(2, pain_during=6)])
    # 20 kg × 0.85 = 17 kg → nearest 2.5 kg step = 17.5 kg (17 / 2.5 = 6.8 → 7)
    assert result.action is Action.REGRESS
    assert result.dose == replace(SQUAT, load_kg=Decimal("17.5"))
    assert result.alert_therapist is True
    assert codes(result) == ["pain_during_high", "dose_cut"]
    assert result.reasons[0].values == {"pain": 6, "limit": 5}


def test_red_steps_down_the_ladder_when_it_can():
    result = run(logs=[log(2, next_morning_pain=4)], easier_exercise_id=EASIER)
    assert result.action is Action.REGRESS
    assert (result.step, result.exercise_id) == (Step.DOWN, EASIER)
    assert result.dose == SQUAT
    assert codes(result) == ["next_morning_above_baseline", "step_down"]


def test_a_rising_weekly_trend_regresses():
    result = run(logs=[log(4), log(2)], trend_rising_two_weeks=True)
    assert result.action is Action.REGRESS
    assert codes(result)[0] == "weekly_trend_rising"


def test_safe_max_two_makes_pain_three_amber():
    logs = [log(4, pain_during=3), log(2, pain_during=3)]
    assert run(logs=logs).action is Action.PROGRESS
    assert run(logs=logs, limits=PainLimits(safe_max=2)).action is Action.HOLD


def test_sessions_before_the_dose_changed_do_not_count():
    # The red session led to the current dose; only the two greens since count.
    logs = [log(12, pain_during=8), log(4), log(2)]
    assert run(logs=logs, since_days=5).action is Action.PROGRESS
    # and two greens before the change do not make the new dose eligible
    assert codes(run(logs=[log(8), log(6), log(2)], since_days=5)) == ["not_enough_sessions"]


def test_skipped_and_unknown_sessions():
    # the latest session waits for its next morning: the two greens before it still count
    waiting = log(0, next_morning_pain=None)
    assert run(logs=[log(4), log(2), waiting]).action is Action.PROGRESS
    # a skipped session is no data
    assert codes(run(logs=[log(4), log(2, skipped=True)])) == ["not_enough_sessions"]


def test_pain_contingent_never_progresses_from_the_calendar_alone():
    result = run(logs=[], since_days=60)
    assert result.action is Action.HOLD
    assert codes(result) == ["no_sessions"]
    unknown = run(logs=[log(4, next_morning_pain=None), log(2, next_morning_pain=None)])
    assert unknown.action is Action.HOLD
    assert codes(unknown) == ["pain_unknown", "next_morning_missing"]


def test_a_red_flag_or_a_pause_holds_in_pain_contingent_mode_too():
    assert codes(run(logs=[log(4), log(2)], red_flag_open=True)) == ["red_flag_open"]
    assert codes(run(logs=[log(4), log(2)], therapist_paused=True)) == ["therapist_paused"]


# --- body weight and ladders ------------------------------------------------------------------


BRIDGE = Dose(sets=3, dosage_type="reps", reps_min=10, reps_max=15, target_effort=7)


def bw_log(days_ago: int) -> LoggedExercise:
    return log(days_ago, reps_per_set=(15, 15, 15), load_kg=None, effort=7)


def test_bodyweight_double_progression_steps_up_to_the_harder_exercise():
    result = run(BRIDGE, DOUBLE, [bw_log(4), bw_log(2)], harder_exercise_id=HARDER)
    assert result.action is Action.PROGRESS
    assert (result.step, result.exercise_id) == (Step.UP, HARDER)
    assert result.dose == BRIDGE  # the range is kept; the patient starts again at 10
    assert result.reasons[-1].code == "step_up"
    assert result.reasons[-1].values["start_reps"] == 10


def test_bodyweight_double_progression_at_the_top_of_the_ladder_holds():
    result = run(BRIDGE, DOUBLE, [bw_log(4), bw_log(2)])
    assert result.action is Action.HOLD
    assert codes(result) == ["top_of_ladder"]


def test_ladder_step_rule():
    rule = Rule(kind="ladder_step")
    result = run(BRIDGE, rule, [bw_log(4), bw_log(2)], harder_exercise_id=HARDER)
    assert (result.action, result.step, result.exercise_id) == (Action.PROGRESS, Step.UP, HARDER)


# --- hold progression -------------------------------------------------------------------------


def test_hold_progression_adds_seconds_per_week():
    result = run(SIDE_BRIDGE, HOLDS, [hold_log(4), hold_log(2)], since_days=8)
    # 10 s + 5 s = 15 s
    assert result.action is Action.PROGRESS
    assert result.dose.hold_seconds == 15
    assert result.reasons[-1].values == {"from_seconds": 10, "to_seconds": 15}


def test_hold_progression_waits_a_week_and_needs_the_holds_reached():
    early = run(SIDE_BRIDGE, HOLDS, [hold_log(4), hold_log(2)], since_days=5)
    assert codes(early) == ["too_soon"]
    assert early.reasons[0].values == {"days": 5, "required": 7}
    short = run(SIDE_BRIDGE, HOLDS, [hold_log(4), hold_log(2, hold_seconds=8)], since_days=8)
    assert codes(short) == ["hold_not_reached"]


def test_hold_progression_stops_at_the_maximum():
    dose = replace(SIDE_BRIDGE, hold_seconds=28)
    logs = [hold_log(4, hold_seconds=28), hold_log(2, hold_seconds=28)]
    assert run(dose, HOLDS, logs, since_days=8).dose.hold_seconds == 30  # 28 + 5 capped at 30


def test_hold_at_the_maximum_steps_up_and_resets_the_hold():
    dose = replace(SIDE_BRIDGE, hold_seconds=30)
    logs = [hold_log(4, hold_seconds=30), hold_log(2, hold_seconds=30)]
    up = run(dose, HOLDS, logs, since_days=8, harder_exercise_id=HARDER)
    assert (up.action, up.step, up.exercise_id) == (Action.PROGRESS, Step.UP, HARDER)
    assert up.dose.hold_seconds == 10  # the next rung starts at the bottom: 10-s holds
    top = run(dose, HOLDS, logs, since_days=8)
    assert (top.action, codes(top)) == (Action.HOLD, ["top_of_ladder"])


# --- load percent per week and therapist decides --------------------------------------------


def test_load_percent_per_week_needs_the_prescribed_dose_done():
    rule = Rule(kind="load_percent_per_week", percent=Decimal(10), load_increment_kg=Decimal(1))
    logs = [log(4, reps_per_set=(8, 8, 8)), log(2, reps_per_set=(8, 9, 8))]
    # the bottom of the range is enough for this rule: 20 × 1.10 = 22 kg
    assert run(SQUAT, rule, logs, since_days=8).dose.load_kg == Decimal(22)
    assert codes(run(SQUAT, rule, logs, since_days=5)) == ["too_soon"]
    below = [log(4, reps_per_set=(8, 8, 8)), log(2, reps_per_set=(8, 7, 8))]
    assert codes(run(SQUAT, rule, below, since_days=8)) == ["reps_not_reached"]
    assert codes(run(BRIDGE, rule, [bw_log(4), bw_log(2)], since_days=8)) == ["no_external_load"]


def test_therapist_decides_never_progresses_but_still_regresses():
    rule = Rule(kind="therapist_decides")
    assert codes(run(SQUAT, rule, [log(4), log(2)])) == ["therapist_decides"]
    assert run(SQUAT, rule, [log(4), log(2, pain_during=7)]).action is Action.REGRESS
    assert run(SQUAT, rule, [log(4), log(2, pain_during=4)]).action is Action.HOLD
    timed = replace(rule, mode=Mode.TIME_CONTINGENT)
    assert codes(run(SQUAT, timed, [log(2)])) == ["therapist_decides"]


# --- time-contingent mode ---------------------------------------------------------------------

TIMED = replace(DOUBLE, mode="time_contingent")


def test_time_contingent_progresses_on_schedule_despite_pain():
    painful = [log(3, pain_during=6, next_morning_pain=5, reps_per_set=(8, 8, 8), effort=10)]
    result = run(SQUAT, TIMED, painful, since_days=7)
    assert result.action is Action.PROGRESS
    assert result.dose.load_kg == Decimal("22.5")
    assert codes(result) == ["on_schedule", "load_increased"]


def test_time_contingent_stops_on_a_red_flag_or_a_pause():
    logs = [log(3, pain_during=6)]
    assert codes(run(SQUAT, TIMED, logs, since_days=7, red_flag_open=True)) == ["red_flag_open"]
    assert codes(run(SQUAT, TIMED, logs, since_days=7, therapist_paused=True)) == [
        "therapist_paused"
    ]


def test_time_contingent_waits_seven_days_and_needs_a_session_that_week():
    assert codes(run(SQUAT, TIMED, [log(3)], since_days=6)) == ["too_soon"]
    # the last session was 8 days ago: nothing logged in the past week
    assert codes(run(SQUAT, TIMED, [log(8)], since_days=10)) == ["no_recent_session"]


# --- cutting a dose ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dose", "expected", "field"),
    [
        # bodyweight reps 8–12: 12 × 0.85 = 10.2 → 10; 8 × 0.85 = 6.8 → 7 → 7–10
        (
            replace(SQUAT, load_kind="bodyweight", load_kg=None),
            {"reps_min": 7, "reps_max": 10},
            "reps_max",
        ),
        # hold 30 s × 0.85 = 25.5 → 26 s (halves up)
        (replace(SIDE_BRIDGE, hold_seconds=30), {"hold_seconds": 26}, "hold_seconds"),
        # hold 1 s cannot go lower → sets 3 × 0.85 = 2.55 → 3, at least one fewer → 2
        (replace(SIDE_BRIDGE, hold_seconds=1), {"sets": 2}, "sets"),
        # 5 s × 0.85 = 4.25 → 4 s
        (replace(SIDE_BRIDGE, hold_seconds=5), {"hold_seconds": 4}, "hold_seconds"),
        # time 600 s × 0.85 = 510 s
        (
            Dose(sets=1, dosage_type="time", duration_seconds=600),
            {"duration_seconds": 510},
            "duration_seconds",
        ),
        # distance 1000 m × 0.85 = 850 m
        (Dose(sets=2, dosage_type="distance", distance_m=1000), {"distance_m": 850}, "distance_m"),
        # 2.5 kg is already the smallest load → the reps are cut instead
        (replace(SQUAT, load_kg=Decimal("2.5")), {"reps_min": 7, "reps_max": 10}, "reps_max"),
        # 5 kg × 0.85 = 4.25 → 5.0 (nearest 2.5) but at least one step lighter → 2.5 kg
        (replace(SQUAT, load_kg=Decimal(5)), {"load_kg": Decimal("2.5")}, "load_kg"),
    ],
)
def test_cut_dose(dose, expected, field):
    smaller, reason = cut_dose(dose, Decimal(15), Decimal("2.5"))
    assert smaller == replace(dose, **expected)
    assert reason.code == "dose_cut"
    assert reason.values["field"] == field


@pytest.mark.parametrize(
    ("dose", "pct"),
    [
        # 10 reps × 0.85 = 8.5 → 9: the reason says −10 %, what the patient will feel.
        (Dose(sets=1, dosage_type="reps", reps_min=8, reps_max=10), 10),
        # 600 s × 0.85 = 510 s: exactly the rule's 15 %.
        (Dose(sets=1, dosage_type="time", duration_seconds=600), 15),
        # 5 kg → 2.5 kg (one step of the equipment): −50 %.
        (replace(SQUAT, load_kg=Decimal(5)), 50),
    ],
)
def test_a_cut_names_the_percentage_it_came_to(dose, pct):
    _smaller, reason = cut_dose(dose, Decimal(15), Decimal("2.5"))
    assert reason.values["pct"] == pct


def test_cut_dose_at_the_minimum():
    tiny = Dose(sets=1, dosage_type="reps", reps_min=1, reps_max=1)
    smaller, reason = cut_dose(tiny, Decimal(15), Decimal("2.5"))
    assert smaller == tiny
    assert reason.code == "dose_at_minimum"


def test_cut_percentage_stays_within_ten_to_twenty():
    with pytest.raises(ValueError):
        run(logs=[log(2)], cut_pct=Decimal(25))
    # 20 % of 20 kg = 16 kg → a multiple of 2.5? 16 / 2.5 = 6.4 → 6 → 15 kg
    assert run(logs=[log(2, pain_during=9)], cut_pct=Decimal(20)).dose.load_kg == Decimal(15)


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sets": 0, "dosage_type": "reps", "reps_min": 8, "reps_max": 12},
        {"sets": 3, "dosage_type": "reps", "reps_min": 12, "reps_max": 8},
        {"sets": 3, "dosage_type": "reps"},
        {"sets": 3, "dosage_type": "hold", "reps_min": 5, "reps_max": 5},
        {"sets": 3, "dosage_type": "time"},
        {"sets": 3, "dosage_type": "reps", "reps_min": 8, "reps_max": 8, "load_kind": "kg"},
        {"sets": 3, "dosage_type": "reps", "reps_min": 8, "reps_max": 8, "load_kg": Decimal(5)},
        {"sets": 3, "dosage_type": "swim", "reps_min": 8, "reps_max": 8},
        {"sets": 3, "dosage_type": "reps", "reps_min": 8, "reps_max": 8, "target_effort": 11},
    ],
)
def test_invalid_doses_are_rejected(kwargs):
    with pytest.raises(ValueError):
        Dose(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "double_progression"},
        {"kind": "hold_progression", "seconds_per_week": 5},
        {"kind": "load_percent_per_week"},
        {"kind": "ladder_step", "sessions_required": 0},
        {"kind": "ladder_step", "mode": "whenever"},
    ],
)
def test_invalid_rules_are_rejected(kwargs):
    with pytest.raises(ValueError):
        Rule(**kwargs)


def test_hold_progression_needs_a_hold_dose():
    with pytest.raises(ValueError):
        run(SQUAT, HOLDS, [log(2)])


def test_logged_reps_must_agree():
    with pytest.raises(ValueError):
        LoggedExercise(TODAY, reps_per_set=(10, 12), sets_done=3)
    with pytest.raises(ValueError):
        LoggedExercise(TODAY, reps_per_set=(10, 12), fewest_reps=12)


def test_string_values_become_enums():
    assert SQUAT.dosage_type is DosageType.REPS
    assert SQUAT.load_kind is LoadKind.KG
    assert DOUBLE.kind is RuleKind.DOUBLE_PROGRESSION
    assert DOUBLE.mode is Mode.PAIN_CONTINGENT


# --- properties -------------------------------------------------------------------------------

NUMERIC_FIELDS = [
    f.name
    for f in fields(Dose)
    if f.name
    in {"sets", "reps_min", "reps_max", "hold_seconds", "duration_seconds", "distance_m", "load_kg"}
]


@st.composite
def doses(draw):
    dosage_type = draw(st.sampled_from(list(DosageType)))
    reps_min = draw(st.integers(1, 20))
    kwargs = {
        "sets": draw(st.integers(1, 6)),
        "dosage_type": dosage_type,
        "reps_min": reps_min,
        "reps_max": reps_min + draw(st.integers(0, 10)),
        "hold_seconds": draw(st.integers(1, 120)),
        "duration_seconds": draw(st.integers(1, 3600)),
        "distance_m": draw(st.integers(1, 10000)),
    }
    if draw(st.booleans()):
        kwargs["load_kind"] = "kg"
        kwargs["load_kg"] = draw(st.decimals(0, 200, places=1))
    return Dose(**kwargs)


increments = st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)])


def field_pairs(before: Dose, after: Dose):
    for name in NUMERIC_FIELDS:
        old, new = getattr(before, name), getattr(after, name)
        if old is not None and new is not None:
            yield name, old, new


@given(doses(), st.integers(10, 20).map(Decimal), increments)
def test_a_regress_never_increases_any_dose_field(dose, pct, increment):
    smaller, _ = cut_dose(dose, pct, increment)
    for _name, old, new in field_pairs(dose, smaller):
        assert new <= old
    assert smaller.sets >= 1
    assert smaller.reps_min is None or 1 <= smaller.reps_min <= smaller.reps_max


@given(doses(), st.integers(10, 20).map(Decimal), st.booleans())
def test_a_suggested_regress_never_increases_any_dose_field(dose, pct, easier):
    red = LoggedExercise(TODAY, pain_during=8)
    result = suggest(
        dose,
        Rule(kind="ladder_step"),
        [red],
        today=TODAY,
        dose_since=TODAY,
        cut_pct=pct,
        easier_exercise_id=EASIER if easier else None,
    )
    assert result.action is Action.REGRESS
    for _name, old, new in field_pairs(dose, result.dose):
        assert new <= old


@st.composite
def progress_cases(draw):
    dose = draw(doses())
    kind = draw(st.sampled_from(list(RuleKind)))
    if kind is RuleKind.HOLD_PROGRESSION:
        dose = replace(dose, dosage_type=DosageType.HOLD)
    if kind is RuleKind.DURATION_PROGRESSION:
        dose = replace(dose, dosage_type=DosageType.TIME)
    rule = Rule(
        kind=kind,
        mode=Mode.TIME_CONTINGENT,
        load_increment_kg=draw(increments),
        load_increment_pct=draw(st.one_of(st.none(), st.integers(2, 10).map(Decimal))),
        seconds_per_week=draw(st.integers(1, 10)),
        max_hold_seconds=draw(st.integers(1, 120)),
        percent=draw(st.integers(1, 10).map(Decimal)),
        minutes_per_week=draw(st.integers(1, 10)),
        target_duration_seconds=draw(st.integers(60, 7200)),
    )
    return dose, rule


@given(progress_cases(), st.booleans())
def test_a_progress_never_decreases_any_dose_field(case, harder):
    dose, rule = case
    result = suggest(
        dose,
        rule,
        [LoggedExercise(TODAY - timedelta(days=1))],
        today=TODAY,
        dose_since=TODAY - timedelta(days=7),
        harder_exercise_id=HARDER if harder else None,
    )
    if result.action is Action.PROGRESS and result.step is None:
        # on the same exercise; a step up resets the dose to the bottom of the new rung
        for _name, old, new in field_pairs(dose, result.dose):
            assert new >= old
        assert result.dose != dose
    if result.action is not Action.PROGRESS:
        assert result.dose == dose


pains = st.one_of(st.none(), st.integers(0, 10))


@given(
    progress_cases(),
    st.lists(st.tuples(st.integers(0, 13), pains, pains, pains), min_size=0, max_size=5),
    st.lists(st.tuples(pains, pains, pains), min_size=5, max_size=5),
    st.integers(0, 14),
    st.booleans(),
    st.booleans(),
)
def test_time_contingent_suggestions_never_depend_on_pain(
    case, sessions, other_pains, since, red_flag, trend
):
    dose, rule = case

    def logs_with(pain_values):
        return [
            LoggedExercise(
                TODAY - timedelta(days=days_ago),
                pain_during=during,
                next_morning_pain=morning,
                morning_baseline=baseline,
            )
            for (days_ago, *_), (during, morning, baseline) in zip(
                sessions, pain_values, strict=False
            )
        ]

    def outcome(logs, trend_rising):
        return suggest(
            dose,
            rule,
            logs,
            today=TODAY,
            dose_since=TODAY - timedelta(days=since),
            red_flag_open=red_flag,
            trend_rising_two_weeks=trend_rising,
            harder_exercise_id=HARDER,
        )

    first = outcome(logs_with([tuple(s[1:]) for s in sessions]), None)
    second = outcome(logs_with(other_pains), trend)
    assert first == second
    if red_flag:
        assert first.action is Action.HOLD
        assert [r.code for r in first.reasons] == ["red_flag_open"]


def test_pain_after_nine_with_a_normal_morning_regresses_and_alerts():
    # Two sessions at the top of the dose with pain during 2 and the next mornings at the
    # baseline of 2, but the second session hurt 9/10 afterwards: red → regress one rung
    # and alert the therapist (Silbernagel 2007: after-pain may reach 5).
    dose = Dose(sets=3, dosage_type="reps", reps_min=8, reps_max=12)
    rule = Rule(kind="ladder_step")
    logs = [
        LoggedExercise(day=date(2024, 1, 2), reps_per_set=(12, 12, 12), pain_during=2,
                       next_morning_pain=2, morning_baseline=2),
        LoggedExercise(day=date(2024, 1, 4), reps_per_set=(12, 12, 12), pain_during=2,
                       pain_after=9, next_morning_pain=2, morning_baseline=2),
    ]  # fmt: skip
    advice = suggest(
        dose, rule, logs, today=date(2024, 1, 5), dose_since=date(2024, 1, 1),
        harder_exercise_id=3, easier_exercise_id=1,
    )  # fmt: skip
    assert advice.action is Action.REGRESS and advice.alert_therapist
    assert advice.exercise_id == 1
    assert advice.reasons[0].code == "pain_after_high"


# --- duration progression (domain.md §5: walking and walk-run build up in minutes) ----------

WALK = Dose(sets=1, dosage_type="time", duration_seconds=20 * 60)
FIVE_MINUTES_A_WEEK = {"minutes_per_week": 5, "target_duration_seconds": 40 * 60}


def _walked(day, *, minutes=20, pain=2, after=None):
    return LoggedExercise(day=day, sets_done=1, duration_seconds=minutes * 60, pain_during=pain,
                          pain_after=after, next_morning_pain=2, morning_baseline=2)  # fmt: skip


def test_walking_five_minutes_longer_every_week_on_schedule():
    # Time-contingent (KNGF 2021, graded activity): 20 min walked this week, 7 days at the
    # dose → 25 min, whatever the pain.
    rule = Rule(kind="duration_progression", mode="time_contingent", **FIVE_MINUTES_A_WEEK)
    advice = suggest(WALK, rule, [_walked(date(2024, 1, 6), pain=6)], today=date(2024, 1, 8),
                     dose_since=date(2024, 1, 1))  # fmt: skip
    assert advice.action is Action.PROGRESS
    assert advice.dose.duration_seconds == 25 * 60
    assert advice.reasons[-1].code == "duration_increased"
    assert advice.reasons[-1].values == {"from_seconds": 1200, "to_seconds": 1500}
    # Six days at the dose: not yet a week.
    too_soon = suggest(WALK, rule, [_walked(date(2024, 1, 6))], today=date(2024, 1, 7),
                       dose_since=date(2024, 1, 1))  # fmt: skip
    assert too_soon.action is Action.HOLD


def test_pain_gated_walk_run_adds_minutes_only_after_two_green_sessions_and_a_week():
    rule = Rule(kind="duration_progression", **FIVE_MINUTES_A_WEEK)
    greens = [_walked(date(2024, 1, 3)), _walked(date(2024, 1, 5))]
    advice = suggest(WALK, rule, greens, today=date(2024, 1, 8), dose_since=date(2024, 1, 1))
    assert advice.action is Action.PROGRESS and advice.dose.duration_seconds == 25 * 60
    # Two greens but the prescribed 20 minutes were not walked: hold.
    short = [_walked(date(2024, 1, 3)), _walked(date(2024, 1, 5), minutes=15)]
    held = suggest(WALK, rule, short, today=date(2024, 1, 8), dose_since=date(2024, 1, 1))
    assert held.action is Action.HOLD
    assert held.reasons[0].code == "duration_not_reached"


def test_walk_run_with_pain_8_and_a_worse_next_morning_regresses_and_alerts():
    # Running knee, walk-run 20 min, pain-contingent: pain during 8/10 and the next
    # morning 4 above a baseline of 2 → red: cut the time 15 % (no easier rung) and alert.
    rule = Rule(kind="duration_progression", **FIVE_MINUTES_A_WEEK)
    red = LoggedExercise(day=date(2024, 1, 5), sets_done=1, duration_seconds=1200,
                         pain_during=8, next_morning_pain=4, morning_baseline=2)  # fmt: skip
    advice = suggest(WALK, rule, [_walked(date(2024, 1, 3)), red], today=date(2024, 1, 6),
                     dose_since=date(2024, 1, 1))  # fmt: skip
    assert advice.action is Action.REGRESS and advice.alert_therapist
    assert [r.code for r in advice.reasons] == [
        "pain_during_high", "next_morning_above_baseline", "dose_cut",
    ]  # fmt: skip
    assert advice.dose.duration_seconds == 1020  # 1200 × 0.85


def test_duration_stops_at_its_target():
    rule = Rule(kind="duration_progression", mode="time_contingent", **FIVE_MINUTES_A_WEEK)
    near = replace(WALK, duration_seconds=38 * 60)
    advice = suggest(near, rule, [_walked(date(2024, 1, 6), minutes=38)],
                     today=date(2024, 1, 8), dose_since=date(2024, 1, 1))  # fmt: skip
    assert advice.dose.duration_seconds == 40 * 60  # capped at the target
    there = replace(WALK, duration_seconds=40 * 60)
    held = suggest(there, rule, [_walked(date(2024, 1, 6), minutes=40)],
                   today=date(2024, 1, 8), dose_since=date(2024, 1, 1))  # fmt: skip
    assert held.action is Action.HOLD
    assert held.reasons[0].code == "duration_at_target"


def test_duration_progression_needs_a_timed_dose_and_its_parameters():
    with pytest.raises(ValueError, match="minutes_per_week"):
        Rule(kind="duration_progression")
    with pytest.raises(ValueError, match="timed dose"):
        suggest(Dose(sets=3, dosage_type="reps", reps_min=8, reps_max=12),
                Rule(kind="duration_progression", **FIVE_MINUTES_A_WEEK), [],
                today=date(2024, 1, 8), dose_since=date(2024, 1, 1))  # fmt: skip


# --- a red session logged late is judged like any other (domain.md §3) ----------------------


def test_a_red_session_logged_late_for_a_day_before_the_dose_changed_regresses():
    # The dose went up on 10 January; on the 11th the patient logs the session of the 8th
    # (at the old dose), pain during 7/10. Nobody has judged it: regress and alert, and
    # say it came in late — not "no sessions at this dose since 10 January".
    dose = Dose(sets=3, dosage_type="reps", reps_min=8, reps_max=12)
    late = LoggedExercise(day=date(2024, 1, 8), reps_per_set=(10, 10, 10), pain_during=7,
                          unseen_earlier_dose=True)  # fmt: skip
    advice = suggest(dose, Rule(kind="ladder_step"), [late], today=date(2024, 1, 11),
                     dose_since=date(2024, 1, 10), easier_exercise_id=1)  # fmt: skip
    assert advice.action is Action.REGRESS and advice.alert_therapist
    assert [r.code for r in advice.reasons] == ["pain_during_high", "logged_late", "step_down"]
    assert advice.reasons[1].values == {"day": date(2024, 1, 8)}


def test_a_late_session_that_was_already_judged_or_is_green_does_not_regress():
    dose = Dose(sets=3, dosage_type="reps", reps_min=8, reps_max=12)
    # The same red session, but logged before the dose changed: it led to that change.
    seen = LoggedExercise(day=date(2024, 1, 8), reps_per_set=(10, 10, 10), pain_during=7)
    advice = suggest(dose, Rule(kind="ladder_step"), [seen], today=date(2024, 1, 11),
                     dose_since=date(2024, 1, 10), easier_exercise_id=1)  # fmt: skip
    assert advice.action is Action.HOLD and advice.reasons[0].code == "no_sessions"
    # Logged late but green: it says nothing about the new dose.
    green = LoggedExercise(
        day=date(2024, 1, 8),
        reps_per_set=(12, 12, 12),
        pain_during=1,
        next_morning_pain=2,
        morning_baseline=2,
        unseen_earlier_dose=True,
    )
    assert suggest(dose, Rule(kind="ladder_step"), [green], today=date(2024, 1, 11),
                   dose_since=date(2024, 1, 10)).action is Action.HOLD  # fmt: skip
    # A late red older than two greens at the new dose: the latest response is green.
    newer = [
        LoggedExercise(day=date(2024, 1, d), reps_per_set=(12, 12, 12), pain_during=1,
                       next_morning_pain=2, morning_baseline=2)
        for d in (10, 12)
    ]  # fmt: skip
    late = replace(seen, unseen_earlier_dose=True)
    advice = suggest(dose, Rule(kind="ladder_step"), [late, *newer], today=date(2024, 1, 13),
                     dose_since=date(2024, 1, 10), harder_exercise_id=3)  # fmt: skip
    assert advice.action is Action.PROGRESS
