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
from collections.abc import Iterator
from typing import Any

from form4.analytics.activity import planned_sales
from form4.analytics.roles import roles
from form4.analytics.scope import (
    EXECUTIVE_ROLES,
    ROWS,
    VALUE,
    Filters,
    decimal_sum,
    exact,
    exact_value,
    executive_titles,
    number,
)
from form4.errors import AnalyticsError
from form4.store import Store

Rows = list[dict[str, Any]]

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
    titles = executive_titles(store, filters, (code,)) if filters.roles & EXECUTIVE_ROLES else None
    where, params = filters.where(codes=(code,), each_row_once=True, titles=titles)
    cut = f" LIMIT {int(limit)}" if limit is not None else ""
    found = f"SELECT r.* {ROWS} {where} ORDER BY {_NEWEST}{cut}"
    rows = store.dicts(_TRADE.format(value=exact_value(store.engine.dialect), found=found, order=_NEWEST),
                       params)
    for row in rows:
        row["value"] = number(row["value"])
    rows = [_described(row) for row in rows if _has_roles(row, filters.roles)][:limit]
    if code == "S" and rows:
        sql, params = planned_sales(store, filters, accessions=sorted({r["accession_number"] for r in rows}))
        planned = {(r["accession_number"], r["row_index"]) for r in store.dicts(sql, params)}
        for row in rows:
            row["plan"] = (row["accession_number"], row["row_index"]) in planned
    return rows


def officer_purchases(store: Store, filters: Filters, *, limit: int | None = 100) -> Rows:
    """Open-market purchases by the issuer's CEO or CFO (or the roles ``filters`` names)."""
    wanted = filters if filters.roles else dataclasses.replace(filters, roles=EXECUTIVE_ROLES)
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
                                          shares=exact("r.shares", dialect), min_insiders=int(min_insiders)), params)
    if filters.roles:  # CEO and CFO are read from the titles, each row's here
        import pyarrow as pa

        days = days.filter(pa.array([_has_roles(day, filters.roles) for day in days.select(
            ["is_director", "is_officer", "is_ten_percent_owner", "is_other", "officer_title"]).to_pylist()],
            pa.bool_()))
    # the scan reads three columns; only the days of the clusters found are made into rows
    issuers, owners, dates = (days.column(name).to_pylist() for name in ("issuer_cik", "owner_cik", "transaction_date"))
    found = [(first + start, first + end) for first, last in _issuer_runs(issuers)
             for start, end in _clusters(dates[first:last], owners[first:last], window, min_insiders)]
    if limit is not None and filters.min_value is None and len(found) > limit:
        # newest first: those ending before the limit-th newest end cannot be shown
        boundary = sorted((dates[end - 1] for _, end in found), reverse=True)[limit - 1]
        found = [(start, end) for start, end in found if dates[end - 1] >= boundary]
    clusters = []
    for start, end in found:
        run = days.slice(start, end - start).to_pylist()
        for day in run:
            day["shares"], day["value"] = number(day["shares"]), number(day["value"])
        cluster = _cluster(run)
        if filters.min_value is None or cluster["value"] >= filters.min_value:
            clusters.append(cluster)
    clusters.sort(key=lambda c: (c["end"], c["value"]), reverse=True)
    return clusters[:limit]


def _issuer_runs(issuers: list[str]) -> Iterator[tuple[int, int]]:
    """Where each issuer's days begin and end (the days come issuer by issuer)."""
    first = 0
    for at in range(1, len(issuers) + 1):
        if at == len(issuers) or issuers[at] != issuers[first]:
            yield first, at
            first = at


# each insider's open-market purchases of an issuer, day by day: what a cluster is made of; an issuer
# fewer insiders ever bought than a cluster needs has none, and its days are not handed over
_BUYER_DAYS = """
WITH days AS (
SELECT r.issuer_cik, max(r.issuer_name) AS issuer_name, max(r.trading_symbol) AS trading_symbol, r.owner_cik,
       max(r.owner_name) AS owner_name, bool_or(r.is_director) AS is_director, bool_or(r.is_officer) AS is_officer,
       bool_or(r.is_ten_percent_owner) AS is_ten_percent_owner, bool_or(r.is_other) AS is_other,
       max(r.officer_title) AS officer_title, r.transaction_date, count(*) AS purchases, sum({shares}) AS shares,
       sum({value}) AS value
{rows} {where} AND r.transaction_date IS NOT NULL
GROUP BY r.issuer_cik, r.owner_cik, r.transaction_date)
SELECT * FROM days WHERE issuer_cik IN (
    SELECT issuer_cik FROM days GROUP BY issuer_cik HAVING count(DISTINCT owner_cik) >= {min_insiders})
ORDER BY issuer_cik, transaction_date, owner_cik
"""


def _clusters(dates: list[dt.date], owners: list[str], window: int, min_insiders: int) -> list[tuple[int, int]]:
    """The scan in date order over one issuer's buyer-days: from each day not yet in a cluster,
    the buys within ``window`` days make one when enough distinct insiders made them. One pass:
    the window's end only moves forward, and it counts the insiders it holds. Each cluster as
    the range of its days (start included, end not)."""
    found: list[tuple[int, int]] = []
    inside: Counter[str] = Counter()
    start, end = 0, -1
    while start < len(dates):
        last_day = dates[start] + dt.timedelta(days=window)
        while end + 1 < len(dates) and dates[end + 1] <= last_day:
            end += 1
            inside[owners[end]] += 1
        if len(inside) >= min_insiders:
            found.append((start, end + 1))
            start, inside = end + 1, Counter()
        else:
            inside[owners[start]] -= 1
            if not inside[owners[start]]:
                del inside[owners[start]]
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
