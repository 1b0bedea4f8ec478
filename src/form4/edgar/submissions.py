"""data.sec.gov's submissions API (``/submissions/CIK##########.json`` and its older pages) and
``/files/company_tickers.json``. Bytes in, typed values out; no network.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from form4.errors import EdgarError

__all__ = ["Company", "CompanyFiling", "parse_submissions", "parse_submissions_page", "parse_tickers"]


@dataclass(frozen=True, slots=True)
class CompanyFiling:
    accession_number: str
    form: str
    filing_date: dt.date
    report_date: dt.date | None
    primary_document: str


@dataclass(frozen=True, slots=True)
class Company:
    cik: int
    name: str
    tickers: tuple[str, ...]
    filings: list[CompanyFiling]
    older_pages: list[str]  # filings.files[].name: the pages of filings beyond "recent"


def _json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data)
    except ValueError as exc:
        raise EdgarError(f"{what} is not JSON: {exc}") from None


def _day(raw: object) -> dt.date | None:
    # reportDate is "" for forms without a period; filingDate is always set.
    return dt.date.fromisoformat(str(raw)[:10]) if raw else None


def _columns(table: Any) -> list[CompanyFiling]:
    """The filings of a columnar table: one array per field, the same index across arrays."""
    try:
        accessions = table["accessionNumber"]
        n = len(accessions)

        def column(name: str) -> list[Any]:
            values = table.get(name) or [""] * n
            if len(values) != n:
                raise EdgarError(f"submissions column {name!r} has {len(values)} values, accessionNumber {n}")
            return list(values)

        forms, filed, reported, primary = (column(c) for c in ("form", "filingDate", "reportDate", "primaryDocument"))
        filings = []
        for i in range(n):
            day = _day(filed[i])
            if day is None:
                raise EdgarError(f"submissions filing {accessions[i]} has no filingDate")
            filings.append(CompanyFiling(str(accessions[i]), str(forms[i]), day, _day(reported[i]), str(primary[i])))
        return filings
    except (KeyError, TypeError, ValueError) as exc:
        raise EdgarError(f"not a submissions table: {type(exc).__name__}: {exc}") from None


def parse_submissions(data: bytes) -> Company:
    doc = _json(data, "submissions")
    try:
        filings = doc["filings"]
        return Company(
            cik=int(doc["cik"]),
            name=str(doc.get("name", "")),
            tickers=tuple(str(t) for t in doc.get("tickers") or ()),
            filings=_columns(filings["recent"]),
            older_pages=[str(f["name"]) for f in filings.get("files") or ()],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise EdgarError(f"not a submissions document: {type(exc).__name__}: {exc}") from None


def parse_submissions_page(data: bytes) -> list[CompanyFiling]:
    """An older page (``CIK##########-submissions-001.json``): the same columns at the top level."""
    return _columns(_json(data, "submissions page"))


def parse_tickers(data: bytes) -> dict[str, int]:
    """Ticker (upper case) → CIK from ``company_tickers.json`` (``{"0": {"cik_str", "ticker", "title"}}``)."""
    doc = _json(data, "company_tickers.json")
    try:
        rows = doc.values() if isinstance(doc, dict) else doc
        return {str(row["ticker"]).upper(): int(row["cik_str"]) for row in rows}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EdgarError(f"not company_tickers.json: {type(exc).__name__}: {exc}") from None
