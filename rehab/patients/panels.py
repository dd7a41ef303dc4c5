"""Sections other areas add to a patient's page (programme, progress, reports…).

Each area registers a loader with a template; the patient page renders them in order.
A loader takes the acting user and the patient and returns the template's context; it runs
a fixed number of queries (never one per row).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    load: Callable[..., dict]


_panels: list[Panel] = []


def register_panel(order: int, template: str, load: Callable[..., dict]) -> None:
    if not any(p.template == template for p in _panels):
        _panels.append(Panel(order, template, load))
        _panels.sort(key=lambda p: p.order)


def panels_for(actor, patient) -> list[tuple[str, dict]]:
    return [(panel.template, panel.load(actor, patient)) for panel in _panels]
