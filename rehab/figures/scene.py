"""A posed figure in the picture: projected to the view, resting on the floor or a prop.

Picture coordinates are millimetres, x to the right, y up, the floor at y = 0. The figure
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
    "bike": (600.0, 1000.0),  # a stationary bike's saddle
}
SUPPORTS = ("chair", "bench", "box", "step", "table", "pad")
ROLLING = ("ball", "roller")
HELD = ("dumbbell", "kettlebell", "barbell", "plate", "dowel")
PROP_KINDS = ("mat", "wall", "band", "strap", "floor_line", "bike", *SUPPORTS, *ROLLING, *HELD)
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

    def bottom(self, name: str) -> float:
        """Height of the lowest edge of a body part (its centre less its thickness)."""
        return self.points[name][1] - RADIUS[POINT_SEGMENT.get(name, "trunk")]

    def lowest(self) -> float:
        return min(self.bottom(name) for name in self.points if name in POINT_SEGMENT)


def _project(points, view: str, tilt: float) -> dict[str, tuple[float, float]]:
    a = math.radians(-tilt)
    cos, sin = math.cos(a), math.sin(a)
    flat = {}
    for name, (x, y, z) in points.items():
        u = x if view == "side" else z
        flat[name] = (u * cos - y * sin, u * sin + y * cos)
    return flat


def _contact(rest: str) -> tuple[str, str]:
    """``"heel_near"`` rests on the floor, ``"hip_near@bench"`` on the bench."""
    part, _, support = rest.partition("@")
    return part, support or "floor"


STATIC = ("mat", "wall", "bike", *SUPPORTS)


def place(
    pose: Pose,
    view: str,
    rest: tuple[str, ...],
    props: tuple[Prop, ...],
    fixed: Scene | None = None,
    air: float = 0.0,
    travel: float = 0.0,
) -> Scene:
    """Project the pose and set it down on what it rests on.

    ``fixed`` is the first pose's scene: the furniture (wall, chair, step...) stays where
    that pose put it, and the later poses must rest on it where it is. ``air`` lifts the
    whole pose that many millimetres off its support: the flight of a hop or a jump, whose
    resting parts are the ones it takes off from and lands on. ``travel`` sets the pose that
    far to the right of where the first one stood (a hop forward, a bound to the side).
    """
    flat = _project(joints(pose), view, pose.tilt)
    flat.pop("neck_top")
    if not rest:
        raise SceneError("a pose must rest on something")
    contacts = [_contact(r) for r in rest]
    for part, support in contacts:
        if part not in flat:
            raise SceneError(f"unknown body part {part}")
        if support != "floor" and support not in {p.kind for p in props}:
            raise SceneError(f"{part} rests on a {support} the figure does not have")
    scene = Scene(points=flat)
    if fixed is not None:
        scene.surfaces = {k: v for k, v in fixed.surfaces.items() if k in (*SUPPORTS, "bike")}
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
    scene.points = {n: (x + dx, y + dy) for n, (x, y) in flat.items()}
    for prop in props:
        if fixed is not None and prop.kind in STATIC:
            scene.props.append(next(p for p in fixed.props if p[0] == prop.kind))
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
    if kind == "mat":
        xs = [x for x, _ in pts.values()]
        scene.props.append(("mat", {"x1": min(xs) - 120, "x2": max(xs) + 120}))
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
        scene.props.append(("wall", {"x": x, "top": top}))
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
        else:
            x2, y2 = prop.anchor
        scene.props.append((kind, {"x1": x1, "y1": y1, "x2": x2, "y2": y2}))
    elif kind == "floor_line":
        x, _ = pts[held[0]]
        scene.props.append(("floor_line", {"x": x}))
    else:
        raise SceneError(f"unknown prop {kind}")


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
