"""What the analysis page says beside a measured value, in the reader's language.

rehab.patients.evaluation returns codes with values (rehab.progress.reasons.Reason): a flag
when a value lies outside its reference, a note when it is good news, and a remark when the
reader must know something to read the value (e.g. that no cut-off is validated). This
module puts them into words when the page is shown.
"""

from __future__ import annotations

from collections.abc import Mapping

from rehab.core.i18n import format_decimal
from rehab.core.i18n import lazy_gettext as _l
from rehab.patients import vocabulary as vocab
from rehab.progress.reasons import Reason


def _no_cutoff(values: Mapping) -> object:
    if values.get("sex") == "female":
        return _l(
            "No validated cut-off for women (Biering-Sørensen 1984 studied men): judge the "
            "change over time instead."
        )
    return _l(
        "Sex not recorded: the cut-off of 176 s holds for men only; none is validated for women."
    )


MESSAGES = {
    "schober_below_normal": _l("Below the normal 5 cm"),
    "sit_to_stand_slow": _l("Slower than the upper limit of normal (12.4 s)"),
    "tsk_high_fear": _l("High fear of movement (above 37)"),
    "rmdq_recovered": _l("Recovered (2 or less)"),
    "slr_positive": _l("%(side)s positive: leg pain below the knee between 30° and 70°"),
    "below_men_cutoff": _l(
        "Under %(limit)s s: in men this predicted low back pain within a year "
        "(Biering-Sørensen 1984)"
    ),
    "no_validated_cutoff": _no_cutoff,
    "side_bridge_asymmetry": _l("Asymmetry %(pct)s %% is above %(limit)s %%"),
    "age_first_episode": _l(
        "Suggested from the date of birth: %(age)s years old at a first episode (red flag "
        "over %(limit)s, KNGF 2021). Tick it if you confirm it."
    ),
}


def describe(reason: Reason) -> str:
    """One flag, note or remark in words; an unknown code is shown as its code."""
    message = MESSAGES.get(reason.code)
    if message is None:
        return reason.code
    if callable(message):
        return str(message(reason.values))
    shown = {}
    for key, value in reason.values.items():
        if key == "side":
            shown[key] = str(vocab.SIDES.get(value, value))
        elif isinstance(value, int | float):
            shown[key] = format_decimal(value, format="0.#")
        else:
            shown[key] = str(value)
    return str(message) % shown
