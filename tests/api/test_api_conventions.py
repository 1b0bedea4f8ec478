"""The API over HTTP, on both engines: a malformed accession is a 400, a value that is not a number
says so, a filing stored again is a 200 that says so, HEAD answers wherever GET does, and a cursor
whose values do not fit the columns it pages on is a 400."""

from __future__ import annotations

import base64
import json

import pytest
from fastapi.testclient import TestClient

from form4.api import Settings, create_app
from tests.conftest import CORPUS


@pytest.mark.parametrize("accession", ["abc", "0001234567-24-00001", "sha256:xyz", "0001234567_24_000001"])
def test_a_malformed_accession_is_a_400(api: TestClient, accession: str) -> None:
    answer = api.get(f"/api/filings/{accession}")
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == "invalid_parameter" and "not an accession number" in answer.text
    assert api.get("/api/filings/0001234567-24-000001").status_code == 404  # well formed, not stored


@pytest.mark.parametrize("path", ["/api/transactions", "/api/screens/purchases", "/api/screens/sales",
                                  "/api/screens/officer-buys", "/api/screens/cluster-buys"])
@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "lots"])
def test_min_value_that_is_not_a_number_says_so(api: TestClient, path: str, value: str) -> None:
    answer = api.get(path, params={"min_value": value})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == f"min_value: {value!r} is not a number"


def test_a_filing_stored_again_is_a_200_that_says_so(stored: str) -> None:
    xml = (CORPUS / "xml" / "374WaterForm4.xml").read_bytes()
    auth = {"Authorization": "Bearer s3cret"}
    with TestClient(create_app(Settings(url=stored, token="s3cret")), raise_server_exceptions=False) as client:
        first = client.post("/api/filings", content=xml, headers=auth)
        assert first.status_code == 201 and first.json()["already_stored"] is False
        again = client.post("/api/filings", content=xml, headers=auth)
        assert again.status_code == 200 and again.json()["already_stored"] is True
        assert again.json()["stored"] == first.json()["stored"]


@pytest.mark.parametrize("path", ["/api/filings", "/api/transactions?limit=3", "/api/holdings",
                                  "/api/issuers/0000000001", "/api/screens/sales?format=csv", "/openapi.json", "/"])
def test_head_answers_wherever_get_does(api: TestClient, path: str) -> None:
    got, head = api.get(path), api.head(path)
    assert got.status_code == head.status_code
    assert head.content == b""
    assert head.headers.get("content-type") == got.headers.get("content-type")
    assert head.headers.get("content-length") == got.headers.get("content-length")
    assert api.head("/api/filings/abc").status_code == 400  # and its errors are GET's
    assert api.head("/api/parse").status_code == 405  # POST only: still not a GET


def cursor(values: list[object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(("path", "values"), [
    ("/api/filings", ["2024-01-01", 5]),  # an accession number that is a number
    ("/api/filings", ["2024-01-01", "not an accession"]),
    ("/api/filings", ["2024-13-01", "0001234567-24-000001"]),
    ("/api/transactions", ["2024-01-01", 123456724000001, "3"]),  # a line as text
    ("/api/transactions", ["2024-01-01", "0001234567-24-000001", 3]),  # the accession, not its key
    ("/api/transactions", ["2024-01-01", 123456724000001, 2 ** 63]),  # no BIGINT
    ("/api/transactions", ["2024-01-01", 123456724000001, True]),
    ("/api/holdings", ["2024-01-01", 123456724000001]),  # a value short
    ("/api/holdings", ["2024-01-01", 123456724000001, 1.5]),
])
def test_a_cursor_whose_values_do_not_fit_its_columns_is_a_400(api: TestClient, path: str,
                                                               values: list[object]) -> None:
    answer = api.get(path, params={"cursor": cursor(values)})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["message"].startswith("cursor: not a cursor this list gave")


def test_a_cursor_of_the_right_kinds_pages_on(api: TestClient) -> None:
    first = api.get("/api/transactions", params={"limit": 2}).json()
    assert first["next"] is not None
    following = api.get("/api/transactions", params={"limit": 2, "cursor": first["next"]})
    assert following.status_code == 200 and following.json()["items"]
    fitting = cursor(["2024-01-01", 123456724000001, 1000000003000001])
    assert api.get("/api/transactions", params={"cursor": fitting}).status_code == 200
