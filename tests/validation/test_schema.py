"""Schema validation (form4.validation.schema, ``form4 validate --schema``): real filings
pass for every form; documents broken on purpose fail at the right path with plain words;
the version and form pick the schema; the SEC's files ship unchanged and form4's differ from
the files they build on only as their headers say."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from form4.cli import app
from form4.validation.schema import SCHEMA_DIR, SchemaError, document_schema_errors, schema_errors, schema_file
from tests.conftest import ROOT, SHARED

runner = CliRunner()
ROW = "/ownershipDocument/nonDerivativeTable/nonDerivativeTransaction"

OWNER = """<reportingOwner>
    <reportingOwnerId><rptOwnerCik>0001234567</rptOwnerCik><rptOwnerName>Doe Jane</rptOwnerName></reportingOwnerId>
    <reportingOwnerAddress><rptOwnerState>CA</rptOwnerState></reportingOwnerAddress>
    <reportingOwnerRelationship><isDirector>1</isDirector></reportingOwnerRelationship>
  </reportingOwner>"""
TRANSACTION = """<nonDerivativeTransaction>
      <securityTitle><value>Common Stock</value></securityTitle>
      <transactionDate><value>2024-03-04</value></transactionDate>
      <transactionCoding><transactionFormType>{form}</transactionFormType><transactionCode>S</transactionCode>
        <equitySwapInvolved>0</equitySwapInvolved></transactionCoding>
      <transactionAmounts><transactionShares><value>{shares}</value></transactionShares>
        <transactionPricePerShare><value>10.00</value></transactionPricePerShare>
        <transactionAcquiredDisposedCode><value>D</value></transactionAcquiredDisposedCode></transactionAmounts>
      <postTransactionAmounts><sharesOwnedFollowingTransaction><value>900</value></sharesOwnedFollowingTransaction>
      </postTransactionAmounts>
      <ownershipNature><directOrIndirectOwnership><value>D</value></directOrIndirectOwnership></ownershipNature>
    </nonDerivativeTransaction>"""
OPTION = """<derivativeHolding>
      <securityTitle><value>Stock Option</value></securityTitle>
      <conversionOrExercisePrice><value>5.00</value></conversionOrExercisePrice>
      {coding}<exerciseDate><footnoteId id="F1"/></exerciseDate>
      <expirationDate><value>2030-01-01</value></expirationDate>
      <underlyingSecurity><underlyingSecurityTitle><value>Common Stock</value></underlyingSecurityTitle>
        <underlyingSecurityShares><value>1000</value></underlyingSecurityShares></underlyingSecurity>
      {owned}<ownershipNature><directOrIndirectOwnership><value>D</value></directOrIndirectOwnership></ownershipNature>
    </derivativeHolding>"""
OWNED = "<postTransactionAmounts><sharesOwnedFollowingTransaction><value>1000</value>" \
        "</sharesOwnedFollowingTransaction></postTransactionAmounts>"


def document(form: str = "4", version: str | None = "X0508", *, head: str = "", after_owner: str = "",
             table: str | None = None, derivatives: str = "") -> bytes:
    """A small valid document of ``form`` (two sales for a 4 or 5, one option held for a 3)."""
    if table is None:
        table = "" if form.startswith("3") else TRANSACTION.format(form="4", shares=100) + TRANSACTION.format(
            form="4", shares=200)
    amended = "<dateOfOriginalSubmission>2024-03-01</dateOfOriginalSubmission>" if form.endswith("/A") else ""
    holding = OPTION.format(coding="", owned="" if form.startswith("3") else OWNED)
    version_element = f"<schemaVersion>{version}</schemaVersion>" if version else ""
    return f"""<?xml version="1.0"?>
<ownershipDocument>
  {version_element}<documentType>{form}</documentType><periodOfReport>2024-03-04</periodOfReport>{amended}{head}
  <issuer><issuerCik>0000320193</issuerCik><issuerName>Example Corp</issuerName>
    <issuerTradingSymbol>EXM</issuerTradingSymbol></issuer>
  {OWNER}{after_owner}
  <nonDerivativeTable>{table}</nonDerivativeTable>
  <derivativeTable>{derivatives or holding}</derivativeTable>
  <footnotes><footnote id="F1">Exercisable in three equal annual parts.</footnote></footnotes>
  <ownerSignature><signatureName>Jane Doe</signatureName><signatureDate>2024-03-05</signatureDate></ownerSignature>
</ownershipDocument>
""".encode()


def only(errors: list[SchemaError]) -> SchemaError:
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


# --- documents that are valid -------------------------------------------------------------

@pytest.mark.parametrize("form", ["3", "3/A", "4", "4/A", "5", "5/A"])
@pytest.mark.parametrize("version", ["X0203", "X0306", "X0508", None])
def test_a_small_valid_document_of_each_form_and_version_passes(form: str, version: str | None) -> None:
    assert schema_errors(document(form, version)) == []


def test_every_real_filing_in_the_corpus_is_valid_for_every_form(corpus: Path) -> None:
    files = sorted(corpus.glob("xml/real-*.xml")) + sorted(corpus.glob("txt/real-*"))
    forms: set[str] = set()
    for file in files:
        data = file.read_bytes()
        assert document_schema_errors(data, source=file.name) == []
        forms |= set(re.findall(rb"<documentType>([^<]+)<", data)[:1])
    assert len(files) > 300 and forms >= {b"3", b"4", b"5"}


def test_a_padded_date_is_valid_as_xml_schema_collapses_it() -> None:
    assert schema_errors(document().replace(b"<value>2024-03-04</value>", b"<value>\n  2024-03-04  \n</value>")) == []


# --- documents broken on purpose ----------------------------------------------------------

def test_a_missing_required_element_is_named_at_its_parent() -> None:
    code = b"<transactionAcquiredDisposedCode><value>D</value></transactionAcquiredDisposedCode>"
    error = only(schema_errors(document().replace(code, b"", 1), source="f.xml"))
    assert error.path == f"{ROW}[1]/transactionAmounts"
    assert error.message == "<transactionAmounts> lacks a required element; expected <transactionAcquiredDisposedCode>"
    assert str(error) == f"f.xml: {ROW}[1]/transactionAmounts: {error.message}"


def test_a_missing_first_element_is_named_where_the_next_one_stands() -> None:
    broken = document().replace(b"<transactionShares><value>200</value></transactionShares>", b"", 1)
    error = only(schema_errors(broken))
    assert error.path == f"{ROW}[2]/transactionAmounts/transactionPricePerShare"
    assert error.message == "<transactionPricePerShare> is not allowed here; expected <transactionShares>"


def test_a_value_out_of_a_pattern_list_names_the_allowed_values() -> None:
    error = only(schema_errors(document().replace(b"<transactionCode>S<", b"<transactionCode>Q<", 1)))
    assert error.path == f"{ROW}[1]/transactionCoding/transactionCode"
    assert error.message.startswith("'Q' is not one of A, C, D, E, F, G, H")


def test_a_value_out_of_an_enumeration() -> None:
    error = only(schema_errors(document().replace(b"<rptOwnerState>CA<", b"<rptOwnerState>ZZ<")))
    assert error.path == "/ownershipDocument/reportingOwner/reportingOwnerAddress/rptOwnerState"
    assert re.fullmatch(r"'ZZ' is not one of the \d+ codes allowed here", error.message)


def test_an_element_out_of_order_says_what_was_expected() -> None:
    title = b"<securityTitle><value>Common Stock</value></securityTitle>"
    date = b"<transactionDate><value>2024-03-04</value></transactionDate>"
    error = only(schema_errors(document().replace(title + b"\n      " + date, date + title, 1)))
    assert error.path == f"{ROW}[1]/transactionDate"
    assert error.message == "<transactionDate> is not allowed here; expected <securityTitle>"


def test_a_number_below_zero_in_the_second_row() -> None:
    error = only(schema_errors(document().replace(b"<value>200</value>", b"<value>-200</value>")))
    assert error.path == f"{ROW}[2]/transactionAmounts/transactionShares/value"
    assert error.message == "-200 is less than the smallest value allowed, 0.0"


@pytest.mark.parametrize(("old", "new", "path", "message"), [
    (b"<issuerTradingSymbol>EXM<", b"<issuerTradingSymbol>EXAMPLECORPX<",
     "/ownershipDocument/issuer/issuerTradingSymbol", "12 characters long, more than the 10 allowed"),
    (b"<value>2024-03-04</value>", b"<value></value>", f"{ROW}[1]/transactionDate/value",
     "empty, but must be a date (YYYY-MM-DD) (leave the element out rather than empty)"),
    (b"<equitySwapInvolved>0<", b"<equitySwapInvolved>no<", f"{ROW}[1]/transactionCoding/equitySwapInvolved",
     "'no' is not true or false (1 or 0)"),
    (b'<exerciseDate><footnoteId id="F1"/>', b'<exerciseDate><footnoteId id="G1"/>',
     "/ownershipDocument/derivativeTable/derivativeHolding/exerciseDate/footnoteId/@id",
     "'G1' does not match the pattern 'F[1-9][0-9]?'"),
    (b'<exerciseDate><footnoteId id="F1"/>', b"<exerciseDate><footnoteId/>",
     "/ownershipDocument/derivativeTable/derivativeHolding/exerciseDate/footnoteId",
     "<footnoteId> lacks its required attribute id"),
    (b"</footnotes>", b'<footnote id="F1">Again.</footnote></footnotes>',
     "/ownershipDocument/footnotes/footnote[2]/@id",
     "'F1' is not a footnote id of its own (F1 to F99, each used once)"),
])
def test_plain_words_for_each_kind_of_error(old: bytes, new: bytes, path: str, message: str) -> None:
    broken = document().replace(old, new, 1)
    assert broken != document()
    assert (only(schema_errors(broken)).path, only(schema_errors(broken)).message) == (path, message)


def test_a_form_3_has_no_amount_owned_in_table_ii() -> None:
    error = only(schema_errors(document("3", derivatives=OPTION.format(coding="", owned=OWNED))))
    assert error.path == "/ownershipDocument/derivativeTable/derivativeHolding/postTransactionAmounts"
    assert error.message == "<postTransactionAmounts> is not allowed here; expected <ownershipNature>"


def test_a_form_3_has_no_transactions_and_a_form_4_no_holding_codes() -> None:
    error = only(schema_errors(document("3", table=TRANSACTION.format(form="4", shares=1))))
    assert error.path == f"{ROW}" and "<nonDerivativeTransaction> is not allowed here" in error.message
    coded = OPTION.format(coding="<transactionCoding><transactionFormType>3</transactionFormType></transactionCoding>",
                          owned=OWNED)
    assert schema_errors(document("5", derivatives=coded)) == []
    assert "<transactionCoding> is not allowed here" in only(schema_errors(document("4", derivatives=coded))).message


def test_form_5_boxes_and_form_types() -> None:
    boxes = "<notSubjectToSection16>0</notSubjectToSection16><form3HoldingsReported>1</form3HoldingsReported>" \
            "<form4TransactionsReported>0</form4TransactionsReported>"
    assert schema_errors(document("5", head=boxes)) == []
    assert "<form3HoldingsReported> is not allowed here" in only(schema_errors(document("4", head=boxes))).message
    late = document("5", table=TRANSACTION.format(form="5", shares=1))
    assert schema_errors(late) == []
    error = only(schema_errors(document("5", table=TRANSACTION.format(form="3", shares=1))))
    assert (error.path, error.message) == (f"{ROW}/transactionCoding/transactionFormType", "'3' is not one of 4, 5")


def test_an_amendment_needs_the_original_date() -> None:
    broken = document("4/A").replace(b"<dateOfOriginalSubmission>2024-03-01</dateOfOriginalSubmission>", b"")
    error = only(schema_errors(broken))
    assert error.path == "/ownershipDocument/issuer"
    assert error.message == "<issuer> is not allowed here; expected <dateOfOriginalSubmission>"


@pytest.mark.parametrize(("data", "expected"), [
    (b"<ownershipDocument><documentType>4</documentType>", "not well-formed XML"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><ownershipDocument/>', "DTD or entity declaration refused"),
    (b"<ownershipDocument><documentType>10-K</documentType></ownershipDocument>", "documentType '10-K': not one of"),
    (b"<edgarSubmission/>", "the root element is <edgarSubmission>, not <ownershipDocument>"),
])
def test_a_document_that_cannot_be_checked_is_one_error(data: bytes, expected: str) -> None:
    assert expected in only(schema_errors(data, source="x.xml")).message


def test_a_namespaced_document_is_not_the_sec_schema() -> None:
    error = only(schema_errors(document().replace(b"<ownershipDocument>", b'<ownershipDocument xmlns="urn:x">')))
    assert "namespace" in error.message and "{" not in error.message


# --- which schema ---------------------------------------------------------------------------

@pytest.mark.parametrize(("form", "version", "expected"), [
    ("4", "X0306", "X0306/ownership4Document.xsd.xml"), ("4", "X0203", "X0306/ownership4Document.xsd.xml"),
    ("4/A", "X0101", "X0306/ownership4ADocument.xsd.xml"), ("4", "X0407", "X0508/ownership4Document.xsd.xml"),
    ("4", "X0508", "X0508/ownership4Document.xsd.xml"), ("4", None, "X0508/ownership4Document.xsd.xml"),
    ("4", "X0609", "X0508/ownership4Document.xsd.xml"), ("5/A", "X0508", "X0508/ownership5ADocument.xsd.xml"),
    ("3", "X0508", "X0306/ownership3Document.xsd.xml"), ("3/A", "X0206", "X0306/ownership3ADocument.xsd.xml"),
])
def test_form_and_version_pick_the_schema(form: str, version: str | None, expected: str) -> None:
    assert schema_file(form, version) == SCHEMA_DIR / expected


@pytest.mark.parametrize("form", ["4", "4/A", "5", "5/A"])
def test_the_10b5_1_box_belongs_to_the_2023_versions(form: str) -> None:
    box = "<aff10b5One>1</aff10b5One>"
    for version in ("X0407", "X0508", None):
        assert schema_errors(document(form, version, after_owner=box)) == []
    error = only(schema_errors(document(form, "X0306", after_owner=box)))
    assert error.path == "/ownershipDocument/aff10b5One" and "is not allowed here" in error.message
    assert schema_errors(document("3", "X0508", after_owner=box)) != []


# --- the schema files ----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ownershipDocumentCommon", "ownership4Document", "ownership4ADocument"])
def test_the_secs_files_ship_byte_for_byte(name: str) -> None:
    official = SHARED / "spec" / "official" / "xsd" / f"{name}.xsd.xml"
    assert (SCHEMA_DIR / "X0306" / f"{name}.xsd.xml").read_bytes() == official.read_bytes()


def _declarations(path: Path, leave_out: str = "") -> list[str]:
    """The schema's elements and types, comments and documentation aside, one string each."""
    root = etree.parse(str(path), etree.XMLParser(remove_comments=True, remove_blank_text=True)).getroot()
    for node in root.xpath("//xs:annotation | //xs:include", namespaces={"xs": "http://www.w3.org/2001/XMLSchema"}):
        node.getparent().remove(node)
    for node in root.xpath(f"//*[@name='{leave_out}']"):
        node.getparent().remove(node)
    return [etree.tostring(child, method="c14n").decode() for child in root]


@pytest.mark.parametrize("name", ["ownership4Document", "ownership4ADocument", "ownership5Document",
                                  "ownership5ADocument"])
def test_x0508_is_x0306_with_the_10b5_1_box_only(name: str) -> None:
    newer, older = SCHEMA_DIR / "X0508" / f"{name}.xsd.xml", SCHEMA_DIR / "X0306" / f"{name}.xsd.xml"
    assert _declarations(newer, leave_out="aff10b5One") == _declarations(older)
    assert _declarations(newer) != _declarations(older)


def test_every_schema_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    patterns = config["form4.validation"]
    files = [p.relative_to(SCHEMA_DIR.parent).as_posix() for p in SCHEMA_DIR.rglob("*") if p.is_file()]
    assert len(files) >= 12
    assert all(any(fnmatch.fnmatch(f, pattern) for pattern in patterns) for f in files)


# --- form4 validate --schema ------------------------------------------------------------------

def test_cli_prints_one_line_per_problem_and_fails(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_bytes(document())
    bad.write_bytes(document().replace(b"<transactionCode>S<", b"<transactionCode>Q<").replace(
        b"<rptOwnerState>CA<", b"<rptOwnerState>ZZ<"))
    done = runner.invoke(app, ["validate", "--schema", str(good), str(bad)])
    assert done.exit_code == 1
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith(f"{bad}: /ownershipDocument/") for line in lines)
    assert f"{bad}: {ROW}[2]/transactionCoding/transactionCode: 'Q' is not one of" in done.stdout
    assert "2 document(s): 1 valid, 1 invalid" in done.stderr
    assert runner.invoke(app, ["validate", "--schema", str(good)]).exit_code == 0


def test_cli_reads_the_xml_inside_a_submission(tmp_path: Path) -> None:
    xml = document().decode()
    submission = tmp_path / "0001234567-24-000001.txt"
    header = ("<SEC-DOCUMENT>0001234567-24-000001.txt : 20240305\n<SEC-HEADER>\n"
              "ACCESSION NUMBER:\t0001234567-24-000001\n</SEC-HEADER>\n"
              "<DOCUMENT>\n<TYPE>4\n<SEQUENCE>1\n<TEXT>\n<XML>\n")
    submission.write_text(header + xml + "</XML>\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n")
    assert runner.invoke(app, ["validate", "--schema", str(submission)]).exit_code == 0
    submission.write_text(header + xml.replace("<value>200</value>", "<value>lots</value>") + "</XML>\n</TEXT>\n")
    done = runner.invoke(app, ["validate", "--schema", str(submission)])
    assert done.exit_code == 1
    assert done.stdout == (f"{submission}: {ROW}[2]/transactionAmounts/transactionShares/value: "
                           "'lots' is not a number (0 or more, at most 4 decimals)\n")


def test_cli_json_lines_and_an_unreadable_file(tmp_path: Path) -> None:
    good = tmp_path / "good.xml"
    good.write_bytes(document())
    done = runner.invoke(app, ["validate", "--schema", "--format", "jsonl", str(good), str(tmp_path / "gone.xml")])
    assert done.exit_code == 1
    assert done.stdout.strip() == f'{{"source": "{good}", "valid": true, "errors": []}}'
