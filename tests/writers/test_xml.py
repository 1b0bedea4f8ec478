"""The ownership XML writer: every record written reads back as itself, in the schema's order.

Round trips run over the whole corpus (ownership XML, EDGAR submissions, and the lossy records
the HTML, text and PDF readers give) and over generated records; the order is checked against
the SEC's X0306 schema, the real documents by validating what is written for them.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import form4
from form4.model import (
    DerivativeHolding,
    DerivativeTransaction,
    Filing,
    Footnote,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    ReportingOwner,
    Signature,
)
from form4.readers.submission import read_submission
from form4.readers.xml import read_xml
from form4.validation.schema import schema_errors
from form4.writers.xml import SCHEMA_VERSION, InvalidDocumentError, UnwritableRecordError, to_xml
from tests.conftest import CORPUS, SHARED

XSD = SHARED / "spec" / "official" / "xsd"


def comparable(filing: Filing) -> Filing:
    """The record without what an ownership document cannot give back by nature:
    - schema_version: the document is written in the current version, whatever the record was read from;
    - accession_number, filed_at: EDGAR's submission header states them, not the ownership document;
    - source, source_name, confidence: which reader read which file, how sure an OCR was;
    - warnings: about values of the source that could not be read (the document holds what was read)."""
    return msgspec.structs.replace(filing, schema_version=SCHEMA_VERSION, accession_number=None, filed_at=None,
                                   source="xml", source_name=None, confidence={}, warnings=[])


def round_trip_failures(records: Iterable[tuple[str, Filing]]) -> tuple[int, list[str]]:
    count, failed = 0, []
    for name, record in records:
        count += 1
        back = read_xml(to_xml(record, check=False), name)  # invalid as filed: written as held
        if comparable(back) != comparable(record):
            failed.append(name)
    return count, failed


def corpus(folder: str, pattern: str, reader: Callable[[bytes, str | None], Filing]) -> list[tuple[str, Filing]]:
    return [(path.name, reader(path.read_bytes(), str(path))) for path in sorted((CORPUS / folder).glob(pattern))]


# --- the corpus ---------------------------------------------------------------------------------

def test_every_ownership_xml_of_the_corpus_round_trips() -> None:
    count, failed = round_trip_failures(corpus("xml", "*.xml", read_xml))
    assert count == len(list((CORPUS / "xml").glob("*.xml"))) >= 383
    assert failed == []


def test_every_edgar_submission_of_the_corpus_round_trips() -> None:
    records = corpus("txt", "*", read_submission)
    count, failed = round_trip_failures(records)
    assert count == len(records) >= 58 and failed == []


def test_lossy_records_round_trip() -> None:
    """HTML pages and text pulled out of PDFs and scans: fields the reader missed stay missing."""
    records = corpus("html", "*.html", form4.read_bytes) + corpus("text", "*.txt", form4.read_bytes)
    count, failed = round_trip_failures(records)
    assert count >= 130 and failed == []
    assert any(r.issuer.cik is None for _, r in records)


@pytest.mark.skipif(importlib.util.find_spec("pypdfium2") is None, reason="the pdf extra is not installed")
def test_pdf_records_round_trip() -> None:
    count, failed = round_trip_failures(corpus("pdf", "*.pdf", form4.read_bytes))
    assert count >= 20 and failed == []


def test_what_is_written_for_a_valid_filing_is_valid() -> None:
    """Every corpus filing that meets its schema as filed (any form, any version) is written as a
    document that meets the current one: the writer's own check lets it through."""
    checked = 0
    for path in sorted((CORPUS / "xml").glob("*.xml")):
        data = path.read_bytes()
        if schema_errors(data, source=path.name):
            continue
        checked += 1
        written = to_xml(read_xml(data, path.name))  # checked: raises if the schema refuses it
        assert schema_errors(written) == []
    assert checked >= 330


def test_a_document_the_schema_refuses_is_not_written_unless_asked() -> None:
    lossy = _filing(non_derivative_transactions=[msgspec.structs.replace(_sale(), transaction_date=None)])
    with pytest.raises(InvalidDocumentError) as caught:
        to_xml(lossy)
    assert any(p.path.endswith("nonDerivativeTransaction[1]/transactionCoding") or "transactionDate" in p.message
               for p in caught.value.problems), caught.value.problems
    assert "would break the schema" in str(caught.value)
    written = to_xml(lossy, check=False)  # a lossy reading, written to complete by hand
    assert read_xml(written).non_derivative_transactions[0].transaction_date is None


# --- the schema's order --------------------------------------------------------------------------

Orders = dict[tuple[str, ...], list[str]]


def _xsd_orders() -> Orders:
    """Each element of the Form 4 schema, by its path from the root -> its children's names in the
    schema's sequence (a transactionAmounts of Table I and one of Table II differ)."""
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    types = {kind.get("name"): kind for name in ("ownershipDocumentCommon.xsd.xml", "ownership4Document.xsd.xml")
             for kind in etree.parse(str(XSD / name)).getroot().iterfind("xs:complexType", ns)}
    orders: Orders = {}

    def visit(path: tuple[str, ...], container: etree._Element) -> None:
        kids = [el for el in container.iter("{*}element") if _declared_in(el, container)]
        orders[path] = [el.get("name") or "" for el in kids]
        for el in kids:
            kind = types.get(el.get("type"))
            if kind is not None:
                visit((*path, el.get("name") or ""), kind)

    document = etree.parse(str(XSD / "ownership4Document.xsd.xml")).getroot().find(
        "xs:element[@name='ownershipDocument']/xs:complexType", ns)
    assert document is not None
    visit(("ownershipDocument",), document)
    return orders


def _declared_in(element: etree._Element, container: etree._Element) -> bool:
    """Whether ``element`` is declared directly in ``container`` (not inside a nested element)."""
    parent = element.getparent()
    while parent is not None and parent is not container:
        if etree.QName(parent).localname == "element":
            return False
        parent = parent.getparent()
    return parent is container


XSD_ORDERS = _xsd_orders()
# Added after X0306, where EDGAR puts it: after the reporting owners.
_TOP = XSD_ORDERS["ownershipDocument",]
_TOP.insert(_TOP.index("reportingOwner") + 1, "aff10b5One")


def out_of_order(document: bytes) -> list[str]:
    """Elements the Form 4 schema does not have where they are, or that come before one it puts first."""
    problems = []
    for element in etree.fromstring(document).iter():
        path = tuple(el.tag for el in reversed([element, *element.iterancestors()]))
        order = XSD_ORDERS.get(path)
        if not order:
            continue
        positions = []
        for child in element:
            if child.tag in order:
                positions.append(order.index(child.tag))
            else:
                problems.append(f"<{child.tag}> in <{element.tag}>")
        if positions != sorted(positions):
            problems.append(f"<{element.tag}>: {[child.tag for child in element]}")
    return problems


def test_the_schema_orders_are_read() -> None:
    assert _TOP[:3] == ["schemaVersion", "documentType", "periodOfReport"]
    table1, table2 = ("ownershipDocument", "nonDerivativeTable"), ("ownershipDocument", "derivativeTable")
    assert XSD_ORDERS[(*table2, "derivativeTransaction")][-3:] == [
        "underlyingSecurity", "postTransactionAmounts", "ownershipNature"]
    assert XSD_ORDERS[(*table1, "nonDerivativeTransaction", "transactionCoding")] == [
        "transactionFormType", "transactionCode", "equitySwapInvolved", "footnoteId"]
    assert "transactionTotalValue" in XSD_ORDERS[(*table2, "derivativeTransaction", "transactionAmounts")]
    assert XSD_ORDERS[(*table2, "derivativeTransaction", "transactionAmounts", "transactionAcquiredDisposedCode")] \
        == ["value"]  # Table II's A/D code takes no footnote
    assert out_of_order(b"<ownershipDocument><issuer/><documentType>4</documentType></ownershipDocument>")


# --- generated records ---------------------------------------------------------------------------
# Values as a reader gives them: text stripped and not empty, codes upper case, CIKs of ten digits,
# numbers finite (the reader refuses the others, with a warning).

_XML_TEXT = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"), include_characters="\t\n\r")
TEXT = st.text(_XML_TEXT, min_size=1, max_size=30).map(str.strip).filter(bool)
OPT_TEXT = st.none() | TEXT
NUMBER = st.none() | st.floats(allow_nan=False, allow_infinity=False)
DATE = st.none() | st.dates(min_value=dt.date(1900, 1, 1))
FLAG = st.none() | st.booleans()
CIK = st.none() | st.integers(0, 9_999_999_999).map(lambda n: f"{n:010d}")
REF = st.from_regex(r"F[1-9][0-9]?", fullmatch=True)
CODE = st.none() | st.sampled_from("ACDEFGHIJKLMOPSUWXZ")


def _notes(cls: type[Any]) -> st.SearchStrategy[dict[str, list[str]]]:
    fields = sorted(set(cls.__struct_fields__) - {"footnotes"})
    return st.dictionaries(st.sampled_from(fields), st.lists(REF, min_size=1, max_size=3), max_size=4)


ROW = {"security_title": OPT_TEXT, "transaction_form_type": st.none() | st.sampled_from(["3", "4", "5"]),
       "shares_owned_following": NUMBER, "value_owned_following": NUMBER,
       "direct_or_indirect": st.none() | st.sampled_from(["D", "I"]), "nature_of_ownership": OPT_TEXT}
TRANSACTION = {**ROW, "transaction_date": DATE, "deemed_execution_date": DATE, "transaction_code": CODE,
               "equity_swap_involved": FLAG, "transaction_timeliness": st.none() | st.sampled_from(["E", "L"]),
               "shares": NUMBER, "total_value": NUMBER, "price_per_share": NUMBER,
               "acquired_disposed": st.none() | st.sampled_from(["A", "D"])}
DERIVED = {"conversion_or_exercise_price": NUMBER, "exercise_date": DATE, "expiration_date": DATE,
           "underlying_security_title": OPT_TEXT, "underlying_shares": NUMBER, "underlying_value": NUMBER}
OWNER = st.builds(ReportingOwner, cik=CIK, name=OPT_TEXT, street1=OPT_TEXT, street2=OPT_TEXT, city=OPT_TEXT,
                  state=OPT_TEXT, zip=OPT_TEXT, state_description=OPT_TEXT, is_director=st.booleans(),
                  is_officer=st.booleans(), is_ten_percent_owner=st.booleans(), is_other=st.booleans(),
                  officer_title=OPT_TEXT, other_text=OPT_TEXT)


def _rows(cls: type[Any], fields: dict[str, Any]) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.builds(cls, footnotes=_notes(cls), **fields), max_size=3)


FILINGS = st.builds(
    Filing, form_type=st.none() | st.sampled_from(["3", "3/A", "4", "4/A", "5", "5/A"]),
    period_of_report=DATE, date_of_original_submission=DATE, not_subject_to_section16=st.booleans(),
    aff10b5_one=FLAG, no_securities_owned=st.booleans(), form3_holdings_reported=FLAG,
    form4_transactions_reported=FLAG, issuer=st.builds(Issuer, cik=CIK, name=OPT_TEXT, trading_symbol=OPT_TEXT),
    reporting_owners=st.lists(OWNER, max_size=3),
    non_derivative_transactions=_rows(NonDerivativeTransaction, TRANSACTION),
    non_derivative_holdings=_rows(NonDerivativeHolding, ROW),
    derivative_transactions=_rows(DerivativeTransaction, {**TRANSACTION, **DERIVED}),
    derivative_holdings=_rows(DerivativeHolding, {**ROW, **DERIVED}),
    footnotes=st.lists(st.builds(Footnote, id=REF, text=st.just("") | TEXT), max_size=3), remarks=OPT_TEXT,
    signatures=st.lists(st.builds(Signature, name=OPT_TEXT, date=DATE), max_size=2))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FILINGS)
def test_any_record_round_trips(filing: Filing) -> None:
    back = read_xml(to_xml(filing, check=False))  # any record: most break the schema somewhere
    assert comparable(back) == comparable(filing)
    # everything written is read without complaint (but for a document type the record lacks)
    assert [w.field for w in back.warnings if w.field != "form_type"] == []


def _without(rows: list[Any], *fields: str) -> list[Any]:
    """The rows without these fields' values and footnote references."""
    return [msgspec.structs.replace(row, **{f: None for f in fields if f in row.__struct_fields__},
                                    footnotes={k: v for k, v in row.footnotes.items() if k not in fields})
            for row in rows]


def _form4_shaped(filing: Filing) -> Filing:
    """A Form 4 as the schema has it: none of the other forms' boxes, no transaction coding in a holding (only a
    Form 5's have one), no total value in Table I, no footnote references where the schema has no place for
    them (in the transaction coding's form type and swap flag, on Table II's A/D code)."""
    coding = ("transaction_form_type", "transaction_code")
    unplaced = ("transaction_form_type", "equity_swap_involved")
    return msgspec.structs.replace(
        filing, form_type="4", date_of_original_submission=None, no_securities_owned=False,
        form3_holdings_reported=None, form4_transactions_reported=None,
        non_derivative_transactions=[
            msgspec.structs.replace(row, footnotes={k: v for k, v in row.footnotes.items() if k not in unplaced})
            for row in _without(filing.non_derivative_transactions, "total_value")],
        derivative_transactions=[
            msgspec.structs.replace(row, footnotes={k: v for k, v in row.footnotes.items()
                                                    if k not in (*unplaced, "acquired_disposed")})
            for row in filing.derivative_transactions],
        non_derivative_holdings=_without(filing.non_derivative_holdings, *coding),
        derivative_holdings=_without(filing.derivative_holdings, *coding))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FILINGS.map(_form4_shaped))
def test_a_form4_is_in_the_schemas_order(filing: Filing) -> None:
    assert out_of_order(to_xml(filing, check=False)) == []


# --- what is written, element by element -----------------------------------------------------------

def _sale(**fields: Any) -> NonDerivativeTransaction:
    values: dict[str, Any] = {"security_title": "Common Stock", "transaction_date": dt.date(2024, 3, 1),
                              "transaction_form_type": "4", "transaction_code": "S", "equity_swap_involved": False,
                              "shares": 1000.0, "price_per_share": 12.3456, "acquired_disposed": "D",
                              "shares_owned_following": 5000.0, "direct_or_indirect": "D"}
    return NonDerivativeTransaction(**{**values, **fields})


def _filing(**fields: Any) -> Filing:
    values: dict[str, Any] = {
        "form_type": "4", "period_of_report": dt.date(2024, 3, 1), "aff10b5_one": True,
        "issuer": Issuer(cik="0000320193", name="Apple Inc.", trading_symbol="AAPL"),
        "reporting_owners": [ReportingOwner(cik="0001214156", name="Cook Timothy D", is_officer=True,
                                            officer_title="CEO")],
        "non_derivative_transactions": [_sale()], "signatures": [Signature(name="/s/ T. Cook",
                                                                            date=dt.date(2024, 3, 4))]}
    return Filing(**{**values, **fields})


def _tree(filing: Filing) -> etree._Element:
    return etree.fromstring(to_xml(filing, check=False))


def test_the_document_is_utf8_with_a_declaration_and_the_current_version() -> None:
    document = to_xml(_filing(issuer=Issuer(cik="0000320193", name="Société Générale")), check=False)
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<ownershipDocument>')
    assert "Société Générale".encode() in document
    root = etree.fromstring(document)
    assert root.findtext("schemaVersion") == SCHEMA_VERSION == "X0508"
    assert [el.tag for el in root][:3] == ["schemaVersion", "documentType", "periodOfReport"]
    assert root.findtext("aff10b5One") == "1"


def test_values_in_the_schemas_lexical_forms() -> None:
    root = _tree(_filing(non_derivative_transactions=[_sale(shares=1e16, price_per_share=0.0001,
                                                            shares_owned_following=2.5)]))
    row = root.find("nonDerivativeTable/nonDerivativeTransaction")
    assert row is not None
    assert row.findtext("transactionDate/value") == "2024-03-01"
    assert row.findtext("transactionCoding/equitySwapInvolved") == "0"
    assert row.findtext("transactionAmounts/transactionShares/value") == "10000000000000000"
    assert row.findtext("transactionAmounts/transactionPricePerShare/value") == "0.0001"
    assert row.findtext("postTransactionAmounts/sharesOwnedFollowingTransaction/value") == "2.5"
    assert root.findtext("reportingOwner/reportingOwnerRelationship/isOfficer") == "1"
    # an unticked box is not asserted: it may be one a lossy source could not read
    assert root.find("reportingOwner/reportingOwnerRelationship/isDirector") is None


def test_footnote_references_beside_what_they_annotate() -> None:
    sale = _sale(price_per_share=None, footnotes={"price_per_share": ["F2"], "shares": ["F1"],
                                                  "transaction_code": ["F3", "F4"], "nature_of_ownership": ["F5"]})
    root = _tree(_filing(non_derivative_transactions=[sale], footnotes=[Footnote(id=f"F{n}", text=f"note {n}")
                                                                        for n in range(1, 6)]))
    row = root.find("nonDerivativeTable/nonDerivativeTransaction")
    assert row is not None
    shares = row.find("transactionAmounts/transactionShares")
    assert shares is not None and [(el.tag, el.get("id")) for el in shares] == [("value", None), ("footnoteId", "F1")]
    price = row.find("transactionAmounts/transactionPricePerShare")  # a price given only by a footnote
    assert price is not None and [(el.tag, el.get("id")) for el in price] == [("footnoteId", "F2")]
    coding = row.find("transactionCoding")  # the code's element cannot hold them: its group does
    assert coding is not None and [el.tag for el in coding][-2:] == ["footnoteId", "footnoteId"]
    assert [el.get("id") for el in coding.iter("footnoteId")] == ["F3", "F4"]
    nature = row.find("ownershipNature/natureOfOwnership")  # a reference without a value opens its element
    assert nature is not None and nature.find("value") is None and nature[0].get("id") == "F5"
    assert [el.get("id") for el in root.iterfind("footnotes/footnote")] == ["F1", "F2", "F3", "F4", "F5"]
    written = to_xml(_filing(non_derivative_transactions=[sale]), check=False)
    assert read_xml(written).non_derivative_transactions[0] == sale


def test_a_lossy_record_writes_what_it_has_and_invents_nothing() -> None:
    """A scan's record: no CIKs, no dates, a row with only its shares. Missing elements stay missing,
    even those the schema requires (the schema validation reports them)."""
    row = NonDerivativeTransaction(shares=250.0, transaction_code="P")
    filing = Filing(form_type="4", issuer=Issuer(name="Acme Corp"), reporting_owners=[ReportingOwner(name="Doe Jane")],
                    non_derivative_transactions=[row], source="pdf")
    root = _tree(filing)
    assert [el.tag for el in root] == ["schemaVersion", "documentType", "issuer", "reportingOwner",
                                       "nonDerivativeTable"]
    assert root.find("issuer/issuerCik") is None and root.find("reportingOwner/reportingOwnerId/rptOwnerCik") is None
    transaction = root.find("nonDerivativeTable/nonDerivativeTransaction")
    assert transaction is not None
    assert [el.tag for el in transaction.iter()][1:] == [
        "transactionCoding", "transactionCode", "transactionAmounts", "transactionShares", "value"]
    assert comparable(read_xml(etree.tostring(root))) == comparable(filing)


def test_each_forms_own_elements() -> None:
    form3 = _tree(Filing(form_type="3", no_securities_owned=True, issuer=Issuer(cik="1"),
                         derivative_holdings=[DerivativeHolding(security_title="Option", underlying_shares=10.0)]))
    assert [el.tag for el in form3][:4] == ["schemaVersion", "documentType", "noSecuritiesOwned", "issuer"]
    holding = form3.find("derivativeTable/derivativeHolding")
    assert holding is not None and holding.find("postTransactionAmounts") is None  # a Form 3 has no amount owned
    form5 = _tree(Filing(form_type="5/A", date_of_original_submission=dt.date(2024, 2, 1),
                         not_subject_to_section16=True, form3_holdings_reported=False, form4_transactions_reported=True,
                         non_derivative_holdings=[NonDerivativeHolding(security_title="Common",
                                                                       transaction_form_type="4")]))
    assert [el.tag for el in form5][2:6] == ["dateOfOriginalSubmission", "notSubjectToSection16",
                                             "form3HoldingsReported", "form4TransactionsReported"]
    assert form5.findtext("nonDerivativeTable/nonDerivativeHolding/transactionCoding/transactionFormType") == "4"
    assert form5.findtext("form3HoldingsReported") == "0"
    assert _tree(Filing(form_type="4")).find("notSubjectToSection16") is None  # absent means not ticked


@pytest.mark.parametrize(("filing", "field"), [
    (_filing(remarks="a bell \x07 rings"), "remarks"),
    (_filing(footnotes=[Footnote(id="F1", text="ok"), Footnote(id="F2", text="nul \x00")]), "footnotes[1].text"),
    (_filing(non_derivative_transactions=[_sale(), _sale(shares=float("nan"))]),
     "non_derivative_transactions[1].shares"),
    (_filing(non_derivative_holdings=[NonDerivativeHolding(footnotes={"price_per_share": ["F1"]})]),
     "non_derivative_holdings[0].footnotes"),
])
def test_what_no_document_can_carry_is_refused_naming_the_field(filing: Filing, field: str) -> None:
    with pytest.raises(UnwritableRecordError) as caught:
        to_xml(filing, check=False)
    assert caught.value.field == field and str(caught.value).startswith(f"{field}: ")


def test_the_models_method_and_dict_form() -> None:
    filing = _filing()
    assert filing.to_xml() == to_xml(filing)
    assert Filing.from_dict(filing.to_dict()) == filing
    assert Filing.from_json(filing.to_json()) == filing


def test_the_model_does_not_load_lxml() -> None:
    code = "import sys, form4.model; assert 'lxml' not in sys.modules and 'form4.writers.xml' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env=_env())


def _env() -> dict[str, str]:
    import os

    src = str(Path(__file__).resolve().parents[2] / "src")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
