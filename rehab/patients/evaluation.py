"""What the analysis page shows: each measure against its reference (flags, notes and
remarks as codes, worded by rehab.patients.notes), the derived ratios and the red flags Rehab
suggests. The comparison of two analyses is rehab.patients.comparison's.

The judging itself is rehab.progress.assessment's (references, ratios, MCID/SDC); this
module only picks the right function for each catalogue measure and lays the results out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rehab.core.i18n import lazy_gettext as _l
from rehab.patients import notes
from rehab.patients import vocabulary as vocab
from rehab.patients.measures import MEASURES, RATIOS, Measure
from rehab.progress import assessment
from rehab.progress.reasons import Reason

# The catalogue's measures in the sections the form and the pages use.
MEASURE_GROUPS: list[tuple[str, object, list[str]]] = [
    ("pain", _l("Pain"), ["nprs", "nprs_worst"]),
    ("activities", _l("Patient-specific activities"), ["psk", "psfs"]),
    ("questionnaires", _l("Questionnaires"), ["qbpds", "odi", "rmdq", "tsk17", "gpe"]),
    ("mobility", _l("Mobility"), [
        "modified_schober", "finger_floor_distance", "hip_flexion", "hip_extension",
        "hip_internal_rotation", "hip_external_rotation", "straight_leg_raise",
    ]),
    ("endurance", _l("Trunk endurance"), [
        "mcgill_flexor", "biering_sorensen", "side_bridge", "prone_plank",
    ]),
    ("function", _l("Function"), [
        "five_times_sit_to_stand", "chair_stand_30s", "single_leg_hops", "hop_pain",
    ]),
]  # fmt: skip


def group_measures(key: str) -> list[Measure]:
    """The catalogue measures of one section, in order."""
    keys = next(keys for group, _label, keys in MEASURE_GROUPS if group == key)
    return [MEASURES[k] for k in keys]


def _number(value) -> float | None:
    return None if value is None else float(value)


# --- one analysis ---------------------------------------------------------------------------


@dataclass
class MeasureRow:
    """A measure's value(s) on one analysis with what the references say about them.

    ``flags`` (out of range), ``notes`` (good news) and ``remarks`` (what the reader must
    know to read the value) are codes with values; ``notes.describe`` words them.
    """

    measure: Measure
    values: tuple  # (value,) or (left, right)
    flags: list[Reason] = field(default_factory=list)
    notes: list[Reason] = field(default_factory=list)
    remarks: list[Reason] = field(default_factory=list)
    asymmetry: float | None = None
    asymmetry_flagged: bool = False

    @property
    def out_of_range(self) -> bool:
        return bool(self.flags)

    @property
    def recorded(self) -> bool:
        return any(value is not None for value in self.values)

    @property
    def flag_texts(self) -> list[str]:
        return [notes.describe(reason) for reason in self.flags]

    @property
    def note_texts(self) -> list[str]:
        return [notes.describe(reason) for reason in self.notes]

    @property
    def remark_texts(self) -> list[str]:
        return [notes.describe(reason) for reason in self.remarks]


def _flags_for(
    measure: Measure, values: tuple, analysis, sex: str | None, for_patient: bool
) -> MeasureRow:
    row = MeasureRow(measure, values)
    value = values[0]
    if measure.key == "modified_schober" and value is not None:
        if assessment.modified_schober(float(value)).flagged:
            row.flags.append(Reason("schober_below_normal"))
    elif measure.key == "five_times_sit_to_stand" and value is not None:
        if assessment.five_times_sit_to_stand(float(value)).flagged:
            row.flags.append(Reason("sit_to_stand_slow"))
    elif measure.key == "tsk17" and value is not None:
        if assessment.tsk17_high_fear(int(value)):
            row.flags.append(Reason("tsk_high_fear"))
    elif measure.key == "rmdq" and value is not None:
        if assessment.rmdq_recovered(int(value)):
            row.notes.append(Reason("rmdq_recovered"))
    elif measure.key == "biering_sorensen" and value is not None and not for_patient:
        # The cut-off exists for men only; for women and an unrecorded sex the page says
        # so beside the value instead of staying silent (Biering-Sørensen 1984, §6).
        check = assessment.biering_sorensen(float(value), sex)
        if check.flagged:
            row.flags.append(check.note)
        elif check.note is not None:
            row.remarks.append(check.note)
    elif measure.key == "side_bridge":
        left, right = (_number(v) for v in values)
        check = assessment.side_bridge_asymmetry(left, right)
        if check.flagged:
            limit = assessment.SIDE_BRIDGE_ASYMMETRY_LIMIT_PCT
            row.flags.append(Reason("side_bridge_asymmetry", {"pct": check.value, "limit": limit}))
            row.asymmetry_flagged = True
    elif measure.key == "straight_leg_raise":
        for side, angle in zip(vocab.SIDES, values, strict=True):
            symptoms = getattr(analysis, f"slr_symptoms_{side}")
            if angle is not None and assessment.straight_leg_raise_positive(
                float(angle), symptoms == "below_knee"
            ):
                row.flags.append(Reason("slr_positive", {"side": side}))
    return row


def _asymmetry(values: tuple) -> float | None:
    left, right = values
    if left is None or right is None or left < 0 or right < 0:
        return None  # e.g. a hip extension deficit: asymmetry of negative angles means nothing
    return assessment.asymmetry_pct(float(left), float(right))


def measure_row(
    measure: Measure, analysis, sex: str | None = None, *, for_patient: bool = False
) -> MeasureRow:
    """The row for one measure; ``for_patient`` leaves out what depends on the patient's
    sex (recorded for staff only)."""
    values = tuple(getattr(analysis, name) for name in measure.field_names())
    row = _flags_for(measure, values, analysis, sex, for_patient)
    if measure.sided:
        row.asymmetry = _asymmetry(values)
    return row


@dataclass(frozen=True)
class RatioRow:
    key: str
    label: object
    value: float | None
    flagged: bool | None


def ratio_rows(analysis) -> list[RatioRow]:
    """McGill's endurance ratios (McGill 1999), side bridge ÷ extensor per side."""
    flexor = _number(analysis.mcgill_flexor)
    extensor = _number(analysis.biering_sorensen)
    left, right = _number(analysis.side_bridge_left), _number(analysis.side_bridge_right)
    flexor_extensor = assessment.flexor_extensor_ratio(flexor, extensor)
    balance = assessment.side_bridge_balance(right, left)
    per_side = assessment.side_bridge_extensor_ratio(left, right, extensor)
    rows = [
        RatioRow("flexor_extensor_ratio", RATIOS["flexor_extensor_ratio"],
                 flexor_extensor.value, flexor_extensor.flagged),
        RatioRow("side_bridge_balance", RATIOS["side_bridge_balance"],
                 balance.value, balance.flagged),
        RatioRow("side_bridge_extensor_ratio_left",
                 _l("Left side bridge/extensor ratio (flag at 0.75 or more)"),
                 per_side.left.value, per_side.left.flagged),
        RatioRow("side_bridge_extensor_ratio_right",
                 _l("Right side bridge/extensor ratio (flag at 0.75 or more)"),
                 per_side.right.value, per_side.right.flagged),
    ]  # fmt: skip
    return [row for row in rows if row.value is not None]


def suggested_red_flags(patient, day, earlier_episodes: int | None = None) -> list[Reason]:
    """Red flags Rehab suggests and the therapist has to confirm (KNGF 2021, domain.md §5).

    Age over 50 at a first episode, from the date of birth and the patient's episode (or,
    when that is not recorded, no earlier episodes on the analysis).
    """
    first = patient.episode == "first" if patient.episode else earlier_episodes == 0
    found = assessment.age_first_episode_flag(patient.date_of_birth, first, day)
    return [found] if found else []


@dataclass
class AnalysisView:
    """Everything the analysis page shows, computed once."""

    analysis: object
    groups: list  # (key, heading, [MeasureRow]) with at least one recorded row
    ratios: list[RatioRow]
    red_flags: list  # labels of the ticked red flags
    suggested_red_flags: list  # Reason codes the therapist has not ticked (staff only)
    prognostic_factors: list  # (group heading, [labels]) of the ticked factors
    warning_signs: list  # labels
    stiffness_review: bool  # morning stiffness above the clinic's review threshold
    profile_hint: bool  # STarT Back group and chosen profile point different ways
    squat: list  # (item label, left rating, right rating) for items with a rating
    intake_recorded: bool
    prognosis_recorded: bool
    observations_recorded: bool
    not_recorded: list  # headings of the sections left empty this time

    @property
    def out_of_range_count(self) -> int:
        rows = [row for _, _, rows in self.groups for row in rows]
        return (
            sum(1 for row in rows if row.out_of_range)
            + sum(1 for ratio in self.ratios if ratio.flagged)
            + sum(1 for test in self.analysis.extra_tests if test.out_of_range)
        )


SECTION_HEADINGS = {
    "intake": _l("Intake"),
    "prognosis": _l("Prognosis"),
    "activities": _l("Patient-specific activities"),
    "observations": _l("Posture and movement"),
    "findings": _l("Findings and plan"),
}

INTAKE_FIELDS = [
    "request_for_help", "onset", "complaint_weeks", "course", "pain_location", "pain_nature",
    "pain_pattern", "radiation", *(f"effect_{factor}" for factor in vocab.EFFECT_FACTORS),
    "earlier_episodes", "weakness", "numbness",
]  # fmt: skip


def _any_recorded(analysis, names) -> bool:
    return any(getattr(analysis, name) not in (None, False, "") for name in names)


def analysis_view(
    analysis, *, stiffness_review_minutes: int, sex: str | None = None, for_patient: bool = False
) -> AnalysisView:
    """``sex`` is the patient's; the patient's own page (``for_patient``) gets nothing that
    depends on it."""
    groups = []
    for key, heading, _keys in MEASURE_GROUPS:
        if key == "activities":
            continue  # shown with the activities themselves
        rows = [
            measure_row(measure, analysis, sex, for_patient=for_patient)
            for measure in group_measures(key)
        ]
        rows = [row for row in rows if row.recorded]
        if rows:
            groups.append((key, heading, rows))
    factors = []
    for heading, codes in vocab.PROGNOSTIC_FACTOR_GROUPS:
        ticked = [label for code, label in codes.items() if getattr(analysis, f"pf_{code}")]
        if ticked:
            factors.append((heading, ticked))
    squat = [
        (label, getattr(analysis, f"sls_{item}_left"), getattr(analysis, f"sls_{item}_right"))
        for item, label in vocab.SINGLE_LEG_SQUAT_ITEMS.items()
    ]  # fmt: skip
    stiffness = analysis.morning_stiffness_minutes
    recorded = {
        "intake": _any_recorded(analysis, INTAKE_FIELDS),
        "prognosis": bool(factors)
        or _any_recorded(
            analysis,
            [
                "treatment_profile", "start_back_group", "morning_stiffness_minutes",
                *(f"ws_{code}" for code in vocab.WARNING_SIGNS),
            ],
        ),
        "activities": bool(analysis.activities),
        "observations": _any_recorded(analysis, [*vocab.OBSERVATIONS, "observation_notes"]),
        "findings": _any_recorded(analysis, ["findings", "plan"]),
    }  # fmt: skip
    return AnalysisView(
        analysis=analysis,
        groups=groups,
        ratios=ratio_rows(analysis),
        red_flags=[vocab.RED_FLAGS[code] for code in analysis.red_flags],
        suggested_red_flags=[]
        if for_patient
        else [
            reason
            for reason in suggested_red_flags(
                analysis.patient, analysis.recorded_on, analysis.earlier_episodes
            )
            if not getattr(analysis, f"red_flag_{reason.code}")
        ],
        prognostic_factors=factors,
        warning_signs=[
            label for code, label in vocab.WARNING_SIGNS.items() if getattr(analysis, f"ws_{code}")
        ],
        stiffness_review=stiffness is not None and stiffness > stiffness_review_minutes,
        profile_hint=profile_disagrees(analysis.start_back_group, analysis.treatment_profile),
        squat=[row for row in squat if row[1] or row[2]],
        intake_recorded=recorded["intake"],
        prognosis_recorded=recorded["prognosis"],
        observations_recorded=recorded["observations"],
        not_recorded=[SECTION_HEADINGS[key] for key, done in recorded.items() if not done],
    )


def profile_disagrees(start_back_group: str | None, profile: int | None) -> bool:
    """STarT Back supports the profile, never decides it (KNGF 2021): a difference is a hint."""
    if start_back_group is None or profile is None:
        return False
    return vocab.START_BACK_PROFILE[start_back_group] != profile
