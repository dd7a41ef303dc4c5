"""Static files as a phone wants them: fingerprinted names, compressed, cached for good.

The app's own files (``rehab/static``) and the Bootstrap files Bootstrap-Flask ships are
copied into one build folder, where Flask-Static-Digest gives each file a copy named after
its content (``rehab-<md5>.css``) with gzip and brotli versions beside it, and a manifest.
WhiteNoise serves that folder under ``/static/``: the compressed version the browser accepts,
and ``Cache-Control: max-age=315360000, public, immutable`` for a fingerprinted name (a
changed file gets a new name, so a year-long cache can never serve an old one). Templates
ask for ``static_url_for('static', filename='css/rehab.css')``.

The build runs when the folder is missing or its sources changed (``rehab build-static``
runs it on purpose); several workers starting at once build in private folders and the
first to finish puts its folder in place.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from flask import Flask

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SOURCE = PACKAGE_ROOT / "static"
BUILD = PACKAGE_ROOT / "static_build"
STAMP = ".sources"
MANIFEST = "cache_manifest.json"
# Only what the pages load: Bootstrap-Flask also ships Bootswatch themes, Bootstrap 4 and
# source maps, none of which a patient's phone needs.
BOOTSTRAP_FILES = {
    "vendor/bootstrap/bootstrap.min.css": "bootstrap5/css/bootstrap.min.css",
    "vendor/bootstrap/popper.min.js": "bootstrap5/umd/popper.min.js",
    "vendor/bootstrap/bootstrap.min.js": "bootstrap5/js/bootstrap.min.js",
}
# The API's documentation page (rehab.api.docs): Swagger UI 5 (OpenAPI 3.1), as the
# flask-swagger-ui package ships it; its Flask blueprint is not used, only these files.
SWAGGER_UI_FILES = {
    "vendor/swagger-ui/swagger-ui-bundle.js": "swagger-ui-bundle.js",
    "vendor/swagger-ui/swagger-ui.css": "swagger-ui.css",
    "vendor/swagger-ui/LICENSE": "LICENSE",
}
FINGERPRINTED = re.compile(r"-[0-9a-f]{32}\.[A-Za-z0-9]+$")


class StaticBuildFailed(RuntimeError):
    """The build folder is stale or missing and cannot be written here."""


def _bootstrap_root() -> Path:
    import flask_bootstrap

    return Path(flask_bootstrap.__file__).resolve().parent / "static"


def _swagger_ui_root() -> Path:
    import flask_swagger_ui

    return Path(flask_swagger_ui.__file__).resolve().parent / "dist"


def sources() -> dict[str, Path]:
    """Every file the build folder is made from, by its name under /static/."""
    found = {
        path.relative_to(SOURCE).as_posix(): path
        for path in sorted(SOURCE.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
    bootstrap = _bootstrap_root()
    found.update({name: bootstrap / origin for name, origin in BOOTSTRAP_FILES.items()})
    swagger_ui = _swagger_ui_root()
    found.update({name: swagger_ui / origin for name, origin in SWAGGER_UI_FILES.items()})
    return found


def sources_digest(files: dict[str, Path]) -> str:
    digest = hashlib.sha256()
    for name, path in sorted(files.items()):
        digest.update(name.encode())
        digest.update(hashlib.md5(path.read_bytes(), usedforsecurity=False).digest())
    return digest.hexdigest()


def is_current(build: Path = BUILD) -> bool:
    stamp = build / STAMP
    return stamp.is_file() and stamp.read_text() == sources_digest(sources())


def build_static(build: Path = BUILD) -> Path:
    """(Re)build the folder: copies, fingerprinted copies, .gz and .br, the manifest."""
    from flask_static_digest import digester

    files = sources()
    digest = sources_digest(files)
    build.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".static_build.", dir=build.parent))
    try:
        for name, path in files.items():
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        with contextlib.redirect_stdout(io.StringIO()):  # the library prints where it wrote
            digester.compile(str(work) + os.sep, str(work) + os.sep, [], True, True)
        (work / STAMP).write_text(digest)
        _put_in_place(work, build)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return build


def _put_in_place(work: Path, build: Path) -> None:
    if build.exists():
        old = build.with_name(f".static_build.old.{os.getpid()}.{id(work)}")
        with contextlib.suppress(FileNotFoundError):
            build.rename(old)
            shutil.rmtree(old, ignore_errors=True)
    try:
        work.rename(build)
    except OSError:
        # Another process put a folder there a moment ago: it holds the same sources.
        if not is_current(build):
            raise


def manifest(build: Path = BUILD) -> dict[str, str]:
    return json.loads((build / MANIFEST).read_text())


def _immutable(path: str, url: str) -> bool:
    return bool(FINGERPRINTED.search(url))


def _headers(headers, path: str, url: str) -> None:
    from rehab.core.security import COMMON_HEADERS, CONTENT_SECURITY_POLICY

    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    for name, value in COMMON_HEADERS.items():
        headers[name] = value


def init_app(app: Flask) -> None:
    """Build when needed, serve the build folder with WhiteNoise, add ``static_url_for``."""
    from flask_static_digest import FlaskStaticDigest
    from whitenoise import WhiteNoise

    if not is_current():
        try:
            build_static()
        except OSError as exc:
            raise StaticBuildFailed(
                f"The static files in {BUILD} are out of date and cannot be rebuilt here "
                f"({exc}). Run `rehab build-static` as the owner of the installation."
            ) from exc
    # Flask's own /static/ route (and the PDF renderer's fetcher) read the build folder too:
    # it holds every original file under its own name.
    url_path = app.static_url_path  # Flask would derive a new one from the folder's name
    app.static_folder = str(BUILD)
    app.static_url_path = url_path
    FlaskStaticDigest(app)
    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=str(BUILD),
        prefix=url_path,
        immutable_file_test=_immutable,
        add_headers_function=_headers,
        allow_all_origins=False,
    )
