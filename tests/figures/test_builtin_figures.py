"""Every built-in figure is checked the way a wrong pose would fail: joint ranges, the
floor, the resting parts, limb lengths, real prop sizes, the mirror image."""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import pytest

from rehab.figures.figure import STAGES
from rehab.figures.library import LIBRARY_DIR, builtin_figure, figure_data
from rehab.figures.render import render_animated, render_still
from rehab.figures.scene import PROP_SIZES
from rehab.figures.skeleton import LENGTH, RANGES, SEGMENTS, joints

DOCS = Path(__file__).resolve().parents[2] / "docs" / "figures.md"
SLUGS = sorted(figure_data())
TOLERANCE = 5.0  # mm on a body 1.75 m tall


def _library() -> dict[str, dict]:
    found = {}
    for path in sorted(LIBRARY_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            found |= {e["slug"]: e for e in tomllib.load(handle)["exercise"]}
    return found


LIBRARY = _library()


def test_most_built_in_exercises_have_a_figure_and_the_rest_are_listed_as_missing():
    text = DOCS.read_text(encoding="utf-8")
    missing_section = text.split("## No figure yet", 1)[1]
    for slug in LIBRARY:
        if slug in SLUGS:
            assert f"`{slug}`" in text.split("## No figure yet", 1)[0], f"{slug} not reviewed"
        else:
            assert f"`{slug}`" in missing_section, f"{slug} has no figure and is not listed"


@pytest.mark.parametrize("slug", SLUGS)
def test_joint_angles_are_within_their_anatomical_ranges(slug):
    figure = builtin_figure(slug)
    for stage in figure.stages:
        pose = figure.stages_data[stage].pose
        assert not pose.problems(), (stage, pose.problems())
        for key, value in pose.angles.items():
            low, high = RANGES[key.rsplit("_", 1)[0] if key.endswith(("_near", "_far")) else key]
            assert low <= value <= high, (stage, key, value)


@pytest.mark.parametrize("slug", SLUGS)
def test_nothing_below_the_floor_and_the_resting_parts_touch(slug):
    figure = builtin_figure(slug)
    for stage in figure.stages:
        scene = figure.scene(stage)
        assert scene.lowest() > -TOLERANCE, (stage, scene.lowest())
        gaps = figure.contact_errors(stage)  # a pose in flight: exactly its air above
        far = {part: round(gap) for part, gap in gaps.items() if gap > TOLERANCE}
        assert not far, f"{stage}: not touching {far}"


@pytest.mark.parametrize("slug", SLUGS)
def test_limbs_keep_their_lengths_from_pose_to_pose(slug):
    figure = builtin_figure(slug)
    expected = {
        "thigh": LENGTH["thigh"],
        "shank": LENGTH["shank"],
        "upper_arm": LENGTH["upper_arm"],
    }
    for stage in figure.stages:
        points = joints(figure.stages_data[stage].pose)
        for segment, a, b in SEGMENTS:
            if segment in expected:
                assert math.dist(points[a], points[b]) == pytest.approx(expected[segment]), stage


@pytest.mark.parametrize("slug", SLUGS)
def test_props_have_the_size_of_real_ones(slug):
    figure = builtin_figure(slug)
    # Every pose: a medicine ball is as big as the space between the hands in each.
    for stage in figure.stages:
        scene = figure.scene(stage)
        for kind, size in scene.surfaces.items():
            low, high = PROP_SIZES[kind]
            assert low <= size <= high, f"{stage}: a {kind} of {size:.0f} mm"


@pytest.mark.parametrize("slug", SLUGS)
def test_the_data_names_real_parts_and_stages(slug):
    data = figure_data()[slug]
    figure = builtin_figure(slug)
    if data.get("arrow"):
        assert data["arrow"] in figure.scene("start").points
    segments = {seg for seg, _a, _b in SEGMENTS}
    for name in data.get("working", ()):
        assert name.removesuffix("_near").removesuffix("_far") in segments, name
    assert set(data) <= {"view", "props", "working", "arrow", *STAGES}


def _xy(points: str) -> list[tuple[int, int]]:
    return [tuple(int(v) for v in pair.split(",")) for pair in points.split()]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_figure_renders_small_and_the_other_side_is_its_mirror_image(slug):
    figure = builtin_figure(slug)
    for stage in figure.stages:
        svg = render_still(figure, stage)
        assert len(svg.encode()) < 6000
        mirrored = render_still(figure, stage, mirror=True)
        xs = [int(v) for v in re.findall(r' (?:x1|x2|cx)="(-?\d+)"', svg.split("/>", 1)[1])]
        mirrored_xs = [
            int(v) for v in re.findall(r' (?:x1|x2|cx)="(-?\d+)"', mirrored.split("/>", 1)[1])
        ]
        assert mirrored_xs == [-x for x in xs]
        points = [_xy(p) for p in re.findall(r' points="([^"]+)"', svg)]
        mirrored_points = [_xy(p) for p in re.findall(r' points="([^"]+)"', mirrored)]
        assert points and mirrored_points == [[(-x, y) for x, y in p] for p in points]
    render_animated(figure)  # every pose draws the same parts
