"""Flat rows: one per transaction or holding and reporting owner, for CSV, pandas and Arrow.

A joint filing gives one row per owner for each transaction, as the SEC's data sets do.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from form4.model import DerivativeTransaction, Filing, ReportingOwner

TABLES = (
    ("non_derivative_transactions", "non_derivative", "transaction"),
    ("non_derivative_holdings", "non_derivative", "holding"),
    ("derivative_transactions", "derivative", "transaction"),
    ("derivative_holdings", "derivative", "holding"),
)

FILING_COLUMNS = ("accession_number", "form_type", "period_of_report", "filed_at",
                  "date_of_original_submission", "aff10b5_one")
OWNER_COLUMNS = ("owner_cik", "owner_name", "is_director", "is_officer",
                 "is_ten_percent_owner", "is_other", "officer_title", "other_text")
ROW_COLUMNS = tuple(f for f in DerivativeTransaction.__struct_fields__ if f != "footnotes")
COLUMNS = (*FILING_COLUMNS, "issuer_cik", "issuer_name", "trading_symbol", *OWNER_COLUMNS,
           "table", "kind", "row_index", *ROW_COLUMNS, "footnotes", "source_name")


def _owner_columns(owner: ReportingOwner | None) -> dict[str, Any]:
    if owner is None:
        return dict.fromkeys(OWNER_COLUMNS)
    return {"owner_cik": owner.cik, "owner_name": owner.name, "is_director": owner.is_director,
            "is_officer": owner.is_officer, "is_ten_percent_owner": owner.is_ten_percent_owner,
            "is_other": owner.is_other, "officer_title": owner.officer_title,
            "other_text": owner.other_text}


def flat_rows(filings: Filing | Iterable[Filing], *,
              footnotes_as_json: bool = False) -> Iterator[dict[str, Any]]:
    """The rows of one filing or of many, each with its filing, issuer and owner columns (all of
    COLUMNS): the same argument ``to_pandas`` and ``to_arrow`` take, or a single filing."""
    for filing in [filings] if isinstance(filings, Filing) else filings:
        yield from _filing_rows(filing, footnotes_as_json)


iter_rows = flat_rows  # the earlier name for rows of many filings


def _filing_rows(filing: Filing, footnotes_as_json: bool) -> Iterator[dict[str, Any]]:
    base = {key: getattr(filing, key) for key in FILING_COLUMNS}
    base.update(issuer_cik=filing.issuer.cik, issuer_name=filing.issuer.name,
                trading_symbol=filing.issuer.trading_symbol, source_name=filing.source_name)
    owners: list[ReportingOwner | None] = list(filing.reporting_owners) or [None]
    for attr, table, kind in TABLES:
        for index, row in enumerate(getattr(filing, attr)):
            values = {key: getattr(row, key, None) for key in ROW_COLUMNS}
            notes: Any = json.dumps(row.footnotes) if footnotes_as_json else row.footnotes
            for owner in owners:
                yield {**base, **_owner_columns(owner), "table": table, "kind": kind,
                       "row_index": index, **values, "footnotes": notes}


def to_arrow(filings: Iterable[Filing]) -> Any:
    """A ``pyarrow.Table`` of the flat rows (footnotes as JSON text)."""
    import pyarrow as pa

    rows = list(flat_rows(filings, footnotes_as_json=True))
    return pa.Table.from_pylist(rows) if rows else pa.table({c: [] for c in COLUMNS})


def to_pandas(filings: Iterable[Filing]) -> Any:
    """A ``pandas.DataFrame`` of the flat rows (needs the pandas extra)."""
    from form4.extras import require

    require("pandas", "pandas", "to_pandas")
    return to_arrow(filings).to_pandas()
