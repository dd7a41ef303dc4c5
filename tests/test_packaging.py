"""An installed Rehab (not the checkout) has its templates, migrations and Dutch catalogues.

A clinic's IT installs the package (`pip install .` or a wheel) and runs it from anywhere;
before, only `make run` compiled the catalogues and the installed app spoke English.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest

from rehab import CataloguesMissing, create_app
from tests.conftest import _config

ROOT = Path(__file__).resolve().parent.parent


def test_the_app_refuses_to_start_without_compiled_catalogues(tmp_path, database_url):
    (tmp_path / "nl" / "LC_MESSAGES").mkdir(parents=True)
    with pytest.raises(CataloguesMissing, match="pybabel compile"):
        create_app(_config(database_url, BABEL_TRANSLATION_DIRECTORIES=str(tmp_path)))


def _fresh_environment(folder: Path) -> Path:
    """A new virtual environment that borrows the dependencies of this one (through a path
    file: the site folder's own path files, among them the checkout's editable install, are
    not read) and gets Rehab itself from `pip install .`."""
    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    site = subprocess.run(  # noqa: S603
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = subprocess.run(
        [sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "borrowed-dependencies.pth").write_text(ours + "\n")
    subprocess.run(  # noqa: S603
        [python, "-m", "pip", "install", "--quiet", "--no-deps", str(ROOT)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return python


def test_pip_install_gives_a_dutch_login_page_from_any_directory(tmp_path):
    python = _fresh_environment(tmp_path / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = textwrap.dedent(
        """
        import pathlib, rehab
        from rehab import create_app
        app = create_app()
        assert "site-packages" in rehab.__file__, rehab.__file__
        assert pathlib.Path(app.template_folder).is_dir(), app.template_folder
        page = app.test_client().get("/login")
        print(page.status_code, "Inloggen" in page.text, '<html lang="nl"' in page.text)
        """
    )
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("REHAB_", "DATABASE"))},
        "SECRET_KEY": "packaging-test",
        "REHAB_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    upgrade = subprocess.run(  # noqa: S603
        [python.with_name("rehab"), "db", "upgrade"],
        cwd=elsewhere, env=environment, capture_output=True, text=True,
    )  # fmt: skip
    assert upgrade.returncode == 0, upgrade.stderr
    result = subprocess.run(  # noqa: S603
        [python, "-c", probe], cwd=elsewhere, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "True", "True"]
