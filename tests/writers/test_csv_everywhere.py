"""One CSV for the whole project: ``parse -f csv``, ``export``, ``query``/``report``/``screen -f csv``
and the API's CSV answers write the same rows the same way (booleans, numbers, dates, lists) and a
header even when there are no rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from form4.analytics import columns
from form4.api import Settings, create_app
from form4.cli import app
from form4.writers.csv import cell, csv_text
from tests.conftest import ROOT

EXAMPLES = str(ROOT / "examples" / "filings")


@pytest.mark.parametrize(("value", "written"), [
    (None, ""), (True, "true"), (False, "false"), (0, "0"), (-12, "-12"),
    (2584.0, "2584"), (0.1, "0.1"), (151.814, "151.814"), (1776000.0000000002, "1776000.0000000002"),
    (1e-07, "0.0000001"), (1.5e16, "15000000000000000"), (float("nan"), ""),
    (Decimal("1.50"), "1.50"), (Decimal("2584.000"), "2584"),
    (dt.date(2024, 3, 1), "2024-03-01"), (dt.datetime(2024, 3, 1, 16, 5, tzinfo=dt.UTC), "2024-03-01T16:05:00+00:00"),
    (["officer", "cfo"], '["officer", "cfo"]'), ({"shares": ["F1"]}, '{"shares": ["F1"]}'), ("a,b", "a,b"),
])
def test_each_value_has_one_cell(value: object, written: str) -> None:
    assert cell(value) == written
    if isinstance(value, float) and written:
        assert float(written) == value  # read back, the same number: nothing rounded


def test_a_header_even_with_no_rows() -> None:
    assert csv_text([], if_empty=("a", "b")) == "a,b\n"
    assert csv_text([{"a": 1, "b": True}], if_empty=("x",)) == "a,b\n1,true\n"  # the rows' own columns
    assert csv_text([{"a": 1, "c": 2}], columns=("a", "b")) == "a,b\n1,\n"


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("csv") / "s.duckdb")
    run("-q", "ingest", EXAMPLES, "--db", db)
    return db


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_and_query_write_the_same_csv(store: str, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    CliRunner().invoke(app, ["export", "--db", store, "--out", str(out)])
    exported = out.read_text()
    queried = run("query", "SELECT * FROM transactions ORDER BY 1, 2, 3", "--db", store, "-f", "csv")
    assert exported == queried == run("export", "--db", store)  # to a file and to standard output alike
    assert {r["is_officer"] for r in rows(exported)} == {"true", "false"}
    assert not any(v.endswith(".0") for r in rows(exported) for v in r.values())


def test_parse_writes_the_rows_the_store_exports(store: str) -> None:
    def key(row: dict[str, str]) -> tuple[str, ...]:  # an XML file has no accession number: its row by what it is
        return tuple(row[c] for c in ("issuer_cik", "owner_cik", "form_type", "period_of_report", "table",
                                      "row_index"))

    parsed = {key(r): r for r in rows(run("parse", "-f", "csv", EXAMPLES)) if r["kind"] == "transaction"}
    exported = rows(run("export", "--db", store))
    matched = [(row, parsed[key(row)]) for row in exported if key(row) in parsed]
    assert len(matched) >= len(exported) - 2  # all but the legacy text filings' rows, read from the same files
    shared = set(exported[0]) & set(next(iter(parsed.values()))) - {"accession_number", "footnotes"}
    assert {"is_officer", "shares", "price_per_share", "transaction_date", "shares_owned_following"} <= shared
    for row, match in matched:
        for column in shared:
            assert row[column] == match[column], (column, row[column], match[column])


def test_report_screen_and_api_write_the_same_csv_and_headers_for_no_rows(store: str) -> None:
    with TestClient(create_app(Settings(url=store))) as client:
        def api(path: str) -> str:
            answer = client.get(path + ("&" if "?" in path else "?") + "format=csv")
            assert answer.status_code == 200, answer.text
            return answer.text

        sales = run("screen", "sales", "--db", store, "-f", "csv")
        assert rows(sales) and sales == api("/api/screens/sales")
        assert sales.splitlines()[0].split(",") == list(columns.SALES)
        assert {r["plan"] for r in rows(sales)} <= {"true", "false"}
        # no open-market purchase in the years to come: a header all the same, the same from each
        purchases = run("screen", "purchases", "--since", "2100-01-01", "--db", store, "-f", "csv")
        assert purchases == api("/api/screens/purchases?since=2100-01-01") == ",".join(columns.TRADES) + "\n"
        clusters = run("screen", "cluster-buys", "--min-insiders", "1", "--db", store, "-f", "csv")
        assert clusters.splitlines()[0].split(",") == list(columns.CLUSTER_BUYS)
        none = run("screen", "cluster-buys", "--since", "2100-01-01", "--db", store, "-f", "csv")
        assert none == api("/api/screens/cluster-buys?since=2100-01-01") == ",".join(columns.CLUSTER_BUYS) + "\n"
        activity = run("report", "issuer", "SNOW", "--db", store, "-f", "csv")
        assert activity.splitlines()[0].split(",") == list(columns.ACTIVITY)
        empty = run("report", "issuer", "SNOW", "--since", "2100-01-01", "--db", store, "-f", "csv")
        assert empty == ",".join(columns.ACTIVITY) + "\n"
        pairs = run("report", "short-swing", "--owner", "1402349", "--issuer", "SNOW", "--db", store, "-f", "csv")
        assert pairs.splitlines()[0].split(",") == list(columns.SHORT_SWING_PAIRS)
        # the API's lists: their columns, rows or none
        listed = api("/api/transactions")
        nothing = api("/api/transactions?code=Z")
        assert rows(listed) and nothing == listed.splitlines()[0] + "\n"
        assert {r["is_officer"] for r in rows(listed)} <= {"true", "false"}
        assert api("/api/holdings?since=2100-01-01").count("\n") == 1
        assert api("/api/filings?since=2100-01-01").startswith("accession_number,")
