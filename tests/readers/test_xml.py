"""The ownership XML reader on the quirks real filings have."""

from __future__ import annotations

import datetime as dt

import pytest

import form4
from form4 import MalformedInputError

DOC = """<?xml version="1.0"?>
<ownershipDocument>
  <schemaVersion>X0306</schemaVersion><documentType>4</documentType>
  <periodOfReport>{period}</periodOfReport>
  <issuer><issuerCik>{issuer_cik}</issuerCik><issuerName>ACME &amp; SONS</issuerName>
    <issuerTradingSymbol>ACME</issuerTradingSymbol></issuer>
  {owners}
  <nonDerivativeTable>{rows}</nonDerivativeTable>
  <footnotes><footnote id="F1">Weighted average price.</footnote>
    <footnote id="F2">Held by trust.</footnote></footnotes>
  <remarks>{remarks}</remarks>
  <ownerSignature><signatureName>/s/ Jane Roe</signatureName>
    <signatureDate>2020-01-03</signatureDate></ownerSignature>
</ownershipDocument>"""

OWNER = """<reportingOwner><reportingOwnerId><rptOwnerCik>{cik}</rptOwnerCik>
  <rptOwnerName>{name}</rptOwnerName></reportingOwnerId>
  <reportingOwnerRelationship><isDirector>{director}</isDirector><isOfficer>{officer}</isOfficer>
  <officerTitle>{title}</officerTitle></reportingOwnerRelationship></reportingOwner>"""

ROW = """<nonDerivativeTransaction>
  <securityTitle><value>Common Stock</value></securityTitle>
  <transactionDate><value>2020-01-02-05:00</value></transactionDate>
  <deemedExecutionDate><value/></deemedExecutionDate>
  <transactionCoding><transactionFormType>4</transactionFormType>
    <transactionCode>S</transactionCode><equitySwapInvolved>0</equitySwapInvolved>
    <footnoteId id="F2"/></transactionCoding>
  <transactionAmounts>
    <transactionShares>{shares}</transactionShares>
    <transactionPricePerShare>{price}</transactionPricePerShare>
    <transactionAcquiredDisposedCode><value>D</value></transactionAcquiredDisposedCode>
  </transactionAmounts>
  <postTransactionAmounts><sharesOwnedFollowingTransaction><value>900</value>
  </sharesOwnedFollowingTransaction></postTransactionAmounts>
  <ownershipNature><directOrIndirectOwnership><value>I</value></directOrIndirectOwnership>
    <natureOfOwnership><value>By Trust</value><footnoteId id="F2"/></natureOfOwnership></ownershipNature>
</nonDerivativeTransaction>"""


def make(*, period: str = "2020-01-02", issuer_cik: str = "1234", owners: str | None = None,
         shares: str = "<value>100</value>", price: str = "<value>10.5</value><footnoteId id='F1'/>",
         remarks: str = "None.") -> bytes:
    owners = owners if owners is not None else OWNER.format(
        cik="555", name="Roe Jane", director="1", officer="true", title="CEO")
    return DOC.format(period=period, issuer_cik=issuer_cik, owners=owners,
                      rows=ROW.format(shares=shares, price=price), remarks=remarks).encode()


def test_reads_values_footnotes_and_types() -> None:
    filing = form4.read(make())
    row = filing.non_derivative_transactions[0]
    assert filing.issuer.cik == "0000001234"  # CIKs are 10 digits
    assert filing.issuer.name == "ACME & SONS"
    assert filing.reporting_owners[0].cik == "0000000555"
    assert filing.reporting_owners[0].is_director is True
    assert filing.reporting_owners[0].is_officer is True
    assert row.transaction_date == dt.date(2020, 1, 2)  # time-zone suffix dropped
    assert row.deemed_execution_date is None  # <value/> is "not given"
    assert row.shares == 100 and row.price_per_share == 10.5
    assert row.equity_swap_involved is False
    assert row.footnotes == {"transaction_code": ["F2"], "price_per_share": ["F1"],
                             "nature_of_ownership": ["F2"]}
    assert filing.signatures[0].date == dt.date(2020, 1, 3)
    assert [f.id for f in filing.footnotes] == ["F1", "F2"]


def test_value_given_only_as_footnote_is_null_with_the_footnote() -> None:
    row = form4.read(make(price="<footnoteId id='F1'/>")).non_derivative_transactions[0]
    assert row.price_per_share is None
    assert row.footnotes["price_per_share"] == ["F1"]


def test_values_without_value_wrapper() -> None:
    row = form4.read(make(shares="250.5", price=" 3 ")).non_derivative_transactions[0]
    assert row.shares == 250.5 and row.price_per_share == 3


def test_unreadable_value_is_null_with_a_warning_naming_the_field() -> None:
    filing = form4.read(make(shares="<value>lots</value>"))
    assert filing.non_derivative_transactions[0].shares is None
    assert [w.field for w in filing.warnings] == ["non_derivative_transactions[0].shares"]
    assert "lots" in filing.warnings[0].message
    assert filing.non_derivative_transactions[0].price_per_share == 10.5  # nothing else lost


def test_joint_filing_keeps_every_owner() -> None:
    owners = "".join(OWNER.format(cik=c, name=n, director=d, officer="0", title="")
                     for c, n, d in (("1", "Fund LP", "0"), ("2", "Fund GP LLC", "false"), ("3", "Doe John", "1")))
    filing = form4.read(make(owners=owners))
    assert [o.name for o in filing.reporting_owners] == ["Fund LP", "Fund GP LLC", "Doe John"]
    assert [o.is_director for o in filing.reporting_owners] == [False, False, True]
    assert filing.reporting_owners[0].officer_title is None  # empty element


@pytest.mark.parametrize("prefix", [b"\xef\xbb\xbf", b"\r\n  ", b""])
def test_bom_and_leading_whitespace(prefix: bytes) -> None:
    assert form4.read(prefix + make().lstrip()).issuer.trading_symbol == "ACME"


def test_declared_latin1_and_crlf() -> None:
    data = make(remarks="Caf\xe9").replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="ISO-8859-1"?>')
    data = data.decode().encode("latin-1").replace(b"\n", b"\r\n")
    assert form4.read(data).remarks == "Café"


def test_default_namespace_on_root() -> None:
    data = make().replace(b"<ownershipDocument>", b'<ownershipDocument xmlns="http://www.sec.gov/edgar/x">')
    assert form4.read(data).non_derivative_transactions[0].shares == 100


def test_remarks_with_markup_keep_all_text() -> None:
    assert form4.read(make(remarks="See <b>exhibit</b> 24.")).remarks == "See exhibit 24."


def test_not_an_ownership_document() -> None:
    with pytest.raises(MalformedInputError, match="ownershipDocument"):
        form4.read(b"<?xml version='1.0'?><edgarSubmission/>")


def test_truncated_document_names_the_problem() -> None:
    with pytest.raises(MalformedInputError, match="not well-formed"):
        form4.read(make()[:300])


def test_unknown_element_with_value_does_not_overwrite_a_field() -> None:
    data = make().replace(b"</transactionShares>", b"</transactionShares><futureThing><value>7</value></futureThing>")
    assert form4.read(data).non_derivative_transactions[0].shares == 100


def test_accession_number_from_file_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "0001127602-14-019637.xml"
    path.write_bytes(make())
    assert form4.read(path).accession_number == "0001127602-14-019637"


@pytest.mark.parametrize(("leaf", "field"), [("issuerCik", "issuer"), ("rptOwnerCik", "reporting_owners[0]"),
                                             ("signatureDate", "signatures[0]")])
def test_a_footnote_where_the_record_keeps_none_is_a_warning_and_nothing_else_is_lost(leaf: str, field: str) -> None:
    # the schema puts footnotes on values only; a filer's stray reference inside the issuer,
    # an owner or a signature is named and left out, not a crash of the whole filing
    text = make().decode()
    start = text.index(f"<{leaf}>")
    end = text.index(f"</{leaf}>", start)
    filing = form4.read(f"{text[:end]}<footnoteId id='F2'/>{text[end:]}".encode())
    assert [(w.field, "F2" in w.message) for w in filing.warnings] == [(field, True)]
    assert filing.issuer is not None and filing.issuer.cik == "0000001234"
    assert filing.reporting_owners[0].cik == "0000000555" and filing.signatures[0].date == dt.date(2020, 1, 3)
    assert filing.non_derivative_transactions[0].shares == 100
