"""The measures of a movement analysis: their keys, units, valid ranges and change rules.

One catalogue for the analysis form, the analysis page, the re-assessment comparison, the
phase exit criteria and the progress report. A sided measure is stored as ``<key>_left`` and
``<key>_right``. Reference values and MCIDs come from shared/domain.md §6–7; the rules that
judge change live in rehab.progress.assessment.CHANGE_RULES (``change_rule`` names one).
"""

from __future__ import annotations

from dataclasses import dataclass

from rehab.core.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class Measure:
    key: str
    label: object  # a lazy string
    unit: str
    low: float  # smallest valid value
    high: float  # largest valid value
    sided: bool = False
    change_rule: str | None = None  # key of rehab.progress.assessment.CHANGE_RULES
    reference: object | None = None  # the reference value, in words
    integer: bool = False

    def field_names(self) -> tuple[str, ...]:
        """The stored field names: one, or one per side."""
        return (f"{self.key}_left", f"{self.key}_right") if self.sided else (self.key,)


_MEASURES = [
    # Pain and questionnaires (scores of licensed questionnaires are recorded, not asked).
    Measure("nprs", _l("Pain, average last 24 hours (NPRS)"), "0–10", 0, 10, change_rule="nprs",
            integer=True, reference=_l("MCID 2 points or 30 % (Ostelo 2008)")),
    Measure("nprs_worst", _l("Pain, worst last 24 hours (NPRS)"), "0–10", 0, 10, integer=True),
    Measure("psk", _l("PSK mean (higher = more difficulty)"), "0–10", 0, 10, change_rule="psk",
            reference=_l("No published MCID: 2 points is the clinic's threshold")),
    Measure("psfs", _l("PSFS mean (higher = better)"), "0–10", 0, 10, change_rule="psfs_mean",
            reference=_l("MCID 2 points for the mean, 3 for one activity (Stratford 1995)")),
    Measure("qbpds", _l("Quebec Back Pain Disability Scale"), "0–100", 0, 100,
            change_rule="qbpds", integer=True, reference=_l("MCID 20 points or 30 %")),
    Measure("odi", _l("Oswestry Disability Index"), "%", 0, 100, change_rule="odi",
            reference=_l("MCID 10 points")),
    Measure("rmdq", _l("Roland-Morris Disability Questionnaire"), "0–24", 0, 24,
            change_rule="rmdq", integer=True,
            reference=_l("MCID 5 points or 30 %; recovered at 2 or less")),
    Measure("tsk17", _l("Tampa Scale for Kinesiophobia (TSK-17)"), "17–68", 17, 68,
            change_rule="tsk17", integer=True, reference=_l("Above 37: high fear of movement")),
    Measure("gpe", _l("Global perceived effect (GPE)"), "1–7", 1, 7, integer=True,
            reference=_l("1 = completely recovered … 7 = worse than ever")),
    # Mobility.
    Measure("modified_schober", _l("Lumbar flexion (modified Schober)"), "cm", 0, 15,
            change_rule="modified_schober",
            reference=_l("Normal 5 cm or more; smallest detectable change 1.8 cm")),
    Measure("finger_floor_distance", _l("Finger-floor distance"), "cm", -40, 80,
            change_rule="finger_floor_distance",
            reference=_l("Smallest detectable change 9.8 cm (Robinson 2014)")),
    Measure("hip_flexion", _l("Hip flexion"), "°", 0, 160, sided=True, integer=True),
    Measure("hip_extension", _l("Hip extension"), "°", -30, 60, sided=True, integer=True),
    Measure("hip_internal_rotation", _l("Hip internal rotation"), "°", 0, 90, sided=True,
            integer=True),
    Measure("hip_external_rotation", _l("Hip external rotation"), "°", 0, 90, sided=True,
            integer=True),
    Measure("straight_leg_raise", _l("Straight-leg raise"), "°", 0, 130, sided=True,
            integer=True,
            reference=_l("Positive with leg pain below the knee between 30 and 70 degrees")),
    # Trunk endurance (McGill 1999).
    Measure("mcgill_flexor", _l("Trunk flexor endurance (McGill)"), "s", 0, 600,
            change_rule="mcgill_flexor"),
    Measure("biering_sorensen", _l("Trunk extensor endurance (Biering-Sørensen)"), "s", 0, 240,
            change_rule="biering_sorensen",
            reference=_l("Stopped at 240 s; under 176 s (men) predicted low back pain; "
                         "smallest detectable change 32 s (Latimer 1999)")),
    Measure("side_bridge", _l("Side bridge"), "s", 0, 600, sided=True,
            reference=_l("Flagged above 5 %, whichever side is stronger")),
    Measure("prone_plank", _l("Prone plank"), "s", 0, 900),
    # Function.
    Measure("five_times_sit_to_stand", _l("Five-times sit-to-stand"), "s", 1, 120,
            change_rule="five_times_sit_to_stand",
            reference=_l("Healthy mean 6.2 s; upper limit of normal 12.4 s")),
    Measure("chair_stand_30s", _l("30-second chair stand"), _l("times"), 0, 60,
            change_rule="chair_stand_30s", integer=True),
    # Return to running: hops in place on one leg, and the pain they give (running knee
    # template, phase 3: 10 hops on each side with pain at most 2/10).
    Measure("single_leg_hops", _l("Single-leg hops in place"), _l("times"), 0, 100,
            sided=True, integer=True,
            reference=_l("Return to running: 10 on each side with pain at most 2/10")),
    Measure("hop_pain", _l("Pain during the hop test (NPRS)"), "0–10", 0, 10, integer=True),
]  # fmt: skip

MEASURES: dict[str, Measure] = {m.key: m for m in _MEASURES}

# Derived values the analysis page and the exit criteria use (rehab.progress.assessment).
RATIOS = {
    "flexor_extensor_ratio": _l("Flexor/extensor endurance ratio (flag at 1.0 or more)"),
    # Judged by the asymmetry, whichever side is stronger (domain.md §6).
    "side_bridge_balance": _l(
        "Right/left side bridge ratio (flag when the sides differ by more than 5 %)"
    ),
    "side_bridge_extensor_ratio": _l("Side bridge/extensor ratio (flag at 0.75 or more)"),
    # In %, whichever side is stronger (domain.md §6): what the templates' criterion reads.
    "side_bridge_asymmetry": _l("Side-bridge asymmetry in % (flag above 5 %)"),
}


def stored_fields() -> list[str]:
    """Every field name the analysis stores for the catalogue's measures."""
    return [key for measure in _MEASURES for key in measure.field_names()]
