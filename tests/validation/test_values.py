"""Prices per ADS against ordinary shares (V402) and prices far from the day's others (V403)."""

from __future__ import annotations

import datetime as dt

import pytest

from form4.model import Filing, Issuer, NonDerivativeTransaction
from form4.validation import validate, validate_many
from form4.validation.values import ads_ratio
from tests.validation.build import DAY, codes, filing, only, owner, row

PER_ADS = {"F1": "The price reported is the price per ADS. Each ADS represents 10 ordinary shares of the Issuer."}


def sold(shares: float, price: float, **fields: object) -> NonDerivativeTransaction:
    return row(transaction_code="S", acquired_disposed="D", shares=shares, price_per_share=price,
               shares_owned_following=None, **fields)


def test_price_per_ads_against_ordinary_shares_is_restated() -> None:
    sale = sold(10_000, 25.5, security_title="Ordinary Shares", footnotes={"price_per_share": ["F1"]})
    found = only(filing(sale, notes=PER_ADS), "V402")
    assert found.field == "non_derivative_transactions[0].price_per_share" and found.severity == "warning"
    assert "$25,500.00" in found.message and "not $255,000.00" in found.message
    assert "10,000 / 10 x 25.5" in found.message


def test_ads_rule_stays_silent_when_prices_and_shares_agree() -> None:
    footnoted = {"price_per_share": ["F1"]}
    assert "V402" not in codes(filing(sold(10_005, 25.5, security_title="Ordinary Shares", footnotes=footnoted),
                                      notes=PER_ADS))  # not a whole number of ADSs
    assert "V402" not in codes(filing(sold(1_000, 25.5, security_title="American Depositary Shares",
                                           footnotes=footnoted), notes=PER_ADS))
    assert "V402" not in codes(filing(sold(10_000, 25.5, security_title="Ordinary Shares"),
                                      notes={"F1": "Each ADS represents 10 ordinary shares."}))  # price not per ADS


@pytest.mark.parametrize(("text", "ratio"), [
    ("Each ADS represents 10 ordinary shares.", 10),
    ("American Depositary Shares (\"ADSs\"), each representing two (2) Class A ordinary shares", 2),
    ("1 ADS = 20 shares", 20),
    ("the ratio is 3 ordinary shares per ADS", 3),
    ("Each ADS represents one ordinary share.", None),
    ("No depositary shares are involved.", None),
])
def test_ads_ratio_as_footnotes_state_it(text: str, ratio: float | None) -> None:
    assert ads_ratio(text) == ratio


def test_price_far_from_the_days_other_trades_within_a_filing() -> None:
    trades = [sold(100, p) for p in (10.0, 10.2, 9.9, 10.1, 101.0)]
    found = only(filing(*trades), "V403")
    assert found.field == "non_derivative_transactions[4].price_per_share" and "median 10.05" in found.message


def test_prices_need_enough_other_trades_and_a_real_gap() -> None:
    assert "V403" not in codes(filing(*(sold(100, p) for p in (10.0, 10.2, 101.0))))  # too few others
    assert "V403" not in codes(filing(*(sold(100, p) for p in (10.0, 10.2, 9.9, 10.1, 14.0))))  # a busy day


def _one_trade(price: float, cik: str, day: dt.date = DAY) -> Filing:
    return filing(sold(100, price, transaction_date=day), reporting_owners=[owner(cik=cik)])


def test_prices_compared_across_filings() -> None:
    batch = [_one_trade(p, f"000000000{n}") for n, p in enumerate((10.0, 10.2, 9.9, 10.1, 1.01))]
    found = validate_many(batch)
    assert [codes(f).count("V403") for f in found] == [0, 0, 0, 0, 1]
    assert "V403" not in codes(validate(batch[-1]))  # alone it has nothing to compare with
    other_day = [*batch[:4], _one_trade(1.01, "0000000009", DAY + dt.timedelta(days=1))]
    other_issuer = [*batch[:4], filing(sold(100, 1.01), issuer=Issuer(cik="0000000042"))]
    assert not any("V403" in codes(f) for f in [*validate_many(other_day), *validate_many(other_issuer)])


def test_the_same_filing_read_twice_counts_once() -> None:
    twice = [_one_trade(10.0, "0000000001")] * 4 + [_one_trade(1.01, "0000000005")]
    assert not any("V403" in codes(f) for f in validate_many(twice))
