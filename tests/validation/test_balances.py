"""Shares owned following each row follow from the row before of the same holding (V401)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from form4.model import NonDerivativeTransaction
from tests.validation.build import DAY, codes, filing, only, option, row


def sale(shares: float, following: float, **fields: object) -> NonDerivativeTransaction:
    return row(transaction_code="S", acquired_disposed="D", shares=shares, shares_owned_following=following, **fields)


def test_consecutive_rows_agree() -> None:
    rows = (row(), sale(50, 1050), sale(25, 1025), row(shares=5, shares_owned_following=1030))
    assert "V401" not in codes(filing(*rows))


def test_a_balance_that_does_not_follow() -> None:
    found = only(filing(row(), sale(50, 1000)), "V401")
    assert found.field == "non_derivative_transactions[1].shares_owned_following"
    assert "leaves 1,100" in found.message and "-50 gives 1,050" in found.message and "says 1,000" in found.message


def test_one_wrong_row_is_one_finding() -> None:
    assert codes(filing(row(), sale(50, 1000), sale(50, 950))).count("V401") == 1


def test_rounding_of_fractional_shares_is_tolerated() -> None:
    assert "V401" not in codes(filing(row(shares=10.4, shares_owned_following=1000.4), sale(0.6, 1000.0)))
    assert "V401" in codes(filing(row(shares=10.4, shares_owned_following=1000.4), sale(0.6, 998.0)))


def test_other_holdings_are_other_chains() -> None:
    by_trust = sale(50, 5000, direct_or_indirect="I", nature_of_ownership="By Trust")
    by_fund = sale(50, 700, direct_or_indirect="I", nature_of_ownership="See footnote",
                   footnotes={"nature_of_ownership": ["F2"]})
    other_fund = sale(50, 300, direct_or_indirect="I", nature_of_ownership="See footnote",
                      footnotes={"nature_of_ownership": ["F3"]})
    preferred = sale(10, 90, security_title="Series A Preferred")
    assert "V401" not in codes(filing(row(), by_trust, by_fund, other_fund, preferred, sale(100, 1000)))


def test_a_footnoted_balance_is_explained() -> None:
    explained = sale(50, 10, footnotes={"shares_owned_following": ["F1"]})
    assert "V401" not in codes(filing(row(), explained, notes={"F1": "After a distribution to partners."}))


def test_rows_far_apart_may_have_trades_between_on_other_filings() -> None:
    later = sale(50, 600, transaction_date=DAY + dt.timedelta(days=30))
    assert "V401" not in codes(filing(row(), later))


def test_table_ii_kept_per_grant_is_not_a_mismatch() -> None:
    grants = (option(transaction_code="A", acquired_disposed="A", shares=1021, shares_owned_following=1021),
              option(transaction_code="A", acquired_disposed="A", shares=204, shares_owned_following=204))
    assert "V401" not in codes(filing(derivatives=grants))
    wrong = (option(shares=100, shares_owned_following=900), option(shares=100, shares_owned_following=850))
    assert only(filing(derivatives=wrong), "V401").field == "derivative_transactions[1].shares_owned_following"


@given(st.lists(st.tuples(st.sampled_from("AD"), st.integers(1, 10_000)), min_size=1, max_size=12))
def test_any_chain_of_true_balances_is_silent(moves: list[tuple[str, int]]) -> None:
    balance, rows = 1_000_000.0, []
    for ad, shares in moves:
        balance += shares if ad == "A" else -shares
        rows.append(row(transaction_code="J", acquired_disposed=ad, shares=float(shares),
                        shares_owned_following=balance))
    assert "V401" not in codes(filing(*rows))
