"""The OpenAPI 3.1 document and its documentation page, with every asset from this site."""

from __future__ import annotations

import re


def test_the_openapi_document_is_3_1_and_describes_the_api(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    assert "/api/v1/me" in document["paths"]
    assert document["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    error = document["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(error) == ["application/problem+json"]


def test_the_docs_page_loads_nothing_from_elsewhere(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle" in s for s in sources)
    # Our stylesheet (WCAG contrast) comes after Swagger UI's, so that it wins.
    sheets = [s for s in sources if s.endswith(".css") or ".css?" in s]
    assert [i for i, s in enumerate(sheets) if "api-docs" in s] > [
        i for i, s in enumerate(sheets) if "swagger-ui.css" in s
    ], sheets
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    for asset in (s for s in sources if "swagger-ui" in s or "api-docs" in s):
        response = client.get(asset)
        assert response.status_code == 200
        response.close()
