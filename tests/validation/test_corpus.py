"""Every corpus filing validated together: no error but the ones checked by hand to be in the
filing as filed (listed with why). A rule that fires on a clean filing is a wrong rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from form4.model import Filing
from form4.parse import iter_filings
from form4.validation import Diagnostic, Severity, validate_many
from form4.validation.deadlines import deadlines
from tests.conftest import CORPUS

# file -> the error codes it really has
KNOWN_ERRORS: dict[str, set[str]] = {
    # Table II option exercise (M) marked acquired: an exercise disposes of the option
    "form4-snow.xml": {"C103"},
    # a Table II award (A) marked disposed
    "real-0000899243-20-025611.xml": {"C103"},
    # period of report the day before every transaction in it (all on 04-27 / from 10-01)
    "real-0000899243-22-015955.xml": {"D201"},
    "real-0001209191-20-053428.xml": {"D201"},
    # filed 2025-03-07 for trades on 2024-12-09, timeliness not marked: 56 business days late
    "real-0001493152-25-009612.txt": {"L501"},
    # generated submissions whose FILED AS OF DATE precedes some of their transaction dates (D204),
    # and which are late for their earliest rows (L501), as their dates say
    "0001031563-05-000019.txt": {"D204"},
    "0001031563-05-902006.txt": {"D204"},
    "0001112184-05-000000.nc": {"D204", "L501"},
    "0001557889-23-000009.nc": {"D204", "L501"},
    "0001355186-08-000021.nc": {"L501"},
    "0001500131-12-000032.txt": {"L501"},  # trade on Sunday 2012-01-08, filed after MLK Day: 4 days
    "0001604461-24-000002.txt": {"L501"},
    "0001740791-09-000026.txt": {"L501"},
    "0001740791-09-902005.txt": {"L501"},
    "0001755426-23-000011.txt": {"L501"},
    "0001909046-09-000004.txt": {"L501"},
    "0001933434-08-000003.nc": {"L501"},
}


@pytest.fixture(scope="module")
def validated(corpus: Path) -> list[tuple[Filing, list[Diagnostic]]]:
    filings = list(iter_filings([CORPUS / "xml", CORPUS / "txt"]))
    return list(zip(filings, validate_many(filings), strict=True))


def test_no_errors_but_the_known_ones(validated: list[tuple[Filing, list[Diagnostic]]]) -> None:
    errors = {Path(f.source_name or "").name: {d.code for d in found if d.severity is Severity.error}
              for f, found in validated}
    assert {name: codes for name, codes in errors.items() if codes} == KNOWN_ERRORS


def test_real_filings_have_no_balance_or_price_warnings(validated: list[tuple[Filing, list[Diagnostic]]]) -> None:
    """The real filings' balances and prices are right: the warnings fire only on generated ones."""
    real = [(f.source_name, d.code, d.message) for f, found in validated for d in found
            if Path(f.source_name or "").name.startswith("real-") and d.code in ("V401", "V402", "V403")]
    assert real == []


def test_every_filing_without_a_date_says_when_it_was_due(validated: list[tuple[Filing, list[Diagnostic]]]) -> None:
    """Once, unless nothing in it is due: an amendment, or a Form 4 of rows all reported early."""
    told = 0
    for filing, found in validated:
        if filing.filed_at is None:
            expected = 1 if deadlines(filing) else 0
            assert [d.code for d in found].count("L503") == expected, filing.source_name
            told += expected
    assert told > 350
