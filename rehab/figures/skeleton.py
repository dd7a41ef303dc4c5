"""The human figure: segment lengths, joint angles and where each joint ends up.

A pose is a set of joint angles in degrees (the clinical convention: 0 is the anatomical
position, flexion positive) plus ``tilt``, the turn of the whole body in the picture (-90 is
lying on the back, head to the left). Each limb segment has a sagittal angle and an
out-of-plane (abduction) angle, so one pose can be drawn from the side or from the front.
Lengths in millimetres for a body 1750 mm tall. Pure Python: no Flask, no database.

Finer joints for movements of a few centimetres (FINE: the thoracic spine above T6, the upper
neck, the shoulder girdle, eversion and the arch) are 0 unless a pose names them, and then
every point is exactly where the plain model puts it (tests/figures/test_figure_joints.py).
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
# The clavicle, sternoclavicular joint to acromion: about 15 cm in adults (Winter's table has
# no clavicle; anatomy texts give 14-16 cm). The girdle's joints swing the shoulder on it.
CLAVICLE = 150.0
# The arch's top (the navicular) lies this far along the foot from the heel.
ARCH_AT = 0.4
# The subtalar axis: 42 degrees up from the sole and 23 degrees medial from the foot's long
# axis (Inman, The Joints of the Ankle, 1976); eversion turns the foot about it.
SUBTALAR_UP, SUBTALAR_IN = 42.0, 23.0

# Normal active ranges (AAOS, ../shared/domain.md §9), widened only where the library's
# stretches and loaded positions need it (each widening says why).
RANGES: dict[str, tuple[float, float]] = {
    "spine": (-30.0, 70.0),  # lumbar -25..60 plus a little thoracic for cat-camel
    "spine_side": (-25.0, 25.0),
    "spine_turn": (-45.0, 45.0),
    "neck": (-45.0, 45.0),
    "shoulder": (-60.0, 180.0),
    # Negative: across the body (horizontal adduction, 45 past the arm held forward; AAOS),
    # as the open book's top arm lies on the bottom one, palms together.
    "shoulder_abd": (-45.0, 180.0),
    "shoulder_turn": (-70.0, 90.0),  # internal 70, external 90: moves the bent forearm sideways
    # The same rotation about the upper arm itself (negative internal), for an arm held away
    # from the side: shoulder_turn swings the forearm about the body's long axis, which is a
    # rotation of the arm only while it hangs. 0 draws exactly as before.
    "shoulder_roll": (-70.0, 90.0),
    "elbow": (0.0, 150.0),
    "wrist": (-90.0, 90.0),
    "hip": (-30.0, 130.0),
    # Abduction 45 (AAOS) in the upright hip; 60 with the hip bent, as the adductor rock
    # back's straight leg reaches out to the side from hands and knees (a stretch).
    "hip_abd": (-30.0, 60.0),
    "hip_turn": (-45.0, 45.0),  # rotation: moves the shank sideways when the knee is bent
    # The same rotation about the thigh itself (positive external, negative internal;
    # Magee: lateral 40-60, medial 30-40), for a thigh held forward or out: hip_turn swings
    # the shank about the body's long axis (with the thigh out to the side, hip_turn 0 is
    # not the hip's neutral; the 90/90 figure's test measures the rotation in space).
    "hip_roll": (-40.0, 60.0),
    "knee": (0.0, 150.0),
    "ankle": (-50.0, 40.0),  # dorsiflexion 20 active; 40 with body weight over the knee
    # Finer joints, all 0 in the anatomical position (a figure that does not name them draws
    # exactly as before). Ranges: Magee, Orthopedic Physical Assessment (6th ed.), and AAOS
    # (Greene & Heckman, The Clinical Measurement of Joint Motion) where it gives one.
    # Thoracic spine between T6 and T7 (the upper back above the shoulder blades' middle):
    # flexion 20-45, extension 25-45 (Magee); the lumbar part stays in "spine".
    "thoracic": (-30.0, 30.0),
    # Upper neck (occiput-C1-C2, the "yes" nod): flexion about 20, extension about 25
    # (Magee); "neck" is the rest of the neck at C7, and the two together keep to the
    # cervical -45..45 (Pose.problems). A chin tuck is neck -x with neck_upper +x.
    "neck_upper": (-25.0, 20.0),
    # The shoulder girdle at the sternoclavicular joint (Magee): retraction 15-30 (negative:
    # protraction 15-20) and depression 5-10 (negative: elevation, a shrug, 35-45).
    "retraction": (-20.0, 25.0),
    "depression": (-40.0, 10.0),
    # The foot below the ankle: eversion 0-15 (negative: inversion 0-35; AAOS), turning the
    # foot about the subtalar axis; the arch (medial longitudinal arch) lifting at the
    # midfoot, positive up, negative flattening it. The navicular moves 5-10 mm between a
    # flat and a lifted arch (the navicular drop test, Brody 1982): 3-5 degrees here, 10 is
    # 18 mm (the short-foot figure draws 8, 15 mm, so that it shows).
    "eversion": (-35.0, 15.0),
    "arch": (-5.0, 10.0),
}
SIDED = (
    "shoulder",
    "shoulder_abd",
    "shoulder_turn",
    "shoulder_roll",
    "elbow",
    "wrist",
    "hip",
    "hip_abd",
    "hip_turn",
    "hip_roll",
    "knee",
    "ankle",
    "retraction",
    "depression",
    "eversion",
    "arch",
)
CENTRAL = ("spine", "spine_side", "spine_turn", "neck", "thoracic", "neck_upper")
# Cervical flexion and extension (AAOS 0-45 each) is shared by the lower and upper neck.
CERVICAL = RANGES["neck"]
SIDES = ("near", "far")
# The finer joints: a figure that moves one of them draws the points it adds (T6, the nose
# over C1, the arch's top); every other figure draws as it did before they existed.
FINE = ("thoracic", "neck_upper", "retraction", "depression", "eversion", "arch")


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
        if "neck_upper" in self.angles:
            whole = self.angle("neck") + self.angle("neck_upper")
            if not CERVICAL[0] <= whole <= CERVICAL[1]:
                found.append(f"neck with neck_upper {whole:g} outside the cervical range")
        return found


def fine_joints(poses) -> frozenset[str]:
    """The finer joints (FINE) that any of these poses sets away from 0, either side."""
    return frozenset(
        key.removesuffix("_near").removesuffix("_far")
        for pose in poses
        for key, value in pose.angles.items()
        if value and key.removesuffix("_near").removesuffix("_far") in FINE
    )


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
    ("trunk", "t12", "t6"),
    ("trunk", "t6", "c7"),
    ("neck", "c7", "c1"),
    ("neck", "c1", "head"),
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
    # The arch's top: drawn only by a figure that lifts it (see rehab.figures.render).
    "midfoot_near": "foot",
    "midfoot_far": "foot",
}
# The foot is drawn heel to toe, but its bones run through the arch (which can shorten it).
BONES = tuple(
    bone
    for segment, a, b in SEGMENTS
    for bone in (
        ((segment, a, a.replace("heel", "midfoot")), (segment, a.replace("heel", "midfoot"), b))
        if segment == "foot"
        else ((segment, a, b),)
    )
)


def joints(pose: Pose) -> dict[str, Vec]:
    """Every point of the figure in the body frame (pelvis at the origin, before the tilt).

    The finer joints (thoracic, neck_upper, retraction, depression, eversion, arch) are
    computed only when set: at 0 every point is exactly where the plain model puts it.
    """
    a = pose.angle
    lower = LENGTH["trunk"] / 2
    spine_theta = a("spine")
    side_phi = a("spine_side")
    points: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0)}
    points["t12"] = (0.0, lower, 0.0)
    upper_dir = _direction(spine_theta, side_phi, 1.0)
    points["t6"] = _along(points["t12"], upper_dir, lower / 2)
    # The chest: the upper trunk above T6, which the thoracic spine bends further.
    chest_theta, chest_dir = spine_theta, upper_dir
    if a("thoracic"):
        chest_theta = spine_theta + a("thoracic")
        chest_dir = _direction(chest_theta, side_phi, 1.0)
        points["c7"] = _along(points["t6"], chest_dir, lower / 2)
    else:
        points["c7"] = _along(points["t12"], upper_dir, lower)
    neck_dir = _direction(chest_theta + a("neck"), side_phi, 1.0)
    points["neck_top"] = _along(points["c7"], neck_dir, LENGTH["neck"])
    points["c1"] = points["neck_top"]
    skull_dir = neck_dir
    if a("neck_upper"):
        skull_dir = _direction(chest_theta + a("neck") + a("neck_upper"), side_phi, 1.0)
    points["head"] = _along(points["neck_top"], skull_dir, LENGTH["head"] / 2)
    for side, sign in (("near", 1.0), ("far", -1.0)):

        def s(name: str, side: str = side) -> float:
            return a(f"{name}_{side}")

        # Arms hang from the shoulder line, which turns with the upper trunk.
        offset = _turn((0.0, 0.0, sign * SHOULDER_SPAN / 2), a("spine_turn"))
        shoulder = _along(points["c7"], chest_dir, -60.0)
        if s("retraction") or s("depression"):
            swing = _girdle(chest_theta, s("retraction"), s("depression"), sign)
            shoulder = _plus(shoulder, _turn(swing, a("spine_turn")))
        shoulder = tuple(p + o for p, o in zip(shoulder, offset, strict=True))
        points[f"shoulder_{side}"] = shoulder
        arm_theta = chest_theta + 180.0 - s("shoulder")
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
        if s("shoulder_roll"):
            axis = _unit(points[f"elbow_{side}"], shoulder)
            for name in ("wrist", "hand"):
                points[f"{name}_{side}"] = _about(
                    points[f"{name}_{side}"],
                    points[f"elbow_{side}"],
                    axis,
                    sign * s("shoulder_roll"),
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
        forward = _direction(foot_theta, shank_phi, sign)
        heel = _along(below, forward, -0.22 * LENGTH["foot"])
        foot = {
            "heel": heel,
            "midfoot": _along(heel, forward, ARCH_AT * LENGTH["foot"]),
            "toe": _along(heel, forward, LENGTH["foot"]),
        }
        if s("arch"):
            foot |= _arch(heel, forward, sole, s("arch"))
        if s("eversion"):
            foot = _evert(foot, ankle, forward, sole, s("eversion"), sign)
        if s("hip_roll"):
            # The shank and foot turned about the thigh (hip to knee), like shoulder_roll.
            axis = _unit(points[f"knee_{side}"], hip)
            turn = sign * s("hip_roll")
            foot = {
                name: _about(point, points[f"knee_{side}"], axis, turn)
                for name, point in ({"ankle": ankle} | foot).items()
            }
        for name, point in foot.items():
            points[f"{name}_{side}"] = point
    return points


def _unit(tip: Vec, base: Vec) -> Vec:
    d = tuple(t - b for t, b in zip(tip, base, strict=True))
    length = math.sqrt(sum(v * v for v in d))
    return tuple(v / length for v in d)  # type: ignore[return-value]


def _about(point: Vec, centre: Vec, axis: Vec, degrees: float) -> Vec:
    """A point turned about an axis through a centre (Rodrigues): the forearm about the
    upper arm, the shank about the thigh. Positive turns the forearm out (to the side's
    outside when the arm hangs) and a bent knee's foot in (the hip's external rotation)."""
    a = math.radians(degrees)
    v = tuple(p - c for p, c in zip(point, centre, strict=True))
    across = _cross(axis, v)  # type: ignore[arg-type]
    dot = sum(x * y for x, y in zip(axis, v, strict=True))
    return tuple(
        c + x * math.cos(a) + k * math.sin(a) + u * dot * (1 - math.cos(a))
        for c, x, k, u in zip(centre, v, across, axis, strict=True)
    )  # type: ignore[return-value]


def _plus(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _girdle(chest_theta: float, retraction: float, depression: float, sign: float) -> Vec:
    """How far the shoulder moves when the clavicle swings back (retraction) and down
    (depression) about the sternoclavicular joint, in the chest's own directions."""
    t, r, d = (math.radians(v) for v in (chest_theta, retraction, depression))
    back = CLAVICLE * math.cos(d) * math.sin(r)  # towards the back, across the chest's line
    down = CLAVICLE * math.sin(d)  # along the chest's line, downwards
    inward = CLAVICLE * (math.cos(d) * math.cos(r) - 1.0)  # the clavicle seen shorter
    return (
        -back * math.cos(t) - down * math.sin(t),
        back * math.sin(t) - down * math.cos(t),
        sign * inward,
    )


def _arch(heel: Vec, forward: Vec, sole: Vec, degrees: float) -> dict[str, Vec]:
    """The arch lifted: the rearfoot tilts up from the heel, the forefoot comes down to the
    floor again, so the ball of the foot draws towards the heel (a short foot)."""
    rear, fore = ARCH_AT * LENGTH["foot"], (1.0 - ARCH_AT) * LENGTH["foot"]
    up = tuple(-v for v in sole)
    lift = math.radians(degrees)
    rise = rear * math.sin(lift)
    drop = math.asin(max(-1.0, min(1.0, rise / fore)))
    midfoot = tuple(
        h + rear * (math.cos(lift) * f + math.sin(lift) * u)
        for h, f, u in zip(heel, forward, up, strict=True)
    )
    toe = tuple(
        m + fore * (math.cos(drop) * f - math.sin(drop) * u)
        for m, f, u in zip(midfoot, forward, up, strict=True)
    )
    return {"midfoot": midfoot, "toe": toe}  # type: ignore[dict-item]


def _cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _evert(
    foot: dict[str, Vec], ankle: Vec, forward: Vec, sole: Vec, degrees: float, sign: float
) -> dict[str, Vec]:
    """The foot turned about the subtalar axis (through the ankle, pointing forward, up and
    in): eversion lifts the outer edge and swings the toes out, inversion the opposite."""
    up = tuple(-v for v in sole)
    medial = tuple(-sign * v for v in _cross(forward, up))
    rise, inward = math.radians(SUBTALAR_UP), math.radians(SUBTALAR_IN)
    axis = tuple(
        math.cos(rise) * math.cos(inward) * f
        + math.sin(rise) * u
        + math.cos(rise) * math.sin(inward) * m
        for f, u, m in zip(forward, up, medial, strict=True)
    )
    # Eversion is a turn to the side's outside: the far side's foot is the near one mirrored.
    angle = math.radians(-sign * degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    turned = {}
    for name, point in foot.items():
        v = tuple(p - q for p, q in zip(point, ankle, strict=True))
        across = _cross(axis, v)  # type: ignore[arg-type]
        dot = sum(x * y for x, y in zip(axis, v, strict=True))
        turned[name] = tuple(
            q + x * cos + c * sin + k * dot * (1 - cos)
            for q, x, c, k in zip(ankle, v, across, axis, strict=True)
        )
    return turned  # type: ignore[return-value]


def segment_lengths(points: dict[str, Vec]) -> dict[str, float]:
    """The 3-D length of every drawn segment (unchanged by any pose)."""
    return {f"{a}-{b}": math.dist(points[a], points[b]) for _seg, a, b in BONES if a != "hip_near"}
