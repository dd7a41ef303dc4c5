"""CSRF, rate limiting, cookie flags and security headers."""

from __future__ import annotations

import re

import pytest

from rehab.config import Config
from tests.factories import PASSWORD


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_form_posted_without_its_csrf_token_is_refused(client, world):
    client.get("/login")  # the browser has its session cookie, the form lacks its token
    response = client.post("/login", data={"email": "x@example.nl", "password": PASSWORD})
    assert response.status_code == 400
    assert "Dit formulier is verlopen" in response.text


@pytest.mark.app_config(WTF_CSRF_ENABLED=True, SESSION_COOKIE_SECURE=True)
def test_a_login_over_plain_http_on_the_network_says_why_it_fails(client, world):
    """http://192.168.1.20: the browser keeps the Secure session cookie back, so the token
    can never match. The page names the cause and the fix instead of "form expired"."""
    page = client.get("/login", base_url="http://192.168.1.20")
    token = csrf_token(page.text)
    client.delete_cookie("rehab_session", domain="192.168.1.20")  # what the browser does
    response = client.post(
        "/login",
        base_url="http://192.168.1.20",
        data={"email": world.therapist.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 400
    assert "via gewoon http (192.168.1.20)" in response.text
    assert "https" in response.text
    assert "verlopen" not in response.text


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_browser_that_refuses_cookies_is_told_so(client, world):
    response = client.post("/login", data={"email": "x@example.nl", "password": PASSWORD})
    assert response.status_code == 400
    assert "cookies" in response.text


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_form_with_its_csrf_token_is_accepted(client, world):
    token = csrf_token(client.get("/login").text)
    response = client.post(
        "/login", data={"email": world.therapist.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


@pytest.mark.app_config(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
def test_login_is_rate_limited_per_address(client, world):
    statuses = [
        client.post("/login", data={"email": "a@example.nl", "password": "wrong pass"}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert "Te veel pogingen" in client.post("/login", data={}).text


@pytest.mark.app_config(SESSION_COOKIE_SECURE=Config.SESSION_COOKIE_SECURE)
def test_session_cookie_is_secure_httponly_and_samesite(client, world):
    response = client.post(
        "/login",
        data={"email": world.therapist.email, "password": PASSWORD},
        base_url="https://localhost",
    )
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert Config.SESSION_COOKIE_SECURE is True


def test_pages_carry_security_headers(client_for):
    response = client_for("therapist").get("/patients/")
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in headers  # only over https


def test_https_responses_ask_for_hsts(client):
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_static_files_may_be_cached(client):
    with client.get("/static/css/rehab.css") as response:
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"


def test_pages_have_no_inline_script_or_style(client_for):
    """The CSP forbids them; a template that used one would break silently in browsers."""
    for role, path in [
        ("therapist", "/patients/"),
        ("admin", "/admin/staff"),
        ("patient", "/training/today"),
        ("anonymous", "/login"),
        ("therapist", "/account"),
        ("therapist", "/account/two-factor"),
        ("therapist", "/account/confirm"),
        ("admin", "/admin/clinic"),
        ("admin", "/audit/"),
        ("patient", "/audit/my-record"),
    ]:
        html = client_for(role).get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html, path
        assert "<style" not in html, path
        assert " on" + "click=" not in html, path


def test_frontend_assets_are_served_locally(client):
    html = client.get("/login").text
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")), url
    with client.get("/bootstrap/static/css/bootstrap.min.css") as response:
        assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("POST", "/login", {"email": "a\x00b@example.nl", "password": "x"}),
        ("GET", "/login?next=/\x00", None),
        ("POST", "/login", {"e\x00mail": "x"}),
    ],
)
def test_nul_characters_are_refused_before_any_view(client, method, path, data):
    response = client.open(path, method=method, data=data)
    assert response.status_code == 400


def test_json_with_a_nul_character_is_refused(client):
    response = client.post("/login", json={"email": "a\u0000b"})
    assert response.status_code == 400
