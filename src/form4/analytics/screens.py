"""The screens insider-trading sites are used for, over the store.

- ``trades``: the latest open-market purchases (P) or sales (S), largest dollar value first
  within a day, above a value;
- ``officer_purchases``: purchases by a CEO or CFO (as their officer title says);
- ``cluster_buys``: three or more distinct insiders buying the same issuer's shares on the open
  market within a window of days.

A joint filing (a fund, its general partner and its manager reporting one purchase) is one
trade by its first owner, never three: screens count each Table I row once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import Any

from form4.analytics.activity import planned_sales
from form4.analytics.roles import roles
from form4.analytics.scope import ROWS, VALUE, Filters, decimal_sum, exact, exact_value, number
from form4.errors import AnalyticsError
from form4.store import Store

Rows = list[dict[str, Any]]
EXECUTIVES = frozenset({"ceo", "cfo"})

# The trades are found and ordered first (by the double value), then their value is taken in decimal:
# for the rows shown only, not for the millions a screen looks through.
_TRADE = """
SELECT r.accession_number, r.row_index, r.filed_at, r.transaction_date, r.issuer_cik, r.issuer_name, r.trading_symbol,
       r.owner_cik, r.owner_name, r.is_director, r.is_officer, r.is_ten_percent_owner, r.is_other,
       r.officer_title, r.security_title, r.transaction_code, r.shares, r.price_per_share, {value} AS value,
       r.shares_owned_following
FROM ({found}) r ORDER BY {order}"""
# by r.day (the transaction date; no date the first of days, last) rather than the date itself: the
# order of the store's page index, which PostgreSQL walks and sorts each day of, and DuckDB skips by
_NEWEST = f"r.day DESC, {VALUE} DESC NULLS LAST, r.accession_number, r.row_index"


def trades(store: Store, filters: Filters, *, code: str = "P", limit: int | None = 100) -> Rows:
    """The latest open-market trades of ``code`` (P or S) in ``filters``, newest first; a sale
    says whether it was made under a 10b5-1 plan."""
    if code not in ("P", "S"):
        raise AnalyticsError(f"code: open-market screens are of purchases (P) or sales (S), not {code!r}")
    where, params = filters.where(codes=(code,), each_row_once=True)
    executive = bool(filters.roles & EXECUTIVES)
    cut = f" LIMIT {int(limit)}" if limit is not None and not executive else ""  # titles are read after the query
    found = f"SELECT r.* {ROWS} {where} ORDER BY {_NEWEST}{cut}"
    rows = store.arrow(_TRADE.format(value=exact_value(store.engine.dialect), found=found, order=_NEWEST),
                       params).to_pylist()
    for row in rows:
        row["value"] = number(row["value"])
    rows = [_described(row) for row in rows if _has_roles(row, filters.roles)][:limit]
    if code == "S" and rows:
        sql, params = planned_sales(store, filters, accessions=sorted({r["accession_number"] for r in rows}))
        planned = {(r["accession_number"], r["row_index"]) for r in store.arrow(sql, params).to_pylist()}
        for row in rows:
            row["plan"] = (row["accession_number"], row["row_index"]) in planned
    return rows


def officer_purchases(store: Store, filters: Filters, *, limit: int | None = 100) -> Rows:
    """Open-market purchases by the issuer's CEO or CFO (or the roles ``filters`` names)."""
    wanted = filters if filters.roles else dataclasses.replace(filters, roles=EXECUTIVES)
    return trades(store, wanted, code="P", limit=limit)


def cluster_buys(store: Store, filters: Filters, *, window: int = 10, min_insiders: int = 3,
                 limit: int | None = 100) -> Rows:
    """Runs of open-market purchases of one issuer by at least ``min_insiders`` distinct insiders
    whose dates are at most ``window`` days apart (first to last), newest first. ``filters``
    narrows the purchases counted (dates, roles, issuer); its ``min_value`` is the smallest total
    value of a cluster. Each purchase is in at most one cluster: the scan takes the earliest run."""
    if window < 0 or min_insiders < 1:
        raise AnalyticsError("window: days must be 0 or more, and min_insiders at least 1")
    where, params = dataclasses.replace(filters, min_value=None).where(codes=("P",), each_row_once=True)
    dialect = store.engine.dialect
    days = store.arrow(_BUYER_DAYS.format(rows=ROWS, where=where, value=exact_value(dialect),
                                          shares=exact("r.shares", dialect)), params).to_pylist()
    for day in days:
        day["shares"], day["value"] = number(day["shares"]), number(day["value"])
    by_issuer: dict[str, Rows] = {}
    for day in days:
        if _has_roles(day, filters.roles):
            by_issuer.setdefault(day["issuer_cik"], []).append(day)
    clusters = [c for buys in by_issuer.values() for c in _clusters(buys, window, min_insiders)
                if filters.min_value is None or c["value"] >= filters.min_value]
    clusters.sort(key=lambda c: (c["end"], c["value"]), reverse=True)
    return clusters[:limit]


# each insider's open-market purchases of an issuer, day by day: what a cluster is made of
_BUYER_DAYS = """
SELECT r.issuer_cik, max(r.issuer_name) AS issuer_name, max(r.trading_symbol) AS trading_symbol, r.owner_cik,
       max(r.owner_name) AS owner_name, bool_or(r.is_director) AS is_director, bool_or(r.is_officer) AS is_officer,
       bool_or(r.is_ten_percent_owner) AS is_ten_percent_owner, bool_or(r.is_other) AS is_other,
       max(r.officer_title) AS officer_title, r.transaction_date, count(*) AS purchases, sum({shares}) AS shares,
       sum({value}) AS value
{rows} {where} AND r.transaction_date IS NOT NULL
GROUP BY r.issuer_cik, r.owner_cik, r.transaction_date
ORDER BY r.issuer_cik, r.transaction_date, r.owner_cik
"""


def _clusters(buys: Rows, window: int, min_insiders: int) -> list[dict[str, Any]]:
    """The scan in date order over one issuer's buyer-days: from each day not yet in a cluster,
    the buys within ``window`` days make one when enough distinct insiders made them. One pass:
    the window's end only moves forward, and it counts the insiders it holds."""
    found: list[dict[str, Any]] = []
    inside: Counter[str] = Counter()
    start, end = 0, -1
    while start < len(buys):
        last_day = buys[start]["transaction_date"] + dt.timedelta(days=window)
        while end + 1 < len(buys) and buys[end + 1]["transaction_date"] <= last_day:
            end += 1
            inside[buys[end]["owner_cik"]] += 1
        if len(inside) >= min_insiders:
            found.append(_cluster(buys[start:end + 1]))
            start, inside = end + 1, Counter()
        else:
            inside[buys[start]["owner_cik"]] -= 1
            if not inside[buys[start]["owner_cik"]]:
                del inside[buys[start]["owner_cik"]]
            start += 1
    return found


def _cluster(run: Rows) -> dict[str, Any]:
    insiders: dict[str, dict[str, Any]] = {}
    for buy in run:
        insiders[buy["owner_cik"]] = {"owner_cik": buy["owner_cik"], "owner_name": buy["owner_name"],
                                      "roles": _roles(buy)}
    first = run[0]
    return {"issuer_cik": first["issuer_cik"], "issuer_name": first["issuer_name"],
            "trading_symbol": first["trading_symbol"], "start": first["transaction_date"],
            "end": run[-1]["transaction_date"], "insiders": len(insiders),
            "purchases": sum(b["purchases"] for b in run), "shares": decimal_sum(b["shares"] for b in run),
            "value": decimal_sum(b["value"] for b in run), "buyers": list(insiders.values())}


def _roles(row: dict[str, Any]) -> list[str]:
    return roles(director=bool(row["is_director"]), officer=bool(row["is_officer"]),
                 ten_percent_owner=bool(row["is_ten_percent_owner"]), other=bool(row["is_other"]),
                 title=row["officer_title"])


def _has_roles(row: dict[str, Any], wanted: frozenset[str]) -> bool:
    """Whether ``row``'s owner holds any of ``wanted`` (SQL matched the boxes; CEO and CFO are
    read from the officer title here)."""
    return not wanted or bool(wanted.intersection(_roles(row)))


def _described(row: dict[str, Any]) -> dict[str, Any]:
    described = {k: v for k, v in row.items() if not k.startswith("is_")}
    described["roles"] = _roles(row)
    return described
