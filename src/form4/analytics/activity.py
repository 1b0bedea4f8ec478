"""Insider activity: shares and dollars bought and sold, per owner and period, by kind of transaction.

Open-market purchases (P) and sales (S) are kept apart from grants (A), tax withholding (F),
option exercises (M, X, O), conversions (C), gifts (G) and the rest, since only the first two
say what an insider chose to do with their own money. Table I rows only: the shares themselves,
not the options on them. A sale's share under Rule 10b5-1 plans comes with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from form4.analytics.plans import says_plan
from form4.analytics.scope import (
    CATEGORY,
    ROWS,
    TOTAL,
    Filters,
    decimal_sum,
    exact,
    exact_value,
    number,
    period_start,
    total_taken,
)
from form4.store import Store
from form4.store.schema import PLAN_NOTES_APART

Rows = list[dict[str, Any]]


def activity(store: Store, filters: Filters, *, period: str = "quarter") -> Rows:
    """One row per owner, period and category: transactions, shares acquired and disposed, net
    shares, dollar value acquired and disposed, and for sales the shares sold under a 10b5-1
    plan and their share of the shares sold (``plan_shares``, ``plan_share``: None for the rest)."""
    return _activity(store, filters, period, None)[0]


def latest_activity(store: Store, filters: Filters, *, period: str = "quarter", count: int) -> tuple[Rows, int]:
    """The last ``count`` rows of ``activity`` (its latest periods), in its order, and how many
    rows the whole of it has: only the rows shown are read."""
    return _activity(store, filters, period, count)


def _activity(store: Store, filters: Filters, period: str, last: int | None) -> tuple[Rows, int]:
    where, params = filters.where()
    start = period_start(period)
    # the last rows of the order (period, owner, category) are the first of the reverse order, then
    # turned back: a key of the groups, so no two rows tie, and NULLs come where the forward order has them
    order, total, cut = ("3, 1, 4", "", "") if last is None else (
        "3 DESC NULLS FIRST, 1 DESC NULLS FIRST, 4 DESC NULLS FIRST", TOTAL, f" LIMIT {int(last)}")
    rows: Rows = store.dicts(
        f"SELECT r.owner_cik, max(r.owner_name) AS owner_name, {start} AS period, {CATEGORY} AS category, "
        f"{_sums(store)}{total} {ROWS} {where} AND r.transaction_date IS NOT NULL GROUP BY 1, 3, 4 "
        f"ORDER BY {order}{cut}", params)
    if last is not None:
        rows.reverse()
    count = total_taken(rows) if last is not None else len(rows)
    planned = _plan_shares(store, filters, start) if rows else {}
    for row in rows:
        _finish(row)
        shares = planned.get((row["owner_cik"], row["period"]), 0.0) if row["category"] == "sale" else None
        row["plan_shares"] = shares
        row["plan_share"] = shares / row["shares_disposed"] if shares is not None and row["shares_disposed"] else None
    return rows, count


def totals(store: Store, filters: Filters, *, period: str = "quarter") -> Rows:
    """Per period and category for all owners together, each row of a joint filing once."""
    where, params = filters.where(each_row_once=True)
    rows: Rows = store.dicts(
        f"SELECT {period_start(period)} AS period, {CATEGORY} AS category, {_sums(store)} {ROWS} {where} "
        "AND r.transaction_date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2", params)
    for row in rows:
        _finish(row)
    return rows


def _sums(store: Store) -> str:
    """The sums of a group of rows, in decimal (form4.analytics.scope.exact)."""
    shares, value = exact("r.shares", store.engine.dialect), exact_value(store.engine.dialect)
    return (f"count(*) AS transactions, "
            f"sum(CASE WHEN r.acquired_disposed = 'A' THEN {shares} ELSE 0 END) AS shares_acquired, "
            f"sum(CASE WHEN r.acquired_disposed = 'D' THEN {shares} ELSE 0 END) AS shares_disposed, "
            f"sum(CASE WHEN r.acquired_disposed = 'A' THEN {value} ELSE 0 END) AS value_acquired, "
            f"sum(CASE WHEN r.acquired_disposed = 'D' THEN {value} ELSE 0 END) AS value_disposed")


def _finish(row: dict[str, Any]) -> None:
    for key in ("shares_acquired", "shares_disposed", "value_acquired", "value_disposed"):
        row[key] = number(row[key]) or 0.0
    row["net_shares"] = decimal_sum((row["shares_acquired"], -row["shares_disposed"]))


def _plan_shares(store: Store, filters: Filters, start: str) -> dict[tuple[str, Any], float]:
    shares = exact("r.shares", store.engine.dialect)
    sql, params = planned_sales(store, filters, columns=f"r.owner_cik, {start} AS period, {shares} AS shares")
    rows = store.dicts(f"SELECT owner_cik, period, sum(shares) AS shares FROM ({sql}) planned GROUP BY 1, 2", params)
    return {(r["owner_cik"], r["period"]): number(r["shares"]) or 0.0 for r in rows}


_TEXTS = "CAST(${} AS TEXT[])"


def planned_sales(store: Store, filters: Filters, *, columns: str = "r.shares",
                  accessions: Sequence[str] = ()) -> tuple[str, dict[str, Any]]:
    """SQL for the sales in ``filters`` (of the filings ``accessions``, when given) that the plan
    rule marks, each a row of ``current_rows`` (``r``: with its owner) and ``columns``; and its
    parameters. A sale is planned by its own footnote, or by the checkbox or remarks when no sale
    of its filing is. The store keeps beside each row the texts that may say so (its footnotes'
    and its filing's remarks that name "10", "b" and "5": form4.store.schema); the rule reads them
    here, each distinct text once, and the database applies what it found to the rows."""
    where, params = filters.where(codes=("S",))
    if accessions:
        where += f" AND r.accession_number IN (SELECT unnest({_TEXTS.format('accessions')}))"
        params["accessions"] = list(accessions)
    texts = store.dicts(f"SELECT DISTINCT r.plan_notes, r.plan_remarks {ROWS} {where} "
                        "AND (r.plan_notes IS NOT NULL OR r.plan_remarks IS NOT NULL)", params)
    params.update(plan_notes=_saying([t["plan_notes"] for t in texts], apart=PLAN_NOTES_APART),
                  plan_remarks=_saying([t["plan_remarks"] for t in texts]))
    own = f"r.plan_notes IN (SELECT unnest({_TEXTS.format('plan_notes')}))"
    # the filings a sale of which is planned by its own footnote, among the filings asked about
    # only: every sale of theirs, whatever the filters, but not every filing of the store. A
    # filing's rows share its issuer, and each owner's rows repeat the same sales: the issuer and
    # owner asked about (when given) narrow the search by the indexes without losing a filing.
    keys, _ = dataclasses.replace(filters, since=None, until=None, min_value=None, roles=frozenset()).matching(
        {"issuer": "r.issuer_cik", "owner": "r.owner_cik"})
    sql = f"""
        WITH own AS (SELECT DISTINCT r.accession_number {ROWS} AND r.transaction_code = 'S' AND {own}
                     {f"AND {keys}" if keys else ""}
                     AND r.accession_number IN (SELECT r.accession_number {ROWS} {where}))
        SELECT r.accession_number, r.row_index, {columns} {ROWS} {where}
        AND ({own} OR ((r.aff10b5_one OR r.plan_remarks IN (SELECT unnest({_TEXTS.format('plan_remarks')})))
                        AND r.accession_number NOT IN (SELECT accession_number FROM own)))"""
    return sql, params


def _saying(texts: list[str | None], apart: str | None = None) -> list[str]:
    """Those of ``texts`` that say a sale was made under a 10b5-1 plan (any of its parts, split at
    ``apart``, when given), each distinct text read once."""
    found = []
    for text in dict.fromkeys(texts):
        if text is not None and any(says_plan(part) for part in (text.split(apart) if apart else [text])):
            found.append(text)
    return found
