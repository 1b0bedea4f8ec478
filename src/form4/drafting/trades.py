"""A list of trades to draft a form from: a CSV file with a header line, one trade a line.

Columns (names case-insensitive, in any order; unknown names are refused):

=====================  ========  =====================================================================
column                 required  value
=====================  ========  =====================================================================
date                   yes       the transaction date, YYYY-MM-DD (or MM/DD/YYYY)
code                   yes       the SEC's transaction code (P, S, A, M, F, G, L, ...)
shares                 yes       the number of securities (of derivatives, in Table II): more than 0
security_title         yes       the security as the forms name it ("Common Stock")
price                            the price per share ($ and thousands separators allowed); empty: $0 for
                                 a code without a price (a gift, a grant), an error for P and S
acquired_disposed                A or D; empty: what the code fixes in its table (P, L: A; S, F: D; M:
                                 A in Table I, D in Table II), required for a code that may be either
direct_or_indirect               D (the default) or I
nature_of_ownership              for indirect ownership, through whom ("By Trust")
ownership_footnote               the footnote on the ownership that says which trust or fund (it also
                                 tells apart lines of one security, ownership and nature)
footnote                         a footnote's text, referenced from the field ``footnote_on`` names
footnote_on                      the column the footnote annotates (default code: the whole trade)
deemed_execution_date            the deemed execution date, when there is one
table                            non_derivative (the default; also I) or derivative (also II)
exercise_price                   Table II: the conversion or exercise price
exercise_date                    Table II: the date exercisable
expiration_date                  Table II: the expiration date
underlying_title       Table II  the underlying security's title
underlying_shares      Table II  the number of underlying shares
=====================  ========  =====================================================================

Every bad value is one error naming the file, the line and the column; all lines are checked,
so that one reading lists everything to fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from form4.codes import CODES, TABLE_I, TABLE_II
from form4.errors import MalformedInputError, ReadError

REQUIRED = ("date", "code", "shares", "security_title")
DERIVATIVE_COLUMNS = ("exercise_price", "exercise_date", "expiration_date", "underlying_title", "underlying_shares")
COLUMNS = (*REQUIRED, "price", "acquired_disposed", "direct_or_indirect", "nature_of_ownership",
           "ownership_footnote", "footnote", "footnote_on", "deemed_execution_date", "table", *DERIVATIVE_COLUMNS)

# each column's field of the record (form4.model), for footnotes and for messages about a field
FIELDS = {"date": "transaction_date", "code": "transaction_code", "shares": "shares", "price": "price_per_share",
          "acquired_disposed": "acquired_disposed", "security_title": "security_title",
          "direct_or_indirect": "direct_or_indirect", "nature_of_ownership": "nature_of_ownership",
          "deemed_execution_date": "deemed_execution_date", "exercise_price": "conversion_or_exercise_price",
          "exercise_date": "exercise_date", "expiration_date": "expiration_date",
          "underlying_title": "underlying_security_title", "underlying_shares": "underlying_shares"}
COLUMN_OF = {record: column for column, record in FIELDS.items()} | {"shares_owned_following": "shares"}
_TABLES = {"non_derivative": TABLE_I, "nonderivative": TABLE_I, "i": TABLE_I, "1": TABLE_I,
           "derivative": TABLE_II, "ii": TABLE_II, "2": TABLE_II}
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True)
class Trade:
    """One trade to report. ``source`` names where it was given (``trades.csv:3``); ``table`` is the
    record's list it goes in (``non_derivative_transactions`` or ``derivative_transactions``)."""

    source: str
    date: dt.date
    code: str
    shares: Decimal
    security_title: str
    acquired_disposed: str
    price: Decimal | None = None
    direct_or_indirect: str = "D"
    nature_of_ownership: str | None = None
    ownership_footnote: str | None = None
    footnote: str | None = None
    footnote_on: str = "code"
    deemed_execution_date: dt.date | None = None
    table: str = TABLE_I
    exercise_price: Decimal | None = None
    exercise_date: dt.date | None = None
    expiration_date: dt.date | None = None
    underlying_title: str | None = None
    underlying_shares: Decimal | None = None

    @property
    def signed_shares(self) -> Decimal:
        """The change it makes to its holding line: acquisitions add, dispositions subtract."""
        return self.shares if self.acquired_disposed == "A" else -self.shares

    @property
    def derivative(self) -> bool:
        return self.table == TABLE_II


@dataclass
class TradeList:
    """The trades a file gives, and an error for each line or value that is not a trade."""

    trades: list[Trade] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)


def read_trades(text: str, *, source: str = "trades.csv") -> TradeList:
    """The trades of a CSV document (see the module's table of columns)."""
    found = TradeList()
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = _header(next(reader, None), source, found.errors)
    if header is None:
        return found
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        where = f"{source}:{start}"
        if len(cells) > len(header):
            found.errors.append(MalformedInputError(f"{len(cells)} values, but the header names {len(header)} "
                                                    "columns", source=where))
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        trade = _Line(where, values).trade()
        if isinstance(trade, Trade):
            found.trades.append(trade)
        else:
            found.errors.extend(trade)
    if not found.trades and not found.errors:
        found.errors.append(MalformedInputError("no trade: the file has a header and no line after it",
                                                source=source))
    return found


def _header(cells: list[str] | None, source: str, errors: list[ReadError]) -> list[str] | None:
    if cells is None or not any(c.strip() for c in cells):
        errors.append(MalformedInputError(f"empty: a header line naming the columns is required "
                                          f"({', '.join(REQUIRED)}, ...)", source=source))
        return None
    names = [c.strip().lower().replace(" ", "_") for c in cells]
    where = f"{source}:1"
    for name in names:
        if name not in COLUMNS:
            errors.append(MalformedInputError(f"not a column of a trades file (one of {', '.join(COLUMNS)})",
                                              source=where, field=name or "(empty)"))
    for name in REQUIRED:
        if name not in names:
            errors.append(MalformedInputError("required column missing from the header", source=where, field=name))
    doubled = sorted({n for n in names if names.count(n) > 1})
    errors.extend(MalformedInputError("column given twice", source=where, field=n) for n in doubled)
    return None if errors else names


class _Line:
    """One CSV line's values, read into a Trade; each bad value one error."""

    def __init__(self, source: str, values: dict[str, str]):
        self.source = source
        self.values = values
        self.errors: list[ReadError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(MalformedInputError(message, source=self.source, field=column))

    def text(self, column: str) -> str | None:
        return self.values.get(column) or None

    def required(self, column: str) -> str | None:
        value = self.text(column)
        if value is None:
            self.error(column, "empty, but required")
        return value

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.required(column) if required else self.text(column)
        if value is None:
            return None
        us = _US_DATE.fullmatch(value)
        try:
            return dt.date(int(us[3]), int(us[1]), int(us[2])) if us else dt.date.fromisoformat(value)
        except ValueError:
            self.error(column, f"{value!r} is not a date (YYYY-MM-DD)")
            return None

    def number(self, column: str, *, required: bool = False, positive: bool = False) -> Decimal | None:
        value = self.required(column) if required else self.text(column)
        if value is None:
            return None
        try:
            number = Decimal(value.replace(",", "").replace("$", "").strip())
        except InvalidOperation:
            self.error(column, f"{value!r} is not a number")
            return None
        if not number.is_finite() or number < 0 or (positive and number == 0):
            self.error(column, f"{value} is not a number {'above' if positive else 'of at least'} 0 (a disposition "
                       "is D in acquired_disposed, not a negative number)")
            return None
        return number

    def choice(self, column: str, allowed: dict[str, str], default: str) -> str:
        value = self.text(column)
        if value is None:
            return default
        if value.lower() not in allowed:
            self.error(column, f"{value!r} is not one of {', '.join(dict.fromkeys(allowed))}")
            return default
        return allowed[value.lower()]

    def trade(self) -> Trade | list[ReadError]:
        table = self.choice("table", _TABLES, TABLE_I)
        code = self._code(table)
        derivative = self._derivative_terms(table)
        footnote, footnote_on = self.text("footnote"), self.choice("footnote_on", _FOOTNOTE_ON, "code")
        if footnote_on != "code" and footnote is None:
            self.error("footnote_on", "names a column, but the line has no footnote")
        date, shares = self.date("date", required=True), self.number("shares", required=True, positive=True)
        title, acquired_disposed = self.required("security_title"), self._acquired_disposed(code, table)
        price, deemed = self.number("price"), self.date("deemed_execution_date")
        direct_or_indirect = self.choice("direct_or_indirect", {"d": "D", "i": "I"}, "D")
        if self.errors or date is None or shares is None or title is None:
            return self.errors
        return Trade(self.source, date, code, shares, title, acquired_disposed, price=price,
                     direct_or_indirect=direct_or_indirect, nature_of_ownership=self.text("nature_of_ownership"),
                     ownership_footnote=self.text("ownership_footnote"), footnote=footnote, footnote_on=footnote_on,
                     deemed_execution_date=deemed, table=table, **derivative)

    def _code(self, table: str) -> str:
        code = (self.required("code") or "").upper()
        if code and code not in CODES:
            self.error("code", f"{code!r} is not one of the SEC's transaction codes ({', '.join(CODES)})")
        elif code and table not in CODES[code].acquired_disposed:
            self.error("code", f"code {code} ({CODES[code].meaning}) is for Table II (table derivative) only")
        return code

    def _acquired_disposed(self, code: str, table: str) -> str:
        given = self.text("acquired_disposed")
        if given is not None:
            if given.upper() not in ("A", "D"):
                self.error("acquired_disposed", f"{given!r} is not A or D")
            return given.upper()
        fixed = CODES[code].acquired_disposed.get(table) if code in CODES else None
        if fixed and len(fixed) == 1:
            return next(iter(fixed))  # the code decides it (P acquires, S disposes, ...)
        if code in CODES and table in CODES[code].acquired_disposed:  # else the code itself is in error
            self.error("acquired_disposed", f"empty, and code {code} ({CODES[code].meaning}) may acquire or "
                       "dispose: give A or D")
        return ""

    def _derivative_terms(self, table: str) -> dict[str, Any]:
        if table != TABLE_II:
            for column in DERIVATIVE_COLUMNS:
                if self.text(column) is not None:
                    self.error(column, "a term of a derivative security: give table derivative, or leave it empty")
            return {}
        return {"exercise_price": self.number("exercise_price"), "exercise_date": self.date("exercise_date"),
                "expiration_date": self.date("expiration_date"), "underlying_title": self.required("underlying_title"),
                "underlying_shares": self.number("underlying_shares", required=True)}


# what a footnote may annotate: the columns whose values the form prints (the ownership footnote
# has a column of its own)
_FOOTNOTE_ON = {name: name for name in FIELDS if name != "nature_of_ownership"}


def trade_lines(trades: list[Trade]) -> Iterator[tuple[int, Trade]]:
    """The trades in date order (a stable sort: one day's trades keep the file's order), each
    with its place in the list."""
    yield from sorted(enumerate(trades), key=lambda pair: pair[1].date)
