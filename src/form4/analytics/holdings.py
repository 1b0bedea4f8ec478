"""Holdings over time: what each owner held of each security after each reported row.

A row's ``shares_owned_following`` is the owner's balance of that security, held in that form
(directly, or indirectly through one trust, spouse or fund), after the transaction, or on the
period of report for a holding row. Read in date order from current filings (amendments
applied), one point per day: the last row filed that day.
"""

from __future__ import annotations

from typing import Any

from form4.analytics.scope import Filters
from form4.store import Store

Rows = list[dict[str, Any]]

_POINTS = """
SELECT o.cik AS owner_cik, o.name AS owner_name, f.issuer_cik, f.trading_symbol, r.table_name AS "table",
       r.security_title, r.direct_or_indirect, r.nature_of_ownership,
       coalesce(r.transaction_date, f.period_of_report) AS date, r.shares_owned_following AS shares
FROM security_rows r
JOIN current_filings f ON f.accession_number = r.accession_number
JOIN reporting_owners o ON o.accession_number = r.accession_number
WHERE r.shares_owned_following IS NOT NULL AND coalesce(r.transaction_date, f.period_of_report) IS NOT NULL {where}
ORDER BY date, f.filed_at NULLS FIRST, f.accession_number, r.kind DESC, r.row_index
"""


def holdings_over_time(store: Store, filters: Filters) -> Rows:
    """Points ``{owner_cik, owner_name, issuer_cik, trading_symbol, table, security_title,
    direct_or_indirect, nature_of_ownership, date, shares}`` in date order; a series is one owner,
    issuer, table, security title (compared without case and spacing) and form of ownership."""
    conditions, params = [], {}
    for name, column, op in (("issuer", "f.issuer_cik", "="), ("owner", "o.cik", "="),
                             ("since", "coalesce(r.transaction_date, f.period_of_report)", ">="),
                             ("until", "coalesce(r.transaction_date, f.period_of_report)", "<=")):
        if getattr(filters, name) is not None:
            conditions.append(f" AND {column} {op} ${name}")
            params[name] = getattr(filters, name)
    points: dict[tuple[Any, ...], dict[str, Any]] = {}
    for point in store.arrow(_POINTS.format(where="".join(conditions)), params).to_pylist():
        points[(*series_key(point), point["date"])] = point  # the day's last row stands
    return list(points.values())


def series_key(point: dict[str, Any]) -> tuple[Any, ...]:
    title = " ".join((point["security_title"] or "").lower().split())
    nature = " ".join((point["nature_of_ownership"] or "").lower().split())
    return (point["owner_cik"], point["issuer_cik"], point["table"], title, point["direct_or_indirect"], nature)


def latest(points: Rows) -> Rows:
    """Each series' last point: what every owner holds now, as far as the store knows."""
    last: dict[tuple[Any, ...], dict[str, Any]] = {}
    for point in points:
        last[series_key(point)] = point
    return sorted(last.values(), key=lambda p: (p["owner_name"] or "", p["table"] != "non_derivative",
                                                p["security_title"] or ""))
