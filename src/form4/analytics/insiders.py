"""Who reports at an issuer, in what roles, and since when; and where a person reports."""

from __future__ import annotations

from typing import Any

from form4.analytics.roles import roles
from form4.analytics.scope import TOTAL, Filters, total_taken
from form4.store import Store

Rows = list[dict[str, Any]]

# one row per owner (and issuer): the latest filing's name, boxes and title; first and last period
_PEOPLE = """
SELECT owner_cik, owner_name, issuer_cik, issuer_name, trading_symbol, is_director, is_officer, is_ten_percent_owner,
       is_other, officer_title, first_period, last_period, filings{total}
FROM (SELECT o.cik AS owner_cik, o.name AS owner_name, f.issuer_cik, f.issuer_name, f.trading_symbol, o.is_director,
             o.is_officer, o.is_ten_percent_owner, o.is_other, o.officer_title,
             min(f.period_of_report) OVER people AS first_period, max(f.period_of_report) OVER people AS last_period,
             count(*) OVER people AS filings,
             row_number() OVER (PARTITION BY {key} ORDER BY f.period_of_report DESC NULLS LAST,
                                f.filed_at DESC NULLS LAST, f.accession_number DESC) AS latest
      FROM current_filings f JOIN reporting_owners o ON o.accession_number = f.accession_number
      WHERE {where}
      WINDOW people AS (PARTITION BY {key})) filers
WHERE latest = 1
ORDER BY owner_name, issuer_name, owner_cik, issuer_cik{limit}
"""


def insiders(store: Store, filters: Filters) -> Rows:
    """Each reporting owner of ``filters.issuer``: name, roles and officer title as their latest
    filing gives them, first and last period reported, number of filings."""
    return _people(store, filters, "o.cik")[0]


def issuers(store: Store, filters: Filters) -> Rows:
    """Each issuer ``filters.owner`` reports at, with their roles there."""
    return _people(store, filters, "f.issuer_cik, o.cik")[0]


def first_people(store: Store, filters: Filters, kind: str, count: int) -> tuple[Rows, int]:
    """The first ``count`` rows of ``insiders`` (``kind`` "issuer") or ``issuers`` (``kind``
    "owner"), and how many rows the whole list has: only the rows shown are read."""
    return _people(store, filters, "o.cik" if kind == "issuer" else "f.issuer_cik, o.cik", count)


def _people(store: Store, filters: Filters, key: str, first: int | None = None) -> tuple[Rows, int]:
    where, params = filters.matching({"issuer": "f.issuer_cik", "owner": "o.cik"})
    total, limit = ("", "") if first is None else (TOTAL, f" LIMIT {int(first)}")
    rows: Rows = store.dicts(_PEOPLE.format(key=key, where=where or "true", total=total, limit=limit), params)
    count = total_taken(rows) if first is not None else len(rows)
    for row in rows:
        flags = {k: bool(row.pop(f"is_{k}")) for k in ("director", "officer", "ten_percent_owner", "other")}
        row["roles"] = roles(**flags, title=row["officer_title"])
    return [{k: row[k] for k in _ORDER} for row in rows], count


_ORDER = ("owner_cik", "owner_name", "issuer_cik", "issuer_name", "trading_symbol", "roles", "officer_title",
          "first_period", "last_period", "filings")
