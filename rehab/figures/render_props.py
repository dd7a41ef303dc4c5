"""The props in the picture: furniture drawn behind the figure, what the hands hold in front
of it; from above (top views) the floor's mat, lines and cones, a wall's foot. Split from
rehab.figures.render, which draws the body and writes the SVG."""

from __future__ import annotations

from rehab.figures.render import OUTLINE, PROP_FILL, PROP_STROKE, Shape, _r
from rehab.figures.scene import Scene

CONE = "#ea7a1e"


IN_HAND = ("dumbbell", "kettlebell", "plate", "band", "barbell")


def prop_shapes(scene: Scene, mirror: bool, in_hand: bool) -> list[Shape]:
    """The furniture (drawn behind the figure) or what the hands hold (drawn in front)."""
    sx = -1.0 if mirror else 1.0
    shapes: list[Shape] = []
    plain = {"stroke": PROP_STROKE, "stroke-width": "10", "fill": PROP_FILL}
    for kind, g in scene.props:
        if ((kind in IN_HAND and "x" in g) or kind in ("band", "medball")) != in_hand:
            continue
        if kind in ("medball", "backext", "cone"):
            shapes += extra_prop_shapes(kind, g, sx, plain)
            continue
        if kind == "mat":
            xs = sorted((sx * g["x1"], sx * g["x2"]))
            shapes.append(
                ("rect", plain, {"x": xs[0], "y": 0, "width": xs[1] - xs[0], "height": 22})
            )
        elif kind in ("chair", "bench", "box", "step", "table", "pad", "cushion"):
            xs = sorted((sx * g["x1"], sx * g["x2"]))
            top = g["top"]
            thick = {"table": 50.0, "pad": top, "cushion": top}.get(
                kind, 40.0 if kind in ("chair", "bench") else top
            )
            shapes.append(
                ("rect", plain, {"x": xs[0], "y": -top, "width": xs[1] - xs[0], "height": thick})
            )
            if kind in ("chair", "bench", "table"):
                # Legs and back from the unmirrored ends, so the mirror image keeps their order.
                for x in (sx * (g["x1"] + 25), sx * (g["x2"] - 25)):
                    shapes.append(("line", plain, {"x1": x, "y1": -top + thick, "x2": x, "y2": 0}))
            if kind == "chair":
                back = sx * (g["x1"] + 10 if g["side"] < 0 else g["x2"] - 10)
                shapes.append(
                    ("line", plain, {"x1": back, "y1": -top, "x2": back, "y2": -top - 420})
                )
        elif kind == "bike":
            shapes += _bike_shapes(g, sx, plain)
        elif kind in ("ball", "roller"):
            shapes.append(
                ("circle", {**plain, "r": _r(g["r"])}, {"cx": sx * g["cx"], "cy": -g["r"]})
            )
        elif kind == "wall":
            x = sx * g["x"]
            shapes.append(
                (
                    "line",
                    {**plain, "stroke-width": "16"},
                    {"x1": x, "y1": 0, "x2": x, "y2": -g["top"]},
                )
            )
        elif kind in ("dumbbell", "kettlebell", "plate"):
            x, y = sx * g["x"], -g["y"]
            if kind == "kettlebell":
                shapes.append(
                    ("circle", {**plain, "r": "75", "fill": PROP_STROKE}, {"cx": x, "cy": y + 95})
                )
            elif kind == "plate":
                shapes.append(
                    (
                        "rect",
                        {**plain, "fill": PROP_STROKE, "width": "220", "height": "36"},
                        {"x": x - 110, "y": y - 36},
                    )
                )
            else:
                shapes.append(
                    (
                        "rect",
                        {**plain, "fill": PROP_STROKE, "width": "70", "height": "70"},
                        {"x": x - 35, "y": y - 35},
                    )
                )
        elif kind in ("dowel", "barbell"):
            if "x1" in g:
                geo = {"x1": sx * g["x1"], "y1": -g["y1"], "x2": sx * g["x2"], "y2": -g["y2"]}
                shapes.append(
                    (
                        "line",
                        {"stroke": "#8a5a2b", "stroke-width": "22", "stroke-linecap": "round"},
                        geo,
                    )
                )
            else:
                x, y = sx * g["x"], -g["y"]
                r = "225" if kind == "barbell" else "18"
                fill = PROP_STROKE if kind == "barbell" else "#8a5a2b"
                shapes.append(("circle", {**plain, "r": r, "fill": fill}, {"cx": x, "cy": y}))
        elif kind in ("band", "strap"):
            colour = "#16a34a" if kind == "band" else "#8a5a2b"
            geo = {"x1": sx * g["x1"], "y1": -g["y1"], "x2": sx * g["x2"], "y2": -g["y2"]}
            shapes.append(("line", {"stroke": colour, "stroke-width": "14"}, geo))
        elif kind == "floor_line":
            x = sx * g["x"]
            shapes.append(
                (
                    "line",
                    {**plain, "stroke-dasharray": "30 20"},
                    {"x1": x, "y1": 0, "x2": x, "y2": 60},
                )
            )
    return shapes


def _bike_shapes(g: dict, sx: float, plain: dict) -> list[Shape]:
    """A stationary bike in outline: a foot on the floor, the frame from crank to saddle and
    to the handlebar, the saddle and the crank's circle."""
    frame = {**plain, "stroke-width": "22"}
    cx, cy, hx, hy = sx * g["cx"], -g["cy"], sx * g["hx"], -g["hy"]
    saddle_x, top = sx * g["sx"], -g["top"]
    return [
        ("line", frame, {"x1": cx - sx * 350, "y1": 0, "x2": cx + sx * 350, "y2": 0}),
        ("line", frame, {"x1": cx, "y1": 0, "x2": cx, "y2": cy}),
        ("line", frame, {"x1": cx, "y1": cy, "x2": saddle_x, "y2": top + 40}),
        ("line", frame, {"x1": cx, "y1": cy, "x2": hx, "y2": hy + 60}),
        (
            "line",
            {**frame, "stroke-width": "36"},
            {"x1": saddle_x - sx * 120, "y1": top + 18, "x2": saddle_x + sx * 100, "y2": top + 18},
        ),
        ("circle", {**plain, "fill": "none", "r": _r(g["r"])}, {"cx": cx, "cy": cy}),
    ]


def top_prop_shapes(scene: Scene, mirror: bool, in_hand: bool) -> list[Shape]:
    """From above: the mat, lines and cones on the floor and a wall's foot (under the
    figure); a band and a medicine ball (over it)."""
    sx = -1.0 if mirror else 1.0
    plain = {"stroke": PROP_STROKE, "stroke-width": "10", "fill": PROP_FILL}
    shapes: list[Shape] = []
    for kind, g in scene.props:
        if (kind in ("band", "medball")) != in_hand:
            continue
        if kind == "mat":
            xs = sorted((sx * g["x1"], sx * g["x2"]))
            geometry = {"x": xs[0], "y": -g["y2"], "width": xs[1] - xs[0]}
            shapes.append(("rect", plain | {"height": _r(g["y2"] - g["y1"])}, geometry))
        elif kind in ("floor_line", "wall"):
            width = "16" if kind == "wall" else "20"
            colour = PROP_STROKE if kind == "wall" else "#3b82f6"
            x = sx * g["x"]
            geometry = {"x1": x, "y1": -g["y1"], "x2": x, "y2": -g["y2"]}
            shapes.append(("line", {"stroke": colour, "stroke-width": width}, geometry))
        else:
            shapes += extra_prop_shapes(kind, g, sx, plain)
    return shapes


def extra_prop_shapes(kind: str, g: dict, sx: float, plain: dict) -> list[Shape]:
    """The medicine ball, the back-extension bench and a cone, in any view."""
    if kind == "medball":
        fixed = {**plain, "r": _r(g["r"]), "fill": "#8b5e34", "stroke": OUTLINE}
        return [("circle", fixed, {"cx": sx * g["cx"], "cy": -g["cy"]})]
    if kind == "band":
        geometry = {"x1": sx * g["x1"], "y1": -g["y1"], "x2": sx * g["x2"], "y2": -g["y2"]}
        return [("line", {"stroke": "#16a34a", "stroke-width": "14"}, geometry)]
    if kind == "cone":
        x, y = sx * g["cx"], -g["cy"]
        if g["top"]:  # from above: its round base and its tip
            return [
                (
                    "circle",
                    {"r": "70", "fill": CONE, "stroke": OUTLINE, "stroke-width": "8"},
                    {"cx": x, "cy": y},
                ),
                ("circle", {"r": "18", "fill": OUTLINE}, {"cx": x, "cy": y}),
            ]
        points = (x - sx * 80, 0.0, x, -230.0, x + sx * 80, 0.0)
        fixed = {"fill": CONE, "stroke": OUTLINE, "stroke-width": "8"}
        return [("polygon", fixed, {"points": points})]
    if kind == "backext":
        return _backext_shapes(g, sx, plain)
    return []


def _backext_shapes(g: dict, sx: float, plain: dict) -> list[Shape]:
    """The bench from the side: a base on the floor, a post under the foot plate, the frame
    from the plate to the hip pad, the pad and the ankle roller."""
    frame = {**plain, "stroke-width": "26"}
    top = g["top"]
    x1, x2 = sx * g["x1"], sx * g["x2"]
    px, py, pr = g["pad"]
    rx, ry, rr = g["roller"]
    pad, roller = (sx * px, -py), (sx * rx, -ry)
    foot = (x1 + x2) / 2
    return [
        ("line", frame, {"x1": foot - sx * 250, "y1": 0, "x2": pad[0] + sx * 150, "y2": 0}),
        ("line", frame, {"x1": foot, "y1": 0, "x2": foot, "y2": -top}),
        ("line", frame, {"x1": foot, "y1": -top, "x2": pad[0], "y2": pad[1]}),
        ("line", frame, {"x1": pad[0], "y1": pad[1], "x2": pad[0], "y2": 0}),
        ("line", frame, {"x1": foot, "y1": -top, "x2": roller[0], "y2": roller[1]}),
        ("rect", plain | {"height": "40"}, {"x": min(x1, x2), "y": -top, "width": abs(x2 - x1)}),
        ("circle", {**plain, "r": _r(pr)}, {"cx": pad[0], "cy": pad[1]}),
        ("circle", {**plain, "r": _r(rr)}, {"cx": roller[0], "cy": roller[1]}),
    ]
