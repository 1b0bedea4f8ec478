"""A page that fails answers as a page: its status, one escaped line saying what was not found or
what was wrong, and the way home; the API's paths keep their JSON errors whatever a browser accepts."""

from __future__ import annotations

import html
import re

import pytest
from fastapi import Depends
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from form4.api import Settings, create_app
from form4.api.routes import store
from form4.store import Store

BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def _error_page(response: object, status: int, title: str) -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    text: str = response.text  # type: ignore[attr-defined]
    assert re.search(rf"<h1>{title}</h1>", text) and "Traceback" not in text
    assert '<a href="/">Back to the home page</a>' in text and 'action="/search"' in text
    found = re.findall(r'<p class="error">(.*)</p>', text)
    assert len(found) == 1
    return str(found[0])


@pytest.mark.parametrize(("path", "status", "title", "message"), [
    ("/issuers/NOPE", 404, "Not Found", "issuer: the store holds no filing of ticker NOPE"),
    ("/issuers/9999999999", 404, "Not Found", "issuer: the store holds no filing of CIK 9999999999"),
    ("/owners/12345", 404, "Not Found", "owner: the store holds no filing by CIK 12345"),
    ("/filings/0000000000-00-000000", 404, "Not Found", "accession: the store holds no filing 0000000000-00-000000"),
    ("/screens/cluster-buys?issuer=NOPE", 404, "Not Found", "issuer: the store holds no filing of ticker NOPE"),
    ("/nowhere", 404, "Not Found", "Not Found"),
    ("/issuers/ACME/more", 404, "Not Found", "Not Found"),
    ("/owners/abc", 400, "Bad Request", "cik: 'abc' is not a CIK (up to ten digits)"),
    ("/issuers/AC%20ME", 400, "Bad Request", "issuer: 'AC ME' is not a CIK or a ticker"),
    ("/screens/cluster-buys?window=999", 400, "Bad Request", "window: Input should be less than or equal to 366"),
    ("/screens/cluster-buys?since=yesterday", 400, "Bad Request", "since: Input should be a valid date"),
])
def test_a_failing_page_says_why_as_a_page(api: TestClient, path: str, status: int, title: str,
                                           message: str) -> None:
    assert html.unescape(_error_page(api.get(path, headers=BROWSER), status, title)).startswith(message)


def test_what_the_user_typed_is_escaped(api: TestClient) -> None:
    shown = _error_page(api.get("/filings/<img src=x onerror=alert(1)>"), 404, "Not Found")
    assert shown == "accession: the store holds no filing &lt;img src=x onerror=alert(1)&gt;"
    shown = _error_page(api.get("/issuers/<b>x"), 400, "Bad Request")
    assert "&lt;b&gt;x" in shown and "<b>" not in shown
    assert "<script>" not in _error_page(api.get("/search", params={"q": "<script>" * 20}), 400, "Bad Request")


def test_wrong_methods_and_big_bodies_on_pages(api: TestClient) -> None:
    _error_page(api.post("/"), 405, "Method Not Allowed")
    big = api.post("/upload", content=b"x", headers={"content-length": str(10**9)})
    assert "larger than" in _error_page(big, 413, "Request Entity Too Large|Content Too Large")


@pytest.mark.parametrize(("path", "status"), [("/api/issuers/NOPE", 404), ("/api/nowhere", 404), ("/api", 404),
                                              ("/api/filings/<b>x", 400), ("/docs/x", 404)])  # <b>x: no accession
def test_the_api_keeps_its_json_errors_for_browsers_too(api: TestClient, path: str, status: int) -> None:
    response = api.get(path, headers=BROWSER)
    assert response.status_code == status and response.headers["content-type"] == "application/json"
    assert set(response.json()["error"]) == {"code", "message"}
    for exact in ("/openapi.json", "/docs", "/redoc"):
        assert api.post(exact, headers=BROWSER).json()["error"]["code"] == "method_not_allowed"


def test_a_page_past_the_time_cap_is_a_503_page(stored: str) -> None:
    def slow(db: Store = Depends(store)) -> HTMLResponse:  # noqa: B008  (FastAPI's way)
        db.arrow("SELECT count(*) FROM range(100000000000)" if db.engine.dialect == "duckdb" else "SELECT pg_sleep(5)")
        return HTMLResponse("done")

    app = create_app(Settings(url=stored, query_seconds=0.3))
    app.add_api_route("/slow", slow)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert _error_page(client.get("/slow"), 503, "Service Unavailable").startswith("the query took longer")
