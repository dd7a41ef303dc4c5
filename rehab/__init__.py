"""Rehab: measured, gradual return to activity for sports-physiotherapy clinics."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from rehab.config import Config, normalise_database_url, secret_key_from_instance

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent


class CataloguesMissing(RuntimeError):
    """The compiled translations are not there: the app would silently speak English."""


def bundled(name: str) -> Path:
    """A top-level folder of the checkout (templates, migrations), or its copy inside an
    installed package (setup.py puts them there)."""
    packaged = PACKAGE_ROOT / name
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Application factory: configuration, extensions, blueprints, error handlers, CLI."""
    app = Flask(
        __name__,
        # Unset: Flask's default, the checkout's instance/ folder, or <prefix>/var/rehab-instance
        # for an installed package (never inside site-packages).
        instance_path=os.environ.get("REHAB_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=str(bundled("templates")),
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    _finish_config(app)

    if app.config["REHAB_PROXY_COUNT"]:
        count = app.config["REHAB_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    _init_extensions(app)
    _register_blueprints(app)

    from rehab.auth.access import check_every_route_declares_access

    check_every_route_declares_access(app)
    return app


def _finish_config(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key_from_instance(app.instance_path)
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = "sqlite:///" + str(Path(app.instance_path) / "rehab.sqlite")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)
    if uri.startswith("sqlite"):
        # A web request and a background write may overlap; wait instead of failing at once.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 15}}
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PACKAGE_ROOT / "translations"))
    _check_catalogues(app)


def _check_catalogues(app: Flask) -> None:
    """Refuse to start without compiled catalogues: Flask-Babel would fall back to the
    English source strings without a word, and a Dutch clinic would get an English app."""
    folder = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    missing = [
        language
        for language in app.config["REHAB_LANGUAGES"]
        if not (folder / language / "LC_MESSAGES" / "messages.mo").is_file()
    ]
    if missing:
        raise CataloguesMissing(
            f"Compiled translations missing for {', '.join(missing)} in {folder}. "
            "Install the package with pip (it compiles them), or in a checkout run "
            "`make compile-translations` (pybabel compile -d rehab/translations)."
        )


def _init_extensions(app: Flask) -> None:
    from rehab import api, audit, auth, mail
    from rehab.core import errors, security
    from rehab.core.i18n import install_jinja_gettext, select_locale, select_timezone
    from rehab.extensions import (
        babel,
        bootstrap,
        compress,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
    )

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(bundled("migrations")), render_as_batch=True, compare_type=True
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_jinja_gettext(app)
    bootstrap.init_app(app)
    compress.init_app(app)
    from rehab.core import assets

    assets.init_app(app)
    limiter.init_app(app)
    auth.init_app(app)
    audit.init_app(app)
    mail.init_app(app)
    security.init_app(app)
    api.init_app(app)
    from rehab.core import offline

    offline.init_app(app)
    errors.init_app(app)

    from rehab.core.templating import init_app as init_templating

    init_templating(app)

    from rehab import cli

    cli.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from rehab.audit import bp as audit_bp
    from rehab.core.offline import bp as offline_bp
    from rehab.core.views import bp as main_bp
    from rehab.exercises import bp as exercises_bp
    from rehab.mail import bp as mail_bp
    from rehab.patients import bp as patients_bp
    from rehab.privacy import bp as privacy_bp
    from rehab.programmes import bp as programmes_bp
    from rehab.reminders import bp as reminders_bp
    from rehab.reports import bp as reports_bp
    from rehab.training import bp as training_bp

    for blueprint in (
        main_bp,
        offline_bp,
        patients_bp,
        exercises_bp,
        programmes_bp,
        training_bp,
        reports_bp,
        audit_bp,
        privacy_bp,
        mail_bp,
        reminders_bp,
    ):
        app.register_blueprint(blueprint)
