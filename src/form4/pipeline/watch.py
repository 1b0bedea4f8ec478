"""``form4 watch``: new Section 16 filings from EDGAR's latest-filings feed, as they appear.

Each poll reads the Atom feed (one request per form type), fetches the full submission of
each filing neither seen in this run nor in the store, stores them in one transaction and
hands each new filing to the caller. A filing listed twice (the feed names a Form 4 under its
issuer and under each owner) or on many polls is fetched and stored once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from form4.edgar import catalog, paths
from form4.edgar.client import EdgarClient
from form4.errors import EdgarError, ReadError
from form4.model import Filing
from form4.parse import read_bytes
from form4.pipeline.parts import quarantined
from form4.store.records import Pending

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
            report.errors.append(exc)
            if on_error is not None:
                on_error(exc)
    return report


def poll(store: Store, client: EdgarClient, forms: Collection[str], seen: set[str], report: WatchReport,
         on_filing: Callable[[Filing], None] | None, on_error: Callable[[Exception], None] | None) -> None:
    """One look at the feed: the filings new since the last one, stored and handed on."""
    entries = {e.accession_number: e for e in catalog.latest(client, forms) if e.accession_number not in seen}
    stored = store.stored_accessions(entries)
    pending, bad, filings = Pending(), [], []
    seen.update(stored)
    for accession, entry in entries.items():
        if accession in stored:
            continue
        path = paths.submission(entry.cik, accession)
        url = client.url(path)
        try:
            data = client.get_bytes(path)
        except EdgarError as exc:  # not seen: fetched again next poll
            report.errors.append(exc)
            if on_error is not None:
                on_error(exc)
            continue
        seen.add(accession)
        try:
            filing = read_bytes(data, url)
        except ReadError as exc:
            bad.append(quarantined(url, data, exc))
            report.errors.append(exc.with_source(url))
            if on_error is not None:
                on_error(exc.with_source(url))
            continue
        pending.add(filing, url, hashlib.sha256(data).hexdigest())
        filings.append(filing)
    if not (filings or bad):
        return
    store.write(pending, bad)
    report.new += len(filings)
    report.quarantined += len(bad)
    for filing in filings:
        if on_filing is not None:
            on_filing(filing)
