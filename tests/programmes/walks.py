"""A built-in template walked from intake to discharge, day by day, through the app's pages.

The clock is moved with time-machine; every step is what a user does: the therapist records
the intake and re-assessments, creates the programme from the template, activates it,
accepts progress suggestions and moves the patient on (signing off each phase change); the
patient checks in every morning and logs the due exercises on their session days. The exit
criteria are read from the programme's own judgement of the recorded data
(rehab.programmes.advancement.phase_status) — nothing is ticked by hand except a criterion
no recorded value can answer. Once in every phase the patient has a red session (pain
during 7/10) with every exercise, so that the pain model is seen at work on each
pain-contingent prescription.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from rehab.extensions import db
from rehab.programmes.advancement import phase_status
from rehab.programmes.models import Prescription, Programme, Suggestion
from rehab.progress.criteria import Status
from rehab.training import services as training
from rehab.training.models import Alert
from rehab.training.plan import today_plan
from tests.factories import login_as
from tests.patients.factories import analysis_form

ZONE = ZoneInfo("Europe/Amsterdam")
START = dt.date(2026, 1, 5)  # a Monday: the intake
MAX_PHASE_DAYS = 10 * 7
# Session days by number of sessions a week (Monday = 0).
SESSION_DAYS = {1: {0}, 2: {0, 3}, 3: {0, 2, 4}, 4: {0, 1, 3, 4}, 5: {0, 1, 2, 3, 4},
                6: {0, 1, 2, 3, 4, 5}, 7: set(range(7))}  # fmt: skip
# Judged from an analysis: the therapist re-assesses when only these are left.
FROM_ANALYSES = {"measure", "ratio", "outcome_change", "activity_score", "lumbar_mobility",
                 "single_leg_squat", "baselines_recorded", "red_flags_clear"}  # fmt: skip

# What the patient scores on their activities at the intake and at the re-assessments at
# the end of phases 3 and 4; the second is the sport or work activity ("Voetbal").
# PSK: higher = harder; PSFS: higher = better.
ACTIVITIES = {
    "psk": {1: [("Zitten op het werk", 6), ("Voetbal", 8), ("Tillen", 7)],  # mean 7
            3: [("Zitten op het werk", 3), ("Voetbal", 3), ("Tillen", 2)],  # 2 points better
            4: [("Zitten op het werk", 2), ("Voetbal", 1), ("Tillen", 1)]},  # sport 1 = 9/10
    "psfs": {1: [("Zitten op het werk", 4), ("Voetbal", 2), ("Tillen", 3)],  # mean 3
             3: [("Zitten op het werk", 8), ("Voetbal", 6), ("Tillen", 8)],
             4: [("Zitten op het werk", 9), ("Voetbal", 9), ("Tillen", 9)]},  # sport 9/10
}  # fmt: skip
INTAKE = {
    "nprs": 6, "modified_schober": 3, "finger_floor_distance": 25, "mcgill_flexor": 90,
    "biering_sorensen": 80, "side_bridge_left": 40, "side_bridge_right": 30,
    "single_leg_hops_left": 4, "single_leg_hops_right": 3, "hop_pain": 5,
    **{f"sls_{item}_{side}": "poor" if item == "knee" else "good"
       for item in ("overall", "trunk", "pelvis", "knee", "foot") for side in ("left", "right")},
}  # fmt: skip
# What improves by the re-assessment at the end of each phase (cumulative).
IMPROVED_BY_PHASE = {
    # Lumbar mobility beyond its SDC, the single-leg squat good, the side bridge 62/60 s.
    2: {"modified_schober": 5.2, "finger_floor_distance": 12, "side_bridge_left": 62,
        "side_bridge_right": 60, "nprs": 4,
        **{f"sls_knee_{side}": "good" for side in ("left", "right")}},
    # Extensor endurance (the McGill ratios fall in range) and the hop test.
    3: {"biering_sorensen": 150, "single_leg_hops_left": 12, "single_leg_hops_right": 12,
        "hop_pain": 1, "nprs": 2},
}  # fmt: skip


def values_by(phase: int) -> dict:
    values = dict(INTAKE)
    for stage in sorted(IMPROVED_BY_PHASE):
        if stage <= phase:
            values.update(IMPROVED_BY_PHASE[stage])
    return values


def activities_by(instrument: str, phase: int):
    stages = ACTIVITIES[instrument]
    return stages[max(stage for stage in stages if stage <= phase)]


@dataclass
class PhaseRecord:
    """What happened in one phase of the walk, for the test's assertions."""

    position: int
    days: int = 0
    probe_regressed: set[int] = field(default_factory=set)  # prescriptions regressed by the probe
    probe_held: set[int] = field(default_factory=set)  # time-contingent: not regressed
    pain_contingent: set[int] = field(default_factory=set)
    accepted_progress: int = 0
    unmet_before_reassessment: list[str] = field(default_factory=list)
    ticked_by_hand: list[str] = field(default_factory=list)
    statuses_at_advance: list[tuple[str, str]] = field(default_factory=list)
    page_notes: list[str] = field(default_factory=list)


class Walk:
    """One patient through one built-in template."""

    def __init__(self, world, slug: str, instrument: str):
        self.world = world
        self.patient = world.patient
        self.slug = slug
        self.instrument = instrument
        self.day = START
        self.programme: Programme | None = None
        self.phases: list[PhaseRecord] = []
        self.reassessed_in_phase: set[int] = set()

    # --- the clock and the people -------------------------------------------------------

    def travel(self, day: dt.date):
        return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=ZONE), tick=False)

    def therapist(self):
        from flask import current_app

        return login_as(current_app.test_client(), self.world.therapist)

    def patient_client(self):
        from flask import current_app

        return login_as(current_app.test_client(), self.patient.user)

    # --- the therapist ------------------------------------------------------------------

    def record_analysis(self, kind: str, values: dict, activities) -> None:
        data = analysis_form(self.day, kind, activity_instrument=self.instrument,
                             activities=activities, **values)  # fmt: skip
        data["sport_activity"] = "2"  # "Voetbal": the sport activity
        response = self.therapist().post(f"/patients/{self.patient.id}/analyses/new", data=data)
        assert response.status_code == 302, response.text

    def start(self) -> None:
        with self.travel(self.day):
            self.record_analysis("intake", INTAKE, activities_by(self.instrument, 1))
            therapist = self.therapist()
            response = therapist.post(f"/programmes/patient/{self.patient.id}/new",
                                      data={"source": f"builtin:{self.slug}"})  # fmt: skip
            assert response.status_code == 302
            self.programme = db.session.scalar(
                select(Programme).where(Programme.patient_id == self.patient.id)
            )
        # A week of mornings before the programme starts gives the pain baseline.
        for _ in range(7):
            with self.travel(self.day):
                self.check_in()
            self.day += dt.timedelta(days=1)
        with self.travel(self.day):
            db.session.refresh(self.programme)
            version = {"version": self.programme.version}
            response = self.therapist().post(f"/programmes/{self.programme.id}/activate",
                                             data=version)  # fmt: skip
            assert response.status_code == 302
        db.session.expire_all()

    def current(self):
        db.session.expire_all()
        programme = db.session.get(Programme, self.programme.id)
        phase = next(p for p in programme.phases if p.id == programme.current_phase_id)
        return programme, phase

    def accept_progress(self, record: PhaseRecord) -> None:
        therapist = self.therapist()
        for suggestion in db.session.scalars(
            select(Suggestion).where(
                Suggestion.patient_id == self.patient.id,
                Suggestion.status == "open",
                Suggestion.action == "progress",
            )
        ).all():
            url = f"/training/patients/{self.patient.id}/suggestions/{suggestion.id}/accept"
            assert therapist.post(url).status_code == 302
            db.session.refresh(suggestion)
            record.accepted_progress += suggestion.status == "accepted"

    def advance(self, phase) -> None:
        programme, _ = self.current()
        response = self.therapist().post(
            f"/programmes/{programme.id}/phase",
            data={"version": programme.version, "direction": "next",
                  "note": f"Exitcriteria fase {phase.position} gehaald"},
        )  # fmt: skip
        assert response.status_code == 302

    # --- the patient --------------------------------------------------------------------

    def check_in(self, pain: int = 2) -> None:
        response = self.patient_client().post("/training/check-in", data={
            "check_date": self.day.isoformat(), "morning_pain": str(pain),
            "stiffness_minutes": "5", "sleep_quality": "good", "worse_than_yesterday": "no",
        })  # fmt: skip
        assert response.status_code == 302, response.text

    def log(self, prescriptions: list[Prescription], *, pain: int) -> None:
        data = {
            "submission_key": secrets.token_urlsafe(24), "session_date": self.day.isoformat(),
            "duration_minutes": "40", "session_rpe": "5", "pain_after": "2", "note": "",
        }  # fmt: skip
        for index, rx in enumerate(prescriptions):
            for name, value in top_of_dose(rx, pain).items():
                data[f"exercises-{index}-{name}"] = value
        response = self.patient_client().post("/training/today", data=data)
        assert response.status_code == 302, response.text

    # --- one day, one phase, the whole walk ---------------------------------------------

    def walk_phase(self) -> PhaseRecord:
        _, phase = self.current()
        record = PhaseRecord(phase.position)
        probe_done = False
        per_week = _sessions(phase)
        for _ in range(MAX_PHASE_DAYS):
            with self.travel(self.day):
                self.check_in()
                _, phase = self.current()
                if self.day.weekday() == 0 and record.days:
                    self.accept_progress(record)
                if self.day.weekday() in per_week:
                    if not probe_done:
                        self.probe(record)
                        probe_done = True
                    else:
                        plan = today_plan(self.patient, self.day)
                        self.log(plan.due or plan.allowed, pain=1)
                statuses = self.statuses()
                if self.ready(statuses, record, phase):
                    self.finish_phase(record, phase)
                    self.day += dt.timedelta(days=1)
                    record.days += 1
                    return record
            self.day += dt.timedelta(days=1)
            record.days += 1
        unmet = [(s.criterion.label, s.status.value, s.actual_text) for s in self.statuses()]
        raise AssertionError(f"phase {phase.position} never met its exit criteria: {unmet}")

    def statuses(self):
        programme, phase = self.current()
        return phase_status(programme, phase, today=self.day)

    def probe(self, record: PhaseRecord) -> None:
        """A red session (pain during 7/10) with every exercise of the phase."""
        everything = training.current_prescriptions(self.current()[0])
        self.log(everything, pain=7)
        db.session.expire_all()
        regressed = {
            s.prescription_id
            for s in db.session.scalars(
                select(Suggestion).where(
                    Suggestion.patient_id == self.patient.id,
                    Suggestion.status == "open",
                    Suggestion.action == "regress",
                )
            )
        }
        for rx in everything:
            if rx.mode == "pain_contingent":
                record.pain_contingent.add(rx.id)
                if rx.id in regressed:
                    record.probe_regressed.add(rx.id)
            elif rx.id not in regressed:
                record.probe_held.add(rx.id)
        alerts = db.session.scalars(
            select(Alert).where(Alert.patient_id == self.patient.id, Alert.kind == "pain_red")
        ).all()
        days = {s["day"] for alert in alerts for s in alert.evidence.get("sessions", [])}
        assert self.day.isoformat() in days, "the red session raised no alert"

    def ready(self, statuses, record: PhaseRecord, phase) -> bool:
        """The therapist moves on once the planned weeks are over and every criterion is
        met; at the end of the planned weeks they re-assess what an analysis answers."""
        if record.days + 1 < 7 * (phase.planned_weeks or 1):
            return False
        pending = [s for s in statuses if not s.met]
        from_analyses = [s for s in pending if s.criterion.kind in FROM_ANALYSES]
        if from_analyses and phase.position not in self.reassessed_in_phase:
            record.unmet_before_reassessment = [s.criterion.kind for s in from_analyses]
            self.reassessed_in_phase.add(phase.position)
            self.record_analysis("reassessment", values_by(phase.position),
                                 activities_by(self.instrument, phase.position))  # fmt: skip
            statuses = self.statuses()
            pending = [s for s in statuses if not s.met]
        checks = [s for s in pending if s.criterion.kind == "therapist_check"]
        if checks and len(checks) == len(pending):
            programme, _ = self.current()
            for s in checks:  # nothing recorded answers these: the therapist ticks them
                url = f"/programmes/{programme.id}/criteria/{s.criterion.id}/tick"
                response = self.therapist().post(
                    url, data={"version": programme.version, "checked": "y"}
                )
                assert response.status_code == 302
                record.ticked_by_hand.append(s.criterion.label)
                programme, _ = self.current()
            statuses = self.statuses()
            pending = [s for s in statuses if not s.met]
        if pending:
            return False
        record.statuses_at_advance = [(s.criterion.kind, s.status.value) for s in statuses]
        record.page_notes = [s.note_text for s in statuses if s.note_text]
        return True

    def finish_phase(self, record: PhaseRecord, phase) -> None:
        self.phases.append(record)
        programme, _ = self.current()
        if phase.position < len(programme.phases):
            self.advance(phase)
            return
        # The last phase: complete the programme, discharge, record the discharge analysis.
        therapist = self.therapist()
        response = therapist.post(f"/programmes/{programme.id}/complete",
                                  data={"version": programme.version,
                                        "conclusion": "Terug op het oude niveau."})  # fmt: skip
        assert response.status_code == 302
        response = therapist.post(
            f"/patients/{self.patient.id}/discharge",
            data={"discharged_on": self.day.isoformat(), "note": ""},
        )
        assert response.status_code == 302
        self.record_analysis("discharge", {**values_by(phase.position), "gpe": 1},
                             activities_by(self.instrument, phase.position))  # fmt: skip

    def run(self) -> list[PhaseRecord]:
        self.start()
        while True:
            programme, _ = self.current()
            if programme.status != "active":
                return self.phases
            self.walk_phase()
            db.session.expire_all()
            if db.session.get(Programme, self.programme.id).status != "active":
                return self.phases


def _sessions(phase) -> set[int]:
    if phase.schedule_kind == "weekdays":
        return {int(day) - 1 for day in phase.weekdays.split(",")}
    return SESSION_DAYS[phase.sessions_per_week]


def top_of_dose(rx: Prescription, pain: int) -> dict[str, str]:
    """Form fields for one exercise done at the top of its current dose."""
    values = {"prescription_id": str(rx.id), "sets": str(rx.sets), "pain_during": str(pain)}
    if rx.dosage_type in ("reps", "hold"):
        values["reps"] = str(rx.reps_max)
    if rx.dosage_type == "hold":
        values["hold_seconds"] = str(rx.hold_seconds)
    if rx.dosage_type == "time":
        values["duration_seconds"] = str(rx.duration_seconds)
    if rx.dosage_type == "distance":
        values["distance_m"] = str(rx.distance_m)
    if rx.load_kind == "kg":
        values["load_kg"] = str(rx.load_kg)
    if rx.target_effort is not None:
        values["effort"] = str(max(int(rx.target_effort) - 1, 0))
    return values


STATUS = Status
