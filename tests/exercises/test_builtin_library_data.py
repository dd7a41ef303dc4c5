"""Data checks for the built-in exercise library (rehab/exercises/library/*.toml).

No Flask app: the files are read with tomllib and validated as plain data, so a
typo in the library fails here before it reaches a programme template.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

LIBRARY_DIR = Path(__file__).resolve().parents[2] / "rehab" / "exercises" / "library"

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEMPO_RE = re.compile(r"^[0-9X]{1,2}-[0-9X]{1,2}-[0-9X]{1,2}$")

CATEGORIES = {"mobility", "motor_control", "strength", "endurance", "breathing", "plyometric"}
REGIONS = {
    "lumbar_spine",
    "thoracic_spine",
    "neck",
    "pelvis",
    "hip",
    "knee",
    "ankle_foot",
    "shoulder",
    "elbow_wrist",
    "whole_body",
}
EQUIPMENT = {
    "none",
    "mat",
    "band",
    "dumbbell",
    "kettlebell",
    "barbell",
    "cable",
    "foam_roller",
    "step",
    "ball",
    "bench",
    "box",
    "dowel",
    "wall",
    "chair",
    "towel",
    "balance_pad",
    "bike",
    "weight_plate",
}
DOSAGE_TYPES = {"reps", "hold", "time", "distance"}
DOSAGE_FIELDS = {"reps", "hold_seconds", "duration_seconds", "distance_m"}
REQUIRED_DOSAGE = {
    "reps": {"reps"},
    "hold": {"reps", "hold_seconds"},
    "time": {"duration_seconds"},
    "distance": {"distance_m"},
}
# (min, max) per numeric field; the upper bounds of duration and distance are sanity limits.
RANGES = {
    "difficulty": (1, 5),
    "sets": (1, 10),
    "reps": (1, 50),
    "hold_seconds": (1, 300),
    "duration_seconds": (1, 3600),
    "distance_m": (1, 5000),
    "rest_seconds": (0, 600),
}

REQUIRED_KEYS = {
    "slug",
    "category",
    "regions",
    "equipment",
    "difficulty",
    "dosage_type",
    "sets",
    "rest_seconds",
    "unilateral",
    "nl",
    "en",
}
OPTIONAL_KEYS = DOSAGE_FIELDS | {"tempo", "progression", "regression", "requires", "figure"}
TEXT_KEYS = {"name", "starting_position", "execution", "common_mistakes", "feel", "caution"}
NON_EMPTY_TEXT_KEYS = TEXT_KEYS - {"caution"}
LANGUAGES = ("nl", "en")

MIN_EXERCISES = 75
MIN_PER_CATEGORY = 4
MIN_PER_REGION = {"lumbar_spine": 6, "hip": 6, "knee": 6, "ankle_foot": 6, "shoulder": 6}

# The named ladders, bottom rung first. Each consecutive pair must be linked
# (progression one way, regression the other), and walking the progression
# links from the bottom rung must give at least three rungs.
LADDERS = {
    "dead bug": ["dead-bug-arms", "dead-bug-one-leg", "dead-bug-opposite", "dead-bug-band"],
    "bird dog": ["bird-dog-leg", "bird-dog-arm", "bird-dog-opposite"],
    "side bridge": ["side-bridge-knees", "side-bridge-feet", "side-bridge-leg-lift"],
    "plank": ["plank-incline", "plank-knees", "plank-full", "plank-leg-lift", "plank-weighted"],
    "glute bridge": [
        "glute-bridge",
        "glute-bridge-march",
        "glute-bridge-single-leg",
        "hip-thrust-loaded",
    ],
    "hip hinge": [
        "hip-hinge-dowel",
        "kettlebell-deadlift-block",
        "romanian-deadlift",
        "deadlift",
    ],
    "calf raise": ["calf-raise-double", "calf-raise-single", "calf-raise-single-loaded"],
    "squat": ["box-squat", "goblet-squat", "split-squat", "rear-foot-elevated-split-squat"],
    "push-up plus": ["push-up-plus-wall", "push-up-plus-incline", "push-up-plus-floor"],
    "hops": ["pogo-hops", "single-leg-hop-in-place", "single-leg-hop-forward"],
}


def _load_library() -> list[tuple[str, dict]]:
    """Return (file name, exercise table) for every exercise in every library file."""
    entries: list[tuple[str, dict]] = []
    for path in sorted(LIBRARY_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        assert set(data) == {"exercise"}, f"{path.name}: only [[exercise]] tables allowed"
        assert isinstance(data["exercise"], list), f"{path.name}: use [[exercise]]"
        entries.extend((path.name, ex) for ex in data["exercise"])
    return entries


ENTRIES = _load_library()
EXERCISES = [ex for _, ex in ENTRIES]


def _label(entry: tuple[str, dict]) -> str:
    name, ex = entry
    return f"{name}:{ex.get('slug', '?')}"


@pytest.fixture(scope="module")
def by_slug() -> dict[str, dict]:
    return {ex["slug"]: ex for ex in EXERCISES}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- the library as a whole ---------------------------------------------------------------


def test_library_files_exist():
    assert LIBRARY_DIR.is_dir()
    assert list(LIBRARY_DIR.glob("*.toml")), "no library files found"


def test_at_least_75_exercises():
    assert len(EXERCISES) >= MIN_EXERCISES


def test_slugs_unique():
    counts = Counter(ex["slug"] for ex in EXERCISES)
    duplicates = sorted(slug for slug, n in counts.items() if n > 1)
    assert not duplicates, f"duplicate slugs: {duplicates}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_names_unique_per_language(lang):
    counts = Counter(ex[lang]["name"].strip().casefold() for ex in EXERCISES)
    duplicates = sorted(name for name, n in counts.items() if n > 1)
    assert not duplicates, f"duplicate {lang} names: {duplicates}"


# --- each exercise --------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=_label)
def test_keys_known_and_required_present(entry):
    _, ex = entry
    keys = set(ex)
    assert keys >= REQUIRED_KEYS, f"missing: {sorted(REQUIRED_KEYS - keys)}"
    unknown = keys - REQUIRED_KEYS - OPTIONAL_KEYS
    assert not unknown, f"unknown keys: {sorted(unknown)}"


@pytest.mark.parametrize("entry", ENTRIES, ids=_label)
def test_slug_well_formed(entry):
    _, ex = entry
    assert isinstance(ex["slug"], str)
    assert SLUG_RE.fullmatch(ex["slug"]), ex["slug"]


@pytest.mark.parametrize("entry", ENTRIES, ids=_label)
def test_enums(entry):
    _, ex = entry
    assert ex["category"] in CATEGORIES
    assert ex["dosage_type"] in DOSAGE_TYPES

    regions = ex["regions"]
    assert isinstance(regions, list) and regions, "at least one region"
    assert len(set(regions)) == len(regions), "duplicate region"
    assert set(regions) <= REGIONS, f"unknown regions: {set(regions) - REGIONS}"

    equipment = ex["equipment"]
    assert isinstance(equipment, list)
    assert len(set(equipment)) == len(equipment), "duplicate equipment"
    assert set(equipment) <= EQUIPMENT, f"unknown equipment: {set(equipment) - EQUIPMENT}"
    if "none" in equipment:
        assert equipment == ["none"], '"none" must stand alone'

    assert isinstance(ex["unilateral"], bool)


@pytest.mark.parametrize("entry", ENTRIES, ids=_label)
def test_numbers_in_range(entry):
    _, ex = entry
    for field, (low, high) in RANGES.items():
        if field in ex:
            value = ex[field]
            assert _is_int(value), f"{field} must be an integer, got {value!r}"
            assert low <= value <= high, f"{field}={value} outside {low}..{high}"
    if "tempo" in ex:
        assert isinstance(ex["tempo"], str) and TEMPO_RE.fullmatch(ex["tempo"]), ex["tempo"]


@pytest.mark.parametrize("entry", ENTRIES, ids=_label)
def test_dosage_fields_match_type(entry):
    _, ex = entry
    required = REQUIRED_DOSAGE[ex["dosage_type"]]
    present = set(ex) & DOSAGE_FIELDS
    assert required <= present, f"missing for {ex['dosage_type']}: {sorted(required - present)}"
    assert present <= required, f"not allowed for {ex['dosage_type']}: {sorted(present - required)}"


@pytest.mark.parametrize("entry", ENTRIES, ids=_label)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_texts_present(entry, lang):
    _, ex = entry
    text = ex[lang]
    assert isinstance(text, dict)
    assert set(text) == TEXT_KEYS, f"{lang}: keys {sorted(set(text) ^ TEXT_KEYS)}"
    for key in TEXT_KEYS:
        assert isinstance(text[key], str), f"{lang}.{key} must be a string"
    for key in NON_EMPTY_TEXT_KEYS:
        assert text[key].strip(), f"{lang}.{key} is empty"


# --- ladders ----------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=_label)
def test_links_name_other_existing_slugs(entry, by_slug):
    _, ex = entry
    for link in ("progression", "regression"):
        if link in ex:
            target = ex[link]
            assert isinstance(target, str)
            assert target != ex["slug"], f"{link} points at itself"
            assert target in by_slug, f"{link} {target!r} is not in the library"


def test_links_reciprocal(by_slug):
    problems = []
    for ex in EXERCISES:
        slug = ex["slug"]
        # Dangling links are reported by test_links_name_other_existing_slugs.
        up = by_slug.get(ex.get("progression", ""))
        if up is not None and up.get("regression") != slug:
            problems.append(f"{slug} -> {up['slug']}: its regression is {up.get('regression')}")
        down = by_slug.get(ex.get("regression", ""))
        if down is not None and down.get("progression") != slug:
            problems.append(
                f"{down['slug']} <- {slug}: its progression is {down.get('progression')}"
            )
    assert not problems, "\n".join(problems)


def test_no_cycles_in_harder_than_graph(by_slug):
    harder: dict[str, set[str]] = {slug: set() for slug in by_slug}
    for ex in EXERCISES:
        if ex.get("progression") in harder:
            harder[ex["slug"]].add(ex["progression"])
        if ex.get("regression") in harder:
            harder[ex["regression"]].add(ex["slug"])

    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(harder, white)

    def visit(start: str) -> None:
        stack = [(start, iter(sorted(harder[start])))]
        colour[start] = grey
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = black
                stack.pop()
            elif colour[child] == grey:
                path = [n for n, _ in stack]
                raise AssertionError(f"cycle: {' -> '.join([*path, child])}")
            elif colour[child] == white:
                colour[child] = grey
                stack.append((child, iter(sorted(harder[child]))))

    for slug in sorted(harder):
        if colour[slug] == white:
            visit(slug)


def test_a_step_up_the_ladder_is_harder(by_slug):
    easier_steps = [
        f"{ex['slug']} ({ex['difficulty']}) -> {ex['progression']} "
        f"({by_slug[ex['progression']]['difficulty']})"
        for ex in EXERCISES
        if ex.get("progression") in by_slug
        and by_slug[ex["progression"]]["difficulty"] <= ex["difficulty"]
    ]
    # A step up the ladder is harder, never the same (issue 14: side-lying hip abduction →
    # band walk and goblet squat → split squat were both rated alike).
    assert not easier_steps, "progression not harder: " + "; ".join(easier_steps)


@pytest.mark.parametrize("ladder", sorted(LADDERS))
def test_named_ladder(ladder, by_slug):
    rungs = LADDERS[ladder]
    for slug in rungs:
        assert slug in by_slug, f"{ladder}: {slug} missing"
    for lower, upper in itertools.pairwise(rungs):
        assert by_slug[lower].get("progression") == upper, f"{lower} should progress to {upper}"
        assert by_slug[upper].get("regression") == lower, f"{upper} should regress to {lower}"

    walked = [rungs[0]]
    seen = {rungs[0]}
    while by_slug[walked[-1]].get("progression") in by_slug:
        nxt = by_slug[walked[-1]]["progression"]
        assert nxt not in seen, f"{ladder}: loop at {nxt}"
        walked.append(nxt)
        seen.add(nxt)
    assert len(walked) >= 3, f"{ladder}: only {walked}"


# --- coverage and search ----------------------------------------------------------------


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_each_category_covered(category):
    count = sum(ex["category"] == category for ex in EXERCISES)
    assert count >= MIN_PER_CATEGORY, f"{category}: {count}"


@pytest.mark.parametrize("region", sorted(MIN_PER_REGION))
def test_key_regions_covered(region):
    count = sum(region in ex["regions"] for ex in EXERCISES)
    assert count >= MIN_PER_REGION[region], f"{region}: {count}"


def test_dutch_bridge_names_searchable():
    assert any("brug" in ex["nl"]["name"].casefold() for ex in EXERCISES)
    glute_bridges = [ex for ex in EXERCISES if ex["slug"].startswith("glute-bridge")]
    assert glute_bridges
    for ex in glute_bridges:
        assert "brug" in ex["nl"]["name"].casefold(), ex["nl"]["name"]


def test_plank_names_searchable():
    assert any("plank" in ex["en"]["name"].casefold() for ex in EXERCISES)
    planks = [ex for ex in EXERCISES if ex["slug"].startswith("plank-")]
    assert planks
    for ex in planks:
        for lang in LANGUAGES:
            assert "plank" in ex[lang]["name"].casefold(), ex[lang]["name"]
