"""Build steps pyproject.toml cannot state: where the top-level folders go, and catalogues.

The repository keeps `templates/` and `migrations/` at the top level (the project layout);
an installed package needs them inside it, so they are packaged as `rehab/templates` and
`rehab/migrations`. Compiled translations (`.mo`) are not kept in the repository: every
build compiles them from the `.po` files, so `pip install .` or a wheel speaks Dutch.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent


class BuildWithCatalogues(build_py):
    """build_py that also writes messages.mo next to each messages.po."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        # An editable install serves the source tree itself; a wheel gets them in build_lib.
        target_root = ROOT if self.editable_mode else Path(self.build_lib)
        for po_path in sorted((ROOT / "rehab" / "translations").glob("*/LC_MESSAGES/*.po")):
            with po_path.open("rb") as handle:
                catalogue = read_po(handle)
            mo_path = target_root / po_path.relative_to(ROOT).with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as handle:
                write_mo(handle, catalogue)


setup(
    packages=[
        *find_packages(include=["rehab", "rehab.*"]),
        "rehab.templates",
        "rehab.migrations",
    ],
    package_dir={"rehab.templates": "templates", "rehab.migrations": "migrations"},
    package_data={
        "rehab": ["**/*.toml", "static/**/*", "translations/*/LC_MESSAGES/*"],
        "rehab.templates": ["**/*.html", "**/*.css", "**/*.txt", "**/*.svg"],
        "rehab.migrations": ["README", "alembic.ini", "script.py.mako", "env.py", "versions/*.py"],
    },
    cmdclass={"build_py": BuildWithCatalogues},
)
