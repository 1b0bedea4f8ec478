"""What callers ask EDGAR for, one request shape per question: a client fetches, a parser reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar

from form4.edgar import paths
from form4.edgar.atom import AtomEntry, parse_atom
from form4.edgar.client import EdgarClient
from form4.edgar.indexes import IndexEntry, parse_index, parse_listing
from form4.edgar.indexes import index_days as _listing_days
from form4.edgar.submissions import CompanyFiling, parse_submissions, parse_submissions_page, parse_tickers
from form4.errors import EdgarError
from form4.model import is_form

__all__ = ["FEED_DEPTH", "FEED_PAGE", "company_filings", "day_entries", "feed_page", "index_days", "latest",
           "ticker_cik"]

FEED_PAGE = 100  # the most entries the latest-filings feed gives a page
# The feed reaches back about 5,100 entries and answers 503 past that: no page starts deeper.
FEED_DEPTH = 5000


def day_entries(client: EdgarClient, day: dt.date, forms: Iterable[str]) -> list[IndexEntry]:
    """The day's form index, only the given form types (and their amendments)."""
    wanted = set(forms)
    path = paths.daily_index(day)
    return [e for e in parse_index(client.get_bytes(path), source=client.url(path)) if is_form(e.form_type, wanted)]


def index_days(client: EdgarClient, year: int, quarter: int) -> list[dt.date]:
    """The days of a quarter that have a daily form index."""
    return _listing_days(parse_listing(client.get_bytes(paths.daily_listing(year, quarter))))


def company_filings(client: EdgarClient, cik: int) -> list[CompanyFiling]:
    """Every filing of a CIK: the recent ones and those on older pages, each accession once."""
    company = parse_submissions(client.get_bytes(paths.submissions(cik), host="data"))
    filings = list(company.filings)
    for name in company.older_pages:
        filings.extend(parse_submissions_page(client.get_bytes(paths.submissions_page(name), host="data")))
    return _each_once(filings)


def ticker_cik(client: EdgarClient, ticker: str) -> int:
    tickers = parse_tickers(client.get_bytes(paths.TICKERS))
    cik = tickers.get(ticker.strip().upper())
    if cik is None:
        raise EdgarError(f"no ticker {ticker.strip().upper()} in company_tickers.json")
    return cik


def feed_page(client: EdgarClient, form: str, start: int = 0, count: int = FEED_PAGE) -> list[AtomEntry]:
    """One page of the latest-filings feed asked for ``form``, every entry as EDGAR gives it: the
    feed matches ``type=`` as a prefix, so a page of "4" holds 424B2s and 497Ks beside the Forms 4."""
    return parse_atom(client.get_bytes(paths.atom(form, start, count)))


def latest(client: EdgarClient, forms: Iterable[str]) -> list[AtomEntry]:
    """The newest filings of ``forms`` (amendments included) on the feed's first page of each form
    type, each accession once, in feed order; other forms the prefix match brings are left out."""
    wanted = set(forms)
    return _each_once(entry for form in sorted(wanted) for entry in feed_page(client, form)
                      if is_form(entry.form_type, wanted))


class _Accessioned(Protocol):
    @property
    def accession_number(self) -> str: ...


A = TypeVar("A", bound=_Accessioned)


def _each_once(items: Iterable[A]) -> list[A]:
    """Each accession number once, as it first comes (EDGAR lists a filing under every party)."""
    first: dict[str, A] = {}
    for item in items:
        first.setdefault(item.accession_number, item)
    return list(first.values())
