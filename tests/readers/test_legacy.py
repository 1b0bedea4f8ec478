"""Forms 3, 4 and 5 typed as text before 2003: tables drawn with "|" or only aligned."""

from __future__ import annotations

import json
from pathlib import Path

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
    fields = {w.field for w in filing.warnings}
    assert "non_derivative_holdings[0].direct_or_indirect" in fields
    assert not any(f.startswith("non_derivative_transactions[2]") for f in fields)
