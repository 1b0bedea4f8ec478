"""Numbers as the filings give them: sums and products that double arithmetic would blur
(200000 x 8.88 = 1776000.0000000002; 0.1 + 0.2 = 0.30000000000000004) come out as decimals
through the CLI (table, JSON, CSV) and the API (JSON, CSV), on both engines."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from form4.api import Settings, create_app
from form4.cli import app
from form4.store import Store
from tests.analytics.history import ACME, ALICE, BOB, form4, trade

runner = CliRunner()
NOISE = re.compile(r"\d\.\d*(0000000|9999999)\d")  # a binary tail: ...0000000002, ...9999999


@pytest.fixture
def url(store_url: str) -> str:
    filings = [form4([ALICE], [trade("2024-01-10", "P", 200000, 8.88, after=200000)]),
               form4([ALICE], [trade("2024-01-11", "P", 0.1, 3.0, after=200000.1),
                               trade("2024-01-11", "P", 0.2, 3.0, after=200000.3)]),
               form4([BOB], [trade("2024-02-01", "S", 74907, 151.814, after=1000),
                             trade("2024-02-01", "S", 3, 0.7, after=997)])]
    with Store(store_url) as store:
        store.ingest_filings(filings)
    return store_url


def _quarter(rows: list[dict], category: str) -> dict:
    return next(r for r in rows if r["category"] == category)


def test_cli_json_and_csv_sum_as_decimals(url: str) -> None:
    data = json.loads(runner.invoke(app, ["report", "issuer", "ACME", "--db", url, "-f", "json"]).stdout)
    bought, sold = _quarter(data["totals"], "purchase"), _quarter(data["totals"], "sale")
    assert (bought["shares_acquired"], bought["value_acquired"]) == (200000.3, 1776000.9)
    assert (sold["shares_disposed"], sold["value_disposed"]) == (74910, 11371933.398)
    alice = next(r for r in data["activity"] if r["owner_cik"] == ALICE.cik)
    assert alice["net_shares"] == 200000.3
    text = runner.invoke(app, ["report", "issuer", "ACME", "--db", url, "-f", "csv"]).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["value_acquired"] for r in rows if r["category"] == "purchase"} == {"1776000.9"}
    assert not NOISE.search(text) and not NOISE.search(json.dumps(data))


def test_cli_table_prints_every_filed_decimal(url: str) -> None:
    table = runner.invoke(app, ["report", "issuer", "ACME", "--db", url], env={"COLUMNS": "250"}).stdout
    assert "$1,776,000.90" in table and "$11,371,933.398" in table and "200,000.3" in table
    sales = runner.invoke(app, ["screen", "sales", "--db", url, "-f", "csv"]).stdout
    values = {r["price_per_share"]: r["value"] for r in csv.DictReader(io.StringIO(sales))}
    assert values == {"151.814": "11371931.298", "0.7": "2.1"}
    shown = runner.invoke(app, ["screen", "sales", "--db", url], env={"COLUMNS": "250"}).stdout
    assert "$11,371,931.298" in shown and "$2.10" in shown and not NOISE.search(shown)


def test_api_json_and_csv_are_the_same_decimals(url: str) -> None:
    with TestClient(create_app(Settings(url=url))) as client:
        report = client.get(f"/api/issuers/{ACME.trading_symbol}")
        assert _quarter(report.json()["totals"], "purchase")["value_acquired"] == 1776000.9
        assert not NOISE.search(report.text)
        sales = client.get("/api/screens/sales?format=csv").text
        assert "11371931.298" in sales and not NOISE.search(sales)
        clusters = client.get("/api/screens/purchases").json()
        assert sorted(r["value"] for r in clusters) == [0.3, 0.6, 1776000]
