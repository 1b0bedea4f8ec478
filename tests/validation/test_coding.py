"""Transaction codes against their table, acquired/disposed, prices and signs (C1xx, V404)."""

from __future__ import annotations

import pytest

from tests.validation.build import codes, filing, only, option, row


@pytest.mark.parametrize("code", ["", None, "Q", "p"])
def test_unknown_or_missing_code(code: str | None) -> None:
    assert "C101" in codes(filing(row(transaction_code=code)))


@pytest.mark.parametrize("code", ["E", "H"])
def test_expirations_belong_in_table_ii(code: str) -> None:
    assert only(filing(row(transaction_code=code, acquired_disposed="D", price_per_share=None)), "C102").field == \
        "non_derivative_transactions[0].transaction_code"
    assert "C102" not in codes(filing(derivatives=(option(transaction_code=code),)))


@pytest.mark.parametrize(("code", "ad"), [("P", "D"), ("S", "A"), ("F", "A"), ("A", "D"), ("D", "A"), ("L", "D"),
                                          ("U", "A"), ("M", "D")])
def test_acquired_disposed_against_the_code_table_i(code: str, ad: str) -> None:
    found = only(filing(row(transaction_code=code, acquired_disposed=ad)), "C103")
    assert found.field == "non_derivative_transactions[0].acquired_disposed" and f"says {ad}" in found.message


def test_m_disposes_in_table_ii_and_acquires_in_table_i() -> None:
    assert "C103" in codes(filing(derivatives=(option(acquired_disposed="A"),)))
    assert "C103" not in codes(filing(row(transaction_code="M", price_per_share=5.0), derivatives=(option(),)))


@pytest.mark.parametrize("code", ["G", "J", "W", "Z", "I", "K", "C", "X", "O"])
def test_a_or_d_codes_accept_both(code: str) -> None:
    for ad, following in (("A", 1100.0), ("D", 900.0)):
        assert "C103" not in codes(filing(row(transaction_code=code, acquired_disposed=ad,
                                              shares_owned_following=following)))


def test_acquired_disposed_missing_or_odd() -> None:
    assert "C106" in codes(filing(row(acquired_disposed=None)))
    assert "C106" in codes(filing(row(acquired_disposed="X")))


@pytest.mark.parametrize("code", ["P", "S"])
def test_price_needed_for_purchases_and_sales(code: str) -> None:
    ad = "A" if code == "P" else "D"
    assert "C104" in codes(filing(row(transaction_code=code, acquired_disposed=ad, price_per_share=None,
                                      shares_owned_following=1100.0 if code == "P" else 900.0)))
    assert "C105" in codes(filing(row(transaction_code=code, acquired_disposed=ad, price_per_share=0.0)))


def test_price_given_only_by_footnote_is_not_missing() -> None:
    noted = row(price_per_share=None, footnotes={"price_per_share": ["F1"]})
    assert "C104" not in codes(filing(noted, notes={"F1": "The weighted average price was $10.01."}))


def test_a_grant_needs_no_price() -> None:
    assert codes(filing(row(transaction_code="A", price_per_share=None))) == ["L503"]


def test_negative_amounts() -> None:
    found = only(filing(row(shares=-100.0, shares_owned_following=1000.0)), "V404")
    assert found.field == "non_derivative_transactions[0].shares" and "-100" in found.message
