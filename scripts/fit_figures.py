"""Write the fitted angles of every exercise figure into the library files.

A figure's pose may say ``fit = "hip"``: the angle to turn until every resting part
touches its support. The search is done here, once, and its result stored as
``fitted = {hip_near = 47.2, ...}`` in the same table, so drawing never searches.
Run after changing a figure:  .venv/bin/python scripts/fit_figures.py [slug ...]
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rehab.figures.figure import fit_stages  # noqa: E402
from rehab.figures.library import LIBRARY_DIR  # noqa: E402

STAGE_HEADER = re.compile(r"^\[exercise\.figure\.(start|middle|end)\]\s*$")


def _inline(values: dict[str, float]) -> str:
    return "{" + ", ".join(f"{k} = {v:g}" for k, v in values.items()) + "}"


def rewrite(path: Path, only: set[str]) -> int:
    with path.open("rb") as handle:
        exercises = tomllib.load(handle).get("exercise", [])
    fits = {
        e["slug"]: fit_stages(e["figure"])
        for e in exercises
        if "figure" in e and (not only or e["slug"] in only)
    }
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    slug = None
    stage = None
    changed = 0
    for line in lines:
        match = re.match(r'^slug = "([^"]+)"', line)
        if match:
            slug = match[1]
        if line.startswith("["):
            stage = None
        header = STAGE_HEADER.match(line)
        if header:
            stage = header[1]
        if stage and slug in fits and line.startswith("fitted = "):
            continue  # replaced below, right after the fit line
        out.append(line)
        if stage and slug in fits and line.startswith("fit = ") and stage in fits[slug]:
            out.append(f"fitted = {_inline(fits[slug][stage])}")
            changed += 1
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return changed


def main(argv: list[str]) -> None:
    only = set(argv)
    total = sum(rewrite(path, only) for path in sorted(LIBRARY_DIR.glob("*.toml")))
    print(f"{total} fitted poses written")


if __name__ == "__main__":
    main(sys.argv[1:])
