"""Deadlines in SEC business days (L5xx): Form 4 row by row, Forms 3 and 5 in calendar days."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from form4 import read
from form4.model import Filing
from form4.validation.business_days import add_business_days, business_days_between, is_business_day
from form4.validation.deadlines import form4_due
from tests.conftest import ROOT
from tests.validation.build import codes, filing, only, row

D = dt.date


def late(found: Filing) -> list[tuple[str, dt.date | None, int | None]]:
    return [(d.code, d.due, d.business_days_late) for d in found.validate() if d.code.startswith("L")]


@pytest.mark.parametrize(("traded", "due"), [
    (D(2024, 11, 27), D(2024, 12, 2)),   # Wednesday before Thanksgiving: Friday 29th counts, then Monday
    (D(2024, 12, 30), D(2025, 1, 2)),    # New Year's Day in between
    (D(2025, 3, 7), D(2025, 3, 11)),     # a Friday: due Tuesday
    (D(2024, 6, 17), D(2024, 6, 20)),    # Juneteenth
    (D(2025, 1, 7), D(2025, 1, 10)),     # the national day of mourning for President Carter (EDGAR closed)
    (D(2024, 3, 2), D(2024, 3, 5)),      # a Saturday trade: Monday and Tuesday
])
def test_form4_due_dates(traded: dt.date, due: dt.date) -> None:
    assert form4_due(traded) == due


def test_form4_on_time_and_late_by_business_days() -> None:
    trade = row(transaction_date=D(2024, 11, 27))
    assert late(filing(trade, filed_at=D(2024, 12, 2))) == []
    assert late(filing(trade, filed_at=D(2024, 12, 3))) == [("L501", D(2024, 12, 2), 1)]
    assert late(filing(row(transaction_date=D(2024, 12, 30)), filed_at=D(2025, 1, 6))) == [
        ("L501", D(2025, 1, 2), 2)]  # Friday 3rd and Monday 6th


def test_each_row_has_its_own_due_date() -> None:
    rows = (row(transaction_date=D(2025, 3, 3)), row(transaction_date=D(2025, 3, 5), shares_owned_following=1200.0))
    assert late(filing(*rows, filed_at=D(2025, 3, 7))) == [("L501", D(2025, 3, 5), 2)]


def test_marked_late_is_told_apart_from_late_unsaid() -> None:
    rows = (row(transaction_timeliness="L"), row(shares_owned_following=1200.0))
    found = filing(*rows, filed_at=D(2024, 3, 8)).validate()
    flagged, unsaid = (d for d in found if d.code in ("L501", "L502"))
    assert (flagged.code, flagged.severity, flagged.field) == (
        "L502", "warning", "non_derivative_transactions[0].transaction_timeliness")
    assert (unsaid.code, unsaid.severity, unsaid.field) == (
        "L501", "error", "non_derivative_transactions[1].transaction_date")
    assert flagged.business_days_late == unsaid.business_days_late == 2


def test_marked_late_but_on_time() -> None:
    assert only(filing(row(transaction_timeliness="L"), filed_at=D(2024, 3, 5)), "L504").severity == "info"


def test_reported_early_is_not_judged() -> None:
    assert late(filing(row(transaction_timeliness="E", transaction_form_type="5"), filed_at=D(2024, 6, 3))) == []


def test_deemed_execution_date_sets_the_deadline() -> None:
    planned = row(transaction_date=D(2025, 3, 3), deemed_execution_date=D(2025, 3, 5))
    assert late(filing(planned, filed_at=D(2025, 3, 7))) == []
    found = only(filing(planned, filed_at=D(2025, 3, 10)), "L501")
    assert found.field == "non_derivative_transactions[0].deemed_execution_date" and found.due == D(2025, 3, 7)


def test_amendments_are_not_judged_against_the_original_deadline() -> None:
    assert late(filing(form_type="4/A", filed_at=D(2024, 6, 3), date_of_original_submission=D(2024, 3, 6))) == []


@pytest.mark.parametrize(("period", "due"), [
    (D(2024, 9, 5), D(2024, 9, 16)),     # the 10th day is Sunday the 15th: Monday
    (D(2024, 10, 3), D(2024, 10, 15)),   # Sunday the 13th, and Monday is Columbus Day
    (D(2024, 9, 3), D(2024, 9, 13)),     # a Friday: itself
])
def test_form3_within_ten_days(period: dt.date, due: dt.date) -> None:
    form3 = filing(form_type="3", period_of_report=period, non_derivative_transactions=[])
    assert late(_filed(form3, due)) == []
    assert late(_filed(form3, due + dt.timedelta(days=1))) == [("L501", due, 1)]


def _filed(found: Filing, day: dt.date) -> Filing:
    return msgspec.structs.replace(found, filed_at=day)


def test_form5_within_45_days_of_the_fiscal_year_end() -> None:
    form5 = filing(row(transaction_form_type="5", transaction_code="G", acquired_disposed="D", price_per_share=None,
                       shares_owned_following=900.0, transaction_date=D(2024, 8, 1)),
                   form_type="5", period_of_report=D(2024, 12, 31))
    assert late(_filed(form5, D(2025, 2, 14))) == []  # 45 days: Friday 14 February
    # Monday the 17th is Washington's Birthday: filed Tuesday is one business day late
    assert late(_filed(form5, D(2025, 2, 18))) == [("L501", D(2025, 2, 14), 1)]


def test_form4_transaction_reported_late_on_form5() -> None:
    form5 = filing(row(transaction_form_type="4", transaction_date=D(2024, 8, 1)),
                   form_type="5", period_of_report=D(2024, 12, 31), filed_at=D(2025, 2, 14))
    found = only(form5, "L502")
    assert found.due == D(2024, 8, 5) and found.business_days_late == business_days_between(D(2024, 8, 5),
                                                                                            D(2025, 2, 14))
    assert "L501" not in codes(form5)


def test_without_a_filing_date_only_the_due_date_unless_as_of() -> None:
    unfiled = filing(row(transaction_date=D(2024, 11, 27)))
    found = only(unfiled, "L503")
    assert (found.severity, found.due, found.business_days_late) == ("info", D(2024, 12, 2), None)
    assert [(d.code, d.business_days_late) for d in unfiled.validate(as_of=D(2024, 12, 4)) if d.code[0] == "L"] == [
        ("L501", 2)]
    assert "not filed by the --as-of date 2024-12-04" in only(unfiled, "L501", as_of=D(2024, 12, 4)).message
    assert [d.code for d in unfiled.validate(as_of=D(2024, 12, 2)) if d.code[0] == "L"] == []


def test_as_of_does_not_override_a_known_filing_date() -> None:
    assert late(filing(filed_at=D(2024, 3, 6))) == late(_filed(filing(), D(2024, 3, 6))) == []
    assert "L501" not in codes(filing(filed_at=D(2024, 3, 6)), as_of=D(2025, 1, 1))


def test_business_days_include_the_federal_holidays_only() -> None:
    assert is_business_day(D(2024, 11, 29))  # the day after Thanksgiving is not a federal holiday
    assert not is_business_day(D(2024, 11, 28)) and not is_business_day(D(2021, 12, 31))  # observed New Year
    assert not is_business_day(D(2024, 12, 24))  # closed by executive order
    assert is_business_day(D(2015, 12, 24))  # a half-day closing is a business day


@given(st.dates(D(2003, 1, 1), D(2030, 12, 31)), st.integers(0, 30))
def test_business_day_arithmetic(day: dt.date, count: int) -> None:
    due = form4_due(day)
    assert due > day and is_business_day(due)
    assert sum(is_business_day(day + dt.timedelta(days=n)) for n in range(1, (due - day).days + 1)) == 2
    assert business_days_between(due, add_business_days(due, count)) == count


def test_form4_without_transactions_is_due_after_its_period_of_report() -> None:
    event = filing(non_derivative_transactions=[], period_of_report=D(2022, 3, 28), filed_at=D(2022, 3, 31))
    assert late(event) == [("L501", D(2022, 3, 30), 1)]


def test_before_august_2002_a_form4_was_due_ten_days_after_the_month() -> None:
    assert form4_due(D(2001, 6, 4)) == D(2001, 7, 10)
    assert form4_due(D(2001, 8, 20)) == D(2001, 9, 10)  # Monday the 10th
    assert form4_due(D(2002, 3, 1)) == D(2002, 4, 10)
    assert form4_due(D(2002, 8, 29)) == D(2002, 9, 3)  # the two-day rule, over Labor Day
    monthly = filing(row(transaction_date=D(2001, 6, 4)), period_of_report=D(2001, 6, 30), filed_at=D(2001, 7, 10))
    assert codes(monthly) == []  # on time, and a month's statement has the month's end as its period


def test_the_legacy_example_is_on_time() -> None:
    assert codes(read(ROOT / "examples" / "filings" / "legacy" / "0000950134-01-504872.txt")) == []
