"""One SVG renderer for the page and the PDF: still pictures and a self-animating loop.

The style is that of the classic exercise sheet: a white body with a dark outline, the far
limbs grey so they read as behind, the working part tinted, an arrow for the movement. The
SVG carries its own styles, no script and no external reference, so the page shows it as an
<img> under a strict content security policy and WeasyPrint prints the same bytes. Output
is deterministic (rounded coordinates, fixed order), a few kilobytes.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import quoteattr

from rehab.figures.figure import Figure
from rehab.figures.scene import DEPTH_VIEWS, TOP_VIEWS, Scene
from rehab.figures.skeleton import RADIUS, SEGMENTS, fine_joints

OUTLINE = "#2b3640"
NEAR_FILL = "#ffffff"
FAR_FILL = "#c9d1d9"
WORK_FILL = "#f4b183"
WORK_FAR_FILL = "#f9dcc4"
PROP_STROKE = "#6b7785"
PROP_FILL = "#e6eaee"
ARROW = "#c2410c"
EDGE = 9.0  # outline width (mm)
MARGIN = 60.0

Shape = tuple[str, dict, dict]  # (tag, fixed attributes, geometry that may move)


def _r(value: float) -> str:
    return str(round(value))


# Each limb is one stroked chain (hip-knee-ankle, heel-toe, shoulder-elbow-wrist-hand): few
# elements keep the SVG small and quick to print. Widths: Winter's limbs, tapered to one.
CHAINS = (
    ("leg", ("hip", "knee", "ankle"), 2 * (RADIUS["thigh"] + RADIUS["shank"]) / 2),
    ("foot", ("heel", "toe"), 2 * RADIUS["foot"]),
    (
        "arm",
        ("shoulder", "elbow", "wrist", "hand"),
        2 * (RADIUS["upper_arm"] + RADIUS["forearm"]) / 2,
    ),
)
# A figure that lifts the arch draws the foot through its top (rehab.figures.skeleton).
ARCH_CHAINS = tuple(
    (name, ("heel", "midfoot", "toe") if name == "foot" else joints, width)
    for name, joints, width in CHAINS
)
CHAIN_OF = {
    "thigh": "leg",
    "shank": "leg",
    "foot": "foot",
    "upper_arm": "arm",
    "forearm": "arm",
    "hand": "arm",
}


def _body_shapes(
    scene: Scene,
    working: frozenset[str],
    mirror: bool,
    front: bool = False,
    fine: frozenset[str] = frozenset(),
) -> list[Shape]:
    """Far limbs, then trunk and head, then near limbs; each group outlined, then filled,
    then the working segments tinted. ``fine``: the finer joints the figure moves (the
    thoracic spine, the upper neck, the arch), whose extra points only it draws."""
    pts = scene.points
    sx = -1.0 if mirror else 1.0

    def chain(names: tuple[str, ...], width: float, colour: str, **extra) -> Shape:
        points = tuple(v for n in names for v in (sx * pts[n][0], -pts[n][1]))
        fixed = {"stroke": colour, "stroke-width": _r(width)}
        return ("polyline", fixed | extra, {"points": points})

    def worked(segment: str, side: str) -> bool:
        return segment in working or f"{segment}_{side}" in working

    shapes: list[Shape] = []
    for side in ("far", None, "near"):
        if side is None:
            shapes += _trunk_shapes(pts, sx, working, front, chain, fine)
            continue
        fill = FAR_FILL if side == "far" else NEAR_FILL
        tint = WORK_FAR_FILL if side == "far" else WORK_FILL
        chains = ARCH_CHAINS if "arch" in fine else CHAINS
        limbs = [(tuple(f"{j}_{side}" for j in joints), width) for _n, joints, width in chains]
        shapes += [chain(names, width + 2 * EDGE, OUTLINE) for names, width in limbs]
        shapes += [chain(names, width, fill) for names, width in limbs]
        widths = {name: width for name, _joints, width in CHAINS}
        for segment, a, b in SEGMENTS:
            if segment in CHAIN_OF and a.endswith(f"_{side}") and worked(segment, side):
                through = (f"midfoot_{side}",) if segment == "foot" and "arch" in fine else ()
                shapes.append(chain((a, *through, b), widths[CHAIN_OF[segment]], tint))
    return shapes


def _trunk_shapes(pts, sx: float, working, front: bool, chain, fine=frozenset()) -> list[Shape]:
    """The trunk (side: the pelvis-T12-C7 chain, through T6 when the thoracic spine bends;
    front: a trapezoid), the neck and head (with the nose when the upper neck moves)."""
    shapes: list[Shape] = []
    trunk = ("pelvis", "t12", "t6", "c7") if "thoracic" in fine else ("pelvis", "t12", "c7")
    tint = WORK_FILL if "trunk" in working else NEAR_FILL
    if front:
        corners = ("shoulder_near", "shoulder_far", "hip_far", "hip_near")
        outline = tuple(v for c in corners for v in (sx * pts[c][0], -pts[c][1]))
        for colour, extra in ((OUTLINE, 2 * EDGE), (tint, 0.0)):
            fixed = {"fill": colour, "stroke": colour, "stroke-width": _r(90 + extra)}
            shapes.append(("polygon", fixed, {"points": outline}))
    else:
        shapes.append(chain(trunk, 2 * RADIUS["trunk"] + 2 * EDGE, OUTLINE))
    # The neck bends at C1 too when the upper neck moves (a chin tuck's glide).
    neck = ("c7", "c1", "head") if "neck_upper" in fine else ("c7", "head")
    shapes.append(chain(neck, 2 * RADIUS["neck"] + 2 * EDGE, OUTLINE))
    hx, hy = pts["head"]
    head = {"cx": sx * hx, "cy": -hy}
    shapes.append(("circle", {"r": _r(RADIUS["head"] + EDGE), "fill": OUTLINE}, head))
    if "neck_upper" in fine:
        shapes.append(_nose(pts, sx))
    shapes.append(("circle", {"r": _r(RADIUS["head"]), "fill": NEAR_FILL}, dict(head)))
    if not front:
        shapes.append(chain(trunk, 2 * RADIUS["trunk"], tint))
    shapes.append(chain(neck, 2 * RADIUS["neck"], NEAR_FILL))
    return shapes


def _nose(pts, sx: float) -> Shape:
    """The nose in profile, so that the head's own turn shows (a chin tuck glides the head
    back level; a nod turns it): at the front of the head, a little below its middle."""
    (hx, hy), (cx, cy) = pts["head"], pts["c1"]
    length = math.hypot(hx - cx, hy - cy) or 1.0
    ux, uy = (hx - cx) / length, (hy - cy) / length  # up the skull
    down = math.radians(15.0)
    fx, fy = uy * math.cos(down) - ux * math.sin(down), -ux * math.cos(down) - uy * math.sin(down)
    r = RADIUS["head"]
    corners = []
    for turn, reach in ((-0.35, 0.8 * r), (0.0, r + 30.0), (0.35, 0.8 * r)):
        c, s = math.cos(turn), math.sin(turn)
        dx, dy = fx * c - fy * s, fx * s + fy * c
        corners += [sx * (hx + reach * dx), -(hy + reach * dy)]
    fixed = {"fill": NEAR_FILL, "stroke": OUTLINE, "stroke-width": _r(EDGE)}
    return ("polygon", fixed, {"points": tuple(corners)})


def _arrow(start: Scene, end: Scene, point: str, mirror: bool) -> list[Shape]:
    """A curved arrow from where the moving part starts to where it ends, set off from it."""
    sx = -1.0 if mirror else 1.0
    (x1, y1), (x2, y2) = start.points[point], end.points[point]
    x1, x2, y1, y2 = sx * x1, sx * x2, -y1, -y2
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy)
    if length < 40:
        return []
    # Bow the arrow away from the body's centre so it does not run through the figure.
    px, py = start.points["t12"]
    nx, ny = -dy / length, dx / length
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    if (mx - sx * px) * nx + (my + py) * ny < 0:
        nx, ny = -nx, -ny
    if start.view == "end" and ny > 0 and my + ny * (110 + 0.3 * length) > 0:
        nx, ny = -nx, -ny  # not under the floor: over the figure instead
    off = 110.0
    ax, ay = x1 + nx * off, y1 + ny * off
    bx, by = x2 + nx * off, y2 + ny * off
    cx, cy = mx + nx * (off + 0.3 * length), my + ny * (off + 0.3 * length)
    # The head points along the curve's tangent at its end.
    tx, ty = bx - cx, by - cy
    t = math.hypot(tx, ty) or 1.0
    tx, ty = tx / t, ty / t
    head = 70.0
    left = (bx - tx * head - ty * head * 0.55, by - ty * head + tx * head * 0.55)
    right = (bx - tx * head + ty * head * 0.55, by - ty * head - tx * head * 0.55)
    stem_end = (bx - tx * head * 0.6, by - ty * head * 0.6)
    d = f"M{_r(ax)} {_r(ay)}Q{_r(cx)} {_r(cy)} {_r(stem_end[0])} {_r(stem_end[1])}"
    tip = f"M{_r(bx)} {_r(by)}L{_r(left[0])} {_r(left[1])}L{_r(right[0])} {_r(right[1])}Z"
    return [
        ("path", {"fill": "none", "stroke": ARROW, "stroke-width": "18", "d": d}, {}),
        ("path", {"fill": ARROW, "d": tip}, {}),
    ]


def _bounds(shape_lists: list[list[Shape]]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for shapes in shape_lists:
        for tag, fixed, g in shapes:
            pad = float(fixed.get("stroke-width", 0)) / 2 + float(fixed.get("r", 0))
            if tag == "line":
                xs += [g["x1"] - pad, g["x2"] + pad, g["x1"] + pad, g["x2"] - pad]
                ys += [g["y1"] - pad, g["y2"] + pad, g["y1"] + pad, g["y2"] - pad]
            elif tag == "circle":
                xs += [g["cx"] - pad, g["cx"] + pad]
                ys += [g["cy"] - pad, g["cy"] + pad]
            elif tag in ("polygon", "polyline"):
                xs += [v - pad for v in g["points"][::2]] + [v + pad for v in g["points"][::2]]
                ys += [v - pad for v in g["points"][1::2]] + [v + pad for v in g["points"][1::2]]
            elif tag == "rect":
                w, h = (
                    float(g.get("width", fixed.get("width", 0))),
                    float(g.get("height", fixed.get("height", 0))),
                )
                xs += [g["x"], g["x"] + w]
                ys += [g["y"], g["y"] + h]
    return min(xs) - MARGIN, min(ys) - MARGIN, max(xs) + MARGIN, max(ys) + MARGIN


def _attrs(values: dict) -> str:
    out = []
    for key, value in values.items():
        if isinstance(value, tuple):
            text = " ".join(
                f"{_r(x)},{_r(y)}" for x, y in zip(value[::2], value[1::2], strict=True)
            )
        else:
            text = _r(value) if isinstance(value, float | int) else str(value)
        out.append(f"{key}={quoteattr(text)}")
    return " ".join(out)


def _element(shape: Shape, moving: dict[str, list[float]] | None, timing: str) -> str:
    tag, fixed, geometry = shape
    attrs = _attrs({**fixed, **geometry})
    if not moving:
        return f"<{tag} {attrs}/>"

    def text(value) -> str:
        if isinstance(value, tuple):
            return " ".join(
                f"{_r(x)},{_r(y)}" for x, y in zip(value[::2], value[1::2], strict=True)
            )
        return _r(value)

    animations = "".join(
        f'<animate attributeName="{name}" values="{";".join(text(v) for v in values)}" {timing}/>'
        for name, values in moving.items()
    )
    return f"<{tag} {attrs}>{animations}</{tag}>"


def _document(
    body: list[str], box: tuple[float, float, float, float], title: str, floor: bool = True
) -> str:
    # Rounded ends, not a rounded width: the mirror image then has exactly the mirrored box.
    x0, y0, x1, y1 = (round(v) for v in box)
    # From above the floor is the picture itself: no floor line.
    line = f'<line x1="{x0}" y1="0" x2="{x1}" y2="0" stroke="{PROP_STROKE}" stroke-width="10"/>'
    floor_line = line if floor else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0} {y0} {x1 - x0} {y1 - y0}" '
        f'role="img"><title>{title}</title>'
        # Round caps and joins for every stroke, set once (fewer attributes print faster).
        f'<g stroke-linecap="round" stroke-linejoin="round" fill="none">'
        f"{floor_line}{''.join(body)}</g></svg>"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shapes_for(figure: Figure, stage: str, mirror: bool) -> list[Shape]:
    scene = figure.scene(stage)
    from rehab.figures.render_props import prop_shapes, top_prop_shapes

    if figure.view in DEPTH_VIEWS:
        from rehab.figures.render_top import top_body_shapes

        props = top_prop_shapes if figure.view in TOP_VIEWS else prop_shapes
        return (
            props(scene, mirror, in_hand=False)
            + top_body_shapes(figure, stage, mirror)
            + props(scene, mirror, in_hand=True)
        )
    front = figure.view == "front"
    fine = fine_joints(figure.stages_data[s].pose for s in figure.stages)
    if figure.view != "side":
        fine -= {"neck_upper"}  # the nose shows in profile only
    return (
        prop_shapes(scene, mirror, in_hand=False)
        + _body_shapes(scene, figure.working, mirror, front, fine)
        + prop_shapes(scene, mirror, in_hand=True)
    )


def _closeup_box(figure: Figure, mirror: bool) -> tuple[float, float, float, float] | None:
    """A figure with a close-up shows only its window (rehab.figures.scene._closeup)."""
    sx = -1.0 if mirror else 1.0
    for kind, g in figure.scene("start").props:
        if kind == "closeup":
            xs = sorted((sx * g["x1"], sx * g["x2"]))
            return xs[0], -g["y2"], xs[1], -g["y1"]
    return None


def render_still(
    figure: Figure, stage: str = "start", *, mirror: bool = False, title: str = ""
) -> str:
    """One pose as SVG; the start picture carries the arrow to where the movement goes."""
    shapes = shapes_for(figure, stage, mirror)
    if stage == "start" and figure.arrow and figure.has_movement:
        shapes += _arrow(
            figure.scene("start"), figure.scene(figure.stages[1]), figure.arrow, mirror
        )
    box = _closeup_box(figure, mirror) or _bounds(
        [shapes_for(figure, s, mirror) for s in figure.stages]
    )
    floor = figure.view not in TOP_VIEWS
    return _document([_element(s, None, "") for s in shapes], box, _escape(title), floor)


def cycle(tempo: str | None, hold_seconds: int | None = None) -> tuple[float, float, float, float]:
    """Seconds to go, to stay, to come back and to rest before the next repetition.

    A tempo "3-1-2" is read as the three phases of one repetition (an "X", explosive, as
    half a second); without one, a calm 2-1-2, or a hold of up to 3 s for held exercises.
    """
    phases: list[float] = []
    for part in (tempo or "").upper().split("-")[:3]:
        if part == "X":
            phases.append(0.5)
        elif part.isdigit():
            phases.append(float(part))
    if len(phases) != 3 or sum(phases) == 0:
        phases = [2.0, float(min(hold_seconds or 1, 3)), 2.0]
    go, stay, back = (max(p, 0.0) for p in phases)
    return max(go, 0.4), stay, max(back, 0.4), 1.0


def render_animated(
    figure: Figure,
    *,
    timing: tuple[float, float, float, float] = (2.0, 1.0, 2.0, 1.0),
    mirror: bool = False,
    title: str = "",
) -> str:
    """The figure moving start -> (middle ->) end, staying, and back, looping, by SMIL
    inside the SVG (an <img> may animate itself; no script)."""
    stages = list(figure.stages)
    go, stay, back, rest = timing
    # Frames and the moment each is reached: there (through the middle), stay, back, rest.
    frames, moments = [stages[0]], [0.0]
    step = go / (len(stages) - 1) if len(stages) > 1 else go
    for stage in stages[1:]:
        frames.append(stage)
        moments.append(moments[-1] + step)
    frames.append(stages[-1])
    moments.append(moments[-1] + stay)
    back_step = back / (len(stages) - 1) if len(stages) > 1 else back
    for stage in stages[-2::-1]:
        frames.append(stage)
        moments.append(moments[-1] + back_step)
    frames.append(stages[0])
    moments.append(moments[-1] + rest)
    total = moments[-1]
    shape_lists = [shapes_for(figure, stage, mirror) for stage in frames]
    if len({len(shapes) for shapes in shape_lists}) != 1:
        raise ValueError("every pose of a figure must draw the same parts")
    key_times = ";".join(f"{m / total:.3g}" for m in moments)
    timing_attrs = f'keyTimes="{key_times}" dur="{total:g}s" repeatCount="indefinite"'
    body = []
    for index, shape in enumerate(shape_lists[0]):
        moving = {}
        for name in shape[2]:
            values = [shapes[index][2][name] for shapes in shape_lists]
            if isinstance(values[0], tuple):
                spread = max(max(c) - min(c) for c in zip(*values, strict=True))
            else:
                spread = max(values) - min(values)
            if spread >= 1:
                moving[name] = values
        body.append(_element(shape, moving, timing_attrs))
    box = _closeup_box(figure, mirror) or _bounds(shape_lists)
    return _document(body, box, _escape(title), figure.view not in TOP_VIEWS)
