"""Period of report, deemed execution, exercise and expiration, nothing after the filing (D2xx)."""

from __future__ import annotations

import datetime as dt

from form4.model import DerivativeHolding, Signature
from tests.validation.build import DAY, codes, filing, only, option, row

LATER = DAY + dt.timedelta(days=1)


def test_period_of_report_is_the_earliest_transaction() -> None:
    found = only(filing(row(), row(transaction_date=LATER), period_of_report=LATER), "D201")
    assert found.field == "period_of_report" and str(DAY) in found.message
    assert "D201" not in codes(filing(row(transaction_date=LATER), row()))


def test_period_of_report_rule_is_for_form_4() -> None:
    assert "D201" not in codes(filing(form_type="5", period_of_report=dt.date(2024, 12, 31)))


def test_deemed_execution_date_before_the_trade() -> None:
    found = only(filing(row(deemed_execution_date=DAY - dt.timedelta(days=1))), "D202")
    assert found.field == "non_derivative_transactions[0].deemed_execution_date"
    assert "D202" not in codes(filing(row(deemed_execution_date=LATER)))


def test_exercisable_after_expiration() -> None:
    bad = option(exercise_date=dt.date(2031, 1, 1))
    assert only(filing(derivatives=(bad,)), "D203").field == "derivative_transactions[0].exercise_date"
    held = DerivativeHolding(security_title="Warrant", exercise_date=dt.date(2031, 1, 1),
                             expiration_date=dt.date(2030, 1, 1))
    assert only(filing(derivative_holdings=[held]), "D203").field == "derivative_holdings[0].exercise_date"


def test_dates_after_the_filing_date() -> None:
    future = filing(row(), row(transaction_date=LATER), filed_at=DAY,
                    signatures=[Signature(name="Jane Doe", date=LATER)])
    assert [d.field for d in future.validate() if d.code == "D204"] == [
        "non_derivative_transactions[1].transaction_date", "signatures[0].date"]


def test_dates_in_the_future_only_against_as_of_when_not_filed() -> None:
    unfiled = filing(row(transaction_date=LATER), row())
    assert "D204" not in codes(unfiled)  # nothing depends on today's date
    found = [d for d in unfiled.validate(as_of=DAY) if d.code == "D204"]
    assert [d.field for d in found] == ["non_derivative_transactions[0].transaction_date", "signatures[0].date"]
    assert "after the --as-of date 2024-03-04" in found[0].message
