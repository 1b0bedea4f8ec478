"""A clean filing gives nothing but the deadline it is due by; filing.validate is validate."""

from __future__ import annotations

import datetime as dt

from form4.validation import Severity, validate
from tests.validation.build import codes, filing, only, option, row


def test_clean_filing_only_says_when_it_is_due() -> None:
    clean = filing(row(), derivatives=(option(),))
    found = only(clean, "L503")
    assert codes(clean) == ["L503"] and found.severity is Severity.info
    assert found.due == dt.date(2024, 3, 6) and found.business_days_late is None


def test_filed_on_time_is_silent() -> None:
    assert codes(filing(filed_at=dt.date(2024, 3, 6))) == []


def test_method_and_function_agree() -> None:
    wrong = filing(row(transaction_code="Q"))
    assert wrong.validate() == validate(wrong)


def test_to_dict_omits_deadline_fields_unless_a_deadline() -> None:
    found = only(filing(row(transaction_code="Q")), "C101").to_dict()
    assert found == {"code": "C101", "severity": "error", "field": "non_derivative_transactions[0].transaction_code",
                     "message": "unknown transaction code 'Q'"}
    late = only(filing(filed_at=dt.date(2024, 3, 7)), "L501").to_dict()
    assert late["due"] == "2024-03-06" and late["business_days_late"] == 1
