"""EDGAR's real paths, built in one place so a mirror and the client agree on them.

Archive paths are served by www.sec.gov, ``/submissions/`` by data.sec.gov.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "DATASETS_PAGE", "TICKERS", "atom", "daily_index", "daily_listing", "dataset_zip", "document", "feed_archive",
    "folder", "full_index", "quarter_of", "submission", "submissions", "submissions_page",
]

TICKERS = "/files/company_tickers.json"
# The page that lists the quarterly Insider Transactions Data Sets, and where each quarter's zip is.
DATASETS_PAGE = "/data-research/sec-markets-data/insider-transactions-data-sets"
_DATASETS = "/files/structureddata/data/insider-transactions-data-sets"
_ARCHIVES = "/Archives/edgar"


def quarter_of(day: dt.date) -> int:
    """The calendar quarter (1-4) EDGAR files a day under."""
    return (day.month - 1) // 3 + 1


def _quarter_dir(kind: str, year: int, quarter: int) -> str:
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1-4, not {quarter}")
    return f"{_ARCHIVES}/{kind}/{year}/QTR{quarter}"


def full_index(year: int, quarter: int, kind: str = "form", gz: bool = False) -> str:
    """A quarter's ``KIND.idx``; compressed, EDGAR calls it ``KIND.gz`` (not ``KIND.idx.gz``)."""
    return f"{_quarter_dir('full-index', year, quarter)}/{kind}." + ("gz" if gz else "idx")


def daily_index(day: dt.date, kind: str = "form") -> str:
    return f"{_quarter_dir('daily-index', day.year, quarter_of(day))}/{kind}.{day:%Y%m%d}.idx"


def daily_listing(year: int, quarter: int) -> str:
    return f"{_quarter_dir('daily-index', year, quarter)}/index.json"


def submissions(cik: int) -> str:
    return f"/submissions/CIK{cik:010d}.json"


def submissions_page(name: str) -> str:
    return f"/submissions/{name}"


def _folder_dir(cik: int, accession: str) -> str:
    # Folders drop the CIK's leading zeros and the accession number's dashes.
    return f"{_ARCHIVES}/data/{int(cik)}/{accession.replace('-', '')}"


def folder(cik: int, accession: str) -> str:
    return f"{_folder_dir(cik, accession)}/index.json"


def document(cik: int, accession: str, name: str) -> str:
    return f"{_folder_dir(cik, accession)}/{name}"


def submission(cik: int, accession: str) -> str:
    return f"{_ARCHIVES}/data/{int(cik)}/{accession}.txt"


def feed_archive(day: dt.date) -> str:
    return f"{_quarter_dir('Feed', day.year, quarter_of(day))}/{day:%Y%m%d}.nc.tar.gz"


def atom(form: str = "4", start: int = 0, count: int = 100) -> str:
    return (f"/cgi-bin/browse-edgar?action=getcurrent&type={form}&company=&dateb=&owner=include"
            f"&start={start}&count={count}&output=atom")


def dataset_zip(year: int, quarter: int) -> str:
    """A quarter's Insider Transactions Data Set (``2024q1_form345.zip``)."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1-4, not {quarter}")
    return f"{_DATASETS}/{year}q{quarter}_form345.zip"
