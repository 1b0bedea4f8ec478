"""The REST API through HTTP: lists and pages, records, reports and screens as the CLI gives
them, CSV, and errors as {"error": {"code", "message"}}."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from form4.api import Settings, create_app
from form4.cli import app as cli
from form4.store import Store
from tests.analytics.history import ACME, ALICE, form4, owner, trade


def _all(api: TestClient, path: str, limit: int) -> list[dict]:
    items, cursor = [], None
    while True:
        page = api.get(path, params={"limit": limit, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        assert set(body) == {"items", "next"} and len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next"]
        if cursor is None:
            return items


def test_pages_of_filings_and_transactions_cover_each_row_once(api: TestClient) -> None:
    filings = _all(api, "/api/filings", 4)
    assert len(filings) == 13  # 14 stored, one replaced by its amendment
    assert len({f["accession_number"] for f in filings}) == 13
    days = [f["filed_at"] for f in filings]
    assert days == sorted(days, reverse=True)  # newest first
    rows = _all(api, "/api/transactions", 3)
    keys = [(r["accession_number"], r["table"], r["row_index"], r["owner_cik"]) for r in rows]
    assert len(keys) == len(set(keys)) == 16  # 15 rows, the fund's purchase once per owner


def test_a_page_stays_put_when_filings_are_stored_between_requests(stored: str) -> None:
    with TestClient(create_app(Settings(url=stored))) as api:
        first = api.get("/api/transactions", params={"limit": 5}).json()
    with Store(stored) as store:  # newer and older filings arrive between two pages
        store.ingest_filings([form4([ALICE], [trade("2025-03-03", "P", 1, 9.0)]),
                              form4([ALICE], [trade("2020-03-03", "P", 1, 9.0)])])
    with TestClient(create_app(Settings(url=stored))) as api:
        rest = _all_after(api, first["next"])
    before = {(r["accession_number"], r["row_index"], r["owner_cik"]) for r in first["items"]}
    after = [(r["accession_number"], r["row_index"], r["owner_cik"]) for r in rest]
    assert not before & set(after)
    assert len(before) + len(after) == 16 + 1  # every row stored before, once, and the older newcomer


def _all_after(api: TestClient, cursor: str) -> list[dict]:
    items: list[dict] = []
    while cursor:
        body = api.get("/api/transactions", params={"limit": 5, "cursor": cursor}).json()
        items += body["items"]
        cursor = body["next"]
    return items


def test_filters(api: TestClient) -> None:
    def count(**params: object) -> int:
        response = api.get("/api/transactions", params={"limit": 1000, **params})
        assert response.status_code == 200, response.text
        return len(response.json()["items"])

    assert count(issuer="ACME") == count(issuer=ACME.cik) == count(issuer="101") == 15
    assert count(owner="1") == 8 and count(code="S") == 4 and count(code="P", min_value=10000) == 4
    assert count(since="2024-05-01", until="2024-05-31") == 5 and count(table="derivative") == 0
    assert len(api.get("/api/filings", params={"form": "4", "owner": "5"}).json()["items"]) == 1  # a joint filer
    assert len(api.get("/api/holdings").json()["items"]) == 0


def test_a_filing_is_the_record_parse_prints(api: TestClient, stored: str, tmp_path: object) -> None:
    accession = api.get("/api/filings", params={"issuer": "GBX"}).json()["items"][0]["accession_number"]
    response = api.get(f"/api/filings/{accession}")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    with Store(stored, read_only=True) as store:
        [filing] = store.filings("accession_number = " + store.engine.mark, [accession])
    assert response.text == filing.to_json(indent=2) + "\n"
    assert json.loads(response.text)["issuer"]["trading_symbol"] == "GBX"
    page = api.get(f"/api/filings/{accession}", params={"format": "html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "GLOBEX INC" in page.text and "Smith Alice" in page.text


def test_reports_and_screens_answer_as_the_cli_does(api: TestClient, stored: str) -> None:
    swing = api.get("/api/reports/short-swing", params={"owner": "1", "issuer": "ACME"})
    printed = CliRunner().invoke(cli, ["report", "short-swing", "--owner", "1", "--issuer", "ACME", "--db", stored,
                                       "-f", "json"])
    assert swing.json() == json.loads(printed.stdout) and swing.json()["profit"] == 6400
    clusters = api.get("/api/screens/cluster-buys").json()
    printed = CliRunner().invoke(cli, ["screen", "cluster-buys", "--db", stored, "-f", "json"])
    assert clusters == json.loads(printed.stdout) and clusters[0]["insiders"] == 3
    assert [r["plan"] for r in api.get("/api/screens/sales").json()] == [False, True, False, True]
    assert len(api.get("/api/screens/officer-buys").json()) == 3
    assert len(api.get("/api/screens/purchases", params={"role": "director", "issuer": "ACME"}).json()) == 5
    issuer = api.get("/api/issuers/ACME").json()
    assert issuer["issuer"]["cik"] == ACME.cik and len(issuer["insiders"]) == 9
    assert [i["trading_symbol"] for i in api.get("/api/owners/1").json()["issuers"]] == ["ACME", "GBX"]


def test_lists_as_csv(api: TestClient) -> None:
    by_header = api.get("/api/transactions", params={"code": "S"}, headers={"Accept": "text/csv"})
    by_query = api.get("/api/transactions", params={"code": "S", "format": "csv"})
    assert by_header.headers["content-type"].startswith("text/csv") and by_header.text == by_query.text
    lines = by_header.text.splitlines()
    assert lines[0].startswith("accession_number,table,row_index") and len(lines) == 5
    clusters = api.get("/api/screens/cluster-buys", params={"format": "csv"}).text.splitlines()
    assert len(clusters) == 2 and "buyers" in clusters[0]


def test_openapi_and_docs(api: TestClient) -> None:
    schema = api.get("/openapi.json").json()
    assert {"/api/filings", "/api/filings/{accession}", "/api/transactions", "/api/holdings", "/api/issuers/{issuer}",
            "/api/owners/{owner}", "/api/reports/short-swing", "/api/screens/cluster-buys"} <= set(schema["paths"])
    assert api.get("/docs").status_code == 200


def test_a_joint_filer_is_an_owner_of_the_filing(api: TestClient) -> None:
    rows = api.get("/api/transactions", params={"owner": "5"}).json()["items"]
    assert [(r["owner_name"], r["shares"]) for r in rows] == [("Big Fund GP LLC", 10000)]
    assert owner(5, "x").cik == rows[0]["owner_cik"]


def test_a_filing_sent_is_read_and_stored_only_with_the_token(stored: str) -> None:
    from tests.conftest import CORPUS

    xml = (CORPUS / "xml" / "374WaterForm4.xml").read_bytes()
    with TestClient(create_app(Settings(url=stored)), raise_server_exceptions=False) as api:
        parsed = api.post("/api/parse", content=xml, params={"name": "374WaterForm4.xml"})
        assert parsed.status_code == 200 and json.loads(parsed.text)["issuer"]["trading_symbol"] == "SCWO"
        assert api.post("/api/filings", content=xml).json()["error"]["code"] == "forbidden"  # no token configured
        bad = api.post("/api/parse", content=b"<not a filing")
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "unreadable"
        assert api.post("/api/parse", content=b"").status_code == 400
        assert api.post("/api/parse", content=b"x" * (21 * 1024 * 1024)).status_code == 413
    with TestClient(create_app(Settings(url=stored, token="s3cret")), raise_server_exceptions=False) as api:
        assert api.post("/api/filings", content=xml).status_code == 401
        assert api.post("/api/filings", content=xml, headers={"Authorization": "Bearer nope"}).status_code == 401
        made = api.post("/api/filings", content=xml, headers={"Authorization": "Bearer s3cret"})
        assert made.status_code == 201, made.text
        key = made.json()["stored"]
        assert api.get(f"/api/filings/{key}").json()["issuer"]["name"] == "374Water Inc."
        # listed at once: its rows are current in the write that stored it
        listed = api.get("/api/transactions", params={"issuer": "SCWO"}).json()["items"]
        assert listed and {r["accession_number"] for r in listed} == {key}
