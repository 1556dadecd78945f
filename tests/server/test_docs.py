"""No page the service serves needs the internet: /docs is rendered here, not loaded from a CDN."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.routing import Mount

from consistency.server.app import STATIC_DIR
from consistency.server.docs import render_api_reference

# Anything fetched from another host: a URL with a scheme or a protocol-relative one.
EXTERNAL = re.compile(r"(?:[a-z][a-z0-9+.-]*:)?//[\w.-]+\.[a-z]{2,}|\bcdn\b", re.IGNORECASE)


def _served_pages(client: TestClient) -> dict[str, str]:
    """Every GET route without parameters (so a page added later is covered) and each asset."""
    app = client.app
    paths = {
        route.path
        for route in app.routes  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) or type(route).__name__ == "Route"
        if "GET" in (getattr(route, "methods", None) or ()) and "{" not in route.path
    }
    assert any(isinstance(r, Mount) and r.path == "/static" for r in app.routes)  # type: ignore[attr-defined]
    paths |= {f"/static/{p.name}" for p in STATIC_DIR.iterdir() if p.is_file()}
    pages = {}
    for path in sorted(paths):
        response = client.get(path)
        assert response.status_code in (200, 503), (path, response.status_code)
        pages[path] = response.text
    return pages


def test_no_page_references_another_host(client: TestClient) -> None:
    pages = _served_pages(client)
    assert {"/", "/docs", "/openapi.json", "/static/app.js", "/static/docs.css"} <= set(pages)
    for path, text in pages.items():
        assert EXTERNAL.search(text) is None, (path, EXTERNAL.search(text))


def test_the_pattern_sees_a_cdn() -> None:
    for html in (
        '<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js">',
        '<link href="//fonts.googleapis.com/css?family=Montserrat">',
    ):
        assert EXTERNAL.search(html)
    assert EXTERNAL.search('<link rel="stylesheet" href="static/docs.css">') is None


def test_docs_is_a_local_api_reference(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script" not in page.text
    for path in ("/v1/check", "/v1/check/batch", "/v1/entries/{entry_id}", "/v1/reload"):
        assert f"{path}</code>" in page.text, path
    assert 'id="schema-CheckRequest"' in page.text and "maxLength 200" in page.text
    assert "Authorization: Bearer" in page.text
    assert client.get("/static/docs.css").status_code == 200
    assert client.get("/redoc").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_schema_text_is_escaped(summary: str, field: str) -> None:
    schema = {
        "info": {"title": "t", "version": "1", "description": summary},
        "paths": {"/x": {"get": {"summary": summary, "responses": {"200": {"description": "ok"}}}}},
        "components": {
            "schemas": {"M": {"properties": {"f": {"type": "string", "description": field}}}}
        },
    }
    page = render_api_reference(schema)
    assert "<script" not in page
    if "<" in summary + field:
        assert "&lt;" in page


def test_docstring_example() -> None:
    import doctest

    import consistency.server.docs as docs

    result = doctest.testmod(docs)
    assert result.attempted > 0 and result.failed == 0
