"""The finer joints (thoracic spine, upper neck, shoulder girdle, subtalar joint, arch): a
wrong pose fails, each moves the point it should by the known amount, and a figure that does
not name them draws exactly as before they existed."""

from __future__ import annotations

import math

import pytest

from rehab.figures.figure import figure_from
from rehab.figures.library import builtin_figure, figure_data
from rehab.figures.render import render_animated, render_still
from rehab.figures.skeleton import (
    ARCH_AT,
    CLAVICLE,
    FINE,
    LENGTH,
    RANGES,
    Pose,
    PoseError,
    fine_joints,
    joints,
    pose_from,
    segment_lengths,
)

TRUNK_HALF = LENGTH["trunk"] / 2


def _close(a, b, tolerance=1e-6):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


# --- ranges ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "angles",
    [
        {"thoracic": -35},
        {"thoracic": 40},
        {"neck_upper": 25},
        {"neck_upper": -30},
        {"retraction": 30},
        {"retraction_near": -25},
        {"depression": 15},
        {"depression_far": -45},
        {"eversion": 20},
        {"eversion_near": -40},
        {"arch": 12},
        {"arch_far": -8},
        # Upper and lower neck share the cervical range (AAOS 0-45 each way).
        {"neck": 40, "neck_upper": 15},
        {"neck": -30, "neck_upper": -20},
    ],
)
def test_a_fine_joint_outside_its_anatomical_range_is_refused(angles):
    with pytest.raises(PoseError):
        pose_from(angles)


def test_every_fine_joint_has_a_range_that_holds_zero():
    for name in FINE:
        low, high = RANGES[name]
        assert low < 0.0 < high, name


# --- known answers ---------------------------------------------------------------------------


def test_a_chin_tuck_glides_the_head_straight_back_and_keeps_it_level():
    still = joints(pose_from({}))
    tuck = joints(pose_from({"neck": -20, "neck_upper": 20}))
    back = LENGTH["neck"] * math.sin(math.radians(20))
    down = LENGTH["neck"] * (1 - math.cos(math.radians(20)))
    hx, hy, hz = still["head"]
    assert _close(tuck["head"], (hx - back, hy - down, hz))
    # Level: the skull (C1 to the head's centre) points straight up as before.
    skull = [h - c for h, c in zip(tuck["head"], tuck["c1"], strict=True)]
    assert _close(skull, (0.0, LENGTH["head"] / 2, 0.0))
    # The trunk and shoulders do not move.
    for point in ("c7", "shoulder_near", "shoulder_far", "t6"):
        assert tuck[point] == still[point], point


def test_a_nod_turns_the_head_which_a_chin_tuck_does_not():
    nod = joints(pose_from({"neck_upper": 20}))
    skull = [h - c for h, c in zip(nod["head"], nod["c1"], strict=True)]
    assert skull[0] > 30.0  # the face turns down: the skull tips forward
    assert nod["c1"] == joints(pose_from({}))["c1"]


def test_the_thoracic_spine_bends_the_chest_above_t6_only():
    still = joints(pose_from({}))
    bent = joints(pose_from({"thoracic": -25}))
    assert bent["t12"] == still["t12"] and bent["t6"] == still["t6"]
    assert _close(bent["t6"], (0.0, 1.5 * TRUNK_HALF, 0.0))
    a = math.radians(-25)
    expected_c7 = (TRUNK_HALF / 2 * math.sin(a), 1.5 * TRUNK_HALF + TRUNK_HALF / 2 * math.cos(a), 0)
    assert _close(bent["c7"], expected_c7)
    # The shoulders ride on the chest: 60 mm below C7 along it, half the span out.
    sx, sy, _ = bent["shoulder_near"]
    assert _close((sx, sy), (expected_c7[0] - 60 * math.sin(a), expected_c7[1] - 60 * math.cos(a)))
    # Together with the lumbar spine the chest's lean adds up.
    both = joints(pose_from({"spine": 20, "thoracic": -20}))
    assert both["c7"][0] == pytest.approx(TRUNK_HALF / 2 * math.sin(math.radians(20)), abs=1e-6)


def test_the_shoulder_girdle_moves_the_shoulder_back_and_down_on_the_clavicle():
    still = joints(pose_from({}))
    back = joints(pose_from({"retraction": 20}))
    dx = back["shoulder_near"][0] - still["shoulder_near"][0]
    assert dx == pytest.approx(-CLAVICLE * math.sin(math.radians(20)))
    assert back["shoulder_near"][1] == pytest.approx(still["shoulder_near"][1])
    down = joints(pose_from({"depression": 10}))
    dy = down["shoulder_near"][1] - still["shoulder_near"][1]
    assert dy == pytest.approx(-CLAVICLE * math.sin(math.radians(10)))
    # The hanging arm goes with the shoulder, and both sides mirror each other.
    for point in ("shoulder", "elbow", "hand"):
        near, far = back[f"{point}_near"], back[f"{point}_far"]
        assert _close(near, (far[0], far[1], -far[2]))
        moved = back[f"{point}_near"][0] - still[f"{point}_near"][0]
        assert moved == pytest.approx(dx)
    # A shrug (negative depression) lifts it.
    assert joints(pose_from({"depression": -30}))["shoulder_near"][1] > still["shoulder_near"][1]


@pytest.mark.parametrize("side, lateral", [("near", 1.0), ("far", -1.0)])
def test_eversion_turns_the_toes_out_and_inversion_in(side, lateral):
    still = joints(pose_from({}))
    out = joints(pose_from({f"eversion_{side}": 15}))
    inward = joints(pose_from({f"eversion_{side}": -30}))
    toe = still[f"toe_{side}"][2]
    assert lateral * (out[f"toe_{side}"][2] - toe) > 30.0
    assert lateral * (inward[f"toe_{side}"][2] - toe) < -60.0
    # Pronation lifts the forefoot a little, supination drops it (the axis is oblique).
    assert out[f"toe_{side}"][1] > still[f"toe_{side}"][1]
    assert inward[f"toe_{side}"][1] < still[f"toe_{side}"][1]
    # A rigid turn about an axis through the ankle: distances to the ankle are kept.
    ankle = still[f"ankle_{side}"]
    for part in ("heel", "midfoot", "toe"):
        name = f"{part}_{side}"
        assert math.dist(out[name], ankle) == pytest.approx(math.dist(still[name], ankle))
    # The other foot does not move.
    other = "far" if side == "near" else "near"
    assert out[f"toe_{other}"] == still[f"toe_{other}"]


LEG = ("knee", "ankle", "heel", "midfoot", "toe")
SITTING = {"hip": 90, "knee": 90, "hip_abd": 20, "ankle": 10, "eversion": 5, "arch": 4}


def test_a_hip_roll_of_zero_draws_exactly_as_before():
    for pose in ({}, SITTING, {"hip_near": 60, "hip_turn_near": 30, "knee_near": 120}):
        assert joints(pose_from(pose | {"hip_roll": 0})) == joints(pose_from(pose))


@pytest.mark.parametrize("side, medial", [("near", -1.0), ("far", 1.0)])
def test_an_external_hip_roll_turns_the_bent_knees_foot_inwards_about_the_thigh(side, medial):
    forward = {f"hip_{side}": 90, f"knee_{side}": 90}
    still = joints(pose_from(forward))
    out = joints(pose_from(forward | {f"hip_roll_{side}": 45}))
    inward = joints(pose_from(forward | {f"hip_roll_{side}": -30}))
    ankle = still[f"ankle_{side}"]
    # External rotation: the foot swings medially (across the body), internal laterally.
    moved = medial * (out[f"ankle_{side}"][2] - ankle[2])
    assert moved == pytest.approx(LENGTH["shank"] * math.sqrt(0.5))
    assert medial * (inward[f"ankle_{side}"][2] - ankle[2]) < -200.0
    # A turn about the thigh: the hip and knee stay, every length is kept.
    assert out[f"knee_{side}"] == still[f"knee_{side}"]
    assert segment_lengths(out) == pytest.approx(segment_lengths(still))
    for part in LEG[1:]:
        name = f"{part}_{side}"
        knee = still[f"knee_{side}"]
        assert math.dist(out[name], knee) == pytest.approx(math.dist(still[name], knee))


def test_hip_rolls_of_the_two_sides_are_mirror_images():
    bent = SITTING | {"hip_turn": -20}
    near = joints(pose_from(bent | {"hip_roll_near": 50, "hip_roll_far": -35}))
    far = joints(pose_from(bent | {"hip_roll_near": -35, "hip_roll_far": 50}))
    for part in LEG:
        a, b = near[f"{part}_near"], far[f"{part}_far"]
        assert _close(a, (b[0], b[1], -b[2]))


@pytest.mark.parametrize("angle", [65, -45])
def test_a_hip_roll_beyond_the_hips_rotation_is_refused(angle):
    # Magee: lateral rotation 40-60, medial 30-40.
    assert RANGES["hip_roll"] == (-40.0, 60.0)
    with pytest.raises(PoseError, match="outside"):
        pose_from({"hip_roll_near": angle})


def test_the_arch_lifts_the_midfoot_and_draws_the_ball_of_the_foot_towards_the_heel():
    still = joints(pose_from({}))
    lifted = joints(pose_from({"arch": 6}))
    rise = ARCH_AT * LENGTH["foot"] * math.sin(math.radians(6))
    assert lifted["midfoot_near"][1] - still["midfoot_near"][1] == pytest.approx(rise)
    assert 5.0 < rise < 15.0  # the navicular rises 5-10 mm in a short foot
    assert lifted["heel_near"] == still["heel_near"]
    assert lifted["toe_near"][1] == pytest.approx(still["toe_near"][1])  # still on the floor
    assert lifted["toe_near"][0] < still["toe_near"][0]  # shorter
    assert segment_lengths(lifted) == pytest.approx(segment_lengths(still))


# --- the figures that do not use them --------------------------------------------------------

PLAIN = sorted(
    slug
    for slug in figure_data()
    if not fine_joints(
        builtin_figure(slug).stages_data[s].pose for s in builtin_figure(slug).stages
    )
)


def _with_zero_fine_joints(data: dict) -> dict:
    zeroed = dict(data)
    for stage in ("start", "middle", "end"):
        if stage in zeroed:
            values = dict(zeroed[stage])
            values.pop("fit", None)
            values |= values.pop("fitted", {})
            zeroed[stage] = values | dict.fromkeys(FINE, 0)
    return zeroed


def test_most_figures_do_not_use_the_fine_joints():
    assert len(PLAIN) >= 90


@pytest.mark.parametrize("slug", PLAIN)
def test_a_figure_draws_the_same_whether_or_not_it_names_the_fine_joints_at_zero(slug):
    figure = builtin_figure(slug)
    zeroed = figure_from(_with_zero_fine_joints(figure_data()[slug]))
    for stage in figure.stages:
        plain = joints(figure.stages_data[stage].pose)
        named = joints(zeroed.stages_data[stage].pose)
        assert plain == named, stage
        for mirror in (False, True):
            assert render_still(zeroed, stage, mirror=mirror) == render_still(
                figure, stage, mirror=mirror
            )
    assert render_animated(zeroed) == render_animated(figure)


def test_the_plain_model_is_where_it_always_was():
    """Known answers of the model before the fine joints: standing, and a bent pose."""
    standing = joints(Pose())
    assert standing["c7"] == pytest.approx((0.0, 504.0, 0.0))
    assert standing["head"] == pytest.approx((0.0, 504.0 + 91.0 + 113.75, 0.0))
    assert standing["shoulder_near"] == pytest.approx((0.0, 444.0, 186.625))
    assert standing["toe_near"] == pytest.approx((207.48, -927.5, 105.125))
    bent = joints(pose_from({"spine": 30, "shoulder": 90, "hip": 90, "knee": 90}))
    s30, c30 = math.sin(math.radians(30)), math.cos(math.radians(30))
    assert bent["c7"] == pytest.approx((252 * s30, 252 + 252 * c30, 0.0))
    elbow = bent["elbow_near"]
    shoulder = bent["shoulder_near"]
    # Shoulder flexion 90 with the trunk leaning 30: the arm points 30 below the horizontal.
    assert elbow[0] - shoulder[0] == pytest.approx(LENGTH["upper_arm"] * c30)
    assert elbow[1] - shoulder[1] == pytest.approx(-LENGTH["upper_arm"] * s30)


def test_only_a_figure_that_moves_a_fine_joint_draws_its_extra_points():
    assert "glute-bridge" in PLAIN
    assert "<polygon" not in render_still(builtin_figure("glute-bridge"), "start")  # no nose
    tucked = figure_from(
        {
            "start": {"base": "sitting", "rest": ["heel_near", "pelvis@chair"]},
            "end": {
                "base": "sitting",
                "neck": -15,
                "neck_upper": 15,
                "rest": ["heel_near", "pelvis@chair"],
            },
            "props": [{"kind": "chair", "at": ["pelvis"]}],
        }
    )
    assert fine_joints(tucked.stages_data[s].pose for s in tucked.stages) == {"neck_upper"}
    svg = render_still(tucked, "start")
    assert svg.count("<polygon") == 1  # the nose
    necks = [p for p in svg.split("<polyline")[1:] if 'stroke-width="94"' in p]
    assert necks and all(p.split('points="')[1].split('"')[0].count(",") == 3 for p in necks)
    rolled = figure_from(
        {
            "start": {"base": "supine", "rest": ["pelvis", "heel_near"]},
            "end": {"base": "supine", "thoracic": 10, "rest": ["pelvis", "heel_near"]},
        }
    )
    trunk = [
        p for p in render_still(rolled, "start").split("<polyline")[1:] if 'stroke-width="218"' in p
    ]
    assert trunk and all(p.split('points="')[1].split('"')[0].count(",") == 4 for p in trunk)


# --- the figures drawn with them --------------------------------------------------------------


def test_the_foam_roller_sits_between_the_shoulder_blades_and_the_buttocks_stay_down():
    figure = builtin_figure("thoracic-extension-foam-roller")
    for stage in figure.stages:
        scene = figure.scene(stage)
        roller = next(g for kind, g in scene.props if kind == "roller")
        (px, _), (cx, _) = scene.points["pelvis"], scene.points["c7"]
        # Along the trunk from the pelvis: past its middle, under the upper back (T6).
        assert (roller["cx"] - px) / (cx - px) > 0.65 if cx != px else False
        assert scene.bottom("pelvis") == pytest.approx(0.0, abs=5.0)
    start, end = figure.scene("start"), figure.scene("end")
    assert end.points["head"][1] < start.points["head"][1] - 60  # sinks back over the roller
    for scene in (start, end):  # the hands hold the head: the neck does not hang back
        assert math.dist(scene.points["hand_near"], scene.points["head"]) < 110.0
    assert figure.stages_data["end"].pose.angle("thoracic") < -15
    assert figure.stages_data["end"].pose.angle("spine") == 0  # the lower back stays


def test_the_quad_set_towel_shows_under_the_knee_and_the_heel_only_lifts_slightly():
    figure = builtin_figure("quad-set")
    for stage in figure.stages:
        scene = figure.scene(stage)
        roll = next(g for kind, g in scene.props if kind == "roller")
        assert abs(roll["cx"] - scene.points["knee_near"][0]) < 1.0
        # Nothing of the far leg in front of the roll: its foot and shank are clear of it.
        for part in ("heel_far", "toe_far", "ankle_far"):
            x = scene.points[part][0]
            assert abs(x - roll["cx"]) > roll["r"] + 40, (stage, part)
    lift = figure.scene("end").bottom("heel_near")
    assert 10.0 < lift < 80.0


def _skull(figure, stage):
    points = joints(figure.stages_data[stage].pose)
    return [h - c for h, c in zip(points["head"], points["c1"], strict=True)]


def _window(figure):
    return next(g for kind, g in figure.scene("start").props if kind == "closeup")


def _inside(window, point, margin=0.0):
    x, y = point
    return (
        window["x1"] + margin <= x <= window["x2"] - margin
        and window["y1"] + margin <= y <= window["y2"] - margin
    )


def test_the_chin_tuck_glides_the_head_back_level_in_a_close_up():
    figure = builtin_figure("chin-tuck")
    start, end = figure.scene("start"), figure.scene("end")
    (x1, y1), (x2, y2) = start.points["head"], end.points["head"]
    assert x1 - x2 > 40.0  # back (the figure faces right)
    assert abs(y1 - y2) < 15.0  # not down: a glide, not a nod
    for stage in figure.stages:
        assert _close(_skull(figure, stage), (0.0, LENGTH["head"] / 2, 0.0))  # level
        assert _inside(_window(figure), figure.scene(stage).points["head"], 150.0)
    for point in ("c7", "shoulder_near", "pelvis"):
        assert start.points[point] == end.points[point], point
    assert "<polygon" in render_still(figure, "start")  # the nose shows which way it faces


def test_scapular_setting_moves_the_shoulders_back_and_down_not_the_chest():
    figure = builtin_figure("scapular-setting")
    start, end = figure.scene("start"), figure.scene("end")
    (x1, y1), (x2, y2) = start.points["shoulder_near"], end.points["shoulder_near"]
    assert x1 - x2 > 40.0 and y1 - y2 > 15.0
    for point in ("c7", "t12", "pelvis", "head"):
        assert start.points[point] == end.points[point], point  # no arching, no shrug
    for stage in figure.stages:
        assert _inside(_window(figure), figure.scene(stage).points["shoulder_near"], 150.0)


def test_the_short_foot_lifts_the_arch_with_the_heel_and_toes_down():
    figure = builtin_figure("short-foot")
    start, end = figure.scene("start"), figure.scene("end")
    rise = end.points["midfoot_near"][1] - start.points["midfoot_near"][1]
    assert 10.0 < rise < 20.0
    for part in ("heel_near", "toe_near"):
        assert end.bottom(part) == pytest.approx(0.0, abs=1.0)  # toes long on the floor
    assert end.points["ankle_near"] == start.points["ankle_near"]
    assert _inside(_window(figure), end.points["midfoot_near"], 100.0)


def test_band_eversion_turns_the_foot_out_against_the_band_while_the_leg_stays():
    figure = builtin_figure("band-eversion")
    start, end = figure.scene("start"), figure.scene("end")
    assert figure.view == "front"
    # The near foot is on the right of the picture: out is to the right.
    assert end.points["toe_near"][0] - start.points["toe_near"][0] > 50.0
    for part in ("knee_near", "ankle_near", "toe_far"):
        assert math.dist(start.points[part], end.points[part]) < 5.0, part
    band = next(g for kind, g in end.props if kind == "band")
    assert (band["x1"], band["y1"]) == end.points["toe_near"]
    assert (band["x2"], band["y2"]) == end.points["toe_far"]
