"""Who reports at an issuer, in what roles, and since when; and where a person reports."""

from __future__ import annotations

from typing import Any

from form4.analytics.roles import roles
from form4.analytics.scope import Filters
from form4.store import Store

Rows = list[dict[str, Any]]

_FILINGS = """
SELECT o.cik AS owner_cik, o.name AS owner_name, f.issuer_cik, f.issuer_name, f.trading_symbol, o.is_director,
       o.is_officer, o.is_ten_percent_owner, o.is_other, o.officer_title, f.period_of_report, f.filed_at
FROM current_filings f JOIN reporting_owners o ON o.accession_number = f.accession_number
WHERE {where}
ORDER BY f.period_of_report NULLS FIRST, f.filed_at NULLS FIRST, f.accession_number
"""


def insiders(store: Store, filters: Filters) -> Rows:
    """Each reporting owner of ``filters.issuer``: name, roles and officer title as their latest
    filing gives them, first and last period reported, number of filings."""
    return _fold(store, filters, ("owner_cik",))


def issuers(store: Store, filters: Filters) -> Rows:
    """Each issuer ``filters.owner`` reports at, with their roles there."""
    return _fold(store, filters, ("issuer_cik", "owner_cik"))


def _fold(store: Store, filters: Filters, key: tuple[str, ...]) -> Rows:
    conditions, params = [], {}
    for name, column in (("issuer", "f.issuer_cik"), ("owner", "o.cik")):
        if getattr(filters, name) is not None:
            conditions.append(f"{column} = ${name}")
            params[name] = getattr(filters, name)
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for filing in store.arrow(_FILINGS.format(where=" AND ".join(conditions) or "true"), params).to_pylist():
        seen = found.get(tuple(filing[k] for k in key))
        first = seen["first_period"] if seen else filing["period_of_report"]
        count = seen["filings"] + 1 if seen else 1
        found[tuple(filing[k] for k in key)] = {  # ordered by period: the latest filing speaks last
            "owner_cik": filing["owner_cik"], "owner_name": filing["owner_name"], "issuer_cik": filing["issuer_cik"],
            "issuer_name": filing["issuer_name"], "trading_symbol": filing["trading_symbol"],
            "roles": roles(director=bool(filing["is_director"]), officer=bool(filing["is_officer"]),
                           ten_percent_owner=bool(filing["is_ten_percent_owner"]), other=bool(filing["is_other"]),
                           title=filing["officer_title"]),
            "officer_title": filing["officer_title"], "first_period": first,
            "last_period": filing["period_of_report"], "filings": count}
    return sorted(found.values(), key=lambda r: (r["owner_name"] or "", r["issuer_name"] or ""))
