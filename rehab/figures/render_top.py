"""The body drawn by depth (views "top", "top-front", "plan" from above; "end" and "facing"
level); their props are in rehab.figures.render_props.

From above the floor is the picture itself, so there is no floor line. The body's parts are
drawn farthest first: a lying trunk over the arms beside it, knees that are up over the
trunk, the head of a standing figure over its shoulders, a forearm in front of the chest
over the trunk. The order is the same in every pose of a figure (its parts' mean nearness
over all the poses), so the moving loop keeps its shapes. The far limbs stay grey, so left
and right read as in the other views.
"""

from __future__ import annotations

import math

from rehab.figures.figure import Figure
from rehab.figures.render import (
    EDGE,
    FAR_FILL,
    NEAR_FILL,
    OUTLINE,
    WORK_FAR_FILL,
    WORK_FILL,
    Shape,
    _r,
)
from rehab.figures.scene import nearness
from rehab.figures.skeleton import RADIUS

LEG = RADIUS["thigh"] + RADIUS["shank"]
ARM = RADIUS["upper_arm"] + RADIUS["forearm"]
# (group, points whose mean height orders it, chains drawn: (points, width, segments))
GROUPS: dict[str, tuple[tuple[str, ...], tuple[tuple[tuple[str, ...], float, tuple], ...]]] = {}
for _side in ("far", "near"):
    GROUPS[f"leg_{_side}"] = (
        tuple(f"{p}_{_side}" for p in ("hip", "knee", "ankle", "heel", "toe")),
        (
            (tuple(f"{p}_{_side}" for p in ("hip", "knee", "ankle")), LEG, ("thigh", "shank")),
            ((f"heel_{_side}", f"toe_{_side}"), 2 * RADIUS["foot"], ("foot",)),
        ),
    )
    GROUPS[f"arm_{_side}"] = (
        tuple(f"{p}_{_side}" for p in ("shoulder", "elbow", "wrist", "hand")),
        (
            (
                tuple(f"{p}_{_side}" for p in ("shoulder", "elbow", "wrist", "hand")),
                ARM,
                ("upper_arm", "forearm", "hand"),
            ),
        ),
    )
TRUNK = ("shoulder_near", "shoulder_far", "hip_far", "hip_near")


def _order(figure: Figure) -> list[str]:
    """The groups lowest first, by their mean height over every pose of the figure."""
    scenes = [figure.scene(stage) for stage in figure.stages]

    def mean(points: tuple[str, ...]) -> float:
        return sum(nearness(s, p) for s in scenes for p in points) / (len(points) * len(scenes))

    heights = {name: mean(points) for name, (points, _chains) in GROUPS.items()}
    heights["trunk"] = mean(TRUNK)
    heights["head"] = mean(("head",))
    # Ties keep a fixed order (far before near), so the drawing is deterministic.
    fixed = ["leg_far", "arm_far", "trunk", "leg_near", "arm_near", "head"]
    return sorted(fixed, key=lambda name: (round(heights[name]), fixed.index(name)))


def _trunk_depth(figure: Figure) -> float:
    """The trunk's outline round the shoulders and hips: thin when the camera sees its
    length (its breadth shows), its full depth when seen end on (standing, from above)."""
    upright = []
    for stage in figure.stages:
        scene = figure.scene(stage)
        (x0, y0, z0), (x1, y1, z1) = scene.space["pelvis"], scene.space["c7"]
        towards = nearness(scene, "c7") - nearness(scene, "pelvis")
        upright.append(abs(towards) / math.dist((x0, y0, z0), (x1, y1, z1)))
    return 90.0 + 2 * (RADIUS["trunk"] - 45.0) * sum(upright) / len(upright)


def top_body_shapes(figure: Figure, stage: str, mirror: bool) -> list[Shape]:
    scene = figure.scene(stage)
    pts = scene.points
    sx = -1.0 if mirror else 1.0
    working = figure.working

    def line(names: tuple[str, ...], width: float, colour: str) -> Shape:
        points = tuple(v for n in names for v in (sx * pts[n][0], -pts[n][1]))
        return ("polyline", {"stroke": colour, "stroke-width": _r(width)}, {"points": points})

    shapes: list[Shape] = []
    for group in _order(figure):
        if group == "head":  # with the neck, outlined together as from the side
            head = {"cx": sx * pts["head"][0], "cy": -pts["head"][1]}
            shapes.append(line(("c7", "head"), 2 * RADIUS["neck"] + 2 * EDGE, OUTLINE))
            shapes.append(("circle", {"r": _r(RADIUS["head"] + EDGE), "fill": OUTLINE}, head))
            shapes.append(("circle", {"r": _r(RADIUS["head"]), "fill": NEAR_FILL}, dict(head)))
            shapes.append(line(("c7", "head"), 2 * RADIUS["neck"], NEAR_FILL))
        elif group == "trunk":
            outline = tuple(v for c in TRUNK for v in (sx * pts[c][0], -pts[c][1]))
            tint = WORK_FILL if "trunk" in working else NEAR_FILL
            thick = _trunk_depth(figure)
            if thick > 0.7 * 2 * RADIUS["trunk"]:
                # Seen end on (standing, from above): the pelvis under the shoulders, two
                # bars that may turn apart (a trunk rotation).
                bars = (("hip_near", "hip_far"), ("shoulder_near", "shoulder_far"))
                for bar in bars:
                    shapes.append(line(bar, thick + 2 * EDGE, OUTLINE))
                    shapes.append(line(bar, thick, tint))
                continue
            for colour, extra in ((OUTLINE, 2 * EDGE), (tint, 0.0)):
                fixed = {"fill": colour, "stroke": colour, "stroke-width": _r(thick + extra)}
                shapes.append(("polygon", fixed, {"points": outline}))
        else:
            side = group.rsplit("_", 1)[1]
            fill, tint = (FAR_FILL, WORK_FAR_FILL) if side == "far" else (NEAR_FILL, WORK_FILL)
            chains = GROUPS[group][1]
            shapes += [line(names, width + 2 * EDGE, OUTLINE) for names, width, _s in chains]
            shapes += [line(names, width, fill) for names, width, _s in chains]
            for names, width, segments in chains:
                for segment, a, b in zip(segments, names, names[1:], strict=False):
                    if segment in working or f"{segment}_{side}" in working:
                        shapes.append(line((a, b), width, tint))
    return shapes
