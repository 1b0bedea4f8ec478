"""The SEC's transaction codes (ownership spec, section 3): which table each may appear in,
whether it acquires or disposes, and whether it needs a price. One table for every part that
knows codes: validation reports a row against it, drafting writes rows by it, and the lossy
readers infer a side the print lost from it."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

TABLE_I = "non_derivative_transactions"
TABLE_II = "derivative_transactions"
BOTH = frozenset({TABLE_I, TABLE_II})


class TransactionCode(NamedTuple):
    meaning: str
    # the acquired/disposed value each table expects; an empty set accepts either (the
    # spec's "A or D" and "—"), a table not listed does not take the code at all
    acquired_disposed: dict[str, frozenset[str]]
    needs_price: bool = False
    # where the code leaves the side open, the side nearly every filing gives it (a gift is
    # given, an exercise in Table II uses the option up): what a reader assumes when the
    # print lost the (A)/(D) column, never what validation requires
    usual: Mapping[str, str] = MappingProxyType({})


_A, _D, _ANY = frozenset("A"), frozenset("D"), frozenset[str]()


def _both(expected: frozenset[str]) -> dict[str, frozenset[str]]:
    return dict.fromkeys(BOTH, expected)


CODES: dict[str, TransactionCode] = {
    "P": TransactionCode("open market or private purchase", _both(_A), needs_price=True),
    "S": TransactionCode("open market or private sale", _both(_D), needs_price=True),
    "A": TransactionCode("grant, award or other acquisition", _both(_A)),
    "D": TransactionCode("disposition to the issuer", _both(_D)),
    "F": TransactionCode("payment of exercise price or tax by delivering or withholding securities", _both(_D)),
    "I": TransactionCode("discretionary transaction", _both(_ANY), usual={TABLE_I: "A"}),
    # an exercise acquires the underlying shares (Table I) and uses up the option (Table II)
    "M": TransactionCode("exercise or conversion of a derivative security (Rule 16b-3)",
                         {TABLE_I: _A, TABLE_II: _D}),
    "C": TransactionCode("conversion of a derivative security", _both(_ANY), usual={TABLE_I: "A", TABLE_II: "D"}),
    # expirations concern the derivative position itself: Table II only
    "E": TransactionCode("expiration of a short derivative position", {TABLE_II: _ANY}, usual={TABLE_II: "D"}),
    "H": TransactionCode("expiration or cancellation of a long derivative position with value received",
                         {TABLE_II: _D}),
    "O": TransactionCode("exercise of an out-of-the-money derivative security", _both(_ANY),
                         usual={TABLE_I: "A", TABLE_II: "D"}),
    "X": TransactionCode("exercise of an in-the-money or at-the-money derivative security", _both(_ANY),
                         usual={TABLE_I: "A", TABLE_II: "D"}),
    "G": TransactionCode("bona fide gift", _both(_ANY), usual={TABLE_I: "D", TABLE_II: "D"}),
    "L": TransactionCode("small acquisition under Rule 16a-6", _both(_A)),
    "W": TransactionCode("acquisition or disposition by will or the laws of descent", _both(_ANY),
                         usual={TABLE_I: "A"}),
    "Z": TransactionCode("deposit into or withdrawal from a voting trust", _both(_ANY)),
    "J": TransactionCode("other acquisition or disposition", _both(_ANY)),
    "K": TransactionCode("transaction in an equity swap or similar instrument", _both(_ANY)),
    "U": TransactionCode("disposition pursuant to a tender of shares in a change of control", _both(_D)),
}

TABLE_NAMES = {TABLE_I: "Table I", TABLE_II: "Table II"}


def fixed_side(code: str, table: str) -> str | None:
    """The one side (A or D) the code allows in ``table``, or None when it allows either, does
    not belong in that table, or is no code."""
    entry = CODES.get(code)
    expected = entry.acquired_disposed.get(table) if entry else None
    return next(iter(expected)) if expected and len(expected) == 1 else None


def usual_side(code: str, table: str) -> str | None:
    """The side a row of this code most likely has in ``table``: the fixed one, else the usual."""
    entry = CODES.get(code)
    if entry is None or table not in entry.acquired_disposed:
        return None
    return fixed_side(code, table) or entry.usual.get(table)
