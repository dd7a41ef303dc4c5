"""The suite itself: no test module reads the clock when it is collected.

A date worked out at collection (a module constant, a parametrize list, a default argument)
is a day old when the test runs after midnight: CI collected "tomorrow" at 23:55 and posted
it at 00:05, when it was today, and the refusal the test expected did not come. Dates in
such places are written as ``DaysFromToday(n)`` and made into dates when the test runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent
CLOCK_READS = {"today", "clinic_today", "local_today", "now", "utcnow"}


def reads_at_collection(source: str) -> list[tuple[int, str]]:
    """Calls to a clock that run when the module is imported or its tests collected."""
    tree = ast.parse(source)
    run_later: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            bodies = node.body
        elif isinstance(node, ast.Lambda):
            bodies = [node.body]
        else:
            continue
        for statement in bodies:
            run_later.update(id(inner) for inner in ast.walk(statement))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and id(node) not in run_later:
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name in CLOCK_READS:
                found.append((node.lineno, ast.unparse(node)))
    return found


def test_the_check_finds_a_date_in_a_parametrize_list_and_a_constant_but_not_in_a_test():
    source = (
        "import datetime as dt\n"
        "import pytest\n"
        "TOMORROW = dt.date.today() + dt.timedelta(days=1)\n"
        "@pytest.mark.parametrize('day', [clinic_today()])\n"
        "def test_day(day, when=dt.datetime.now()):\n"
        "    assert day <= clinic_today()\n"
        "late = lambda: dt.date.today()\n"
    )
    assert sorted(line for line, _ in reads_at_collection(source)) == [3, 4, 5]


def test_no_test_module_reads_the_clock_when_collected():
    found = {
        f"{path.relative_to(TESTS)}:{line}": call
        for path in sorted(TESTS.rglob("*.py"))
        for line, call in reads_at_collection(path.read_text(encoding="utf-8"))
    }
    assert found == {}, "write these as DaysFromToday(n) or work them out in the test"
