"""An exercise's figure as data: its poses, view, props, working part and arrow.

In the library files (``[exercise.figure]`` under an exercise)::

    [exercise.figure]
    view = "side"                  # "front"; from above "top", "top-front", "plan";
                                   # level and drawn by depth "end", "facing" (scene.py)
    props = [{kind = "mat"}]       # see rehab.figures.scene.PROP_KINDS
    working = ["thigh", "trunk"]   # tinted segments ("thigh_near" for one side)
    arrow = "knee_near"            # the body part whose path the arrow shows
    start = {base = "hook-lying", rest = ["pelvis", "c7", "heel_near", "heel_far"]}
    end = {base = "hook-lying", hip = 10, fit = "knee", rest = [...]}

A pose starts from a named base posture and changes joint angles; ``flat_feet`` and
``flat_hands`` set the ankles and wrists so that the sole or palm lies level, ``plumb_arms``
and ``plumb_thighs`` hang the upper arms or thighs straight down, and ``fit``
names the angles the computer turns until every resting part touches its support
(``fit = ["tilt+hip"]`` keeps angles equal; two groups are fitted together). ``air = 150``
draws a pose in flight, its resting parts (those it takes off from and lands on) that
many millimetres above the floor; ``travel = 700`` sets a pose that far ahead of the
start (a hop forward lands where it lands, not on the spot it took off from). ``roll = 40``
turns the whole body about its own long axis before the tilt (lying: the pelvis and legs
rolled to the near side, with ``spine_turn = -40`` keeping the shoulders flat; standing:
facing another way, seen from above); ``lean = 40`` tips it about its own front-to-back
axis first, the near side down (sitting on one buttock).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

from rehab.figures.scene import (
    CONTACT_TOLERANCE,
    PROP_KINDS,
    VIEWS,
    Prop,
    Scene,
    SceneError,
    place,
)
from rehab.figures.skeleton import (
    POINT_SEGMENT,
    RADIUS,
    RANGES,
    SIDES,
    Pose,
    PoseError,
    pose_from,
)

STAGES = ("start", "middle", "end")
FEET = ("heel_near", "toe_near", "heel_far", "toe_far")

# Base postures: the angles a pose starts from (tilt: -90 lies on the back, head left).
BASES: dict[str, dict] = {
    "standing": {"flat_feet": True},
    "supine": {"tilt": -90, "hip": -2.5},
    "hook-lying": {"tilt": -90, "hip": 50, "knee": 95, "flat_feet": True},
    "prone": {"tilt": 90, "hip": -2, "ankle": -45, "shoulder": -5},
    "prone-on-elbows": {
        "tilt": 90,
        "spine": -25,
        "plumb_arms": True,
        "elbow": 90,
        "ankle": -45,
        "flat_hands": True,
    },
    "quadruped": {
        "tilt": 80,
        "knee": 100,
        "ankle": -30,
        "plumb_arms": True,
        "plumb_thighs": True,
        "flat_hands": True,
        "neck": -5,
    },
    "sitting": {"hip": 90, "knee": 90, "flat_feet": True, "shoulder": 10, "elbow": 60},
    "half-kneeling": {"hip_near": 90, "knee_near": 90, "hip_far": -5, "knee_far": 90},
    "side-lying": {"tilt": -90, "shoulder_far": 90, "elbow_far": 90},
}


class FigureError(ValueError):
    """A figure's data is not a drawable figure; the message says what is wrong."""


def _flat_ankle(angles: dict[str, float], tilt: float, side: str) -> float:
    # Sole level in the picture: the foot turned a quarter from the shank (side view).
    return _normal(angles.get(f"knee_{side}", 0.0) - angles.get(f"hip_{side}", 0.0) + tilt)


def _flat_wrist(angles: dict[str, float], tilt: float, side: str) -> float:
    spine = angles.get("spine", 0.0)
    arm = spine + 180 - angles.get(f"shoulder_{side}", 0.0) - angles.get(f"elbow_{side}", 0.0)
    return _normal(arm + tilt - 90)


def _normal(angle: float) -> float:
    return (angle + 180.0) % 360.0 - 180.0


def _sides(value) -> tuple[str, ...]:
    if value is True:
        return SIDES
    if value in SIDES:
        return (value,)
    return ()


@dataclass(frozen=True)
class Stage:
    pose: Pose
    rest: tuple[str, ...]
    air: float = 0.0  # mm off the support: a hop's or a jump's flight
    travel: float = 0.0  # mm ahead of where the start pose stands
    roll: float = 0.0  # degrees about the body's own long axis
    lean: float = 0.0  # degrees about its front-to-back axis, the near side down


@dataclass
class Figure:
    view: str
    stages_data: dict[str, Stage]
    props: tuple[Prop, ...] = ()
    working: frozenset[str] = frozenset()
    arrow: str | None = None
    fits: dict[str, str] = field(default_factory=dict)

    @property
    def stages(self) -> tuple[str, ...]:
        return tuple(s for s in STAGES if s in self.stages_data)

    @property
    def has_movement(self) -> bool:
        return len(self.stages) > 1

    @cached_property
    def _scenes(self) -> dict[str, Scene]:
        first = self.stages_data["start"]
        scenes = {
            "start": place(
                first.pose,
                self.view,
                first.rest,
                self.props,
                air=first.air,
                roll=first.roll,
                lean=first.lean,
            )
        }
        for name, stage in self.stages_data.items():
            if name != "start":
                fixed = scenes["start"]
                scenes[name] = place(
                    stage.pose,
                    self.view,
                    stage.rest,
                    self.props,
                    fixed,
                    air=stage.air,
                    travel=stage.travel,
                    roll=stage.roll,
                    lean=stage.lean,
                )
        return scenes

    def scene(self, stage: str) -> Scene:
        return self._scenes[stage]

    def contact_errors(self, stage: str) -> dict[str, float]:
        """How far (mm) each resting part is from its support: 0 is touching (for a pose
        in flight: 0 is exactly its ``air`` above it)."""
        data = self.stages_data[stage]
        return contact_errors(self.scene(stage), data.rest, data.air)


def contact_errors(scene: Scene, rest: tuple[str, ...], air: float = 0.0) -> dict[str, float]:
    errors = {}
    for item in rest:
        part, _, support = item.partition("@")
        if support in scene.points:
            # Resting on another body part: their surfaces touch (judged in space).
            errors[item] = abs(scene.gap(part, support))
            continue
        if support == "wall":
            # Touching the wall: the part's surface at the wall, level with it.
            wall = next(g["x"] for kind, g in scene.props if kind == "wall")
            radius = RADIUS[POINT_SEGMENT.get(part, "trunk")]
            errors[item] = abs(abs(scene.points[part][0] - wall) - radius)
            continue
        level = scene.surfaces.get(support, 0.0) if support else 0.0
        errors[item] = abs(scene.bottom(part) - level - air)
    for kind, g in scene.props:
        if kind == "backext":
            # The bench's hip pad stays where the start put it: the thighs must still lie
            # against it (a pose that moves them away floats off the pad).
            px, py, radius = g["pad"]
            away = _to_segment((px, py), scene.points["hip_near"], scene.points["knee_near"])
            errors["thigh_near@pad"] = abs(away - radius - RADIUS["thigh"])
    return errors


def _to_segment(point, a, b) -> float:
    """Distance from a point to the segment a-b (in the picture)."""
    (x, y), (ax, ay), (bx, by) = point, a, b
    length = (bx - ax) ** 2 + (by - ay) ** 2
    t = max(0.0, min(1.0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length))
    return math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay))


def _pose(values: dict) -> Pose:
    values = dict(values)
    base_name = values.pop("base", "standing")
    if base_name not in BASES:
        raise FigureError(f"unknown base posture {base_name}")
    base = dict(BASES[base_name])
    # A pose's own flat_* replaces the base's.
    for key in ("flat_feet", "flat_hands", "plumb_arms", "plumb_thighs"):
        if key in values:
            base.pop(key, None)
    merged = {**base, **values}
    flat_feet = _sides(merged.pop("flat_feet", False))
    flat_hands = _sides(merged.pop("flat_hands", False))
    plumb_arms = _sides(merged.pop("plumb_arms", False))
    plumb_thighs = _sides(merged.pop("plumb_thighs", False))
    merged.pop("fit", None)
    merged.pop("fitted", None)
    merged.pop("fit_range", None)
    merged.pop("rest", None)
    merged.pop("air", None)
    merged.pop("travel", None)
    merged.pop("roll", None)
    merged.pop("lean", None)
    tilt = float(merged.get("tilt", 0.0))
    pose = pose_from({k: v for k, v in merged.items() if k != "tilt"} | {"tilt": tilt})
    angles = dict(pose.angles)
    # Plumb: the upper arm or thigh hangs straight down (hands under the shoulders, knees
    # under the hips), whatever the trunk's tilt.
    for side in plumb_arms:
        angles[f"shoulder_{side}"] = angles.get("spine", 0.0) + tilt
    for side in plumb_thighs:
        angles[f"hip_{side}"] = tilt
    for side in flat_feet:
        angles[f"ankle_{side}"] = _flat_ankle(angles, tilt, side)
    for side in flat_hands:
        angles[f"wrist_{side}"] = _flat_wrist(angles, tilt, side)
    pose = Pose(angles=angles, tilt=tilt)
    problems = pose.problems()
    if problems:
        raise PoseError("; ".join(problems))
    return pose


def _steps(low: float, high: float, step: float) -> list[float]:
    return [round(low + i * step, 2) for i in range(round((high - low) / step) + 1)]


def _worst_gap(
    values: dict, rest: tuple[str, ...], view: str, props: tuple[Prop, ...], fixed=None
) -> float:
    air = float(values.get("air", 0.0))
    try:
        travel = float(values.get("travel", 0.0))
        roll = float(values.get("roll", 0.0))
        lean = float(values.get("lean", 0.0))
        pose = _pose(values)
        scene = place(pose, view, rest, props, fixed, air=air, travel=travel, roll=roll, lean=lean)
    except (PoseError, SceneError):
        return math.inf
    worst = max(contact_errors(scene, rest, air).values())
    # Sinking through the floor is never a fit.
    return worst + (1000.0 if scene.lowest() < -CONTACT_TOLERANCE else 0.0)


def _fit(
    values: dict, rest: tuple[str, ...], view: str, props: tuple[Prop, ...], fixed=None
) -> dict:
    """Turn the named angles until every resting part touches: the smallest worst gap.

    ``fit`` lists groups of angles; a group ``"tilt+hip"`` keeps its angles equal (turning
    the trunk with the hips keeps the thighs where they are). Coarse-to-fine scans, a few
    rounds over the groups.
    """
    groups = values["fit"] if isinstance(values["fit"], list) else [values["fit"]]
    spans = []
    for index, group in enumerate(groups):
        names = group.split("+")
        joint = names[0].rsplit("_", 1)[0] if names[0].endswith(SIDES) else names[0]
        if joint not in RANGES and joint != "tilt":
            raise FigureError(f"fit: unknown angle {names[0]}")
        span = RANGES.get(joint, (-180.0, 180.0))
        if index == 0 and "fit_range" in values:
            span = tuple(values["fit_range"])
        spans.append((names, span))
    current = dict(values)
    if len(spans) == 2:
        # Two angles depend on each other (the trunk's tilt and the neck): a coarse grid first.
        (names_a, (lo_a, hi_a)), (names_b, (lo_b, hi_b)) = spans
        grid = (
            (
                _worst_gap(
                    current | dict.fromkeys(names_a, a) | dict.fromkeys(names_b, b),
                    rest,
                    view,
                    props,
                ),
                a,
                b,
            )
            for a in _steps(lo_a, hi_a, 2.5)
            for b in _steps(lo_b, hi_b, 2.5)
        )
        gap, a, b = min(grid)
        current |= dict.fromkeys(names_a, a) | dict.fromkeys(names_b, b)
    for round_ in range(3 if len(spans) > 1 else 1):
        for names, (low, high) in spans:
            best = (math.inf, None)
            if len(spans) > 1 and (round_ > 0 or len(spans) == 2):
                here = float(current.get(names[0], (low + high) / 2))
                lo, hi = max(low, here - 3), min(high, here + 3)
            else:
                lo, hi = low, high
            for value in _steps(lo, hi, 2.0):
                gap = _worst_gap(current | dict.fromkeys(names, value), rest, view, props, fixed)
                if gap < best[0]:
                    best = (gap, value)
            if best[1] is None:
                raise FigureError(f"fit: no value of {'+'.join(names)} works")
            for value in _steps(max(low, best[1] - 2.0), min(high, best[1] + 2.0), 0.2):
                gap = _worst_gap(current | dict.fromkeys(names, value), rest, view, props, fixed)
                if gap < best[0]:
                    best = (gap, value)
            current |= dict.fromkeys(names, best[1])
    return current


def figure_from(data: dict) -> Figure:
    """A figure from its library data; FigureError says what is wrong."""
    view = data.get("view", "side")
    if view not in VIEWS:
        raise FigureError(f"unknown view {view}")
    props = []
    for raw in data.get("props", []):
        kind = raw.get("kind")
        if kind not in PROP_KINDS:
            raise FigureError(f"unknown prop {kind}")
        props.append(
            Prop(
                kind=kind,
                at=tuple(raw.get("at", ())),
                side=int(raw.get("side", -1)),
                anchor=tuple(raw.get("anchor", (0.0, 0.0))),
                height=raw.get("height"),
                below=float(raw.get("below", 0.0)),
                x=raw.get("x"),
                width=float(raw.get("width", 400.0)),
                span=tuple(raw["span"]) if "span" in raw else None,
            )
        )
    stages: dict[str, Stage] = {}
    for stage in STAGES:
        if stage not in data:
            continue
        values = dict(data[stage])
        rest = tuple(values.get("rest", FEET))
        fixed = None
        if stage != "start" and "start" in stages:
            first = stages["start"]
            fixed = place(
                first.pose,
                view,
                first.rest,
                tuple(props),
                air=first.air,
                roll=first.roll,
                lean=first.lean,
            )
        try:
            # ``fitted`` holds the angles the fit found (scripts/fit_figures.py writes them),
            # so drawing never searches; the contact tests keep them honest.
            if "fitted" in values:
                values |= values.pop("fitted")
            elif "fit" in values:
                values = _fit(values, rest, view, tuple(props), fixed)
            air = float(values.get("air", 0.0))
            if not 0.0 <= air <= 600.0:
                raise FigureError(f"{stage}: air {air:g} mm is not a hop (0 to 600)")
            travel = float(values.get("travel", 0.0))
            if stage == "start" and travel:
                raise FigureError("start: the start pose stands where it stands (no travel)")
            if abs(travel) > 3000.0:
                raise FigureError(f"{stage}: travel {travel:g} mm is not one step or hop")
            roll = float(values.get("roll", 0.0))
            if not -180.0 <= roll <= 180.0:
                raise FigureError(f"{stage}: roll {roll:g} is not -180..180 degrees")
            lean = float(values.get("lean", 0.0))
            if not -60.0 <= lean <= 60.0:
                raise FigureError(f"{stage}: lean {lean:g} is not -60..60 degrees")
            stages[stage] = Stage(
                pose=_pose(values), rest=rest, air=air, travel=travel, roll=roll, lean=lean
            )
        except (PoseError, SceneError) as exc:
            raise FigureError(f"{stage}: {exc}") from exc
    if "start" not in stages:
        raise FigureError("a figure needs a start pose")
    if "middle" in stages and "end" not in stages:
        raise FigureError("a middle pose needs an end pose")
    figure = Figure(
        view=view,
        stages_data=stages,
        props=tuple(props),
        working=frozenset(data.get("working", ())),
        arrow=data.get("arrow"),
    )
    try:
        for stage in figure.stages:
            figure.scene(stage)
    except SceneError as exc:
        raise FigureError(str(exc)) from exc
    return figure


def fit_stages(data: dict) -> dict[str, dict[str, float]]:
    """For each pose with ``fit``: the fitted angles, rounded to a tenth of a degree."""
    bare = {k: v for k, v in data.items() if k not in STAGES}
    found: dict[str, dict[str, float]] = {}
    for stage in STAGES:
        if stage not in data:
            continue
        values = {k: v for k, v in data[stage].items() if k != "fitted"}
        bare[stage] = values
        if "fit" not in values:
            continue
        groups = values["fit"] if isinstance(values["fit"], list) else [values["fit"]]
        names = [name for group in groups for name in group.split("+")]
        partial = figure_from({k: v for k, v in bare.items() if k not in STAGES or k == "start"})
        fixed = partial.scene("start") if stage != "start" else None
        rest = tuple(values.get("rest", FEET))
        props = partial.props
        result = _fit(values, rest, bare.get("view", "side"), props, fixed)
        found[stage] = {name: round(float(result[name]), 1) for name in names}
        bare[stage] = values | {"fitted": found[stage]}
    return found
