"""What a security scanner sees from outside: headers on every kind of response, redirects
that stay on this site, methods that are refused, forms that tell password managers what
they hold, and nothing for search engines."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD

ISOLATION = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
}


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("anonymous", "/login", 200),
        ("anonymous", "/no/such/page", 404),
        ("anonymous", "/patients/", 302),
        ("therapist", "/patients/999999999", 404),
        ("patient", "/patients/", 403),
        ("anonymous", "/static/css/rehab.css", 200),
        ("anonymous", "/healthz", 200),
        ("anonymous", "/robots.txt", 200),
    ],
)
def test_every_kind_of_response_carries_the_security_headers(client_for, role, path, status):
    with client_for(role).get(path) as response:
        assert response.status_code == status
        for name, value in ISOLATION.items():
            assert response.headers.get(name) == value, (path, name)
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        if response.mimetype == "text/html":
            assert response.headers["Cross-Origin-Embedder-Policy"] == "require-corp"


def test_error_pages_speak_the_users_language_and_are_not_cached(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"
    assert "niet gevonden" in response.text.lower()
    response = client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert "not found" in response.text.lower()


def test_robots_are_turned_away(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    assert "Disallow: /" in response.text


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "/\t/evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        " https://evil.example",
    ],
)
def test_login_never_redirects_to_another_site(client, world, target):
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": world.therapist.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil.example" not in location and "javascript" not in location
    assert location.startswith("/")


def test_the_language_switch_never_redirects_to_another_site(client):
    response = client.post("/language", data={"language": "en", "next": "//evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_a_local_next_page_is_kept(client, world):
    response = client.post(
        "/login",
        query_string={"next": "/exercises/?q=plank"},
        data={"email": world.therapist.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/exercises/?q=plank"


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH"])
def test_methods_the_app_does_not_use_are_refused(client, method):
    response = client.open("/login", method=method)
    assert response.status_code == 405


def _attributes(html: str, name: str) -> dict[str, str]:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_login_form_tells_password_managers_what_it_holds(client):
    html = client.get("/login").text
    assert _attributes(html, "email")["autocomplete"] == "username"
    assert _attributes(html, "password")["autocomplete"] == "current-password"
    assert _attributes(html, "password")["type"] == "password"


def test_new_passwords_are_marked_as_new(client_for):
    html = client_for("therapist").get("/account/password").text
    assert _attributes(html, "current_password")["autocomplete"] == "current-password"
    assert _attributes(html, "new_password")["autocomplete"] == "new-password"
    assert _attributes(html, "confirm_password")["autocomplete"] == "new-password"


def test_a_pdf_is_served_with_the_same_protection(client_for, world):
    from tests.programmes.factories import load_library

    load_library()
    exercise_id = re.search(r"/exercises/(\d+)", client_for("therapist").get("/exercises/").text)
    response = client_for("therapist").get(f"/reports/exercises/{exercise_id.group(1)}/card.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_administration_pages_sit_in_one_clinic_menu(client_for):
    """Eight links in a row wrap the header on a laptop: the admin's own pages share a menu."""
    html = client_for("admin").get("/patients/").text
    menu = re.search(r'<ul class="dropdown-menu">(.*?)</ul>', html, re.S).group(1)
    assert [label for label in re.findall(r">([^<>]+)</a>", menu)] == [
        "Medewerkers",
        "Praktijkinstellingen",
        "Toegangslog",
        "Postvak UIT",
    ]
    assert "/admin/staff" not in client_for("therapist").get("/patients/").text
