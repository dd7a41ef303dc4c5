"""The re-assessment comparison: two analyses side by side, each change judged against the
measure's MCID, smallest detectable change or the clinic's threshold (rehab.progress
.assessment), for the comparison page and the progress report."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from rehab.core.i18n import format_decimal
from rehab.core.i18n import gettext as _
from rehab.core.i18n import lazy_gettext as _l
from rehab.patients import vocabulary as vocab
from rehab.patients.evaluation import MEASURE_GROUPS, _number, group_measures, ratio_rows
from rehab.patients.measures import Measure
from rehab.progress import assessment
from rehab.progress.assessment import Change, ThresholdKind

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
    kind = {
        ThresholdKind.MCID: _("MCID"),
        ThresholdKind.SDC: _("SDC"),
        # PSK has no published MCID: its threshold is the clinic's (domain.md §7).
        ThresholdKind.CLINIC: _("Clinic threshold"),
    }[rule.kind]
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
