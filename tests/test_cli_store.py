"""The store's commands, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from form4.cli import app
from tests.conftest import ROOT

EXAMPLES = str(ROOT / "examples" / "filings")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout


def test_ingest_prints_a_summary_and_is_idempotent(tmp_path: Path) -> None:
    db = str(tmp_path / "f.duckdb")
    code, out = run("ingest", EXAMPLES, "--db", db)
    assert code == 0 and "6 new filings" in out and "filings" in out and "code" in out
    code, out = run("ingest", EXAMPLES, "--db", db)
    assert code == 0 and "0 new filings, 6 already stored" in out


def test_query_formats_and_the_environment_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "f.duckdb")
    run("ingest", EXAMPLES, "--db", db)
    code, out = run("query", "SELECT transaction_code, count(*) AS n FROM transactions GROUP BY 1 ORDER BY 1",
                    "--db", db, "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {r["transaction_code"] for r in rows} >= {"A", "S", "M"}
    monkeypatch.setenv("FORM4_DB", db)
    code, out = run("query", "SELECT count(*) AS n FROM filings", "--format", "csv")
    assert code == 0 and out.splitlines() == ["n", "6"]


def test_export_to_stdout_and_files(tmp_path: Path) -> None:
    db = str(tmp_path / "f.duckdb")
    run("ingest", EXAMPLES, "--db", db)
    code, out = run("export", "--db", db, "--view", "holdings", "--format", "csv")
    assert code == 0 and list(csv.DictReader(io.StringIO(out)))
    code, _ = run("export", "--db", db, "--format", "parquet")
    assert code != 0  # Parquet needs --out
    code, _ = run("export", "--db", db, "--format", "sec-dataset", "--out", str(tmp_path / "d.zip"))
    assert code == 0
    code, out = run("import-sec-dataset", str(tmp_path / "d.zip"), "--db", str(tmp_path / "g.duckdb"))
    assert code == 0 and "6 new filings" in out
