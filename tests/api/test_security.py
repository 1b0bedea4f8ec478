"""What a hostile or careless client sends: always a clean 4xx with one line, never a 500, and
the store unchanged."""

from __future__ import annotations

import base64

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from form4.api import Settings, create_app
from form4.api.routes import store
from form4.store import Store

INJECTIONS = ["' OR 1=1 --", "1; DROP TABLE filings", "ACME'); DELETE FROM filings; --", "$1", "%s", "\\x00",
              "../../etc/passwd", "<script>alert(1)</script>", "0001318605' UNION SELECT * FROM quarantine --"]


def _error(response: object, status: int) -> dict:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert "\n" not in body["error"]["message"] and "Traceback" not in body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize("name", ["issuer", "owner", "code", "table", "since", "cursor", "min_value", "limit"])
def test_injection_attempts_are_refused_and_change_nothing(api: TestClient, name: str, value: str) -> None:
    before = api.get("/api/filings", params={"limit": 1000}).json()
    response = api.get("/api/transactions", params={name: value})
    assert response.status_code in (400, 404)
    _error(response, response.status_code)
    assert api.get("/api/filings", params={"limit": 1000}).json() == before


@pytest.mark.parametrize("limit", ["0", "-1", "1001", "1000000000000", "1e3", "ten"])
def test_limits_outside_1_to_1000_are_refused(api: TestClient, limit: str) -> None:
    assert _error(api.get("/api/transactions", params={"limit": limit}), 400)["code"] == "invalid_parameter"


@pytest.mark.parametrize("cursor", ["", "x", "!!!", base64.urlsafe_b64encode(b"[1,2]").decode(),
                                    base64.urlsafe_b64encode(b'["2024-99-01","a","b",1,"c"]').decode(),
                                    base64.urlsafe_b64encode(b'{"a": 1}').decode(), "A" * 401])
def test_malformed_cursors_are_refused(api: TestClient, cursor: str) -> None:
    response = api.get("/api/transactions", params={"cursor": cursor})
    if cursor == "":  # an empty cursor is no cursor: the first page
        assert response.status_code == 200
    else:
        assert _error(response, 400)["message"].startswith("cursor")


def test_a_cursor_of_another_list_is_refused(api: TestClient) -> None:
    cursor = api.get("/api/filings", params={"limit": 1}).json()["next"]
    assert _error(api.get("/api/transactions", params={"cursor": cursor}), 400)["message"].startswith("cursor")


@pytest.mark.parametrize("path", ["/api/filings/0000000000-00-000000", "/api/filings/..%2F..%2Fetc%2Fpasswd",
                                  "/api/issuers/NOPE", "/api/owners/12345", "/api/nowhere"])
def test_unknown_things_are_404(api: TestClient, path: str) -> None:
    assert _error(api.get(path), 404)["code"] == "not_found"


def test_a_malformed_accession_is_refused_not_looked_up(api: TestClient) -> None:
    assert _error(api.get("/api/filings/not-an-accession"), 400)["code"] == "invalid_parameter"


@pytest.mark.parametrize("day", ["2024-02-30", "yesterday", "2024/01/01", "99999-01-01", "2024-1-1x"])
def test_bad_dates_are_refused(api: TestClient, day: str) -> None:
    assert _error(api.get("/api/transactions", params={"since": day}), 400)["message"].startswith("since")


def test_writes_and_big_bodies_are_refused(api: TestClient) -> None:
    assert _error(api.post("/api/transactions", content=b"{}"), 405)["code"] == "method_not_allowed"
    big = api.post("/api/transactions", content=b"x", headers={"content-length": str(10**9)})
    assert _error(big, 413)["code"] == "too_large"


def test_cors_is_off_unless_configured(stored: str) -> None:
    with TestClient(create_app(Settings(url=stored))) as api:
        response = api.get("/api/filings", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in response.headers
    with TestClient(create_app(Settings(url=stored, cors_origins=("https://ours.example",)))) as api:
        response = api.get("/api/filings", headers={"Origin": "https://ours.example"})
        assert response.headers["access-control-allow-origin"] == "https://ours.example"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["/api/filings", "/api/transactions", "/api/holdings", "/api/screens/cluster-buys",
                        "/api/screens/sales", "/api/reports/short-swing"]),
       st.dictionaries(st.sampled_from(["issuer", "owner", "since", "until", "limit", "cursor", "code", "table",
                                        "min_value", "form", "window", "min_insiders", "role", "format"]),
                       st.text(max_size=30), max_size=4))
def test_no_request_is_a_server_error(api: TestClient, path: str, params: dict[str, str]) -> None:
    response = api.get(path, params=params)
    assert response.status_code < 500, (path, params, response.text)


def test_a_query_past_the_time_cap_is_stopped_with_503(stored: str) -> None:
    def slow(db: Store = Depends(store)) -> dict[str, int]:  # noqa: B008  (FastAPI's way)
        sleeper = "SELECT count(*) FROM range(100000000000)" if db.engine.dialect == "duckdb" else "SELECT pg_sleep(5)"
        db.arrow(sleeper)
        return {"done": 1}

    app = create_app(Settings(url=stored, query_seconds=0.3))
    app.add_api_route("/api/slow", slow)
    with TestClient(app, raise_server_exceptions=False) as api:
        assert _error(api.get("/api/slow"), 503)["code"] == "timeout"
        assert api.get("/api/filings").status_code == 200  # the store lent for it serves the next request


def test_a_duckdb_store_served_keeps_its_buffer_pool_small_and_one_thread_a_query(stored: str) -> None:
    # DuckDB's buffer pool grows to most of the machine's memory under load unless capped, and its
    # parallel scans cost a page more CPU than they save
    def limit(db: Store = Depends(store)) -> dict[str, str]:  # noqa: B008  (FastAPI's way)
        duckdb = db.engine.dialect == "duckdb"
        setting = "memory_limit" if duckdb else "statement_timeout"
        threads = db.arrow("SELECT current_setting('threads') AS v").column(0)[0] if duckdb else 0
        return {"value": str(db.arrow(f"SELECT current_setting('{setting}') AS v").column(0)[0]),
                "threads": str(threads)}

    app = create_app(Settings(url=stored))
    app.add_api_route("/api/limit", limit)
    with TestClient(app, raise_server_exceptions=False) as api:
        answer = api.get("/api/limit").json()
    value = answer["value"]
    if stored.startswith("postgresql"):
        assert value == "10s"
    else:
        assert value.endswith(("MiB", "MB")) and float(value.split()[0]) <= 256
        assert answer["threads"] == "1"
