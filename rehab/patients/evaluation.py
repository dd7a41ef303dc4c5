"""What the analysis page and the re-assessment comparison show: each measure against its
reference, the derived values and the change between two analyses.

The judging itself is rehab.progress.assessment's (references, ratios, MCID/SDC); this
module only picks the right function for each catalogue measure and lays the results out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from rehab.core.i18n import format_decimal
from rehab.core.i18n import gettext as _
from rehab.core.i18n import lazy_gettext as _l
from rehab.patients import vocabulary as vocab
from rehab.patients.measures import MEASURES, RATIOS, Measure
from rehab.progress import assessment
from rehab.progress.assessment import Change, ThresholdKind

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
    ("function", _l("Function"), ["five_times_sit_to_stand", "chair_stand_30s"]),
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
    """A measure's value(s) on one analysis with what the references say about them."""

    measure: Measure
    values: tuple  # (value,) or (left, right)
    flags: list = field(default_factory=list)  # why it is out of range (translated)
    notes: list = field(default_factory=list)  # what else the reference says
    asymmetry: float | None = None

    @property
    def out_of_range(self) -> bool:
        return bool(self.flags)

    @property
    def recorded(self) -> bool:
        return any(value is not None for value in self.values)


def _flags_for(measure: Measure, values: tuple, analysis) -> tuple[list, list]:
    flags: list = []
    notes: list = []
    value = values[0]
    if measure.key == "modified_schober" and value is not None:
        if assessment.modified_schober(float(value)).flagged:
            flags.append(_l("Below the normal 5 cm"))
    elif measure.key == "five_times_sit_to_stand" and value is not None:
        if assessment.five_times_sit_to_stand(float(value)).flagged:
            flags.append(_l("Slower than the upper limit of normal (12.4 s)"))
    elif measure.key == "tsk17" and value is not None:
        if assessment.tsk17_high_fear(int(value)):
            flags.append(_l("High fear of movement (above 37)"))
    elif measure.key == "rmdq" and value is not None:
        if assessment.rmdq_recovered(int(value)):
            notes.append(_l("Recovered (2 or less)"))
    elif measure.key == "straight_leg_raise":
        for side, angle in zip(vocab.SIDES, values, strict=True):
            symptoms = getattr(analysis, f"slr_symptoms_{side}")
            if angle is not None and assessment.straight_leg_raise_positive(
                float(angle), symptoms == "below_knee"
            ):
                flags.append(
                    _l("%(side)s positive: leg pain below the knee between 30° and 70°",
                       side=vocab.SIDES[side])
                )  # fmt: skip
    return flags, notes


def _asymmetry(values: tuple) -> float | None:
    left, right = values
    if left is None or right is None or left < 0 or right < 0:
        return None  # e.g. a hip extension deficit: asymmetry of negative angles means nothing
    return assessment.asymmetry_pct(float(left), float(right))


def measure_row(measure: Measure, analysis) -> MeasureRow:
    values = tuple(getattr(analysis, name) for name in measure.field_names())
    flags, notes = _flags_for(measure, values, analysis)
    row = MeasureRow(measure, values, flags, notes)
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


@dataclass
class AnalysisView:
    """Everything the analysis page shows, computed once."""

    analysis: object
    groups: list  # (key, heading, [MeasureRow]) with at least one recorded row
    ratios: list[RatioRow]
    red_flags: list  # labels of the ticked red flags
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


def analysis_view(analysis, *, stiffness_review_minutes: int) -> AnalysisView:
    groups = []
    for key, heading, _keys in MEASURE_GROUPS:
        if key == "activities":
            continue  # shown with the activities themselves
        rows = [measure_row(measure, analysis) for measure in group_measures(key)]
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


# --- two analyses side by side --------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    key: str  # the stored field name, e.g. side_bridge_left
    label: object
    unit: object
    before: float | None
    after: float | None
    change: Change | None  # None unless both values exist
    threshold: object | None  # the MCID/SDC in words, where one is known

    @property
    def passes(self) -> bool | None:
        return None if self.change is None else self.change.beyond_threshold


PHYSICAL_UNITS = {"cm", "s", "°"}


def _threshold_text(rule_key: str, unit: object) -> str | None:
    """The MCID/SDC in words, e.g. "MCID 2 points or 30 %" or "SDC 1,8 cm" (needs a request)."""
    rule = assessment.CHANGE_RULES.get(rule_key)
    if rule is None or rule.points is None:
        return None
    kind = _("MCID") if rule.kind is ThresholdKind.MCID else _("SDC")
    # Scores (0–10, 0–100, ODI's %) change in points; measurements in their own unit.
    unit = unit if unit in PHYSICAL_UNITS else _("points")
    size = format_decimal(rule.points, format="0.##")
    if rule.percent is not None:
        return _("%(kind)s %(size)s %(unit)s or %(percent)s %%", kind=kind, size=size,
                 unit=unit, percent=format_decimal(rule.percent, format="0.##"))  # fmt: skip
    return _("%(kind)s %(size)s %(unit)s", kind=kind, size=size, unit=unit)


def _rule_key(measure: Measure, name: str) -> str:
    # The catalogue names the rule of an unsided measure; a sided one may have a rule per side.
    return measure.change_rule or name


def change_row(measure: Measure, name: str, label, before, after) -> ChangeRow:
    rule_key = _rule_key(measure, name)
    before_f, after_f = _number(before), _number(after)
    change = None
    if before_f is not None and after_f is not None:
        change = assessment.measure_change(rule_key, before_f, after_f)
    return ChangeRow(
        key=name,
        label=label,
        unit=measure.unit,
        before=before_f,
        after=after_f,
        change=change,
        threshold=_threshold_text(rule_key, measure.unit),
    )


def comparison(before, after) -> dict:
    """Everything the side-by-side comparison shows (page and progress report alike)."""
    return {
        "groups": comparison_groups(before, after),
        "ratios": ratio_pairs(before, after),
        "activities": activity_pairs(before, after),
        "extra_tests": extra_test_pairs(before, after),
        "instrument": vocab.ACTIVITY_INSTRUMENTS.get(after.activity_instrument or ""),
    }


def comparison_groups(before, after) -> list:
    """Per section, a ChangeRow for every measure either analysis recorded."""
    groups = []
    for key, heading, _keys in MEASURE_GROUPS:
        rows = []
        for measure in group_measures(key):
            for side, name in zip(
                vocab.SIDES if measure.sided else (None,), measure.field_names(), strict=True
            ):
                label = (
                    measure.label
                    if side is None
                    else _l("%(measure)s, %(side)s", measure=measure.label,
                            side=vocab.SIDE_NAMES[side])
                )  # fmt: skip
                row = change_row(measure, name, label, getattr(before, name), getattr(after, name))
                if row.before is not None or row.after is not None:
                    rows.append(row)
        if rows:
            groups.append((key, heading, rows))
    return groups


@dataclass(frozen=True)
class PairRow:
    """A value without a known better direction (ratio, extra test) before and after."""

    label: object
    unit: object
    before: float | None
    after: float | None

    @property
    def difference(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return float(Decimal(str(self.after)) - Decimal(str(self.before)))


def ratio_pairs(before, after) -> list[PairRow]:
    first = {row.key: row for row in ratio_rows(before)}
    second = {row.key: row for row in ratio_rows(after)}
    keys = [key for key in {**first, **second}]
    return [
        PairRow(
            (first.get(key) or second[key]).label,
            "",
            first[key].value if key in first else None,
            second[key].value if key in second else None,
        )
        for key in keys
    ]


def _match_key(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class ActivityPair:
    description: str
    before: int | None
    after: int | None
    change: Change | None
    threshold: object | None


def activity_pairs(before, after) -> list[ActivityPair]:
    """The same activity (by its wording) on both analyses, scored on the same instrument.

    PSFS has an MCID for a single activity (3 points, Stratford 1995); PSK only a better
    direction (lower = less difficulty).
    """
    instrument = before.activity_instrument
    if instrument is None or instrument != after.activity_instrument:
        return []
    rule_key = "psfs_item" if instrument == "psfs" else "psk"
    earlier = {_match_key(a.description): a for a in before.activities}
    pairs = []
    for activity in after.activities:
        old = earlier.pop(_match_key(activity.description), None)
        change = None
        if old is not None:
            change = assessment.measure_change(rule_key, old.score, activity.score)
            if instrument == "psk":  # the 2-point default is for the mean, not one activity
                change = replace(change, threshold_kind=None, beyond_threshold=None)
        pairs.append(
            ActivityPair(
                activity.description,
                None if old is None else old.score,
                activity.score,
                change,
                _threshold_text("psfs_item", "") if instrument == "psfs" else None,
            )
        )
    pairs += [ActivityPair(a.description, a.score, None, None, None) for a in earlier.values()]
    return pairs


def extra_test_pairs(before, after) -> list[PairRow]:
    """Clinic-defined tests matched by name and unit."""
    earlier = {(_match_key(t.name), _match_key(t.unit or "")): t for t in before.extra_tests}
    rows = []
    for test in after.extra_tests:
        old = earlier.pop((_match_key(test.name), _match_key(test.unit or "")), None)
        rows.append(
            PairRow(test.name, test.unit or "", _number(old.value) if old else None,
                    _number(test.value))
        )  # fmt: skip
    rows += [PairRow(t.name, t.unit or "", _number(t.value), None) for t in earlier.values()]
    return rows
