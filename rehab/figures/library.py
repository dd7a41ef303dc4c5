"""The built-in exercises' figures, read from the library files (``[exercise.figure]``)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from rehab.figures.figure import Figure, figure_from

LIBRARY_DIR = Path(__file__).resolve().parent.parent / "exercises" / "library"


@cache
def figure_data(directory: Path = LIBRARY_DIR) -> dict[str, dict]:
    """slug -> the figure's data, for every built-in exercise that has one."""
    found: dict[str, dict] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            for exercise in tomllib.load(handle).get("exercise", []):
                if "figure" in exercise:
                    found[exercise["slug"]] = exercise["figure"]
    return found


@cache
def library_names(directory: Path = LIBRARY_DIR) -> dict[str, dict[str, str]]:
    """slug -> {"nl": name, "en": name} for every built-in exercise."""
    names: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.toml")):
        with path.open("rb") as handle:
            for exercise in tomllib.load(handle).get("exercise", []):
                names[exercise["slug"]] = {lang: exercise[lang]["name"] for lang in ("nl", "en")}
    return names


def figure_names(language: str) -> list[tuple[str, str]]:
    """(slug, name) of every drawn built-in figure, sorted by its name in ``language``."""
    names = library_names()
    return sorted(
        ((slug, names[slug][language]) for slug in figure_data() if slug in names),
        key=lambda pair: pair[1].casefold(),
    )


@cache
def builtin_figure(slug: str) -> Figure | None:
    """The figure of a built-in exercise, or None when it has none (yet)."""
    data = figure_data().get(slug)
    return figure_from(data) if data is not None else None


@cache
def still_svg(slug: str, stage: str, mirror: bool = False) -> str:
    """A still pose of a built-in figure as SVG (the same bytes for page and paper)."""
    from rehab.figures.render import render_still

    figure = builtin_figure(slug)
    if figure is None or stage not in figure.stages:
        raise KeyError(f"{slug}: no {stage} pose")
    return render_still(figure, stage, mirror=mirror)


def printed_stills(slug: str | None, mirror: bool = False) -> tuple[str, ...]:
    """Start and end (or the one still pose) as SVG, for the handout and the exercise card."""
    figure = builtin_figure(slug) if slug else None
    if figure is None:
        return ()
    stages = ("start", "end") if figure.has_movement else ("start",)
    return tuple(still_svg(slug, stage, mirror) for stage in stages)
