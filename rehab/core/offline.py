"""The installable app: its web app manifest, its service worker and the page shown offline.

The service worker (templates/offline/sw.js) is served from the site's root so that its
scope covers every page. It keeps the shell (the fingerprinted CSS, scripts and icons) and
the latest copy of a page that says it may be kept (the patient's Today page, header
``X-Rehab-Offline``), and shows that copy, or the offline page, when there is no network.
Every page says whose it is (``X-Rehab-Owner``): a page of another user, or of nobody (the
log-in page), makes the worker forget the pages it kept; so does logging out. Staff pages
never say they may be kept, and staff never register the worker.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user

from rehab.auth.access import public
from rehab.core.i18n import gettext as _

bp = Blueprint("offline", __name__)

# What the worker keeps at installation: the shell every page needs, and the offline page.
SHELL_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/rehab.css",
    "vendor/bootstrap/popper.min.js",
    "vendor/bootstrap/bootstrap.min.js",
    "js/rehab.js",
    "js/training.js",
    "js/guide.js",
    "js/offline.js",
    "img/favicon.svg",
    "img/icon-192.png",
)
ICONS = (
    ("img/icon-192.png", "192x192", "any"),
    ("img/icon-512.png", "512x512", "any"),
    ("img/icon-maskable-512.png", "512x512", "maskable"),
)
BRAND_COLOUR = "#0b6e69"


def _static(filename: str) -> str:
    return current_app.jinja_env.globals["static_url_for"]("static", filename=filename)


def shell_urls() -> list[str]:
    return [_static(name) for name in SHELL_FILES]


@bp.route("/sw.js")
@public
def service_worker():
    """The service worker: its version changes with the shell, so a new one is installed."""
    shell = shell_urls()
    offline_page = url_for("offline.offline_page")
    version = hashlib.sha256(json.dumps([shell, offline_page]).encode()).hexdigest()[:12]
    body = render_template(
        "offline/sw.js",
        version=version,
        shell=shell,
        offline_page=offline_page,
        today=url_for("training.today"),
        logout=url_for("auth.logout"),
        static_prefix=current_app.static_url_path + "/",
    )
    response = Response(body, mimetype="text/javascript")
    # The browser checks for a new worker on each visit; never a stale one from a cache.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/manifest.webmanifest")
@public
def manifest():
    """The web app manifest: a home-screen app that opens on the Today page."""
    data = {
        "name": _("Rehab: my exercises"),
        "short_name": "Rehab",
        "description": _("Your exercise programme and diary"),
        "lang": str(get_locale() or "nl"),
        "start_url": url_for("training.today"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": BRAND_COLOUR,
        "icons": [
            {"src": _static(name), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for name, sizes, purpose in ICONS
        ],
    }
    response = Response(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/offline")
@public
def offline_page():
    """What the worker shows for a page it has not kept, when there is no network."""
    return render_template("offline/offline.html")


def owner_marker(user) -> str:
    """An opaque name for a user, the same on every log-in: a page kept on the phone, or a
    session waiting there to be sent, belongs to this marker only."""
    return _marker(user.id)


def _marker(user_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"owner:{user_id}".encode(), hashlib.sha256).hexdigest()[:24]


def owner_header(response: Response) -> Response:
    """Say whose page this is (see the module's docstring).

    Read from the login as loaded, not from the user's row: after a view has committed, the
    row's attributes would be read from the database again for this header alone.
    """
    if response.mimetype == "text/html":
        user = current_user._get_current_object() if current_user else None
        identity = sa.inspect(user, raiseerr=False) if user is not None else None
        if identity is not None and identity.identity is not None:
            response.headers["X-Rehab-Owner"] = _marker(identity.identity[0])
        else:  # nobody logged in (or logged out during this request)
            response.headers["X-Rehab-Owner"] = ""
    return response


def init_app(app) -> None:
    app.after_request(owner_header)
