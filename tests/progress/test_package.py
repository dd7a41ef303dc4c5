"""rehab.progress stays framework-free: plain Python and its own modules only."""

import ast
import sys
from pathlib import Path

import rehab.progress

PACKAGE = Path(rehab.progress.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_progress_imports_only_the_standard_library_and_itself():
    for path in sorted(PACKAGE.glob("*.py")):
        for name in imported_modules(path):
            top = name.split(".")[0]
            own = name == "rehab.progress" or name.startswith("rehab.progress.")
            assert own or (top in sys.stdlib_module_names and top != "rehab"), (path.name, name)


def test_the_package_docstring_lists_its_modules():
    doc = rehab.progress.__doc__ or ""
    for path in PACKAGE.glob("*.py"):
        if path.stem != "__init__":
            assert f"``{path.stem}``" in doc, path.stem
