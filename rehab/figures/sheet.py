"""The contact sheet: every built-in figure, start and end, with its name, to look at.

``scripts/figure_sheet.py`` prints it to PDF; docs/figures.md records who looked.
"""

from __future__ import annotations

import base64
import tomllib
from html import escape

from rehab.figures.library import LIBRARY_DIR, builtin_figure
from rehab.figures.render import render_still

STYLE = """
@page { size: A4; margin: 10mm; @bottom-right { content: counter(page); font: 8pt sans-serif; } }
body { font: 9pt sans-serif; margin: 0; }
.row { display: flex; gap: 4mm; align-items: center; border-bottom: 0.3mm solid #ccc;
       padding: 2mm 0; page-break-inside: avoid; }
.name { width: 45mm; } .name small { color: #555; display: block; }
.pose { flex: 1; text-align: center; } .pose img { height: 38mm; max-width: 100%; }
.pose span { display: block; color: #555; font-size: 7pt; }
"""


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def library_entries() -> list[dict]:
    entries: list[dict] = []
    for path in sorted(LIBRARY_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            entries += tomllib.load(handle)["exercise"]
    return entries


def sheet_html(with_mirror: bool = True) -> str:
    """One row per exercise with a figure: names, start (with arrow), middle, end, and the
    other side (mirrored) for one-sided exercises."""
    rows = []
    for entry in library_entries():
        figure = builtin_figure(entry["slug"])
        if figure is None:
            continue
        cells = [
            f'<div class="name"><b>{escape(entry["en"]["name"])}</b>'
            f"<small>{escape(entry['nl']['name'])}</small><small>{entry['slug']}</small></div>"
        ]
        for stage in figure.stages:
            svg = render_still(figure, stage, title=entry["en"]["name"])
            cells.append(f'<div class="pose"><img src="{data_uri(svg)}"><span>{stage}</span></div>')
        if with_mirror and entry.get("unilateral"):
            svg = render_still(figure, "start", mirror=True)
            cells.append(
                f'<div class="pose"><img src="{data_uri(svg)}"><span>other side</span></div>'
            )
        rows.append(f'<div class="row">{"".join(cells)}</div>')
    head = f"<!doctype html><html><head><style>{STYLE}</style></head>"
    return f"{head}<body>{''.join(rows)}</body></html>"
