"""The store's commands as a user types them, on both engines: summaries, read-only queries,
one-line errors and exit status that tells the truth."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from form4.cli import app
from tests.conftest import CORPUS, ROOT

EXAMPLES = str(ROOT / "examples" / "filings")
# every example document is one filing; those named by an accession number carry it
DOCUMENTS = sorted(p for p in Path(EXAMPLES).rglob("*") if p.is_file())
N = len(DOCUMENTS)
NAMED = sum(1 for p in DOCUMENTS if re.search(r"\d{10}-\d{2}-\d{6}", p.name))


class Run:
    def __init__(self, *args: str) -> None:
        result = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
        self.code = result.exit_code
        self.out = result.stdout
        self.err = result.stderr
        self.exception = result.exception


def one_line_error(run: Run, *fragments: str, code: int = 1) -> None:
    """Failed with exit 1 (2: a command line it cannot use) and one line on stderr that says why; no traceback."""
    assert run.code == code, (run.code, run.out, run.err, run.exception)
    assert isinstance(run.exception, SystemExit)  # not an exception that escaped
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error "), run.err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.fixture
def stored(store_url: str) -> str:
    assert Run("ingest", EXAMPLES, "--db", store_url).code == 0
    return store_url


def count(url: str, table: str = "filings") -> int:
    run = Run("query", f"SELECT count(*) AS n FROM {table}", "--db", url, "-f", "csv")
    assert run.code == 0, run.err
    return int(run.out.splitlines()[1])


def test_ingest_prints_this_run_then_the_store_by_form_and_is_idempotent(store_url: str) -> None:
    first = Run("ingest", EXAMPLES, "--db", store_url)
    assert first.code == 0 and f"{N} documents: {N} new filings, 0 already stored, 0 quarantined" in first.out
    table = first.out.split("now holds", 1)[1]
    assert [line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│")] == ["3", "4", "4/A", "5"]
    again = Run("ingest", EXAMPLES, "--db", store_url)
    assert again.code == 0 and f"0 new filings, {N} already stored" in again.out


def test_a_store_of_form_3s_shows_its_holdings(store_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "form3"
    folder.mkdir()
    for path in Path(EXAMPLES).glob("form3*.xml"):
        shutil.copy(path, folder)
    run = Run("ingest", str(folder), "--db", store_url)
    assert run.code == 0
    row = next(line for line in run.out.splitlines() if line.startswith("│ 3 "))
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["3", "2", "0", "6"]  # form, filings, txns, holdings


def test_ingest_of_a_missing_path_fails_but_stores_the_rest(store_url: str) -> None:
    run = Run("ingest", "no/such/folder", EXAMPLES, "--db", store_url)
    assert run.code == 1 and "no/such/folder: no such file or directory" in run.err
    assert "1 not found" in run.err and f"{N} new filings" in run.out
    assert count(store_url) == N


def test_ingest_with_quarantined_documents_exits_1_and_says_so(store_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / "xml" / "374WaterForm4.xml", folder / "0000000001-24-000001.xml")
    (folder / "broken.xml").write_bytes(b"<?xml version='1.0'?><ownershipDocument><issuer>")
    run = Run("ingest", str(folder), "--db", store_url)
    assert run.code == 1 and "1 new filings" in run.out and "1 quarantined" in run.out
    assert "broken.xml" in run.err and "quarantined" in run.err
    assert count(store_url) == 1 and count(store_url, "quarantine") == 1


def test_an_ingest_with_nothing_to_read_creates_no_store(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    run = Run("ingest", str(tmp_path / "missing.xml"), "--db", str(db))
    assert run.code == 1 and not db.exists()


@pytest.mark.parametrize("sql", [
    "DROP TABLE filings",
    "DELETE FROM filings",
    "INSERT INTO footnotes VALUES ('x', 'F1', 'text')",
    "UPDATE filings SET remarks = 'x'",
    "CREATE TABLE mine (a INTEGER)",
    "COPY filings TO '/tmp/form4-copy-test.csv'",
    "SELECT 1; DROP TABLE filings",
    "SET search_path = public",
    "ATTACH 'other.duckdb'",
])
def test_query_refuses_to_write(stored: str, sql: str) -> None:
    before = count(stored)
    one_line_error(Run("query", sql, "--db", stored), "query only reads the store")
    assert count(stored) == before and count(stored, "footnotes") > 0
    assert not Path("/tmp/form4-copy-test.csv").exists()


def test_a_write_hidden_in_a_read_is_stopped_by_the_engine(stored: str) -> None:
    # Parsed as a SELECT; the read-only connection refuses the DELETE inside it.
    run = Run("query", "WITH gone AS (DELETE FROM filings RETURNING 1) SELECT count(*) FROM gone", "--db", stored)
    assert run.code == 1 and count(stored) == N


def test_several_statements_are_all_printed(stored: str) -> None:
    run = Run("query", "SELECT count(*) AS n FROM filings; SELECT form_type FROM filings ORDER BY 1 LIMIT 1",
              "--db", stored, "-f", "csv")
    assert run.code == 0
    assert [line for line in run.out.splitlines() if not line.startswith("--")] == ["n", str(N), "form_type", "3"]
    data = json.loads(Run("query", "SELECT 1 AS a; SELECT 2 AS b", "--db", stored, "-f", "json").out)
    assert data == [{"statement": "SELECT 1 AS a", "rows": [{"a": 1}]},
                    {"statement": "SELECT 2 AS b", "rows": [{"b": 2}]}]


def test_query_parameters(stored: str) -> None:
    run = Run("query", "SELECT count(*) AS n FROM filings WHERE trading_symbol = $ticker AND form_type LIKE '4%'",
              "--param", "ticker=SNOW", "--db", stored, "-f", "json")
    assert run.code == 0 and json.loads(run.out) == [{"n": 1}]
    run = Run("query", "SELECT count(*) AS n FROM transactions WHERE shares >= $least AND period_of_report >= $since",
              "-p", "least=1000", "-p", "since=2020-01-01", "--db", stored, "-f", "json")
    assert run.code == 0 and json.loads(run.out)[0]["n"] > 0
    # a value that looks like a number but has leading zeros (a CIK) stays text
    run = Run("query", "SELECT count(*) AS n FROM filings WHERE issuer_cik = $cik", "-p", "cik=0000933972",
              "--db", stored, "-f", "json")
    assert json.loads(run.out) == [{"n": 1}]
    one_line_error(Run("query", "SELECT $missing", "--db", stored), "no value for $missing", "--param missing=")
    one_line_error(Run("query", "SELECT 1", "-p", "novalue", "--db", stored), "expected NAME=VALUE", code=2)


@pytest.mark.parametrize(("sql", "says"), [
    ("SELECT * FROM no_such_table", "no_such_table"),
    ("SELEC 1", "syntax error"),
    ("SELECT no_such_column FROM filings", "no_such_column"),
])
def test_bad_sql_is_one_line(stored: str, sql: str, says: str) -> None:
    one_line_error(Run("query", sql, "--db", stored), says)


def test_reading_commands_refuse_a_store_that_does_not_exist(tmp_path: Path) -> None:
    db = tmp_path / "misspelt.duckdb"
    one_line_error(Run("query", "SELECT 1", "--db", str(db)), "no store at", "form4 ingest")
    one_line_error(Run("export", "--db", str(db)), "no store at")
    assert not db.exists()


def test_export_into_a_missing_folder(stored: str, tmp_path: Path) -> None:
    run = Run("export", "--db", stored, "--out", str(tmp_path / "new" / "t.csv"))  # made, as every command's folder
    assert run.code == 0 and f"made the folder {tmp_path / 'new'}" in run.err
    assert (tmp_path / "new" / "t.csv").read_text().startswith("accession_number,")


def test_import_sec_dataset_of_a_missing_file(tmp_path: Path) -> None:
    one_line_error(Run("import-sec-dataset", str(tmp_path / "2024q1.zip"), "--db", str(tmp_path / "s.duckdb")),
                   "2024q1.zip")


def test_query_formats_and_the_environment_default(stored: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run = Run("query", "SELECT transaction_code, count(*) AS n FROM transactions GROUP BY 1 ORDER BY 1",
              "--db", stored, "--format", "json")
    assert run.code == 0 and {r["transaction_code"] for r in json.loads(run.out)} >= {"A", "S", "M"}
    monkeypatch.setenv("FORM4_DB", stored)
    run = Run("query", "SELECT count(*) AS n FROM filings", "--format", "csv")
    assert run.code == 0 and run.out.splitlines() == ["n", str(N)]


def test_a_wide_result_is_shown_one_record_at_a_time(stored: str) -> None:
    wide = Run("query", "SELECT * FROM transactions ORDER BY accession_number, row_index LIMIT 2", "--db", stored)
    assert wide.code == 0 and "record 1" in wide.out and "record 2" in wide.out and "…" not in wide.out
    assert "-f csv" in wide.out
    narrow = Run("query", "SELECT form_type, count(*) AS n FROM filings GROUP BY 1 ORDER BY 1", "--db", stored)
    assert "record 1" not in narrow.out and "┃ form_type ┃" in narrow.out


def test_export_to_stdout_and_files(stored: str, tmp_path: Path) -> None:
    run = Run("export", "--db", stored, "--view", "holdings", "--format", "csv")
    assert run.code == 0 and list(csv.DictReader(io.StringIO(run.out)))
    assert Run("export", "--db", stored, "--format", "parquet").code == 2  # Parquet needs --out



def test_sec_dataset_export_reports_filings_without_an_accession_number(stored: str, tmp_path: Path) -> None:
    # The data set is keyed by accession number: the examples not named by one are not written.
    run = Run("export", "--db", stored, "--format", "sec-dataset", "--out", str(tmp_path / "d.zip"))
    assert run.code == 0 and f"{NAMED} filings written" in run.err
    assert f"{N - NAMED} filings without an accession number not written" in run.err and "examples/filings/" in run.err
    run = Run("import-sec-dataset", str(tmp_path / "d.zip"), "--db", str(tmp_path / "g.duckdb"))
    assert run.code == 0 and f"{NAMED} new filings" in run.out


def test_import_sec_dataset_of_what_is_not_one(tmp_path: Path) -> None:
    import zipfile

    db = str(tmp_path / "s.duckdb")
    (tmp_path / "notes.zip").write_text("not a zip at all")
    one_line_error(Run("import-sec-dataset", str(tmp_path / "notes.zip"), "--db", db), "notes.zip", "not a zip")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as zf:
        zf.writestr("readme.txt", "hello")
    one_line_error(Run("import-sec-dataset", str(tmp_path / "other.zip"), "--db", db), "other.zip", "SUBMISSION")


def test_quiet_version_and_short_help(store_url: str) -> None:
    quiet = Run("--quiet", "ingest", EXAMPLES, "--db", store_url)
    assert quiet.code == 0 and quiet.out == ""
    version = Run("--version")
    assert version.code == 0 and version.out.startswith("form4 ")
    for args in (["-h"], ["query", "-h"], ["ingest", "-h"]):
        run = Run(*args)
        assert run.code == 0 and "Usage" in run.out


def test_help_lines_are_whole_sentences() -> None:
    listing = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).stdout
    rows = [line for line in listing.splitlines() if line.startswith("│ ") and "  " in line.strip("│ ")]
    commands = [row for row in rows if not row.lstrip("│ ").startswith("-")]
    assert len(commands) >= 5
    for row in commands:  # each command's summary is one sentence on one line
        assert row.rstrip("│ ").endswith("."), row


@pytest.mark.parametrize(("url", "says"), [
    ("postgresql://form4:form4@127.0.0.1:1/form4_test", "Connection refused"),
    ("postgresql://form4:not-the-password@127.0.0.1:5432/form4_test", "password authentication failed"),
    ("postgresql://form4:form4@127.0.0.1:5432/no_such_database", "no_such_database"),
    ("postgresql://for m4:pw@127.0.0.1:5432/form4_test", "not a PostgreSQL URL"),
    ("postgresql://form4:form4@256.256.256.256:5432/form4_test", "cannot connect"),
])
def test_postgres_connection_problems_are_one_line(postgres: str, url: str, says: str) -> None:
    for args in (["query", "SELECT 1"], ["ingest", EXAMPLES], ["export"]):
        run = Run(*args, "--db", url)
        one_line_error(run, says)
        assert "not-the-password" not in run.err  # the password is never printed


def test_a_search_path_schema_that_does_not_exist(postgres: str) -> None:
    import uuid

    import psycopg

    schema = f"t_new_{uuid.uuid4().hex[:8]}"
    url = f"{postgres}?options=-csearch_path%3D{schema}"
    try:
        one_line_error(Run("query", "SELECT 1", "--db", url), f"schema {schema} does not exist", "form4 ingest")
        assert Run("ingest", EXAMPLES, "--db", url).code == 0  # writing creates it
        assert count(url) == N
    finally:
        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def test_a_role_that_may_not_create_the_schema_is_told_how(postgres: str) -> None:
    import uuid

    import psycopg

    role, schema = f"r_{uuid.uuid4().hex[:8]}", f"t_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres, autocommit=True) as conn:
        if not conn.execute("SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user").fetchone()[0]:
            pytest.skip("the test role cannot create roles (scripts/postgres.sh grants CREATEROLE)")
        conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'")
    url = postgres.replace("form4:form4@", f"{role}:pw@") + f"?options=-csearch_path%3D{schema}"
    try:
        one_line_error(Run("ingest", EXAMPLES, "--db", url), f"schema {schema} does not exist",
                       f'CREATE SCHEMA "{schema}" AUTHORIZATION')
    finally:
        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute(f"DROP ROLE {role}")
