"""Security headers for every response, set in one place."""

from __future__ import annotations

from flask import Flask, Response, abort, request

# No inline script or style anywhere: charts are SVG images, behaviour lives in static/js.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        # The installable app: its service worker and manifest come from this site only.
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# The headers every response carries, a page or a static file (rehab.core.assets).
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Activation links carry their token in the path: never send it on to another site.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    # Patient records have no business in a search engine, even when a page is reachable.
    "X-Robots-Tag": "noindex, nofollow",
}


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    for name, value in COMMON_HEADERS.items():
        headers[name] = value
    if response.mimetype == "text/html":
        # Every resource a page loads is the app's own, so it can be isolated from other
        # origins (not on PDFs: the browser's own viewer must still be able to show them).
        headers["Cross-Origin-Embedder-Policy"] = "require-corp"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if not request.path.startswith(("/static/", "/bootstrap/")) and not (
        response.cache_control.private and response.cache_control.immutable
    ):
        # Pages carry patient data: no copy in the browser's or a proxy's cache. Only a
        # response that declares itself private and immutable (a versioned exercise picture)
        # keeps its own caching.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def refuse_nul_characters() -> None:
    """A NUL character has no place in a form, query or JSON value, and PostgreSQL cannot
    store one in a text column: refuse the request (400) before any view sees it."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)
    if request.is_json and b"\\u0000" in request.get_data():
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
    app.after_request(set_security_headers)
