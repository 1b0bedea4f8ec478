"""A document naming neither an issuer nor a reporting owner, and reporting nothing, is not a
Form 3, 4 or 5: it is refused with a one-line error; naming only one of them, or with its names
lost to a lossy reading but its tables read, it is read with a warning for what is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import form4
from form4.cli import app
from form4.pipeline import ingest
from tests.conftest import CORPUS

ISSUER = "<issuer><issuerCik>0001234567</issuerCik><issuerName>Acme Corp</issuerName></issuer>"
OWNER = "<reportingOwner><reportingOwnerId><rptOwnerName>Doe Jane</rptOwnerName></reportingOwnerId></reportingOwner>"


def document(*parts: str) -> bytes:
    return f"<ownershipDocument><documentType>4</documentType>{''.join(parts)}</ownershipDocument>".encode()


EMPTY = document()


def test_no_issuer_and_no_owner_is_refused_naming_the_source_and_what_is_missing() -> None:
    with pytest.raises(form4.MalformedInputError) as caught:
        form4.read_bytes(EMPTY, "empty.xml")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("empty.xml: not a Form 3, 4 or 5")
    assert "issuer" in message and "reporting_owners" in message


def test_an_issuer_without_owners_a_blank_owner_or_an_owner_without_issuer_reads_with_a_warning() -> None:
    blank_owner = "<reportingOwner><reportingOwnerId><rptOwnerCik></rptOwnerCik></reportingOwnerId></reportingOwner>"
    for parts, missing in (((ISSUER,), "reporting_owners"), ((ISSUER, blank_owner), "reporting_owners"),
                           ((OWNER,), "issuer")):
        filing = form4.read_bytes(document(*parts))
        assert [w.field for w in filing.warnings] == [missing], parts


def test_a_lossy_reading_that_missed_the_issuer_keeps_it_with_the_readers_warning_alone() -> None:
    page = (CORPUS / "text" / "374WaterForm4.layout.txt").read_text()
    filing = form4.read_bytes(page.replace("374Water Inc. [ SCWO ]", "").encode(), "page.txt")
    assert filing.reporting_owners and filing.non_derivative_transactions
    assert [w.message for w in filing.warnings if w.field == "issuer"] == [
        "the issuer's name and ticker could not be read"]


def test_a_document_that_names_no_one_but_reports_a_security_is_kept_with_both_warnings() -> None:
    # what a lossy reading gives when OCR lost both names but read the tables
    holding = ("<nonDerivativeTable><nonDerivativeHolding><securityTitle><value>Common Stock</value>"
               "</securityTitle><postTransactionAmounts><sharesOwnedFollowingTransaction><value>100</value>"
               "</sharesOwnedFollowingTransaction></postTransactionAmounts><ownershipNature>"
               "<directOrIndirectOwnership><value>D</value></directOrIndirectOwnership></ownershipNature>"
               "</nonDerivativeHolding></nonDerivativeTable>")
    filing = form4.read_bytes(document(holding), "names-lost.xml")
    assert [h.shares_owned_following for h in filing.non_derivative_holdings] == [100]
    assert [w.field for w in filing.warnings] == ["issuer", "reporting_owners"]


def test_batches_report_it_and_go_on(tmp_path: Path) -> None:
    (tmp_path / "a-empty.xml").write_bytes(EMPTY)
    (tmp_path / "b-issuer.xml").write_bytes(document(ISSUER, OWNER))
    errors: list[form4.ReadError] = []
    filings = list(form4.iter_filings(tmp_path, on_error=errors.append))
    assert [f.issuer.name for f in filings] == ["Acme Corp"] and filings[0].warnings == []
    assert [(type(e), e.source) for e in errors] == [(form4.MalformedInputError, str(tmp_path / "a-empty.xml"))]


def test_cli_parse_prints_one_line_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_bytes(EMPTY)
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 1 and result.stdout.strip() in ("", "[]")
    failure = [line for line in result.stderr.splitlines() if str(path) in line]
    assert len(failure) == 1 and "not a Form 3, 4 or 5" in failure[0]


def test_cli_parse_shows_a_filing_without_owner_with_its_warning(tmp_path: Path) -> None:
    path = tmp_path / "issuer-only.xml"
    path.write_bytes(document(ISSUER))
    result = CliRunner().invoke(app, ["parse", str(path), "--format", "json"])
    assert result.exit_code == 0
    assert [w["field"] for w in json.loads(result.stdout)["warnings"]] == ["reporting_owners"]


def test_ingest_quarantines_it(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "empty.xml").write_bytes(EMPTY)
    (inputs / "owner-only.xml").write_bytes(document(OWNER))
    with form4.Store(str(tmp_path / "s.duckdb")) as store:
        report = ingest(store, [inputs], workers=1)
        assert (report.new, report.quarantined) == (1, 1)
        held = store.query("SELECT source_path, error FROM quarantine", format="arrow").to_pylist()
        assert [(Path(r["source_path"]).name, r["error"]) for r in held] == [("empty.xml", "MalformedInputError")]
        (stored,) = store.query("SELECT warnings FROM filings", format="arrow").to_pylist()
        assert [w["field"] for w in json.loads(stored["warnings"])] == ["issuer"]
