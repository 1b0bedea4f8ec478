"""The API's documentation pages in a browser that can reach nothing but the server: Swagger UI
(/docs) and ReDoc (/redoc) load their scripts from the server and list the API's operations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.web.conftest import SHOTS

# ReDoc's sidebar credits Redocly with a logo from Redocly's CDN, drawn only if it loads: the one
# request to elsewhere that a page may make (refused, the credit shows as text alone)
_ATTRIBUTION = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.fixture
def engine() -> str:
    return "duckdb"  # the pages document the API, whichever store is behind it


@pytest.fixture
def offline(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page whose every request for another host is refused, as on a machine without the internet."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=server)
    opened = context.new_page()
    refused: list[str] = []

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            if route.request.url != _ATTRIBUTION:
                refused.append(route.request.url)
            route.abort()

    opened.route("**/*", only_the_server)
    problems: list[str] = []
    opened.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    opened.on("requestfailed", lambda r: r.url == _ATTRIBUTION or problems.append(f"request failed: {r.url}"))
    opened.shot = lambda name: opened.screenshot(path=str(SHOTS / f"{request.node.name}-{name}.png"), full_page=True)
    yield opened
    context.close()
    assert refused == [] and problems == []


def test_swagger_ui_lists_the_operations_offline(offline: Any) -> None:
    assert offline.goto("/docs").status == 200
    offline.wait_for_selector(".opblock", timeout=20_000)
    paths = offline.locator(".opblock-summary-path").all_inner_texts()
    schema = httpx.get(offline.url.replace("/docs", "/openapi.json")).json()
    assert {p.replace("\u200b", "") for p in paths} == set(schema["paths"])
    offline.locator(".opblock-summary", has_text="/api/transactions").first.click()  # an operation opens
    offline.wait_for_selector(".opblock.is-open .parameters")
    assert "issuer" in offline.locator(".opblock.is-open .parameters").inner_text()
    offline.shot("swagger")


def test_redoc_lists_the_operations_offline(offline: Any) -> None:
    assert offline.goto("/redoc").status == 200
    offline.wait_for_selector("[data-section-id^='operation/']", timeout=30_000)
    schema = httpx.get(offline.url.replace("/redoc", "/openapi.json")).json()
    operations = {o["operationId"] for item in schema["paths"].values() for o in item.values()}
    shown = offline.eval_on_selector_all("[data-section-id^='operation/']",
                                         "els => els.map(e => e.getAttribute('data-section-id'))")
    assert {s.removeprefix("operation/") for s in shown} == operations
    assert offline.locator("img[alt='redocly logo']").count() == 0  # the credit's logo: not a broken image
    offline.shot("redoc")


def test_the_assets_come_from_the_installed_package(server: str) -> None:
    for name, media in [("swagger-ui-bundle.js", "text/javascript"), ("swagger-ui.css", "text/css"),
                        ("redoc.standalone.js", "text/javascript")]:
        answer = httpx.get(f"{server}/docs/assets/{name}")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
        assert len(answer.content) > 100_000
    for page in ("/docs", "/redoc"):
        assert "cdn" not in httpx.get(server + page).text.lower()
    assert httpx.get(f"{server}/docs/assets/core.py").status_code == 404  # only the pages' files
