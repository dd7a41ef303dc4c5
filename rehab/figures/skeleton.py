"""The human figure: segment lengths, joint angles and where each joint ends up.

A pose is a set of joint angles in degrees (the clinical convention: 0 is the anatomical
position, flexion positive) plus ``tilt``, the turn of the whole body in the picture (-90 is
lying on the back, head to the left). Each limb segment has a sagittal angle and an
out-of-plane (abduction) angle, so one pose can be drawn from the side or from the front.
Lengths in millimetres for a body 1750 mm tall. Pure Python: no Flask, no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

HEIGHT = 1750.0

# Winter, Biomechanics and Motor Control of Human Movement, body-segment table (fractions
# of body height; ../shared/domain.md §9).
PROPORTIONS = {
    "upper_arm": 0.186,
    "forearm": 0.146,
    "hand": 0.108,
    "thigh": 0.245,
    "shank": 0.246,
    "foot": 0.152,
    "ankle_height": 0.039,
    "shoulder_width": 0.259,
    "hip_width": 0.191,
    "trunk": 0.288,
    "head": 0.130,
    "neck": 0.052,
}
LENGTH = {name: fraction * HEIGHT for name, fraction in PROPORTIONS.items()}

# Half the drawn thickness of each part (mm): a contact is judged at the body's surface.
RADIUS = {
    "trunk": 100.0,
    "pelvis": 100.0,
    "girdle": 45.0,
    "neck": 38.0,
    "head": 100.0,  # front to back; the head is 228 mm chin to crown
    "upper_arm": 40.0,
    "forearm": 32.0,
    "hand": 22.0,
    "thigh": 62.0,
    "shank": 45.0,
    "foot": 24.0,
}

# Winter's widths are the body's breadths; the joint centres lie one limb's thickness inside.
SHOULDER_SPAN = LENGTH["shoulder_width"] - 2 * RADIUS["upper_arm"]
HIP_SPAN = LENGTH["hip_width"] - 2 * RADIUS["thigh"]

# Normal active ranges (AAOS, ../shared/domain.md §9), widened only where the library's
# stretches and loaded positions need it (each widening says why).
RANGES: dict[str, tuple[float, float]] = {
    "spine": (-30.0, 70.0),  # lumbar -25..60 plus a little thoracic for cat-camel
    "spine_side": (-25.0, 25.0),
    "spine_turn": (-45.0, 45.0),
    "neck": (-45.0, 45.0),
    "shoulder": (-60.0, 180.0),
    "shoulder_abd": (0.0, 180.0),
    "shoulder_turn": (-70.0, 90.0),  # internal 70, external 90: moves the bent forearm sideways
    "elbow": (0.0, 150.0),
    "wrist": (-90.0, 90.0),
    "hip": (-30.0, 130.0),
    "hip_abd": (-30.0, 45.0),
    "hip_turn": (-45.0, 45.0),  # rotation: moves the shank sideways when the knee is bent
    "knee": (0.0, 150.0),
    "ankle": (-50.0, 40.0),  # dorsiflexion 20 active; 40 with body weight over the knee
}
SIDED = (
    "shoulder",
    "shoulder_abd",
    "shoulder_turn",
    "elbow",
    "wrist",
    "hip",
    "hip_abd",
    "hip_turn",
    "knee",
    "ankle",
)
CENTRAL = ("spine", "spine_side", "spine_turn", "neck")
SIDES = ("near", "far")


class PoseError(ValueError):
    """A pose names an unknown joint or puts a joint outside its range."""


@dataclass(frozen=True)
class Pose:
    """Joint angles (degrees) and the turn of the whole body in the picture."""

    angles: dict[str, float] = field(default_factory=dict)
    tilt: float = 0.0

    def angle(self, name: str) -> float:
        return float(self.angles.get(name, 0.0))

    def problems(self) -> list[str]:
        """Every joint outside its anatomical range, in words."""
        found = []
        for key, value in sorted(self.angles.items()):
            joint = key.rsplit("_", 1)[0] if key.endswith(("_near", "_far")) else key
            if joint not in RANGES:
                found.append(f"unknown joint {key}")
                continue
            low, high = RANGES[joint]
            if not low <= value <= high:
                found.append(f"{key} {value:g} outside {low:g}..{high:g}")
        return found


def pose_from(values: dict, base: Pose | None = None) -> Pose:
    """A pose from data: ``knee = 90`` sets both knees, ``knee_near = 90`` one of them."""
    angles = dict(base.angles) if base else {}
    tilt = base.tilt if base else 0.0
    for key, value in values.items():
        if key in ("base", "rest", "tilt"):
            if key == "tilt":
                tilt = float(value)
            continue
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise PoseError(f"{key} must be a number")
        if key in SIDED:
            for side in SIDES:
                angles[f"{key}_{side}"] = float(value)
        elif key in CENTRAL or (key.rsplit("_", 1)[0] in SIDED and key.endswith(SIDES)):
            angles[key] = float(value)
        else:
            raise PoseError(f"unknown joint {key}")
    pose = Pose(angles=angles, tilt=tilt)
    problems = pose.problems()
    if problems:
        raise PoseError("; ".join(problems))
    return pose


# --- forward kinematics in the body's own frame: x forward, y up, z to the near side ------

Vec = tuple[float, float, float]


def _direction(theta: float, phi: float, sign: float) -> Vec:
    """Unit vector: ``theta`` from straight up towards the front, ``phi`` out to one side."""
    t, p = math.radians(theta), math.radians(phi)
    return (math.cos(p) * math.sin(t), math.cos(p) * math.cos(t), sign * math.sin(p))


def _along(start: Vec, direction: Vec, length: float) -> Vec:
    return tuple(s + d * length for s, d in zip(start, direction, strict=True))  # type: ignore[return-value]


def _turn(point: Vec, degrees: float) -> Vec:
    """Rotate about the body's long (y) axis: a turn of the upper trunk."""
    a = math.radians(degrees)
    x, y, z = point
    return (x * math.cos(a) + z * math.sin(a), y, -x * math.sin(a) + z * math.cos(a))


# Every point of the figure and the segment it belongs to (for its drawn thickness).
SEGMENTS: tuple[tuple[str, str, str], ...] = (
    # (segment, from point, to point)
    ("pelvis", "hip_near", "hip_far"),
    ("girdle", "shoulder_near", "shoulder_far"),
    ("trunk", "pelvis", "t12"),
    ("trunk", "t12", "c7"),
    ("neck", "c7", "head"),
    *(
        (segment, f"{a}_{side}", f"{b}_{side}")
        for side in SIDES
        for segment, a, b in (
            ("thigh", "hip", "knee"),
            ("shank", "knee", "ankle"),
            ("foot", "heel", "toe"),
            ("upper_arm", "shoulder", "elbow"),
            ("forearm", "elbow", "wrist"),
            ("hand", "wrist", "hand"),
        )
    ),
)
POINT_SEGMENT = {b: seg for seg, _a, b in SEGMENTS} | {
    "pelvis": "pelvis",
    "head": "head",
    "hip_near": "thigh",
    "hip_far": "thigh",
    "shoulder_near": "upper_arm",
    "shoulder_far": "upper_arm",
    "heel_near": "foot",
    "heel_far": "foot",
    # The wrist rests on the floor with the palm (a flat hand), not with the forearm's bulk.
    "wrist_near": "hand",
    "wrist_far": "hand",
}


def joints(pose: Pose) -> dict[str, Vec]:
    """Every point of the figure in the body frame (pelvis at the origin, before the tilt)."""
    a = pose.angle
    lower = LENGTH["trunk"] / 2
    spine_theta = a("spine")
    side_phi = a("spine_side")
    points: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0)}
    points["t12"] = (0.0, lower, 0.0)
    upper_dir = _direction(spine_theta, side_phi, 1.0)
    points["c7"] = _along(points["t12"], upper_dir, LENGTH["trunk"] / 2)
    neck_dir = _direction(spine_theta + a("neck"), side_phi, 1.0)
    points["neck_top"] = _along(points["c7"], neck_dir, LENGTH["neck"])
    points["head"] = _along(points["neck_top"], neck_dir, LENGTH["head"] / 2)
    for side, sign in (("near", 1.0), ("far", -1.0)):

        def s(name: str, side: str = side) -> float:
            return a(f"{name}_{side}")

        # Arms hang from the shoulder line, which turns with the upper trunk.
        offset = _turn((0.0, 0.0, sign * SHOULDER_SPAN / 2), a("spine_turn"))
        shoulder = _along(points["c7"], upper_dir, -60.0)
        shoulder = tuple(p + o for p, o in zip(shoulder, offset, strict=True))
        points[f"shoulder_{side}"] = shoulder
        arm_theta = spine_theta + 180.0 - s("shoulder")
        abd = s("shoulder_abd")

        def arm(theta: float, phi: float, sign: float = sign) -> Vec:
            return _turn(_direction(theta, phi, sign), a("spine_turn"))

        points[f"elbow_{side}"] = _along(shoulder, arm(arm_theta, abd), LENGTH["upper_arm"])
        fore_theta = arm_theta - s("elbow")
        fore_phi = abd + s("shoulder_turn") * math.sin(math.radians(s("elbow")))
        points[f"wrist_{side}"] = _along(
            points[f"elbow_{side}"], arm(fore_theta, fore_phi), LENGTH["forearm"]
        )
        points[f"hand_{side}"] = _along(
            points[f"wrist_{side}"], arm(fore_theta - s("wrist"), fore_phi), LENGTH["hand"] * 0.8
        )
        hip = (0.0, 0.0, sign * HIP_SPAN / 2)
        points[f"hip_{side}"] = hip
        thigh_theta = 180.0 - s("hip")
        hip_abd = s("hip_abd")
        points[f"knee_{side}"] = _along(
            hip, _direction(thigh_theta, hip_abd, sign), LENGTH["thigh"]
        )
        shank_theta = thigh_theta + s("knee")
        shank_phi = hip_abd + s("hip_turn") * math.sin(math.radians(s("knee")))
        ankle = _along(
            points[f"knee_{side}"], _direction(shank_theta, shank_phi, sign), LENGTH["shank"]
        )
        points[f"ankle_{side}"] = ankle
        foot_theta = shank_theta - 90.0 - s("ankle")
        sole = _direction(foot_theta + 90.0, shank_phi, sign)
        below = _along(ankle, sole, LENGTH["ankle_height"])
        heel = _along(below, _direction(foot_theta, shank_phi, sign), -0.22 * LENGTH["foot"])
        points[f"heel_{side}"] = heel
        points[f"toe_{side}"] = _along(
            heel, _direction(foot_theta, shank_phi, sign), LENGTH["foot"]
        )
    return points


def segment_lengths(points: dict[str, Vec]) -> dict[str, float]:
    """The 3-D length of every drawn segment (unchanged by any pose)."""
    return {
        f"{a}-{b}": math.dist(points[a], points[b]) for _seg, a, b in SEGMENTS if a != "hip_near"
    }
