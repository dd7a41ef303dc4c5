"""Patient records (WGBO dossier) and their movement analyses."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehab.auth.models import Clinic, User
from rehab.core.data_versions import install_on_create
from rehab.core.db import utcnow
from rehab.core.vocabulary import sql_in
from rehab.extensions import db
from rehab.patients import vocabulary as vocab
from rehab.patients.measures import MEASURES


class PatientStatus(enum.StrEnum):
    ACTIVE = "active"
    DISCHARGED = "discharged"


class Episode(enum.StrEnum):
    FIRST = "first"
    RECURRENCE = "recurrence"


class Patient(db.Model):
    """The clinical record of one patient of one clinic, with their login account."""

    __tablename__ = "patients"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'discharged')", name="status"),
        CheckConstraint("preferred_language IN ('nl', 'en')", name="language"),
        CheckConstraint("episode IS NULL OR episode IN ('first', 'recurrence')", name="episode"),
        CheckConstraint(f"sex IS NULL OR sex IN {sql_in(vocab.SEXES)}", name="sex"),
        CheckConstraint(
            "earlier_episodes IS NULL OR earlier_episodes BETWEEN 0 AND 200",
            name="earlier_episodes",
        ),
        Index("ix_patients_clinic_status_name", "clinic_id", "status", "last_name"),
        Index("ix_patients_therapist_status", "therapist_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    therapist_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[dt.date | None]
    sex: Mapped[str | None] = mapped_column(String(8))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    preferred_language: Mapped[str] = mapped_column(String(2), default="nl")
    status: Mapped[str] = mapped_column(String(16), default=PatientStatus.ACTIVE)
    main_complaint: Mapped[str | None] = mapped_column(Text)
    body_region: Mapped[str | None] = mapped_column(String(32))
    onset_date: Mapped[dt.date | None]
    episode: Mapped[str | None] = mapped_column(String(16))
    earlier_episodes: Mapped[int | None]
    history: Mapped[str | None] = mapped_column(Text)
    goals: Mapped[str | None] = mapped_column(Text)
    demands: Mapped[str | None] = mapped_column(Text)  # sport and work demands
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    discharged_at: Mapped[dt.datetime | None]  # when the discharge was recorded
    discharged_on: Mapped[dt.date | None]  # the date of discharge the therapist chose
    discharge_note: Mapped[str | None] = mapped_column(Text)
    # Raised by the database on every change to the patient's rows (rehab.core.data_versions):
    # pages built from them are kept under it.
    data_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    clinic: Mapped[Clinic] = relationship()
    therapist: Mapped[User] = relationship(foreign_keys=[therapist_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_active(self) -> bool:
        return self.status == PatientStatus.ACTIVE


class AnalysisKind(enum.StrEnum):
    INTAKE = "intake"
    REASSESSMENT = "reassessment"
    DISCHARGE = "discharge"


def _in(column: str, codes) -> CheckConstraint:
    return CheckConstraint(f"{column} IS NULL OR {column} IN {sql_in(codes)}", name=column)


def _measure_ranges() -> list[CheckConstraint]:
    """The catalogue's valid range of every measure, enforced by the database too."""
    return [
        CheckConstraint(
            f"{name} IS NULL OR {name} BETWEEN {measure.low:g} AND {measure.high:g}", name=name
        )
        for measure in MEASURES.values()
        for name in measure.field_names()
    ]


def _choice_checks() -> list[CheckConstraint]:
    checks = [
        _in("onset", vocab.ONSETS),
        _in("course", vocab.COURSES),
        _in("pain_nature", vocab.PAIN_NATURES),
        _in("pain_pattern", vocab.PAIN_PATTERNS),
        _in("radiation", vocab.RADIATION),
        _in("start_back_group", vocab.START_BACK_GROUPS),
        _in("activity_instrument", vocab.ACTIVITY_INSTRUMENTS),
    ]
    checks += [_in(f"effect_{factor}", vocab.EFFECTS) for factor in vocab.EFFECT_FACTORS]
    checks += [_in(column, codes) for column, (_, codes) in vocab.OBSERVATIONS.items()]
    checks += [_in(f"slr_symptoms_{side}", vocab.SLR_SYMPTOMS) for side in vocab.SIDES]
    checks += [_in(column, vocab.SQUAT_RATINGS) for column in vocab.squat_columns()]
    return checks


def _flag() -> Mapped[bool]:
    return mapped_column(default=False)


def _score() -> Mapped[int | None]:
    return mapped_column()


def _decimal() -> Mapped[Decimal | None]:
    return mapped_column(Numeric(6, 2))


class MovementAnalysis(db.Model):
    """One movement analysis (intake, re-assessment or discharge) of a patient on a date.

    Everything but the date and the kind is optional: a therapist records what they
    measured. Measurement columns carry the catalogue's keys (rehab.patients.measures), so
    exit criteria and reports read them by name; the database enforces the catalogue's
    ranges. Scores of licensed questionnaires are recorded, their questions never shown.
    """

    __tablename__ = "movement_analyses"
    __table_args__ = (
        CheckConstraint(f"kind IN {sql_in(AnalysisKind)}", name="kind"),
        CheckConstraint("treatment_profile IS NULL OR treatment_profile IN (1, 2, 3)",
                        name="treatment_profile"),
        CheckConstraint("complaint_weeks IS NULL OR complaint_weeks BETWEEN 0 AND 5200",
                        name="complaint_weeks"),
        CheckConstraint("earlier_episodes IS NULL OR earlier_episodes BETWEEN 0 AND 200",
                        name="earlier_episodes"),
        CheckConstraint(
            "morning_stiffness_minutes IS NULL OR morning_stiffness_minutes BETWEEN 0 AND 1440",
            name="morning_stiffness",
        ),
        # The activities' mean belongs to the instrument they were scored on.
        CheckConstraint("psk IS NULL OR activity_instrument = 'psk'", name="psk_instrument"),
        CheckConstraint("psfs IS NULL OR activity_instrument = 'psfs'", name="psfs_instrument"),
        *_measure_ranges(),
        *_choice_checks(),
        Index("ix_movement_analyses_patient_recorded", "patient_id", "recorded_on", "id"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    therapist_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_on: Mapped[dt.date]
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Intake as the KNGF guideline lists it.
    request_for_help: Mapped[str | None] = mapped_column(Text)
    onset: Mapped[str | None] = mapped_column(String(16))
    complaint_weeks: Mapped[int | None]  # duration of this episode, in weeks
    course: Mapped[str | None] = mapped_column(String(16))
    pain_location: Mapped[str | None] = mapped_column(String(200))
    pain_nature: Mapped[str | None] = mapped_column(String(16))
    pain_pattern: Mapped[str | None] = mapped_column(String(16))
    radiation: Mapped[str | None] = mapped_column(String(16))
    effect_rest: Mapped[str | None] = mapped_column(String(16))
    effect_sleep: Mapped[str | None] = mapped_column(String(16))
    effect_posture: Mapped[str | None] = mapped_column(String(16))
    effect_cough: Mapped[str | None] = mapped_column(String(16))
    earlier_episodes: Mapped[int | None]
    weakness: Mapped[bool] = _flag()
    numbness: Mapped[bool] = _flag()

    # Red flags (KNGF 2021): any ticked → contact the GP or referrer.
    red_flag_cancer: Mapped[bool] = _flag()
    red_flag_infection: Mapped[bool] = _flag()
    red_flag_fracture: Mapped[bool] = _flag()
    red_flag_inflammatory: Mapped[bool] = _flag()
    red_flag_cauda_equina: Mapped[bool] = _flag()
    red_flag_weight_loss: Mapped[bool] = _flag()
    red_flag_night_pain: Mapped[bool] = _flag()
    red_flag_bladder_bowel: Mapped[bool] = _flag()
    red_flag_age_first_episode: Mapped[bool] = _flag()
    red_flag_notes: Mapped[str | None] = mapped_column(Text)

    # Prognostic factors (KNGF 2021) and the profile the therapist chose from them.
    pf_previous_episodes: Mapped[bool] = _flag()
    pf_high_activity_limitation: Mapped[bool] = _flag()
    pf_leg_pain: Mapped[bool] = _flag()
    pf_high_pain: Mapped[bool] = _flag()
    pf_poor_general_health: Mapped[bool] = _flag()
    pf_stress: Mapped[bool] = _flag()
    pf_fear_of_movement: Mapped[bool] = _flag()
    pf_depressive_symptoms: Mapped[bool] = _flag()
    pf_passive_coping: Mapped[bool] = _flag()
    pf_negative_expectations: Mapped[bool] = _flag()
    pf_catastrophising: Mapped[bool] = _flag()
    pf_heavy_physical_work: Mapped[bool] = _flag()
    pf_poor_work_relations: Mapped[bool] = _flag()
    pf_low_job_satisfaction: Mapped[bool] = _flag()
    treatment_profile: Mapped[int | None]
    # STarT Back is licensed (Keele): only the group is recorded, and only if the clinic uses it.
    start_back_group: Mapped[str | None] = mapped_column(String(8))

    # Pain (NPRS) and patient-specific activities (PSK or PSFS; the items are a child table).
    nprs: Mapped[int | None] = _score()
    nprs_worst: Mapped[int | None] = _score()
    activity_instrument: Mapped[str | None] = mapped_column(String(4))
    psk: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))  # mean of the activities
    psfs: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))  # mean of the activities

    # Recorded scores of questionnaires administered on paper.
    qbpds: Mapped[int | None] = _score()
    odi: Mapped[Decimal | None] = _decimal()
    rmdq: Mapped[int | None] = _score()
    tsk17: Mapped[int | None] = _score()
    gpe: Mapped[int | None] = _score()

    # The clinic's warning signs (domain.md §8).
    morning_stiffness_minutes: Mapped[int | None]
    ws_reduced_mobility: Mapped[bool] = _flag()
    ws_back_fatigue: Mapped[bool] = _flag()
    ws_intermittent_pain: Mapped[bool] = _flag()
    ws_sleep_position: Mapped[bool] = _flag()
    ws_pelvis_hip_tension: Mapped[bool] = _flag()
    ws_changed_gait_posture: Mapped[bool] = _flag()
    ws_moving_differently: Mapped[bool] = _flag()

    # Posture and movement observations.
    sitting_posture: Mapped[str | None] = mapped_column(String(24))
    standing_posture: Mapped[str | None] = mapped_column(String(24))
    lifting_pattern: Mapped[str | None] = mapped_column(String(24))
    compensation: Mapped[str | None] = mapped_column(String(24))
    fear_avoidance: Mapped[str | None] = mapped_column(String(24))
    observation_notes: Mapped[str | None] = mapped_column(Text)

    # Mobility.
    modified_schober: Mapped[Decimal | None] = _decimal()
    finger_floor_distance: Mapped[Decimal | None] = _decimal()
    hip_flexion_left: Mapped[int | None] = _score()
    hip_flexion_right: Mapped[int | None] = _score()
    hip_extension_left: Mapped[int | None] = _score()
    hip_extension_right: Mapped[int | None] = _score()
    hip_internal_rotation_left: Mapped[int | None] = _score()
    hip_internal_rotation_right: Mapped[int | None] = _score()
    hip_external_rotation_left: Mapped[int | None] = _score()
    hip_external_rotation_right: Mapped[int | None] = _score()
    straight_leg_raise_left: Mapped[int | None] = _score()
    straight_leg_raise_right: Mapped[int | None] = _score()
    slr_symptoms_left: Mapped[str | None] = mapped_column(String(16))
    slr_symptoms_right: Mapped[str | None] = mapped_column(String(16))

    # Trunk endurance (McGill 1999), seconds.
    mcgill_flexor: Mapped[Decimal | None] = _decimal()
    biering_sorensen: Mapped[Decimal | None] = _decimal()
    side_bridge_left: Mapped[Decimal | None] = _decimal()
    side_bridge_right: Mapped[Decimal | None] = _decimal()
    prone_plank: Mapped[Decimal | None] = _decimal()

    # Function.
    five_times_sit_to_stand: Mapped[Decimal | None] = _decimal()
    chair_stand_30s: Mapped[int | None] = _score()
    # Single-leg hops in place per side, and the highest pain during them (return to run).
    single_leg_hops_left: Mapped[int | None] = _score()
    single_leg_hops_right: Mapped[int | None] = _score()
    hop_pain: Mapped[int | None] = _score()
    sls_overall_left: Mapped[str | None] = mapped_column(String(4))
    sls_overall_right: Mapped[str | None] = mapped_column(String(4))
    sls_trunk_left: Mapped[str | None] = mapped_column(String(4))
    sls_trunk_right: Mapped[str | None] = mapped_column(String(4))
    sls_pelvis_left: Mapped[str | None] = mapped_column(String(4))
    sls_pelvis_right: Mapped[str | None] = mapped_column(String(4))
    sls_knee_left: Mapped[str | None] = mapped_column(String(4))
    sls_knee_right: Mapped[str | None] = mapped_column(String(4))
    sls_foot_left: Mapped[str | None] = mapped_column(String(4))
    sls_foot_right: Mapped[str | None] = mapped_column(String(4))

    findings: Mapped[str | None] = mapped_column(Text)
    plan: Mapped[str | None] = mapped_column(Text)
    # The therapist's own notes: never shown to the patient.
    private_notes: Mapped[str | None] = mapped_column(Text)

    patient: Mapped[Patient] = relationship()
    therapist: Mapped[User] = relationship()
    activities: Mapped[list[AnalysisActivity]] = relationship(
        back_populates="analysis", order_by="AnalysisActivity.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )  # fmt: skip
    extra_tests: Mapped[list[AnalysisExtraTest]] = relationship(
        back_populates="analysis", order_by="AnalysisExtraTest.position",
        cascade="all, delete-orphan", passive_deletes=True,
    )  # fmt: skip

    @property
    def red_flags(self) -> list[str]:
        """The codes of the red flags ticked (vocabulary.RED_FLAGS)."""
        return [code for code in vocab.RED_FLAGS if getattr(self, f"red_flag_{code}")]

    @property
    def activity_mean(self) -> Decimal | None:
        return self.psk if self.activity_instrument == "psk" else self.psfs


class AnalysisActivity(db.Model):
    """One of the 3–5 activities the patient chose, with its PSK or PSFS score (0–10).

    At most one is the patient's sport or work activity: the return-to-sport criterion
    reads its own score, not the mean (domain.md §5).
    """

    __tablename__ = "analysis_activities"
    __table_args__ = (
        CheckConstraint("position BETWEEN 1 AND 5", name="position"),
        CheckConstraint("score BETWEEN 0 AND 10", name="score"),
        UniqueConstraint("analysis_id", "position"),
        Index(
            "uq_analysis_activities_one_sport_or_work",
            "analysis_id",
            unique=True,
            sqlite_where=text("sport_or_work"),
            postgresql_where=text("sport_or_work"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("movement_analyses.id", ondelete="CASCADE"))
    position: Mapped[int]
    description: Mapped[str] = mapped_column(String(200))
    score: Mapped[int]
    sport_or_work: Mapped[bool] = mapped_column(default=False)

    analysis: Mapped[MovementAnalysis] = relationship(back_populates="activities")


class AnalysisExtraTest(db.Model):
    """A test the clinic uses beyond the catalogue, with its unit and optional reference range."""

    __tablename__ = "analysis_extra_tests"
    __table_args__ = (
        CheckConstraint(
            "reference_low IS NULL OR reference_high IS NULL OR reference_low <= reference_high",
            name="reference_range",
        ),
        CheckConstraint("position >= 1", name="position"),
        UniqueConstraint("analysis_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("movement_analyses.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(80))
    unit: Mapped[str | None] = mapped_column(String(20))
    value: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    reference_low: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    reference_high: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))

    analysis: Mapped[MovementAnalysis] = relationship(back_populates="extra_tests")

    @property
    def out_of_range(self) -> bool:
        return (self.reference_low is not None and self.value < self.reference_low) or (
            self.reference_high is not None and self.value > self.reference_high
        )


# The change counters' triggers, made with the schema (the tests' create_all).
install_on_create(db.metadata)
