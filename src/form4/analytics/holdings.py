"""Holdings: what each owner holds, line by line as the forms report it, and how it changed.

A holding is one line of the form: an owner's balance of one security held in one form of
ownership. Two lines are one when they agree on the owner, the issuer, the table, the title
of the security (compared without case or surrounding spaces), direct or indirect ownership,
the nature of indirect ownership ("Trust") and the footnotes on it (which trust: "held by the
Scarpelli Family Trust"; compared without case or runs of spaces, so that the same trust keeps
its line from filing to filing whatever its footnote's number), and, in Table II, the
derivative's terms: exercise price, date exercisable, expiration date and underlying security.
Holding rows of one filing that agree on all of that are still separate lines of the form: the
first of them continues the first such line, the second the second.

A line's balance after a point in time (spec §2, ``sharesOwnedFollowingTransaction``):
- a transaction row gives the balance after it, on its transaction date;
- a holding row (Form 3, or a Form 4/5 line without transactions) gives the balance on the
  filing's period of report; a Form 3 Table II line has no count of the derivatives
  themselves (the form has no such column): its number is the underlying shares.
The latest balance of a line is its last point: latest date, then latest filed, then a holding
row before the transactions of its filing, then the last row of the table. A line that later
filings no longer report keeps its last balance, dated: Form 4 lists only the lines a
transaction touched (and what the filer chose to add). Filings that a later amendment replaced
are left out.
"""

from __future__ import annotations

from typing import Any

from form4.analytics.scope import TOTAL, Filters, period_start, total_taken
from form4.store import Store

Rows = list[dict[str, Any]]
# what a person reads of a holding (after its owner or issuer): the line, then its balance
HOLDING_COLUMNS = ("security_title", "direct_or_indirect", "nature_of_ownership", "ownership_footnote",
                   "conversion_or_exercise_price", "expiration_date", "underlying_shares", "date", "shares")

_DATE = "coalesce(r.transaction_date, r.period_of_report)"
_POINT = f"""holding_line AS line, owner_cik, owner_name, issuer_cik, trading_symbol, table_name AS "table",
       security_title, direct_or_indirect, nature_of_ownership, ownership_footnote, conversion_or_exercise_price,
       exercise_date, expiration_date, underlying_security_title,
       CASE WHEN kind = 'holding' THEN underlying_shares END AS underlying_shares, {_DATE} AS date,
       shares_owned_following AS shares, value_owned_following AS value, accession_number, form_type"""
_WITH_BALANCE = (f"{_DATE} IS NOT NULL AND (r.shares_owned_following IS NOT NULL "
                 "OR r.value_owned_following IS NOT NULL OR (r.kind = 'holding' AND r.underlying_shares IS NOT NULL))")

def _points_sql(dialect: str, key: str, where: str) -> str:
    """The last point of each ``key`` (a holding line, or a line and a day or period) in this
    order, the one the module's docstring gives: latest date, then the last filed, a holding row
    before its filing's transactions, the table's last row. Each row's holding line is kept with
    it (``current_rows.holding_line``, form4.store.schema: the terms above, and a holding row's
    place among its filing's alike). DISTINCT ON keeps the first row of each key in that order:
    both engines have it, and it takes half the time of row_number() over the same window."""
    def last(columns: str, row_id: str = "") -> str:
        return (f"SELECT DISTINCT ON ({key}) {columns} "
                f"FROM (SELECT r.*,{row_id} {_DATE} AS point_day FROM current_rows r WHERE {_WITH_BALANCE}{where}) r "
                f"ORDER BY {key}, point_day DESC, filed_at DESC NULLS LAST, accession_number DESC, "
                "kind, row_index DESC")
    if dialect == "duckdb":  # a column store sorts whatever the sort carries: the points are chosen by
        # their key columns alone and their other columns read after, by row id (3-4 times faster
        # for an issuer's 200,000 rows); PostgreSQL reads whole rows either way
        # the rows chosen are among those the filters name: saying so again lets the outer read skip,
        # by the table's order, every row group not of the issuer (not the whole table's ten million rows)
        return (f"SELECT {_POINT} FROM current_rows r WHERE r.rowid IN ({last('row_id', ' r.rowid AS row_id,')})"
                f"{where}")
    return last(_POINT)


def _where(filters: Filters) -> tuple[str, Any]:
    where, params = filters.matching({"issuer": "r.issuer_cik", "owner": "r.owner_cik", "since": _DATE, "until": _DATE})
    return (f" AND {where}" if where else ""), params


def holdings_over_time(store: Store, filters: Filters, *, period: str | None = None) -> Rows:
    """Points of each holding line (``line``: its id), line by line in date order: the last of
    each day, or of each ``period`` (month, quarter, year). A point: ``owner_cik, owner_name,
    issuer_cik, trading_symbol, table, security_title, direct_or_indirect, nature_of_ownership,
    ownership_footnote`` (the text of the footnotes that say which trust or fund), for Table II
    ``conversion_or_exercise_price, exercise_date, expiration_date, underlying_security_title,
    underlying_shares`` (of a holding row), then ``date, shares`` (the balance after; None for a
    Form 3's Table II line, which counts the underlying shares only), ``value`` (for securities
    counted in dollars), and the ``accession_number, form_type`` that reported it."""
    where, params = _where(filters)
    bucket = period_start(period).replace("r.transaction_date", "point_day") if period else "point_day"
    points: Rows = store.dicts(_points_sql(store.engine.dialect, f"holding_line, {bucket}", where), params)
    points.sort(key=lambda p: (p["line"], p["date"]))
    return points


def series_key(point: dict[str, Any]) -> str:
    """The holding line a point belongs to."""
    line: str = point["line"]
    return line


def latest(store: Store, filters: Filters) -> Rows:
    """Each line's last point (the same point as the last of its history): what every owner
    holds now, as far as the store knows; by owner, Table I before Table II, then as the lines'
    titles, ownership and terms sort. Asked of the database, one row a line, so that a report
    that shows only what is held never reads each line's whole history."""
    where, params = _where(filters)
    return sorted(store.dicts(_points_sql(store.engine.dialect, "holding_line", where), params), key=_order)


def first_held(store: Store, filters: Filters, count: int) -> tuple[Rows, int]:
    """The first ``count`` rows of ``latest``, in its order, and how many lines it has: the
    database sorts the lines as ``latest`` does and hands over only those shown."""
    where, params = _where(filters)
    points = _points_sql(store.engine.dialect, "holding_line", where)
    rows = store.dicts(f"SELECT p.*{TOTAL} FROM ({points}) p ORDER BY {_ORDER_SQL} LIMIT {int(count)}", params)
    return rows, total_taken(rows)


# _order in SQL: text compared byte by byte (UTF-8's bytes sort as Python sorts its code points,
# whatever a PostgreSQL database's collation), None as "" or 0.0, a missing expiration date first
# (as "" before any ISO date), -0.0 as 0.0
_TEXT = "coalesce(p.{}, '') COLLATE \"C\""
_ORDER_SQL = ", ".join((
    *(_TEXT.format(c) for c in ("owner_name", "owner_cik", "trading_symbol", "issuer_cik")),
    "p.\"table\" IS DISTINCT FROM 'non_derivative'",
    *(_TEXT.format(c) for c in ("security_title", "direct_or_indirect", "nature_of_ownership", "ownership_footnote")),
    "p.expiration_date IS NOT NULL", "p.expiration_date", "coalesce(p.conversion_or_exercise_price, 0.0) + 0.0",
    "p.line COLLATE \"C\""))


def _order(point: dict[str, Any]) -> tuple[Any, ...]:
    # people of one name, and lines of one title and ownership, come in the order of their CIKs
    # and then of their line's id: the same answer every time, whatever order the database chose
    return (point["owner_name"] or "", point["owner_cik"] or "", point["trading_symbol"] or "",
            point["issuer_cik"] or "", point["table"] != "non_derivative",
            point["security_title"] or "", point["direct_or_indirect"] or "", point["nature_of_ownership"] or "",
            point["ownership_footnote"] or "", str(point["expiration_date"] or ""),
            point["conversion_or_exercise_price"] or 0.0, point["line"])
