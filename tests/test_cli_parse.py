"""``form4 parse``: formats, stdin, failures reported without aborting the batch."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from form4.cli import app
from tests.conftest import CORPUS

runner = CliRunner()
XML = CORPUS / "xml" / "374WaterForm4.xml"
SUBMISSIONS = CORPUS / "txt"


def test_json_one_filing_is_an_object() -> None:
    result = runner.invoke(app, ["parse", str(XML), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["issuer"]["trading_symbol"] == "SCWO"
    assert record["non_derivative_transactions"][0]["footnotes"] == {"shares": ["F1"]}


def test_json_several_filings_is_an_array() -> None:
    result = runner.invoke(app, ["parse", str(SUBMISSIONS), "--format", "json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == len(list(SUBMISSIONS.iterdir()))


def test_jsonl_one_line_per_filing() -> None:
    result = runner.invoke(app, ["parse", str(SUBMISSIONS), "-f", "jsonl"])
    lines = result.stdout.splitlines()
    assert len(lines) == len(list(SUBMISSIONS.iterdir()))
    assert all(json.loads(line)["accession_number"] for line in lines)


def test_csv_is_flat_rows() -> None:
    result = runner.invoke(app, ["parse", str(XML), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["table"], r["kind"], r["shares"]) for r in rows] == [
        ("non_derivative", "transaction", "757756"), ("derivative", "transaction", "757576")]
    assert rows[0]["owner_name"] == "Melkote Rajesh Ramaswamy"
    assert json.loads(rows[1]["footnotes"]) == {"shares": ["F1"], "exercise_date": ["F1"]}


def test_table_for_a_person() -> None:
    result = runner.invoke(app, ["parse", str(XML), "--format", "table"])
    assert result.exit_code == 0
    assert "374Water Inc." in result.stdout and "757,756" in result.stdout


def test_failures_reported_with_file_and_field_and_batch_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b'<?xml version="1.0"?><ownershipDocument><issuer>')
    unsafe = tmp_path / "unsafe.xml"
    unsafe.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><ownershipDocument/>')
    errors = tmp_path / "errors.jsonl"
    result = runner.invoke(app, ["parse", str(XML), str(bad), str(unsafe), str(XML), "-f", "jsonl",
                                 "--errors", str(errors)])
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2
    failures = [json.loads(line) for line in errors.read_text().splitlines()]
    assert [(f["source"], f["error"]) for f in failures] == [
        (str(bad), "MalformedInputError"), (str(unsafe), "UnsafeInputError")]
    assert failures[1]["field"] == "DOCTYPE"
    assert str(bad) in result.stderr and "2 document(s) failed" in result.stderr


def test_stdin() -> None:
    data = (SUBMISSIONS / "0001001194-05-000036.nc").read_bytes()
    done = subprocess.run([sys.executable, "-m", "form4", "parse", "-", "--format", "jsonl"],
                          input=data, capture_output=True, check=True)
    assert json.loads(done.stdout)["accession_number"] == "0001001194-05-000036"


def test_quiet_keeps_the_records_and_the_errors_but_not_the_warnings(tmp_path: Path) -> None:
    text = next((CORPUS / "text").glob("*.ocr200.txt"))
    (tmp_path / "broken.xml").write_bytes(b"<ownershipDocument><issuer>")
    loud = runner.invoke(app, ["parse", str(text), str(tmp_path / "broken.xml"), "-f", "jsonl"])
    quiet = runner.invoke(app, ["-q", "parse", str(text), str(tmp_path / "broken.xml"), "-f", "jsonl"])
    assert loud.exit_code == quiet.exit_code == 1 and loud.stdout == quiet.stdout
    assert "warning" in loud.stderr and "warning" not in quiet.stderr
    assert "broken.xml" in quiet.stderr
