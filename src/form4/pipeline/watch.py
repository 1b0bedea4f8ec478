"""``form4 watch``: new Section 16 filings from EDGAR's latest-filings feed, as they appear.

Each poll reads the Atom feed (one request per form type), fetches the full submission of
each filing neither seen in this run nor in the store, stores them in one transaction and
hands each new filing to the caller. A filing listed twice (the feed names a Form 4 under its
issuer and under each owner) or on many polls is fetched and stored once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from form4.edgar import catalog, paths
from form4.edgar.client import EdgarClient
from form4.errors import EdgarError, ReadError
from form4.model import Filing
from form4.pipeline.parts import Part

if TYPE_CHECKING:
    from form4.store import Store


@dataclass
class WatchReport:
    polls: int = 0
    new: int = 0
    quarantined: int = 0
    errors: list[ReadError | EdgarError] = field(default_factory=list)


def watch(store: Store, client: EdgarClient, *, forms: Collection[str] = ("3", "4", "5"), interval: float = 60.0,
          on_filing: Callable[[Filing], None] | None = None, on_error: Callable[[Exception], None] | None = None,
          polls: int | None = None, report: WatchReport | None = None) -> WatchReport:
    """Poll every ``interval`` seconds (``polls`` times, or until interrupted) and store what is new."""
    report = report or WatchReport()
    seen: set[str] = set()
    while polls is None or report.polls < polls:
        if report.polls:
            time.sleep(interval)
        report.polls += 1
        try:
            poll(store, client, forms, seen, report, on_filing, on_error)
        except EdgarError as exc:  # EDGAR away for a while: try again next poll
            _failed(report, on_error, exc)
    return report


def poll(store: Store, client: EdgarClient, forms: Collection[str], seen: set[str], report: WatchReport,
         on_filing: Callable[[Filing], None] | None, on_error: Callable[[Exception], None] | None) -> None:
    """One look at the feed: the filings new since the last one, stored and handed on."""
    entries = {e.accession_number: e for e in catalog.latest(client, forms) if e.accession_number not in seen}
    stored = store.stored_accessions(entries)
    seen.update(stored)
    part, filings = Part(), []
    for accession, entry in entries.items():
        if accession in stored:
            continue
        path = paths.submission(entry.cik, accession)
        try:
            data = client.get_bytes(path)
        except EdgarError as exc:  # not seen: fetched again next poll
            _failed(report, on_error, exc)
            continue
        seen.add(accession)
        filing = part.read(client.url(path), data)
        if filing is not None:
            filings.append(filing)
    for error in part.errors:
        _failed(report, on_error, error)
    if not part.documents:
        return
    store.write(part.filings, part.quarantine)
    report.new += len(filings)
    report.quarantined += len(part.quarantine)
    for filing in filings:
        if on_filing is not None:
            on_filing(filing)


def _failed(report: WatchReport, on_error: Callable[[Exception], None] | None, error: ReadError | EdgarError) -> None:
    report.errors.append(error)
    if on_error is not None:
        on_error(error)
