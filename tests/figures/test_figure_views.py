"""Figures seen from above or along the body, rolled bodies, body-on-body contacts and the
props that came with them: a wrong pose still cannot pass."""

from __future__ import annotations

import math
import re

import pytest

from rehab.figures.figure import FigureError, figure_from
from rehab.figures.library import builtin_figure
from rehab.figures.render import render_animated, render_still
from rehab.figures.scene import ELEVATION, PROP_SIZES, nearness
from rehab.figures.skeleton import HIP_SPAN, LENGTH, SHOULDER_SPAN, PoseError, joints, pose_from

STANDING = {"start": {}}
HOOK_LYING = {
    "start": {
        "base": "hook-lying",
        "hip": 46.9,
        "rest": ["pelvis", "c7", "heel_near", "toe_near", "heel_far", "toe_far"],
    }
}


def _box(points) -> tuple[float, float]:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return max(xs) - min(xs), max(ys) - min(ys)


def test_a_standing_figure_seen_from_straight_above_is_a_compact_shape():
    scene = figure_from({"view": "plan", **STANDING}).scene("start")
    width, depth = _box(scene.points.values())
    # Shoulders across, a foot's length front to back: no taller than it is broad.
    assert width < LENGTH["foot"] + 200
    assert depth < SHOULDER_SPAN + 2 * 40 + 100
    side = figure_from(STANDING).scene("start")
    assert _box(side.points.values())[1] > 1500  # the same body from the side: its height


def test_known_points_seen_from_above_land_where_the_projection_puts_them():
    plan = figure_from({"view": "plan", **STANDING}).scene("start")
    # Straight down: the near side towards the bottom of the picture, heights invisible.
    assert plan.points["shoulder_near"][1] == pytest.approx(-SHOULDER_SPAN / 2)
    assert plan.points["hip_far"][1] == pytest.approx(HIP_SPAN / 2)
    assert plan.points["head"][1] == pytest.approx(0.0, abs=1e-6)
    # From above at a slant: up the picture by the depth away and a little of the height.
    top = figure_from({"view": "top", **HOOK_LYING}).scene("start")
    slant = math.radians(ELEVATION["top"])
    for name in ("knee_near", "head", "hip_far"):
        _x, height, depth = top.space[name]
        expected = height * math.cos(slant) - depth * math.sin(slant)
        assert top.points[name][1] == pytest.approx(expected)
    # From the feet of a figure lying head left: the near side to the right.
    front = figure_from({"view": "top-front", **HOOK_LYING}).scene("start")
    assert front.points["shoulder_near"][0] - front.points["shoulder_far"][0] == pytest.approx(
        SHOULDER_SPAN
    )


@pytest.mark.parametrize("view", ["top", "top-front", "plan", "end"])
def test_from_above_the_floor_is_the_heights_and_a_floating_pose_still_fails(view):
    # The same pose touches (or misses) the floor by the same millimetres in every view.
    side = figure_from(HOOK_LYING)
    seen = figure_from({"view": view, **HOOK_LYING})
    for part, gap in side.contact_errors("start").items():
        assert seen.contact_errors("start")[part] == pytest.approx(gap, abs=1e-6)
    assert seen.scene("start").lowest() == pytest.approx(side.scene("start").lowest())
    floating = {
        "view": view,
        "start": {"base": "supine", "knee": 90, "rest": ["pelvis", "heel_near"]},
    }
    assert max(figure_from(floating).contact_errors("start").values()) > 50


def test_a_part_resting_on_another_touches_it_in_space():
    crossed = {
        "view": "top-front",
        "start": {
            "base": "hook-lying",
            "flat_feet": "far",
            "hip_far": 47,
            "knee_far": 95,
            "hip_near": 84,
            "hip_abd_near": 11,
            "hip_turn_near": -44,
            "knee_near": 99,
            "ankle_near": 0,
            "rest": ["pelvis", "heel_far", "ankle_near@knee_far"],
        },
    }
    figure = figure_from(crossed)
    scene = figure.scene("start")
    gap = figure.contact_errors("start")["ankle_near@knee_far"]
    distance = math.dist(scene.space["ankle_near"], scene.space["knee_far"])
    assert gap == pytest.approx(abs(distance - 45.0 - 62.0))
    apart = crossed | {"start": crossed["start"] | {"hip_abd_near": 40}}
    assert figure_from(apart).contact_errors("start")["ankle_near@knee_far"] > 50
    with pytest.raises(FigureError, match="itself"):
        figure_from({"start": {"rest": ["ankle_near@knee_far"]}})


def test_a_roll_turns_the_body_about_its_length_and_keeps_its_limbs():
    plain = joints(figure_from(STANDING).stages_data["start"].pose)
    side_lying = figure_from(
        {
            "view": "end",
            "start": {"flat_feet": False, "tilt": -90, "roll": 90, "rest": ["hip_far"]},
        }
    ).scene("start")
    # On its side: the near shoulder a shoulder span above the far one.
    near, far = side_lying.space["shoulder_near"], side_lying.space["shoulder_far"]
    assert near[1] - far[1] == pytest.approx(SHOULDER_SPAN)
    for a, b in (("hip_near", "knee_near"), ("shoulder_far", "elbow_far")):
        assert math.dist(side_lying.space[a], side_lying.space[b]) == pytest.approx(
            math.dist(plain[a], plain[b])
        )
    # Knees rolled to one side with the upper trunk turned back: the shoulders stay flat.
    rolled = figure_from(
        {
            "view": "top-front",
            "start": {"base": "hook-lying", "roll": -40, "spine_turn": 40, "rest": ["hip_near"]},
        }
    ).scene("start")
    assert rolled.space["shoulder_near"][1] == pytest.approx(rolled.space["shoulder_far"][1])
    assert rolled.space["knee_near"][1] < rolled.space["knee_far"][1]
    with pytest.raises(FigureError, match="roll"):
        figure_from({"start": {"roll": 200}})


def test_from_above_the_nearest_parts_are_drawn_last():
    plan = figure_from({"view": "plan", **STANDING})
    svg = render_still(plan, "start")
    head = re.search(r'<circle r="109"', svg).start()
    assert head > svg.index("<polyline")  # the head over the shoulders and legs
    lying = figure_from({"view": "top", **HOOK_LYING})
    scene = lying.scene("start")
    assert nearness(scene, "knee_near") > nearness(scene, "pelvis")
    # No floor line from above; the same parts in every pose, for the moving loop.
    floor = r'<line x1="-?\d+" y1="0" x2="-?\d+" y2="0"'
    assert re.search(floor, render_still(lying, "start")) is None
    assert re.search(floor, render_still(figure_from(HOOK_LYING), "start"))
    render_animated(lying)


def test_props_that_cannot_be_seen_from_above_are_refused():
    with pytest.raises(FigureError, match="from above"):
        figure_from({"view": "plan", "props": [{"kind": "chair"}], "start": {}})


def test_a_medicine_ball_is_the_space_between_the_hands():
    arms = {"shoulder": 60, "elbow": 20, "shoulder_turn": -70}
    ball = [{"kind": "medball", "at": ["hand_near", "hand_far"]}]
    figure = figure_from({"view": "front", "props": ball, "start": arms})
    scene = figure.scene("start")
    diameter = scene.surfaces["medball"]
    assert diameter == pytest.approx(
        math.dist(scene.space["hand_near"], scene.space["hand_far"]) - 2 * 22.0
    )
    apart = figure_from({"view": "front", "props": ball, "start": {"shoulder": 60}})
    low, high = PROP_SIZES["medball"]
    assert not low <= apart.scene("start").surfaces["medball"] <= high  # the test refuses it
    with pytest.raises(FigureError, match="medball"):
        figure_from({"props": [{"kind": "medball", "at": ["hand_near"]}], "start": {}})


def test_the_back_extension_bench_holds_the_feet_and_its_pad_touches_the_thighs():
    feet = ["heel_near@backext", "toe_near@backext"]
    data = {
        "props": [{"kind": "backext", "height": 300}],
        "start": {"tilt": 115, "hip": 75, "rest": feet},
        "end": {"tilt": 40, "rest": feet},
    }
    figure = figure_from(data)
    for stage in figure.stages:
        scene = figure.scene(stage)
        assert max(figure.contact_errors(stage).values()) < 1.0  # the pad too
        bench = dict(scene.props)["backext"]
        assert bench["top"] == 300
        # The pad against the front of the thigh, a fifth of the way from hip to knee.
        (hx, hy), (kx, ky) = scene.points["hip_near"], scene.points["knee_near"]
        px, py, radius = bench["pad"]
        on_thigh = (hx + 0.2 * (kx - hx), hy + 0.2 * (ky - hy))
        assert math.dist((px, py), on_thigh) == pytest.approx(radius + 62.0)
    assert figure.scene("end").props == figure.scene("start").props
    # Knees bent at the end: the thighs leave the pad the start put in place.
    bent = figure_from(data | {"end": {"tilt": 60, "knee": 20, "flat_feet": False, "rest": feet}})
    assert bent.contact_errors("end")["thigh_near@pad"] > 20


def test_a_roll_of_the_upper_arm_turns_the_forearm_about_it():
    # Hanging: the same as the older turn about the body's long axis.
    hanging = joints(pose_from({"elbow_near": 90, "shoulder_roll_near": 60}))
    turned = joints(pose_from({"elbow_near": 90, "shoulder_turn_near": 60}))
    assert hanging["wrist_near"] == pytest.approx(turned["wrist_near"])
    # Held forward (the sleeper stretch): inwards takes the forearm towards the feet, which
    # no value of the older turn can.
    forward = {"shoulder_far": 90, "elbow_far": 90, "shoulder_turn_far": -70}
    start = joints(pose_from(forward))
    rolled = joints(pose_from(forward | {"shoulder_roll_far": -65}))
    assert rolled["wrist_far"][1] < start["elbow_far"][1] - 100  # below the elbow: feet-wards
    for turn in range(-70, 91, 10):
        wrist = joints(pose_from(forward | {"shoulder_turn_far": turn}))["wrist_far"]
        assert wrist[1] >= start["elbow_far"][1] - 1e-6
    for a, b in (("elbow_far", "wrist_far"), ("wrist_far", "hand_far")):
        assert math.dist(rolled[a], rolled[b]) == pytest.approx(math.dist(start[a], start[b]))
    with pytest.raises(PoseError, match="outside"):
        pose_from({"shoulder_roll_near": -80})


def test_facing_draws_a_forearm_in_front_of_the_chest_over_the_trunk():
    pose = {
        "base": "side-lying",
        "flat_feet": False,
        "shoulder_far": 90,
        "elbow_far": 90,
        "shoulder_turn_far": -70,
        "rest": ["shoulder_far"],
    }
    front = render_still(figure_from({"view": "front", "start": pose}), "start")
    facing = render_still(figure_from({"view": "facing", "start": pose}), "start")
    grey = 'stroke="#c9d1d9"'  # the far limbs' fill
    assert front.index(grey) < front.index("<polygon")  # behind the trunk
    assert facing.index(grey) > facing.index("<polygon")  # in front of it


def test_a_lean_tips_the_near_side_down_and_zero_draws_as_before():
    sitting = {"hip": 90, "knee": 90, "flat_feet": False, "rest": ["pelvis"]}
    plain = figure_from({"view": "top", "start": sitting})
    zero = figure_from({"view": "top", "start": sitting | {"lean": 0}})
    assert render_still(zero, "start") == render_still(plain, "start")
    leant = figure_from({"view": "top", "start": sitting | {"lean": 30, "rest": ["hip_near"]}})
    space = leant.scene("start").space
    assert space["hip_far"][1] - space["hip_near"][1] == pytest.approx(HIP_SPAN * 0.5)
    with pytest.raises(FigureError, match="lean"):
        figure_from({"view": "top", "start": sitting | {"lean": 70}})


def _floor_angle(scene, a: str, b: str) -> float:
    """The direction from a to b on the floor (degrees), seen from above."""
    (ax, _ay, ad), (bx, _by, bd) = scene.space[a], scene.space[b]
    return math.degrees(math.atan2(bd - ad, bx - ax))


def _turn_about_thigh(points, side: str) -> float:
    """The hip's rotation measured in space (positive external): the shank against the
    one that hangs straight down from the thigh, about the thigh itself."""
    hip, knee, ankle = (points[f"{name}_{side}"] for name in ("hip", "knee", "ankle"))
    thigh = [k - h for k, h in zip(knee, hip, strict=True)]
    length = math.sqrt(sum(v * v for v in thigh))
    u = [v / length for v in thigh]

    def across(v):
        dot = sum(a * b for a, b in zip(v, u, strict=True))
        return [a - dot * b for a, b in zip(v, u, strict=True)]

    down, shank = (
        across((0.0, -1.0, 0.0)),
        across([a - k for a, k in zip(ankle, knee, strict=True)]),
    )
    cross = (
        down[1] * shank[2] - down[2] * shank[1],
        down[2] * shank[0] - down[0] * shank[2],
        down[0] * shank[1] - down[1] * shank[0],
    )
    sine = sum(c * v for c, v in zip(cross, u, strict=True))
    cosine = sum(a * b for a, b in zip(down, shank, strict=True))
    return (1.0 if side == "near" else -1.0) * math.degrees(math.atan2(sine, cosine))


def test_the_90_90_sit_has_one_shin_across_in_front_and_one_behind_within_the_hips_range():

    figure = builtin_figure("hip-90-90-switch")
    for stage, front, back in (("start", "near", "far"), ("end", "far", "near")):
        scene = figure.scene(stage)
        pose = figure.stages_data[stage].pose
        front_thigh = _floor_angle(scene, f"hip_{front}", f"knee_{front}")
        back_thigh = _floor_angle(scene, f"hip_{back}", f"knee_{back}")
        front_shin = _floor_angle(scene, f"knee_{front}", f"ankle_{front}")
        back_shin = _floor_angle(scene, f"knee_{back}", f"ankle_{back}")

        def apart(a, b):
            return abs((a - b + 180.0) % 360.0 - 180.0)

        # About 90/90: the thighs at right angles, the front shin across in front along
        # the back thigh, the back shin pointing back, away from the front thigh.
        assert 80 < apart(front_thigh, back_thigh) < 100, stage
        assert apart(front_shin, back_thigh) < 10, stage
        assert apart(back_shin, front_thigh + 180.0) < 20, stage
        # Both shins and thighs lie on the floor (the contacts), the back hip lifted.
        assert scene.bottom(f"hip_{back}") > 60, stage
        # The hips turn within Magee's ranges (lateral 40-60, medial 30-40), measured in
        # space about the thigh, the pelvis's lean doing the rest.
        points = joints(pose)
        assert 45 < _turn_about_thigh(points, front) <= 60, stage
        assert -40 <= _turn_about_thigh(points, back) < -30, stage
