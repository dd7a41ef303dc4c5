"""The figure model: a wrong pose cannot pass (ranges, floor, contacts, lengths, mirror)."""

from __future__ import annotations

import gzip
import math
import re

import pytest

from rehab.figures.figure import FigureError, contact_errors, figure_from
from rehab.figures.render import render_animated, render_still
from rehab.figures.skeleton import LENGTH, PoseError, joints, pose_from, segment_lengths

BRIDGE = {
    "view": "side",
    "props": [{"kind": "mat"}],
    "working": ["thigh", "trunk"],
    "arrow": "hip_near",
    "start": {
        "base": "hook-lying",
        "fit": "hip",
        "rest": ["pelvis", "c7", "heel_near", "toe_near"],
    },
    "end": {
        "base": "hook-lying",
        "hip": 0,
        "knee": 90,
        "shoulder": -30,
        "fit": ["tilt", "neck"],
        "fit_range": [-150, -95],
        "rest": ["c7", "head", "heel_near", "toe_near"],
    },
}


def test_segment_lengths_come_from_winters_table():
    points = joints(pose_from({}))
    assert math.dist(points["hip_near"], points["knee_near"]) == pytest.approx(0.245 * 1750)
    assert math.dist(points["knee_near"], points["ankle_near"]) == pytest.approx(0.246 * 1750)
    assert math.dist(points["shoulder_near"], points["elbow_near"]) == pytest.approx(
        LENGTH["upper_arm"]
    )


def test_limbs_keep_their_lengths_between_poses():
    still = segment_lengths(joints(pose_from({})))
    moved = segment_lengths(
        joints(
            pose_from(
                {
                    "hip": 100,
                    "knee": 120,
                    "shoulder": 150,
                    "elbow": 90,
                    "spine": 40,
                    "hip_abd_near": 30,
                    "hip_turn_near": 30,
                }
            )
        )
    )
    assert still.keys() == moved.keys()
    for name, length in still.items():
        assert moved[name] == pytest.approx(length), name


@pytest.mark.parametrize(
    "angles",
    [
        {"knee": 160},
        {"knee": -5},
        {"elbow": 155},
        {"hip": 135},
        {"hip_near": -35},
        {"ankle": 60},
        {"spine": 80},
    ],
)
def test_a_joint_outside_its_anatomical_range_is_refused(angles):
    with pytest.raises(PoseError, match="outside"):
        pose_from(angles)


def test_an_unknown_joint_is_refused():
    with pytest.raises(PoseError, match="unknown"):
        pose_from({"tail": 10})


def test_a_fitted_pose_rests_on_the_floor_and_nothing_goes_below_it():
    figure = figure_from(BRIDGE)
    for stage in figure.stages:
        scene = figure.scene(stage)
        assert max(figure.contact_errors(stage).values()) < 5, stage
        assert scene.lowest() > -5, stage
    # The bridge lifts the pelvis: at the end it is well off the floor.
    assert figure.scene("end").bottom("pelvis") > 150


def test_a_pose_that_would_sink_through_the_floor_does_not_pass():
    # Lying flat but told the feet rest on the floor with the knees bent up: the feet float.
    data = {"start": {"base": "supine", "knee": 90, "rest": ["pelvis", "heel_near"]}}
    figure = figure_from(data)
    assert max(figure.contact_errors("start").values()) > 50


def test_flat_feet_outside_the_ankle_range_are_refused():
    with pytest.raises(FigureError, match="ankle"):
        figure_from({"start": {"base": "hook-lying", "hip": 0, "knee": 150, "rest": ["pelvis"]}})


def _numbers(svg: str, attribute: str) -> list[int]:
    svg = svg.split("</title>", 1)[1].split("/>", 1)[1]  # after the floor line
    return [int(v) for v in re.findall(rf' {attribute}="(-?\d+)"', svg)]


def test_the_mirrored_figure_is_the_mirror_image():
    figure = figure_from(BRIDGE)
    plain = render_still(figure, "end")
    mirrored = render_still(figure, "end", mirror=True)
    for attribute in ("x1", "x2", "cx"):
        assert _numbers(mirrored, attribute) == [-v for v in _numbers(plain, attribute)]
    for attribute in ("y1", "y2", "cy"):
        assert _numbers(mirrored, attribute) == _numbers(plain, attribute)
    x0, y0, width, height = map(int, re.search(r'viewBox="([^"]+)"', plain)[1].split())
    assert re.search(r'viewBox="([^"]+)"', mirrored)[1] == f"{-(x0 + width)} {y0} {width} {height}"


def test_rendering_is_small_deterministic_and_self_contained():
    figure = figure_from(BRIDGE)
    first, second = render_still(figure, "start"), render_still(figure, "start")
    assert first == second
    assert len(first.encode()) < 6000
    animated = render_animated(figure, timing=(2, 1, 1, 1))
    assert len(gzip.compress(animated.encode())) < 6000
    for svg in (first, animated):
        assert svg.startswith("<svg xmlns=")
        assert "<script" not in svg and "href" not in svg and "url(" not in svg
    assert 'repeatCount="indefinite"' in animated and 'dur="5s"' in animated


def test_the_start_picture_carries_the_arrow_and_the_end_picture_does_not():
    figure = figure_from(BRIDGE)
    assert "<path" in render_still(figure, "start")
    assert "<path" not in render_still(figure, "end")


def test_unknown_props_and_parts_are_refused():
    with pytest.raises(FigureError, match="prop"):
        figure_from({"props": [{"kind": "trampoline"}], "start": {}})
    with pytest.raises(FigureError, match="body part"):
        figure_from({"start": {"rest": ["tail"]}})


def test_a_loop_band_between_two_parts_moves_with_both_and_an_anchored_band_stays():
    def band(props: list[dict], stage: str) -> dict:
        figure = figure_from(
            {
                "view": "front",
                "props": props,
                "start": {"hip_abd": 3},
                "end": {"hip_abd_near": 20, "hip_abd_far": 3, "rest": ["heel_far"]},
            }
        )
        scene = figure.scene(stage)
        return next(g for kind, g in scene.props if kind == "band") | {"pts": scene.points}

    loop = [{"kind": "band", "at": ["knee_near", "knee_far"]}]
    for stage in ("start", "end"):
        found = band(loop, stage)
        assert (found["x1"], found["y1"]) == found["pts"]["knee_near"]
        assert (found["x2"], found["y2"]) == found["pts"]["knee_far"]
    anchored = band([{"kind": "band", "at": ["hand_near"], "anchor": [900, 480]}], "end")
    assert (anchored["x2"], anchored["y2"]) == (900, 480)


def test_a_pose_in_flight_is_its_air_off_the_floor_and_a_grounded_one_is_not():
    hop = {
        "start": {"hip": 20, "knee": 40, "rest": ["toe_near", "toe_far"], "flat_feet": False},
        "end": {"ankle": -40, "flat_feet": False, "rest": ["toe_near", "toe_far"], "air": 150},
    }
    figure = figure_from(hop)
    assert figure.scene("start").bottom("toe_near") == pytest.approx(0.0)
    assert figure.scene("end").bottom("toe_near") == pytest.approx(150.0)
    assert figure.scene("end").lowest() == pytest.approx(150.0)
    for stage in ("start", "end"):
        assert max(figure.contact_errors(stage).values()) < 1e-6, stage
    # The same pose drawn on the floor is 150 mm off what it claims to be.
    grounded = figure_from({"start": hop["start"], "end": hop["end"] | {"air": 0}})
    assert contact_errors(grounded.scene("end"), ("toe_near",), 150.0)["toe_near"] > 149
    with pytest.raises(FigureError, match="air"):
        figure_from({"start": {"air": -20}})
    with pytest.raises(FigureError, match="air"):
        figure_from({"start": {"air": 2000}})


def test_a_pose_may_travel_ahead_of_the_start_and_the_furniture_stays():
    hop = {
        "props": [{"kind": "box", "x": 0, "height": 300, "width": 400}],
        "start": {"rest": ["toe_near@box"]},
        "end": {"hip": 40, "knee": 60, "rest": ["heel_near", "toe_near"], "travel": 700},
    }
    figure = figure_from(hop)
    assert figure.scene("start").points["toe_near"][0] == pytest.approx(0.0)
    assert figure.scene("end").points["heel_near"][0] == pytest.approx(700.0)
    assert figure.scene("end").props == figure.scene("start").props
    assert max(figure.contact_errors("end").values()) < 1.0
    with pytest.raises(FigureError, match="travel"):
        figure_from({"start": {"travel": 100}})
    with pytest.raises(FigureError, match="travel"):
        figure_from({"start": {}, "end": {"travel": 9000}})


def test_a_stationary_bike_carries_the_pelvis_turns_under_the_feet_and_stays_put():
    parts = ["pelvis", "ankle_near", "ankle_far", "hand_near"]
    legs = {"hip_near": 35, "knee_near": 35, "hip_far": 85, "knee_far": 115}
    swapped = {"hip_far": 35, "knee_far": 35, "hip_near": 85, "knee_near": 115}
    common = {"flat_feet": False, "tilt": 20, "shoulder": 55, "elbow": 25, "rest": ["pelvis@bike"]}
    figure = figure_from(
        {
            "props": [{"kind": "bike", "at": parts, "height": 900}],
            "start": common | legs,
            "end": common | swapped,
        }
    )
    start, end = figure.scene("start"), figure.scene("end")
    bike = dict(start.props)["bike"]
    assert start.bottom("pelvis") == pytest.approx(900.0) == bike["top"]
    (ax, ay), (bx, by) = start.points["ankle_near"], start.points["ankle_far"]
    assert (bike["cx"], bike["cy"]) == pytest.approx(((ax + bx) / 2, (ay + by) / 2))
    # The other pedal stroke: the feet swap places on the same crank.
    assert math.dist(end.points["ankle_far"], (bike["cx"], bike["cy"])) == pytest.approx(bike["r"])
    assert end.props == start.props
    assert max(figure.contact_errors("end").values()) < 1e-6
    svg, mirrored = render_still(figure, "start"), render_still(figure, "start", mirror=True)
    assert _numbers(mirrored, "x1") == [-v for v in _numbers(svg, "x1")]
    with pytest.raises(FigureError, match="bike"):
        figure_from({"props": [{"kind": "bike", "at": ["pelvis"]}], "start": {}})


def test_a_plate_on_the_back_lies_on_the_back_between_the_shoulder_blades():
    figure = figure_from(
        {
            "props": [{"kind": "plate", "at": ["back"]}],
            "start": {
                "base": "prone-on-elbows",
                "spine": 0,
                "hip": 0,
                "tilt": 80,
                "ankle": -20,
                "rest": ["elbow_near", "toe_near"],
            },
        }
    )
    scene = figure.scene("start")
    plate = dict(scene.props)["plate"]
    (tx, ty), (cx, cy) = scene.points["t12"], scene.points["c7"]
    assert min(tx, cx) < plate["x"] < max(tx, cx)
    # Its underside on the back's surface: above the trunk's centre line by the trunk's
    # half-thickness (the back faces up in a plank).
    assert plate["y"] - (ty + cy) / 2 == pytest.approx(105, abs=20)
