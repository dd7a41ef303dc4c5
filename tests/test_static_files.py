"""Static files as a phone wants them: fingerprinted, compressed, cached for good; and the
patient's Today page light enough for a slow connection (under 100 KB without figures)."""

from __future__ import annotations

import re

from rehab.core import assets
from rehab.extensions import db
from tests.training.factories import make_plan

PAGE_BUDGET = 100 * 1024


def linked_files(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


def test_every_file_a_page_links_is_fingerprinted_compressed_and_cached_for_a_year(client):
    html = client.get("/login").text
    urls = linked_files(html)
    assert any("/vendor/bootstrap/bootstrap.min-" in url for url in urls)  # Bootstrap too
    for url in urls:
        assert re.search(r"-[0-9a-f]{32}\.\w+$", url), url
        with client.get(url, headers={"Accept-Encoding": "br, gzip"}) as response:
            assert response.status_code == 200
            cache = response.headers["Cache-Control"]
            max_age = int(re.search(r"max-age=(\d+)", cache).group(1))
            assert max_age >= 365 * 24 * 3600 and "immutable" in cache, url
            if not url.endswith(".png"):
                assert response.headers["Content-Encoding"] == "br", url
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        with client.get(url, headers={"Accept-Encoding": "gzip"}) as response:
            if not url.endswith(".png"):
                assert response.headers["Content-Encoding"] == "gzip", url


def test_a_changed_file_gets_a_new_name(tmp_path, monkeypatch):
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: red; }")
    monkeypatch.setattr(assets, "SOURCE", source)
    monkeypatch.setattr(assets, "BOOTSTRAP_FILES", {})
    build = tmp_path / "build"
    first = assets.manifest(assets.build_static(build))["css/site.css"]
    assert assets.is_current(build)
    (source / "css" / "site.css").write_text("body { color: blue; }")
    assert not assets.is_current(build)
    second = assets.manifest(assets.build_static(build))["css/site.css"]
    assert first != second and (build / second).is_file() and (build / f"{second}.br").is_file()


def test_the_today_page_weighs_under_100_kb_on_the_wire(client_for, world):
    make_plan(world.patient)
    db.session.commit()
    client = client_for("patient")
    page = client.get("/training/today", headers={"Accept-Encoding": "br, gzip"})
    assert page.headers["Content-Encoding"] == "br"  # the page itself is compressed too
    total = len(page.data)
    for url in linked_files(client.get("/training/today").text):
        with client.get(url, headers={"Accept-Encoding": "br, gzip"}) as response:
            total += len(response.data)
    assert total < PAGE_BUDGET, f"{total} bytes"
