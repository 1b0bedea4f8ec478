"""Rules on prices and values: a price per ADS against ordinary shares (V402), and a price far
from the issuer's other trades that day (V403, across every filing validated together)."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from form4.codes import CODES, TABLE_I
from form4.model import Filing
from form4.validation.context import Context, Transaction, number, transactions
from form4.validation.diagnostics import Diagnostic, diagnostic

# --- V402: price per ADS, shares in ordinary shares ---------------------------------------

_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
          "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
_ADS = r"(?:ADSs?|ADRs?|American\s+Depositary\s+(?:Shares?|Receipts?))"
_COUNT = r"\b(?P<n>\d[\d,]*(?:\.\d+)?|one|" + "|".join(_WORDS) + r")(?:\s*\((?P<d>\d+)\))?"
_SHARES = r"\s+(?:[\w-]+\s+){0,3}?(?:shares|Shares)"
# "each ADS represents 10 ordinary shares", "ADSs, each representing two (2) Class A ordinary shares",
# "1 ADS = 20 shares", "10 ordinary shares per ADS"
_RATIO = (re.compile(_ADS + r"[^.;]{0,60}?(?:represents?|representing|equals?|equal\s+to|equivalent\s+to|=)\s+"
                     + _COUNT + _SHARES, re.I),
          re.compile(_COUNT + _SHARES + r"\s+(?:per|for\s+each|for\s+every|to\s+one)\s+(?:one\s+)?" + _ADS, re.I))
_PER_ADS = re.compile(r"per\s+(?:one\s+)?" + _ADS, re.I)
_IS_ADS = re.compile(_ADS + r"|depositary", re.I)


def _mentions_ads(text: str) -> bool:
    return "ADS" in text or "ADR" in text or "epositary" in text or "EPOSITARY" in text


def ads_ratio(text: str) -> float | None:
    """The ordinary shares one ADS stands for, as a footnote states it."""
    for pattern in _RATIO:
        match = pattern.search(text)
        if match:
            raw = match.group("d") or match.group("n").replace(",", "")
            ratio = float(raw) if raw[0].isdigit() else _WORDS.get(raw.lower(), 1)
            return ratio if ratio != 1 else None
    return None


def check_ads_prices(ctx: Context) -> Iterator[Diagnostic]:
    filing = ctx.filing
    # most filings have nothing to do with ADSs: a plain substring scan says so quickly
    if not any(_mentions_ads(f.text) for f in filing.footnotes):
        return
    texts = {f.id: f.text for f in filing.footnotes}
    stated = [r for r in map(ads_ratio, [*texts.values(), filing.remarks or ""]) if r]
    for path, row in ctx.rows:
        found = _per_ads(row, texts, stated[0] if stated else None)
        if found is not None and row.shares and row.price_per_share:
            yield _restated(path, row.shares, row.price_per_share, found)


def _per_ads(row: Transaction, texts: dict[str, str], filing_ratio: float | None) -> float | None:
    """The ADS ratio when this row's price is per ADS while its shares are ordinary shares."""
    if _IS_ADS.search(row.security_title or "") or row.shares is None:
        return None  # the security is the ADS itself: price and shares agree
    on_price = [texts.get(i, "") for i in row.footnotes.get("price_per_share", ())]
    on_row = [texts.get(i, "") for ids in row.footnotes.values() for i in ids]
    per_ads = any(_PER_ADS.search(t) for t in on_row) or any(ads_ratio(t) for t in on_price)
    if not per_ads:
        return None
    ratio = next((r for r in map(ads_ratio, on_row) if r), filing_ratio)
    if ratio is None or abs(row.shares / ratio - round(row.shares / ratio)) > 1e-6:
        return None  # not a whole number of ADSs: the shares are not counted as ADS times the ratio
    return ratio


def _restated(path: str, shares: float, price: float, ratio: float) -> Diagnostic:
    ads = shares / ratio
    return diagnostic(
        "V402", f"{path}.price_per_share",
        f"the price {number(price)} is per ADS (1 ADS = {number(ratio)} ordinary shares) but the "
        f"{number(shares)} shares are ordinary shares: the value is {number(shares)} / {number(ratio)} x "
        f"{number(price)} = ${ads * price:,.2f}, not ${shares * price:,.2f}")


# --- V403: a price far from the issuer's other trades that day ------------------------------

# A trade is compared with the median of the issuer's other open-market trades (P, S) that
# day: a median ignores the odd wrong price that a mean would follow. Only with at least
# this many others, and only a price more than this factor away (either way: a price per
# ADS, a slipped decimal, cents for dollars), so an ordinary day's range never fires.
MIN_OTHER_TRADES = 3
FAR_FACTOR = 2.0
_MARKET = frozenset(code for code, entry in CODES.items() if entry.needs_price)


class _Trade(NamedTuple):
    filing: int
    path: str
    price: float
    identity: tuple[object, ...]


def _trades(index: int, filing: Filing) -> Iterator[tuple[tuple[str, dt.date], _Trade]]:
    issuer = (filing.issuer.cik or "").lstrip("0") or filing.issuer.trading_symbol or filing.issuer.name or ""
    owners = tuple(o.cik or o.name for o in filing.reporting_owners)
    for path, row in transactions(filing):
        price = row.price_per_share
        if (price and price > 0 and row.transaction_date and row.transaction_code in _MARKET
                and path.startswith(TABLE_I + "[")):
            # the same filing read twice (its XML and its submission) is one trade, not two
            identity = (owners, path, row.shares, price, row.shares_owned_following)
            yield (issuer, row.transaction_date), _Trade(index, path, price, identity)


def price_outliers(filings: Sequence[Filing]) -> Iterator[tuple[int, Diagnostic]]:
    """(index of the filing, finding) for each price far from the issuer's other trades that day."""
    days: dict[tuple[str, dt.date], list[_Trade]] = defaultdict(list)
    for index, filing in enumerate(filings):
        for key, trade in _trades(index, filing):
            days[key].append(trade)
    for (_, day), trades in days.items():
        if len(trades) > MIN_OTHER_TRADES:
            yield from _far(day, trades)


def _far(day: dt.date, trades: list[_Trade]) -> Iterator[tuple[int, Diagnostic]]:
    prices = {t.identity: t.price for t in trades}
    for trade in trades:
        others = [p for identity, p in prices.items() if identity != trade.identity]
        if len(others) < MIN_OTHER_TRADES:
            continue
        median = statistics.median(others)
        if max(trade.price / median, median / trade.price) >= FAR_FACTOR:
            yield trade.filing, diagnostic(
                "V403", f"{trade.path}.price_per_share",
                f"price {number(trade.price)} is {trade.price / median:.2g}x the median {number(median)} of "
                f"the issuer's {len(others)} other trades on {day}")
