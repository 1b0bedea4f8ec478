"""``form4 write``: filings and records in, ownership XML out; one filing per document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import msgspec
from typer.testing import CliRunner

from form4.cli import app
from form4.model import Filing
from form4.readers.submission import read_submission
from form4.readers.xml import read_xml
from form4.writers.xml import SCHEMA_VERSION
from tests.conftest import CORPUS

runner = CliRunner()
XML = CORPUS / "xml" / "374WaterForm4.xml"
SUBMISSIONS = CORPUS / "txt"


def comparable(filing: Filing) -> Filing:
    # what no ownership document gives back: see tests/writers/test_xml.py
    return msgspec.structs.replace(filing, schema_version=SCHEMA_VERSION, accession_number=None, filed_at=None,
                                   source="xml", source_name=None, confidence={}, warnings=[])


def _json_of(*paths: Path, format: str = "json") -> str:
    result = runner.invoke(app, ["parse", "-f", format, *map(str, paths)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_filing_is_written_and_reads_back_as_itself(tmp_path: Path) -> None:
    out = tmp_path / "form4.xml"
    result = runner.invoke(app, ["write", str(XML), "--xml", str(out)])
    assert result.exit_code == 0, result.output
    document = out.read_bytes()
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert comparable(read_xml(document)) == comparable(read_xml(XML.read_bytes()))
    assert f"wrote 1 ownership document as {out}" in result.stderr


def test_a_record_as_form4_parse_prints_it_is_written_as_its_filing(tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    record.write_text(_json_of(XML))
    from_record, from_xml = tmp_path / "a.xml", tmp_path / "b.xml"
    assert runner.invoke(app, ["write", str(record), "--xml", str(from_record)]).exit_code == 0
    assert runner.invoke(app, ["write", str(XML), "--xml", str(from_xml)]).exit_code == 0
    assert from_record.read_bytes() == from_xml.read_bytes()


def test_several_filings_need_a_folder_and_nothing_is_written_without_one(tmp_path: Path) -> None:
    out = tmp_path / "one.xml"
    result = runner.invoke(app, ["write", str(SUBMISSIONS), "--xml", str(out)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "'--xml'" in result.stderr
    assert "several filings" in result.stderr and "folder" in result.stderr
    assert not out.exists()


def test_a_folder_gets_one_document_per_filing_named_by_accession(tmp_path: Path) -> None:
    out = tmp_path / "written"
    result = runner.invoke(app, ["write", str(SUBMISSIONS), "--xml", f"{out}/", "--incomplete"])
    assert result.exit_code == 0, result.output
    submissions = sorted(SUBMISSIONS.iterdir())
    originals = [read_submission(path.read_bytes(), str(path)) for path in submissions]
    names = {p.name for p in out.iterdir()}
    assert len(names) == len(submissions) and {f"{o.accession_number}.xml" for o in originals} <= names
    for original in originals[::10]:
        document = (out / f"{original.accession_number}.xml").read_bytes()
        assert comparable(read_xml(document)) == comparable(original)
    assert f"wrote {len(submissions)} ownership documents to {out}" in result.stderr


def test_json_arrays_and_lines_of_records(tmp_path: Path) -> None:
    xmls = sorted((CORPUS / "xml").glob("dev11-0000*.xml"))[:3]
    (tmp_path / "many.json").write_text(_json_of(*xmls))
    (tmp_path / "many.jsonl").write_text(_json_of(*xmls, format="jsonl"))
    for name in ("many.json", "many.jsonl"):
        out = tmp_path / name.replace(".", "-")
        out.mkdir()  # a folder that exists takes documents without a trailing /
        assert runner.invoke(app, ["write", str(tmp_path / name), "--xml", str(out), "--incomplete"]).exit_code == 0
        assert sorted(p.name for p in out.iterdir()) == [f"{p.stem}.xml" for p in xmls]  # no accession: the name


def test_a_bad_record_is_one_line_naming_file_and_field_and_the_others_are_written(tmp_path: Path) -> None:
    good = json.loads(_json_of(XML))
    bad_type = {**good, "period_of_report": "2025-13-45"}
    bad_text = {**good, "accession_number": "0000000000-25-000001", "remarks": "bell \u0007"}
    records = tmp_path / "records.json"
    records.write_text(json.dumps([bad_type, good, bad_text]))
    out = tmp_path / "out"
    result = runner.invoke(app, ["write", str(records), "--xml", f"{out}/"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert errors == [f"error {records}: [0].period_of_report: not a filing record: Invalid RFC3339 encoded date",
                      f"error {records}: [2].remarks: U+0007 is a character XML cannot carry"]
    assert good["accession_number"] is None  # named by the file the record was read from
    assert [p.name for p in out.iterdir()] == [f"{XML.stem}.xml"]


def test_an_unreadable_input_does_not_stop_the_others(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<ownershipDocument><issuer>")
    not_json = tmp_path / "lines.jsonl"
    not_json.write_text(_json_of(XML, format="jsonl") + "{nope\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["-q", "write", str(broken), str(not_json), "--xml", f"{out}/"])
    assert result.exit_code == 1
    assert str(broken) in result.stderr and f"{not_json}:2: not JSON" in result.stderr
    assert len(list(out.iterdir())) == 1


def test_nothing_to_write_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["write", str(tmp_path), "--xml", str(tmp_path / "x.xml")])
    assert result.exit_code == 1 and "no filing found" in result.stderr


def test_standard_output_and_input() -> None:
    data = (SUBMISSIONS / "0001001194-05-000036.nc").read_bytes()
    done = subprocess.run([sys.executable, "-m", "form4", "write", "-", "--xml", "-"], input=data,
                          capture_output=True, check=True)
    assert done.stdout.startswith(b"<?xml") and done.stderr == b""
    assert comparable(read_xml(done.stdout)) == comparable(read_submission(data))


def test_a_document_the_schema_refuses_is_not_written_unless_incomplete_is_asked(tmp_path: Path) -> None:
    """A record that lacks what the schema requires (here the issuer's ticker and the period) is
    refused, one line per problem naming the element; --incomplete writes it with warnings."""
    record = tmp_path / "lossy.json"
    record.write_text('{"form_type": "4", "issuer": {"name": "Acme Corp"}}')
    out = tmp_path / "lossy.xml"
    refused = runner.invoke(app, ["write", str(record), "--xml", str(out)])
    assert refused.exit_code == 1 and not out.exists()
    lines = refused.stderr.strip().splitlines()
    assert lines and all(f"{record}" in line and "/ownershipDocument" in line for line in lines), lines
    assert any("periodOfReport" in line for line in lines)
    written = runner.invoke(app, ["write", str(record), "--xml", str(out), "--incomplete"])
    assert written.exit_code == 0 and out.exists()
    assert "warning" in written.stderr and "periodOfReport" in written.stderr
