"""``form4 download``: one company's or one insider's filings from EDGAR into a folder.

One file per accession (``ACCESSION.txt``, the full submission), written under a temporary
name and renamed when complete, so a file that is there is whole: a rerun fetches only what
is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from form4.edgar import catalog, paths
from form4.edgar.client import EdgarClient
from form4.edgar.submissions import CompanyFiling
from form4.errors import EdgarError
from form4.model import is_form

FETCHERS = 8


@dataclass
class DownloadReport:
    listed: int = 0  # filings of the forms and dates asked for
    fetched: int = 0
    present: int = 0  # there from an earlier run
    failed: list[EdgarError] = field(default_factory=list)


def download(client: EdgarClient, cik: int, out: Path, *, forms: Collection[str] = ("3", "4", "5"),
             since: dt.date | None = None, until: dt.date | None = None,
             progress: Callable[[int, int], None] | None = None) -> DownloadReport:
    """Fetch every filing of ``forms`` (amendments included) the company or person ``cik`` is
    party to, filed from ``since`` to ``until``, into ``out``. ``progress`` is told the filings
    done and their total."""
    chosen = [f for f in catalog.company_filings(client, cik)
              if is_form(f.form, forms) and (since is None or f.filing_date >= since)
              and (until is None or f.filing_date <= until)]
    report = DownloadReport(listed=len(chosen))
    out.mkdir(parents=True, exist_ok=True)
    todo = []
    for filing in chosen:
        if (out / f"{filing.accession_number}.txt").exists():
            report.present += 1
        else:
            todo.append(filing)

    def fetch(filing: CompanyFiling) -> EdgarError | None:
        try:
            client.stream_to(paths.submission(cik, filing.accession_number), out / f"{filing.accession_number}.txt")
        except EdgarError as exc:
            return exc
        return None

    with ThreadPoolExecutor(FETCHERS) as pool:
        for done, error in enumerate(pool.map(fetch, todo), start=1):
            if error is None:
                report.fetched += 1
            else:
                report.failed.append(error)
            if progress is not None:
                progress(report.present + done, report.listed)
    return report
