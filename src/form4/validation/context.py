"""What every rule gets: the filing, the date it counts as filed, and its rows with their paths."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

from form4.codes import TABLE_I, TABLE_II
from form4.model import DerivativeTransaction, Filing, NonDerivativeTransaction

Transaction = NonDerivativeTransaction | DerivativeTransaction


class Context(NamedTuple):
    filing: Filing
    # filed_at, or for a filing not (yet) filed the --as-of date; None when neither is known
    filed: dt.date | None
    filed_is_as_of: bool
    rows: list[tuple[str, Transaction]]  # transactions(filing), listed once for every rule


def transactions(filing: Filing) -> Iterator[tuple[str, Transaction]]:
    """Each transaction row of both tables with its record path (``derivative_transactions[2]``)."""
    for index, row in enumerate(filing.non_derivative_transactions):
        yield f"{TABLE_I}[{index}]", row
    for index, derivative in enumerate(filing.derivative_transactions):
        yield f"{TABLE_II}[{index}]", derivative


def table_of(path: str) -> str:
    return path.partition("[")[0]


def has_footnote(row: Transaction, field: str) -> bool:
    return bool(row.footnotes.get(field))


def number(value: float) -> str:
    """A share count or price as a person writes it: 1,250 or 12.3456."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4f}".rstrip("0").rstrip(".")
