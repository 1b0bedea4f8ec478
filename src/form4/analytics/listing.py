"""Pages of stored filings, transactions and holdings, newest first, for programs that page
through them (the REST API, scripts).

Pages are keyed, not numbered: a cursor holds the sort key of the last row served, and the next
page starts after it. Filings stored meanwhile never shift a page or repeat a row, whatever
they add before or after it.

Transactions and holdings are read from ``current_rows`` in the order of its indexes (its day,
its filing's integer key, its line), so that a page is a short walk of an index, never a sort
of the store (form4.store.schema). On DuckDB, a page that is not an issuer's reads a copy of
``current_rows`` kept in its own order (``PAGE_COPIES``): newest first, or an owner's together.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from form4.analytics.scope import Filters
from form4.errors import AnalyticsError
from form4.store import Store
from form4.store.schema import CURRENT_COLUMNS, NO_DAY

MAX_LIMIT = 1000
_FLOOR = "DATE '0001-01-01'"  # a missing date sorts last among dates, and compares as one
_DAY = f"coalesce({{}}, {_FLOOR})"
# text in a key compares byte by byte on both engines, whatever a PostgreSQL database's collation:
# a page's order must not change with the server's locale (and the server's index sorts by bytes)
_BYTES = '{} COLLATE "C"'


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next: str | None  # the cursor of the following page; None on the last one

    def to_dict(self) -> dict[str, Any]:
        return {"items": self.items, "next": self.next}


@dataclass(frozen=True)
class Listing:
    """One list: its rows (SQL after SELECT … FROM), its key columns (the sort, newest first, and
    unique), and which of them are dates (their cursor values are ISO strings)."""

    select: str
    rows: str
    key: tuple[str, ...]
    dates: tuple[int, ...]
    day: str  # the column ``since`` and ``until`` compare
    kinds: tuple[str, ...] = ()  # what each key column holds (``_KINDS``): a cursor's values are checked so
    indexed: bool = False  # rows of ``current_rows r``, found by its indexes
    kind: str = ""  # which rows of ``current_rows`` (transaction, holding), when indexed


def _is_day(value: object) -> bool:
    try:
        return isinstance(value, str) and dt.date.fromisoformat(value) is not None
    except ValueError:
        return False


def _text(pattern: str) -> Callable[[object], bool]:
    return lambda value: isinstance(value, str) and re.fullmatch(pattern, value) is not None


# What a cursor may hold for each kind of key column: a value of another type or form would reach the
# SQL as a comparison the engine refuses (a 500) or one that pages nowhere.
_KINDS: dict[str, Callable[[object], bool]] = {
    "day": _is_day,
    "accession": _text(r"\d{10}-\d{2}-\d{6}|sha256:[0-9a-f]{64}"),
    "id": lambda value: isinstance(value, int) and not isinstance(value, bool) and -2 ** 63 <= value < 2 ** 63,
}


_FILINGS = Listing(
    select="f.accession_number, f.form_type, f.filed_at, f.period_of_report, f.date_of_original_submission, "
           "f.issuer_cik, f.issuer_name, f.trading_symbol, f.owner_cik, f.amends, f.source",
    rows="current_filings f WHERE true",
    key=(_DAY.format("coalesce(f.filed_at, f.period_of_report)"), _BYTES.format("f.accession_number")), dates=(0,),
    day="coalesce(f.filed_at, f.period_of_report)", kinds=("day", "accession"))


def _rows_of(kind: str) -> Listing:
    return Listing(select=CURRENT_COLUMNS, rows=f"current_rows r WHERE r.kind = '{kind}'",
                   key=("r.day", "r.filing_id", "r.line"), dates=(0,), day="r.day", kinds=("day", "id", "id"),
                   indexed=True, kind=kind)


TRANSACTIONS = _rows_of("transaction")
_HOLDINGS = _rows_of("holding")


def filings(store: Store, filters: Filters, *, form: str | None = None, limit: int = 100,
            cursor: str | None = None) -> Page:
    """Current filings (amendments applied) in ``filters``, by filing date, newest first;
    ``form`` takes its amendments too (4 lists 4/A)."""
    extra, params = _filters(filters, "f", _FILINGS.day)
    if form:
        extra += " AND f.form_type IN ($form, $amendment)"
        params.update(form=form, amendment=f"{form}/A")
    return _page(store, _FILINGS, extra, params, limit, cursor)


def transactions(store: Store, filters: Filters, *, code: str | None = None, table: str | None = None,
                 limit: int = 100, cursor: str | None = None) -> Page:
    """Rows of the ``current_transactions`` view (one per table row and owner), by transaction
    date, newest first. ``table``: non_derivative or derivative; ``filters.min_value``: shares
    times price (or the value given) at least that."""
    extra, params = _filters(filters, "r", TRANSACTIONS.day)
    if filters.min_value is not None:
        extra += " AND coalesce(r.total_value, r.shares * r.price_per_share) >= $min_value"
        params["min_value"] = filters.min_value
    if code:
        extra += " AND r.transaction_code = $code"
        params["code"] = code
    if table:
        if table not in ("non_derivative", "derivative"):
            raise AnalyticsError(f"table: {table!r} is not non_derivative or derivative")
        extra += " AND r.table_name = $table"
        params["table"] = table
    return _page(store, TRANSACTIONS, extra, params, limit, cursor, _lead(filters))


def holdings(store: Store, filters: Filters, *, limit: int = 100, cursor: str | None = None) -> Page:
    """Rows of the ``current_holdings`` view, by period of report, newest first."""
    extra, params = _filters(filters, "r", _HOLDINGS.day)
    return _page(store, _HOLDINGS, extra, params, limit, cursor, _lead(filters))


def _lead(filters: Filters) -> str | None:
    """The filter that decides where a page of rows is: its issuer's, else its owner's, else none."""
    return "issuer" if filters.issuer is not None else "owner" if filters.owner is not None else None


def _filters(filters: Filters, alias: str, day: str) -> tuple[str, dict[str, Any]]:
    columns = {"issuer": f"{alias}.issuer_cik", "since": day, "until": day}
    if alias == "r":
        columns["owner"] = "r.owner_cik"
    where, params = filters.matching(columns)
    if alias == "r" and (filters.since or filters.until):  # a row without a date is kept as of the first day
        where += f" AND r.day > {NO_DAY}"
    if alias == "f" and filters.owner is not None:  # any owner of a joint filing, not only the first
        where += (" AND " if where else "") + ("f.accession_number IN "
                                               "(SELECT accession_number FROM reporting_owners WHERE cik = $owner)")
        params["owner"] = filters.owner
    return f" AND {where}" if where else "", params


def _page(store: Store, listing: Listing, extra: str, params: dict[str, Any], limit: int,
          cursor: str | None, lead: str | None = None) -> Page:
    if not 1 <= limit <= MAX_LIMIT:
        raise AnalyticsError(f"limit: {limit} is not between 1 and {MAX_LIMIT}")
    key = ", ".join(listing.key)
    if cursor:  # an empty cursor is none: the first page
        after = decode(cursor, listing)
        marks = []
        for i, value in enumerate(after):
            params[f"k{i}"] = value
            marks.append(f"CAST($k{i} AS DATE)" if i in listing.dates else f"$k{i}")
        if listing.indexed:  # the day alone too: DuckDB skips the blocks of later days by it
            extra += f" AND {listing.key[0]} <= {marks[0]}"
        extra += f" AND ({key}) < ({', '.join(marks)})"
    order = ", ".join(f"{column} DESC" for column in listing.key)
    named = ", ".join(f"{column} AS _k{i}" for i, column in enumerate(listing.key))
    rows = store.dicts(f"SELECT {listing.select}, {named} FROM {_rows(store, listing, extra, order, limit, lead)} "
                       f"ORDER BY {order} LIMIT {limit + 1}", params)
    keys = [[row.pop(f"_k{i}") for i in range(len(listing.key))] for row in rows]
    more = len(rows) > limit
    return Page(rows[:limit], encode(keys[limit - 1], listing) if more else None)


def _rows(store: Store, listing: Listing, extra: str, order: str, limit: int, lead: str | None) -> str:
    """Where a page's rows come from. PostgreSQL walks an index in the page's order and reads
    only the rows it sends. DuckDB, a column store, reads a row at the price of the blocks around
    it: the page is chosen first by its key columns alone, in a table whose order puts the page's
    rows together (an issuer's: ``current_rows``; an owner's, or anyone's newest first: its copy
    in that order, whose zone maps and top-N filter skip every row group but one or two), and the
    rest of its rows' columns read after, by row id, from the same few blocks."""
    if not listing.indexed or store.engine.dialect != "duckdb":
        return f"{listing.rows}{extra}"
    table = _table(store, lead)
    rows = f"{table} r WHERE r.kind = '{listing.kind}'"
    return f"{rows} AND r.rowid IN (SELECT r.rowid FROM {rows}{extra} ORDER BY {order} LIMIT {limit + 1})"


# which of DuckDB's copies of current_rows (form4.store.schema.PAGE_COPIES) holds the rows a page's
# lead filter asks for together; an issuer's are together in current_rows itself (CLUSTER_ORDER)
_COPY = {None: "current_rows_by_day", "owner": "current_rows_by_owner"}


def _table(store: Store, lead: str | None) -> str:
    copy = _COPY.get(lead)
    return copy if copy in store.engine.copies else "current_rows"


def encode(key: list[Any], listing: Listing) -> str:
    plain = [value.isoformat() if i in listing.dates else value for i, value in enumerate(key)]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str, listing: Listing) -> list[Any]:
    """The key a cursor holds, checked: a cursor made by hand or for another list is refused."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except ValueError:  # binascii.Error and UnicodeDecodeError among them
        raise AnalyticsError("cursor: not a cursor this list gave") from None
    if not isinstance(key, list) or len(key) != len(listing.key) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in key):
        raise AnalyticsError("cursor: not a cursor this list gave")
    for i in listing.dates:
        try:
            dt.date.fromisoformat(str(key[i]))
        except ValueError:
            raise AnalyticsError("cursor: not a cursor this list gave") from None
    if not all(_KINDS[kind](value) for kind, value in zip(listing.kinds, key, strict=False)):
        raise AnalyticsError("cursor: not a cursor this list gave (a value is not of its column)")
    return list(key)


def columns(store: Store, name: str) -> tuple[str, ...]:
    """The columns of the items of list ``name`` (filings, transactions, holdings): the header of
    an empty page written as CSV."""
    chosen = {"filings": _FILINGS, "transactions": TRANSACTIONS, "holdings": _HOLDINGS}[name]
    return tuple(store.arrow(f"SELECT {chosen.select} FROM {chosen.rows} LIMIT 0").column_names)
