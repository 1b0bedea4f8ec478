"""Forms 3, 4 and 5 typed as text before 2003: tables drawn with "|" or only aligned."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import form4
from form4.compare import mismatches
from form4.readers.text import read_text
from tests.conftest import ROOT

SUBMISSION = ROOT / "examples" / "filings" / "legacy" / "0000950134-01-504872.txt"
EXPECTED = json.loads((Path(__file__).parent / "legacy-0000950134-01-504872.expected.json").read_text())
ROWS = ("issuer", "reporting_owners", "non_derivative_transactions", "non_derivative_holdings",
        "derivative_transactions", "footnotes", "signatures")


def _without_header(record: dict[str, object]) -> dict[str, object]:
    """What a typed form shows without its submission header: no CIKs."""
    expected = {k: record[k] for k in ROWS if k != "issuer"}
    expected["reporting_owners"] = [{**o, "cik": None} for o in record["reporting_owners"]]  # type: ignore[attr-defined]
    return expected


def _form() -> str:
    text = SUBMISSION.read_text()
    return text[text.index("<TEXT>") + 6:text.index("</TEXT>")]


def test_submission_with_a_typed_form_reads_exactly() -> None:
    filing = form4.read(SUBMISSION)
    assert mismatches(EXPECTED, filing.to_dict()) == []
    assert filing.source == "text"  # lossy: read from the typed form, not from XML


def test_header_gives_what_the_typed_form_lacks() -> None:
    filing = form4.read(SUBMISSION)
    assert filing.issuer.cik == "0000899636" and filing.reporting_owners[0].cik == "0001093721"
    assert str(filing.period_of_report) == "2001-06-30" and filing.accession_number == "0000950134-01-504872"


def test_bare_typed_form_reads_with_the_statement_month() -> None:
    filing = read_text(_form().encode(), "form4.txt")
    record = filing.to_dict()
    assert mismatches(_without_header(EXPECTED), record) == []
    assert str(filing.period_of_report) == "2001-06-30"
    assert any(w.field == "period_of_report" and "month" in w.message for w in filing.warnings)


def test_same_form_without_the_pipes_reads_the_same() -> None:
    aligned = "\n".join(line.replace("|", " ") for line in _form().split("\n"))
    record = read_text(aligned.encode(), "aligned.txt").to_dict()
    assert mismatches(_without_header(EXPECTED), record) == []


def test_fractions_and_two_digit_years() -> None:
    filing = form4.read(SUBMISSION)
    sale = filing.non_derivative_transactions[1]
    assert sale.price_per_share == 31.5 and str(sale.transaction_date) == "2001-06-04"
    assert str(filing.derivative_transactions[0].expiration_date) == "2008-01-21"


def test_submission_without_any_form_is_refused() -> None:
    data = SUBMISSION.read_bytes().replace(b"<TYPE>4", b"<TYPE>EX-99")
    try:
        form4.read_bytes(data, "exhibit-only.txt")
    except form4.ReadError as exc:
        assert "no ownership document" in str(exc)
    else:
        raise AssertionError("a submission with no form must be refused")


def test_a_holdings_doubts_are_filed_under_the_holding() -> None:
    text = _form().replace("|   I    |By 401(k)    |", "|        |By 401(k)    |")
    filing = read_text(text.encode(), "no-ownership-form.txt")
    assert filing.non_derivative_holdings[0].direct_or_indirect == "I"  # its nature says indirect
    fields = {w.field for w in filing.warnings} | set(filing.confidence)
    assert "non_derivative_holdings[0].direct_or_indirect" in fields
    assert not any(f.startswith("non_derivative_transactions[2]") for f in fields)


# the boxes and the signature as typed forms write them
TYPED = """FORM 4
STATEMENT OF CHANGES IN BENEFICIAL OWNERSHIP
1. Name and Address of Reporting Person
   Roe, Jane Q.
2. Issuer Name and Ticker or Trading Symbol
   Acme Widgets Inc. (ACMW)
4. Statement for Month/Year
   June 2000
6. Relationship of Reporting Person(s) to Issuer (Check all applicable)
   {boxes}
Table I -- Non-Derivative Securities Acquired, Disposed of, or Beneficially Owned
Common Stock |06/12/00|S | |1,000 |D |$12.50 |9,000 |D | |
Table II -- Derivative Securities Acquired, Disposed of, or Beneficially Owned
Explanation of Responses:
{notes}SIGNATURE OF REPORTING PERSON
  /s/   Jane Q. Roe
DATE
July 5, 2000
"""


def _typed(boxes: str = "( ) Director ( ) 10% Owner", notes: str = "") -> form4.Filing:
    return read_text(TYPED.format(boxes=boxes, notes=notes).encode(), "typed.txt")


@pytest.mark.parametrize(("boxes", "ticked"), [
    ("(X) Director ( ) 10% Owner", {"is_director"}),
    ("( ) Director (X) 10% Owner", {"is_ten_percent_owner"}),
    ("[X] Director [x] 10% Owner", {"is_director", "is_ten_percent_owner"}),
    ("( x ) Director ( ) 10% Owner ( ) Other (specify below)", {"is_director"}),
    ("(X)Director ( )10% Owner", {"is_director"}),
    ("( ) Director ( ) 10% Owner", set()),
])
def test_a_tick_in_brackets_ticks_its_box(boxes: str, ticked: set[str]) -> None:
    owner = _typed(boxes).reporting_owners[0]
    flags = {"is_director", "is_ten_percent_owner", "is_officer", "is_other"}
    assert {f for f in flags if getattr(owner, f)} == ticked


@pytest.mark.parametrize("notes", ["", "(1) Held by a trust for her children.\n"])
def test_signature_typed_under_its_caption(notes: str) -> None:
    filing = _typed(notes=notes)
    assert [(s.name, s.date) for s in filing.signatures] == [("/s/ Jane Q. Roe", dt.date(2000, 7, 5))]
    assert [f.text for f in filing.footnotes] == (["Held by a trust for her children."] if notes else [])


def test_signature_above_its_caption_is_not_the_next_ones() -> None:
    """The printed form's order: an unsigned name above the first caption, "/s/" above the second."""
    text = TYPED[:TYPED.index("{notes}")] + (
        "Roe Family Trust  07/05/2000\n** Signature of Reporting Person  Date\n"
        "/s/ Jane Q. Roe  07/05/2000\n** Signature of Reporting Person  Date\n")
    filing = read_text(text.format(boxes="( ) Director").encode(), "two.txt")
    assert [s.name for s in filing.signatures] == ["Roe Family Trust", "/s/ Jane Q. Roe"]
