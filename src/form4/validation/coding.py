"""Rules on each transaction's coding: the code, acquired/disposed, price and signs (C1xx, V404)."""

from __future__ import annotations

from collections.abc import Iterator

from form4.codes import CODES, TABLE_NAMES
from form4.validation.context import Context, Transaction, has_footnote, number, table_of
from form4.validation.diagnostics import Diagnostic, diagnostic


def check_coding(ctx: Context) -> Iterator[Diagnostic]:
    for path, row in ctx.rows:
        yield from _code(path, row)
        yield from _signs(path, row)


def _code(path: str, row: Transaction) -> Iterator[Diagnostic]:
    code = row.transaction_code
    if not code or code not in CODES:
        yield diagnostic("C101", f"{path}.transaction_code",
                         f"unknown transaction code {code!r}" if code else "no transaction code")
        return
    entry = CODES[code]
    table = table_of(path)
    expected = entry.acquired_disposed.get(table)
    if expected is None:
        yield diagnostic("C102", f"{path}.transaction_code",
                         f"code {code} ({entry.meaning}) is not used in {TABLE_NAMES[table]}")
    ad = row.acquired_disposed
    if ad not in ("A", "D"):
        yield diagnostic("C106", f"{path}.acquired_disposed",
                         f"acquired/disposed is {ad!r}, not A or D" if ad else "acquired/disposed not given")
    elif expected and ad not in expected:
        yield diagnostic("C103", f"{path}.acquired_disposed",
                         f"code {code} ({entry.meaning}) is {'/'.join(sorted(expected))} in "
                         f"{TABLE_NAMES[table]}, but the row says {ad}")
    if entry.needs_price:
        yield from _price(path, row, code)


def _price(path: str, row: Transaction, code: str) -> Iterator[Diagnostic]:
    price = row.price_per_share
    if price is None:
        # a price given only as "see footnote 2" is reported, just not as a number
        if not has_footnote(row, "price_per_share"):
            yield diagnostic("C104", f"{path}.price_per_share", f"code {code} needs a price, and none is given")
    elif price <= 0:
        yield diagnostic("C105", f"{path}.price_per_share", f"code {code} needs a positive price, not {number(price)}")


def _signs(path: str, row: Transaction) -> Iterator[Diagnostic]:
    for field in ("shares", "shares_owned_following", "price_per_share"):
        value = getattr(row, field)
        if value is not None and value < 0:
            yield diagnostic("V404", f"{path}.{field}", f"{field} is negative ({number(value)}): amounts are unsigned, "
                             "acquired_disposed gives the direction")
