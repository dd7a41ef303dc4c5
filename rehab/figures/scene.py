"""A posed figure in the picture: projected to the view, resting on the floor or a prop.

Picture coordinates are millimetres, x to the right, y up, the floor at y = 0 (from the side
or the front, and level along the body: ``end``, ``facing``). Seen from above (``top``: the
camera raised 65 degrees over the side of the side view; ``top-front``: raised over the end
the body faces, in front of a standing figure or at the feet of one lying on its back;
``plan``: straight down), the floor is a plane seen from above and y runs across it, away
from the camera, with a little of the height. Every view keeps the heights in
``Scene.space``, and the contacts are judged there. The figure
is placed so that the first body part it rests on touches its support, and horizontally so
that part stays where it is from one pose to the next (the figure does not slide while it
moves). Props take their place and size from the body parts they hold; each has the sizes a
real one has, and a pose that needs a chair 90 cm high is wrong (tests/figures).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from rehab.figures.skeleton import POINT_SEGMENT, RADIUS, Pose, joints

# Realistic sizes (mm): a support's height or a round prop's diameter.
PROP_SIZES: dict[str, tuple[float, float]] = {
    "chair": (380.0, 540.0),
    "bench": (300.0, 560.0),
    "box": (200.0, 560.0),
    "step": (100.0, 300.0),
    "table": (650.0, 950.0),
    "ball": (450.0, 750.0),
    "roller": (110.0, 180.0),
    "pad": (40.0, 100.0),
    "cushion": (60.0, 180.0),  # a pillow under the head when lying on the side
    "bike": (600.0, 1000.0),  # a stationary bike's saddle
    "backext": (150.0, 450.0),  # a 45-degree back-extension bench's foot plate
    "medball": (180.0, 300.0),  # a medicine ball of 2 to 4 kg between the hands
}
VIEWS = ("side", "front", "top", "top-front", "plan", "end", "facing")
TOP_VIEWS = ("top", "top-front", "plan")
# Drawn by depth, nearest last (not far side, trunk, near side): from above; "end", level
# with the floor along the body from its left end (the head of a figure lying head left);
# "facing", the front view with a limb in front of the trunk drawn over it.
DEPTH_VIEWS = (*TOP_VIEWS, "end", "facing")
# Seen from above only what lies on or marks the floor, or stands on it as a line.
TOP_PROPS = ("mat", "wall", "band", "floor_line", "cone", "medball")
SUPPORTS = ("chair", "bench", "box", "step", "table", "pad", "cushion")
ROLLING = ("ball", "roller")
HELD = ("dumbbell", "kettlebell", "barbell", "plate", "dowel", "medball")
PROP_KINDS = (
    "mat",
    "wall",
    "band",
    "strap",
    "floor_line",
    "cone",
    "bike",
    "backext",
    "closeup",
    *SUPPORTS,
    *ROLLING,
    *HELD,
)
CONTACT_TOLERANCE = 2.0  # mm: how far a fitted pose may sink into its support


class SceneError(ValueError):
    """A figure's data names an unknown prop or body part, or a prop has no place."""


@dataclass(frozen=True)
class Prop:
    kind: str
    at: tuple[str, ...] = ()  # body parts it holds, supports or touches
    side: int = -1  # a wall or a chair back: -1 to the left of the figure, +1 to the right
    anchor: tuple[float, float] = (0.0, 0.0)  # a band's fixed end, relative to the origin
    height: float | None = None  # a support's height when nothing rests on the floor
    below: float = 0.0  # a support's top this far below the part (a kettlebell on a block)
    x: float | None = None  # a support or wall at a set place (mm from the anchored part)
    width: float = 400.0  # a support set at ``x``
    span: tuple[float, float] | None = None  # a support's ends relative to the parts on it


@dataclass
class Scene:
    """The projected points (x, y), depth order and the props, ready to draw or to check."""

    points: dict[str, tuple[float, float]]
    props: list[tuple[str, dict]] = field(default_factory=list)
    surfaces: dict[str, float] = field(default_factory=dict)  # prop kind -> its top (y)
    # Every point in space: (picture x, height above the floor, depth). From the side and
    # the front the height is the picture's y; from above the picture's y is the depth.
    space: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    view: str = "side"

    def height(self, name: str) -> float:
        return self.space[name][1] if self.space else self.points[name][1]

    def bottom(self, name: str) -> float:
        """Height of the lowest edge of a body part (its centre less its thickness)."""
        return self.height(name) - RADIUS[POINT_SEGMENT.get(name, "trunk")]

    def gap(self, part: str, other: str) -> float:
        """Between the surfaces of two body parts (mm, in space): 0 is touching."""
        radius = RADIUS[POINT_SEGMENT.get(part, "trunk")]
        radius += RADIUS[POINT_SEGMENT.get(other, "trunk")]
        return math.dist(self.space[part], self.space[other]) - radius

    def lowest(self) -> float:
        return min(self.bottom(name) for name in self.points if name in POINT_SEGMENT)


def _space(
    points, view: str, tilt: float, roll: float = 0.0, lean: float = 0.0
) -> dict[str, tuple[float, float, float]]:
    """The body in space as (across the picture, up, towards the camera): leant about its
    own front-to-back axis (positive: the near side down, as a sitting body's weight shifts
    onto one buttock), rolled about its own long axis, then turned by its tilt about the
    axis to the side camera (side, top, top-front, plan, end) or to the front camera (front,
    facing). The camera of top and plan is over the side of the side view; of top-front
    over the end the body faces (in front of a standing figure, at the feet of one lying on
    its back with its head to the left); of end at the other end (the head of that figure),
    level."""
    a, r = math.radians(-tilt), math.radians(roll)
    cos, sin = math.cos(a), math.sin(a)
    if lean:
        b = math.radians(lean)
        points = {
            name: (x0, y * math.cos(b) - z0 * math.sin(b), y * math.sin(b) + z0 * math.cos(b))
            for name, (x0, y, z0) in points.items()
        }
    placed = {}
    for name, (x0, y, z0) in points.items():
        x = x0 * math.cos(r) + z0 * math.sin(r)
        z = -x0 * math.sin(r) + z0 * math.cos(r)
        if view in ("front", "facing"):
            placed[name] = (z * cos - y * sin, z * sin + y * cos, x)
            continue
        across, up = x * cos - y * sin, x * sin + y * cos
        if view == "end":
            placed[name] = (z, up, -across)
        else:
            placed[name] = (z, up, across) if view == "top-front" else (across, up, z)
    return placed


# From above: the camera looks down this steeply (degrees from the floor), so that what is
# raised (a bent knee) still shows a little; "plan" looks straight down (a standing figure
# seen at a slant reads as a crouching one, so standing figures are drawn in plan).
ELEVATION = {"top": 65.0, "top-front": 65.0, "plan": 90.0, "end": 0.0, "facing": 0.0}


def _slant(view: str) -> tuple[float, float]:
    """How much of the height and of the depth shows up the picture, from above."""
    angle = math.radians(ELEVATION[view])
    return round(math.cos(angle), 12), math.sin(angle)


def _picture(space: dict, view: str) -> dict[str, tuple[float, float]]:
    """From the side or front: across and up. From above: across, and up the picture both
    away from the camera (the depth, foreshortened) and a little for the height."""
    if view in DEPTH_VIEWS:
        up, away = _slant(view)
        return {name: (x, y * up - depth * away) for name, (x, y, depth) in space.items()}
    return {name: (x, y) for name, (x, y, _depth) in space.items()}


def nearness(scene: Scene, name: str) -> float:
    """How near a point is to the camera of a view drawn by depth (DEPTH_VIEWS)."""
    _x, y, depth = scene.space[name]
    up, away = _slant(scene.view)
    return y * away + depth * up


def _project(points, view: str, tilt: float) -> dict[str, tuple[float, float]]:
    return _picture(_space(points, view, tilt), view)


def _contact(rest: str) -> tuple[str, str]:
    """``"heel_near"`` rests on the floor, ``"hip_near@bench"`` on the bench."""
    part, _, support = rest.partition("@")
    return part, support or "floor"


STATIC = ("mat", "wall", "bike", "backext", "floor_line", "cone", "closeup", *SUPPORTS)


def place(
    pose: Pose,
    view: str,
    rest: tuple[str, ...],
    props: tuple[Prop, ...],
    fixed: Scene | None = None,
    air: float = 0.0,
    travel: float = 0.0,
    roll: float = 0.0,
    lean: float = 0.0,
) -> Scene:
    """Project the pose and set it down on what it rests on.

    ``fixed`` is the first pose's scene: the furniture (wall, chair, step...) stays where
    that pose put it, and the later poses must rest on it where it is. ``air`` lifts the
    whole pose that many millimetres off its support: the flight of a hop or a jump, whose
    resting parts are the ones it takes off from and lands on. ``travel`` sets the pose that
    far to the right of where the first one stood (a hop forward, a bound to the side).
    """
    if view not in VIEWS:
        raise SceneError(f"unknown view {view}")
    space = _space(joints(pose), view, pose.tilt, roll, lean)
    space.pop("neck_top")
    flat = _picture(space, view)
    if not rest:
        raise SceneError("a pose must rest on something")
    contacts = [_contact(r) for r in rest]
    for part, support in contacts:
        if part not in flat:
            raise SceneError(f"unknown body part {part}")
        if support in flat:
            continue  # resting on another body part (an ankle on the other knee)
        if support != "floor" and support not in {p.kind for p in props}:
            raise SceneError(f"{part} rests on a {support} the figure does not have")
    for prop in props:
        if view in TOP_VIEWS and prop.kind not in TOP_PROPS:
            raise SceneError(f"a {prop.kind} cannot be drawn from above")
    scene = Scene(points=flat, space=space)
    if fixed is not None:
        kept = (*SUPPORTS, "bike", "backext")
        scene.surfaces = {k: v for k, v in fixed.surfaces.items() if k in kept}
    contacts = [(part, support) for part, support in contacts if support not in flat]
    if not contacts:
        raise SceneError("a pose must rest on the floor or a support, not only on itself")
    on_floor = [part for part, support in contacts if support == "floor"]
    if not on_floor and all(support == "wall" for _part, support in contacts):
        raise SceneError("a pose must rest on the floor or a support, not only a wall")
    anchor = contacts[0][0]
    if on_floor:
        dy = -min(scene.bottom(part) for part in on_floor)
    else:
        part, support = contacts[0]
        prop = next(p for p in props if p.kind == support)
        level = scene.surfaces.get(support, prop.height or PROP_SIZES[support][0])
        dy = level - scene.bottom(part)
    dx = travel - flat[anchor][0]
    dy += air
    scene.space = {n: (x + dx, y + dy, d) for n, (x, y, d) in space.items()}
    scene.points = _picture(scene.space, view)
    scene.view = view
    for index, prop in enumerate(props):
        if fixed is not None and prop.kind in STATIC:
            scene.props.append(fixed.props[index])  # one entry per prop, in order
        else:
            _add_prop(scene, prop, contacts)
    return scene


def _add_prop(scene: Scene, prop: Prop, contacts) -> None:
    pts = scene.points
    kind = prop.kind
    held = [part for part, support in contacts if support == kind] or list(prop.at)
    for part in held:
        if part not in pts and part != "back":
            raise SceneError(f"{kind}: unknown body part {part}")
    top = scene.view in TOP_VIEWS
    if kind == "mat":
        xs = [x for x, _ in pts.values()]
        mat = {"x1": min(xs) - 120, "x2": max(xs) + 120}
        if top:  # seen from above: 60 cm wide under the trunk, as long as the body
            depths = [d for _x, _y, d in scene.space.values()]
            if scene.view == "top-front":  # along the picture, under the pelvis
                middle = pts["pelvis"][0]
                mat = {"x1": middle - 300.0, "x2": middle + 300.0}
                depths = [min(depths) - 120, max(depths) + 120]
            else:
                depths = [-300.0, 300.0]
            away = _slant(scene.view)[1]
            mat |= {"y1": -max(depths) * away, "y2": -min(depths) * away}
        scene.props.append(("mat", mat))
    elif kind in ("floor_line", "cone") and (top or kind == "cone"):
        part = held[0]
        x, y = pts[part][0] + prop.anchor[0], (pts[part][1] if top else 0.0) + prop.anchor[1]
        if kind == "cone":
            scene.props.append(("cone", {"cx": x, "cy": y if top else 0.0, "top": top}))
        else:  # a line on the floor, across the picture
            ys = [y for _x, y in pts.values()]
            scene.props.append(("floor_line", {"x": x, "y1": min(ys) - 250, "y2": max(ys) + 250}))
    elif kind == "medball":
        scene.props.append(("medball", _medball(scene, held)))
    elif kind == "backext":
        scene.props.append(("backext", _backext(scene, prop, held)))
    elif kind == "bike":
        scene.props.append(("bike", _bike(scene, list(prop.at))))
    elif kind in SUPPORTS:
        if not held and prop.x is None:
            raise SceneError(f"{kind}: nothing rests on it")
        if prop.x is not None and prop.height is not None:
            top, x1, x2 = prop.height, prop.x - prop.width / 2, prop.x + prop.width / 2
        else:
            top = min(scene.bottom(part) for part in held) - prop.below
            xs = [pts[part][0] for part in held]
            left, right = prop.span or (-150.0, 150.0)
            x1, x2 = min(xs) + left, max(xs) + right
        scene.surfaces[kind] = top
        scene.props.append((kind, {"x1": x1, "x2": x2, "top": top, "side": prop.side}))
    elif kind in ROLLING:
        part = held[0]
        diameter = scene.bottom(part)
        scene.surfaces[kind] = diameter
        scene.props.append((kind, {"cx": pts[part][0], "r": diameter / 2}))
    elif kind == "wall":
        if not held and prop.x is None:
            raise SceneError("wall: give the part it touches or its place")
        top = max(y for _x, y in pts.values()) + 300
        if prop.x is not None:
            x = prop.x
        else:
            part = held[0]
            x = pts[part][0] + prop.side * RADIUS[POINT_SEGMENT.get(part, "trunk")]
        wall = {"x": x, "top": top}
        if scene.view in TOP_VIEWS:  # from above: a line along the floor
            ys = [y for _x, y in pts.values()]
            wall |= {"y1": min(ys) - 300, "y2": max(ys) + 300}
        scene.props.append(("wall", wall))
    elif kind == "dowel" and held == ["back"]:
        scene.props.append(("dowel", _along_back(scene)))
    elif kind == "plate" and held == ["back"]:
        scene.props.append(("plate", _on_back(scene)))
    elif kind in HELD:
        if len(held) == 2 and kind in ("dowel", "barbell"):
            (x1, y1), (x2, y2) = pts[held[0]], pts[held[1]]
            scene.props.append((kind, {"x1": x1, "y1": y1, "x2": x2, "y2": y2}))
        else:
            x, y = pts[held[0]]
            scene.props.append((kind, {"x": x, "y": y}))
    elif kind in ("band", "strap"):
        x1, y1 = pts[held[0]]
        if kind == "strap" or len(held) == 2:
            # A strap between hand and foot; a loop band between two body parts (a mini
            # band round the knees) moves with both, an anchored band from one part.
            x2, y2 = pts[held[1]]
        elif len(prop.anchor) == 3:  # from above: (across, height, towards the camera)
            x2, y2 = _picture({"anchor": tuple(prop.anchor)}, scene.view)["anchor"]
        else:
            x2, y2 = prop.anchor
        scene.props.append((kind, {"x1": x1, "y1": y1, "x2": x2, "y2": y2}))
    elif kind == "floor_line":
        x, _ = pts[held[0]]
        scene.props.append(("floor_line", {"x": x}))
    elif kind == "closeup":
        scene.props.append(("closeup", _closeup(scene, prop, held)))
    else:
        raise SceneError(f"unknown prop {kind}")


def _closeup(scene: Scene, prop: Prop, held: list[str]) -> dict:
    """Not a thing but the picture's window: ``width`` by ``height`` mm round the parts it
    names (moved by ``anchor``), for a movement of a few centimetres that a whole body
    would hide (a chin tuck, the shoulder blades). Later poses keep the start's window."""
    if not held:
        raise SceneError("closeup: name the body parts it shows")
    x = sum(scene.points[part][0] for part in held) / len(held) + prop.anchor[0]
    y = sum(scene.points[part][1] for part in held) / len(held) + prop.anchor[1]
    width = prop.width
    height = float(prop.height) if prop.height is not None else width
    return {"x1": x - width / 2, "x2": x + width / 2, "y1": y - height / 2, "y2": y + height / 2}


def _medball(scene: Scene, held: list[str]) -> dict:
    """A medicine ball held between the two hands: its centre midway between them, its
    diameter the space between the palms (a pose with the hands apart holds a ball of an
    unreal size, which the tests refuse)."""
    if sorted(held) != ["hand_far", "hand_near"]:
        raise SceneError("medball: give hand_near and hand_far")
    (ax, ay), (bx, by) = scene.points["hand_near"], scene.points["hand_far"]
    diameter = scene.gap("hand_near", "hand_far")
    scene.surfaces["medball"] = diameter
    return {"cx": (ax + bx) / 2, "cy": (ay + by) / 2, "r": diameter / 2}


def _backext(scene: Scene, prop: Prop, held: list[str]) -> dict:
    """A 45-degree back-extension bench from the body on it: the foot plate under the feet
    (its top the figure's support), the rollers behind the ankles, the pad at the front of
    the thighs just below the hips, and the frame from the floor to the pad."""
    pts = scene.points
    if not {"hip_near", "knee_near", "ankle_near", "heel_near", "toe_near"} <= set(pts):
        raise SceneError("backext: the figure has no legs")
    top = scene.surfaces.get("backext", prop.height or PROP_SIZES["backext"][0])
    scene.surfaces["backext"] = top
    (hx, hy), (kx, ky) = pts["hip_near"], pts["knee_near"]
    (ax, ay), (sx, sy) = pts["ankle_near"], pts["knee_near"]
    (ex, ey), (tx, ty) = pts["heel_near"], pts["toe_near"]
    front = (tx - ex, ty - ey)

    def off(x0, y0, x1, y1, distance, towards_front):
        length = math.hypot(x1 - x0, y1 - y0)
        nx, ny = -(y1 - y0) / length, (x1 - x0) / length
        if (nx * front[0] + ny * front[1] > 0) != towards_front:
            nx, ny = -nx, -ny
        return nx * distance, ny * distance

    pad_r, roller_r = 80.0, 45.0
    px, py = hx + 0.2 * (kx - hx), hy + 0.2 * (ky - hy)
    dx, dy = off(hx, hy, kx, ky, RADIUS["thigh"] + pad_r, True)
    rx, ry = ax + 0.25 * (sx - ax), ay + 0.25 * (sy - ay)
    ex_, ey_ = off(ax, ay, sx, sy, RADIUS["shank"] + roller_r, False)
    x1, x2 = sorted((ex, tx))
    return {
        "x1": x1 - 60,
        "x2": x2 + 60,
        "top": top,
        "pad": (px + dx, py + dy, pad_r),
        "roller": (rx + ex_, ry + ey_, roller_r),
    }


def _bike(scene: Scene, held: list[str]) -> dict:
    """A stationary bike from the parts on it: the saddle under the pelvis, the crank
    between the two feet (its pedals where they are, opposite each other) and the
    handlebar at the hand. Later poses keep it where the start put it."""
    pts = scene.points
    if set(held) != {"pelvis", "ankle_near", "ankle_far", "hand_near"}:
        raise SceneError("bike: give pelvis, ankle_near, ankle_far and hand_near")
    top = scene.bottom("pelvis")
    (ax, ay), (bx, by) = pts["ankle_near"], pts["ankle_far"]
    scene.surfaces["bike"] = top
    return {
        "sx": pts["pelvis"][0],
        "top": top,
        "cx": (ax + bx) / 2,
        "cy": (ay + by) / 2,
        "r": math.hypot(ax - bx, ay - by) / 2,
        "hx": pts["hand_near"][0],
        "hy": pts["hand_near"][1],
    }


def _on_back(scene: Scene) -> dict:
    """A weight plate lying on the back between the shoulder blades (a weighted plank): its
    underside on the back's surface, halfway up the upper trunk."""
    (tx, ty), (cx, cy) = scene.points["t12"], scene.points["c7"]
    length = math.hypot(cx - tx, cy - ty)
    bx, by = -(cy - ty) / length, (cx - tx) / length  # the back: a quarter turn from the trunk
    r = RADIUS["trunk"] + 5
    return {"x": (tx + cx) / 2 + bx * r, "y": (ty + cy) / 2 + by * r}


def _along_back(scene: Scene) -> dict:
    """A dowel held along the back: touching the back of the head, the upper back and the
    sacrum (the hip-hinge cue)."""
    (px, py), (cx, cy) = scene.points["pelvis"], scene.points["c7"]
    length = math.hypot(cx - px, cy - py)
    ux, uy = (cx - px) / length, (cy - py) / length
    bx, by = -uy, ux  # the back: the trunk's direction turned a quarter to the left
    r = RADIUS["trunk"] + 8
    return {
        "x1": px + bx * r - ux * 120,
        "y1": py + by * r - uy * 120,
        "x2": cx + bx * r + ux * 380,
        "y2": cy + by * r + uy * 380,
    }
