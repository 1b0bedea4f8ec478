"""Insider activity: shares and dollars bought and sold, per owner and period, by kind of transaction.

Open-market purchases (P) and sales (S) are kept apart from grants (A), tax withholding (F),
option exercises (M, X, O), conversions (C), gifts (G) and the rest, since only the first two
say what an insider chose to do with their own money. Table I rows only: the shares themselves,
not the options on them. A sale's share under Rule 10b5-1 plans comes with it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from form4.analytics.plans import plan_flags
from form4.analytics.scope import CATEGORY, ROWS, VALUE, Filters, period_start
from form4.store import Store

Rows = list[dict[str, Any]]


def activity(store: Store, filters: Filters, *, period: str = "quarter") -> Rows:
    """One row per owner, period and category: transactions, shares acquired and disposed, net
    shares, dollar value acquired and disposed, and for sales the shares sold under a 10b5-1
    plan and their share of the shares sold (``plan_shares``, ``plan_share``: None for the rest)."""
    where, params = filters.where()
    start = period_start(period)
    rows: Rows = store.arrow(
        f"SELECT o.cik AS owner_cik, max(o.name) AS owner_name, {start} AS period, {CATEGORY} AS category, "
        f"{_SUMS} {ROWS} {where} AND r.transaction_date IS NOT NULL GROUP BY 1, 3, 4 ORDER BY 3, 1, 4",
        params).to_pylist()
    planned = _plan_shares(store, filters, start)
    for row in rows:
        _finish(row)
        shares = planned.get((row["owner_cik"], row["period"]), 0.0) if row["category"] == "sale" else None
        row["plan_shares"] = shares
        row["plan_share"] = shares / row["shares_disposed"] if shares is not None and row["shares_disposed"] else None
    return rows


def totals(store: Store, filters: Filters, *, period: str = "quarter") -> Rows:
    """Per period and category for all owners together, each row of a joint filing once."""
    where, params = filters.where(each_row_once=True)
    rows: Rows = store.arrow(
        f"SELECT {period_start(period)} AS period, {CATEGORY} AS category, {_SUMS} {ROWS} {where} "
        "AND r.transaction_date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2", params).to_pylist()
    for row in rows:
        _finish(row)
    return rows


_SUMS = (f"count(*) AS transactions, "
         f"sum(CASE WHEN r.acquired_disposed = 'A' THEN r.shares ELSE 0 END) AS shares_acquired, "
         f"sum(CASE WHEN r.acquired_disposed = 'D' THEN r.shares ELSE 0 END) AS shares_disposed, "
         f"sum(CASE WHEN r.acquired_disposed = 'A' THEN {VALUE} ELSE 0 END) AS value_acquired, "
         f"sum(CASE WHEN r.acquired_disposed = 'D' THEN {VALUE} ELSE 0 END) AS value_disposed")


def _finish(row: dict[str, Any]) -> None:
    for key in ("shares_acquired", "shares_disposed", "value_acquired", "value_disposed"):
        row[key] = float(row[key] or 0.0)
    row["net_shares"] = row["shares_acquired"] - row["shares_disposed"]


def _plan_shares(store: Store, filters: Filters, start: str) -> dict[tuple[str, Any], float]:
    sales = _sales(store, filters, start)
    planned = planned_sales(store, filters)
    shares: dict[tuple[str, Any], float] = defaultdict(float)
    for key, group, amount in sales:
        if key in planned:
            shares[group] += amount
    return shares


def _sales(store: Store, filters: Filters, start: str) -> list[tuple[tuple[str, int], Any, float]]:
    where, params = filters.where(codes=("S",))
    rows = store.arrow(f"SELECT r.accession_number, r.row_index, o.cik, {start} AS period, r.shares "
                       f"{ROWS} {where}", params)
    return [((a, i), (owner, period), float(s or 0.0)) for a, i, owner, period, s in zip(
        *(rows.column(n).to_pylist() for n in ("accession_number", "row_index", "cik", "period", "shares")),
        strict=True)]


def planned_sales(store: Store, filters: Filters, extra: str = "") -> set[tuple[str, int]]:
    """The sales (accession number, row index) of the filings in ``filters`` (and the SQL
    condition ``extra``) that the plan rule of ``form4.analytics.plans`` marks."""
    where, params = filters.where(codes=("S",))
    scoped = f"SELECT r.accession_number {ROWS} {where} {extra}"
    sales = store.arrow(
        "SELECT r.accession_number, r.row_index, r.footnotes, f.aff10b5_one, f.remarks FROM security_rows r "
        "JOIN filings f ON f.accession_number = r.accession_number WHERE r.table_name = 'non_derivative' "
        f"AND r.kind = 'transaction' AND r.transaction_code = 'S' AND r.accession_number IN ({scoped}) "
        "ORDER BY 1, 2", params).to_pylist()
    notes = store.arrow(f"SELECT accession_number, footnote_id, text FROM footnotes WHERE accession_number IN "
                        f"({scoped})", params).to_pylist()
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    for note in notes:
        texts[note["accession_number"]][note["footnote_id"]] = note["text"] or ""
    by_filing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for sale in sales:
        by_filing[sale["accession_number"]].append(sale)
    planned: set[tuple[str, int]] = set()
    for accession, group in by_filing.items():
        flags = plan_flags([json.loads(s["footnotes"] or "{}") for s in group], texts[accession],
                           checkbox=group[0]["aff10b5_one"], remarks=group[0]["remarks"])
        planned.update((accession, s["row_index"]) for s, flag in zip(group, flags, strict=True) if flag)
    return planned
