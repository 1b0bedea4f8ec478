"""``form4 sync --via datasets``: the history from the SEC's quarterly Insider Transactions Data
Sets, and the days no data set covers from the daily indexes.

Which quarters exist is read from the SEC's listing page (form4.edgar.datasets). Each listed
quarter that lies wholly in the range asked for is fetched as one zip (tens of MB: one request
instead of one per filing), resumably (an interrupted download continues with a Range
request), and imported streaming, straight into the store's tables (form4.store.sec_batches:
memory flat whatever the quarter's size). A quarter is marked imported in the store (``dataset_quarters``) only once
all its filings are stored, and a quarter so marked is never fetched again; its zip is deleted
once imported. A zip that cannot be read is reported (one line naming the quarter), deleted so
that a rerun fetches it anew, and not marked; the other quarters go on.

Every other day of the range (before the first data set, after the newest, in a quarter the
range only partly covers or the listing leaves out) is synced by daily index, as ``form4
sync`` does. The data sets' filings are stored with the source ``sec-dataset``, which the
identity rules rank below the filing's own XML: a later reading of the XML replaces them.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from form4.edgar.client import EdgarClient
from form4.edgar.datasets import DatasetQuarter, listed_quarters
from form4.errors import DatasetError, EdgarError
from form4.pipeline import BATCH
from form4.pipeline.sync import SyncProgress, SyncReport, Unwatched, forms_key, sync
from form4.store import records
from form4.store.sec_batches import iter_batches, read_ahead

if TYPE_CHECKING:
    from form4.store import Store

__all__ = ["DatasetProgress", "DatasetSyncReport", "covered_days", "imported_quarters", "sync_datasets"]


class DatasetProgress(SyncProgress, Protocol):
    """What a sync by data sets tells whoever watches it, beside a sync's days."""

    def quarters(self, total: int) -> None:
        """``total`` quarters to fetch and import."""

    def quarter(self, name: str, stage: str) -> None:
        """A quarter's stage begins: "fetching" or "importing"."""

    def quarter_filings(self, done: int) -> None:
        """``done`` filings of the current quarter are stored."""

    def quarter_done(self, name: str) -> None: ...


class _Unwatched(Unwatched):
    def quarters(self, total: int) -> None:
        pass

    def quarter(self, name: str, stage: str) -> None:
        pass

    def quarter_filings(self, done: int) -> None:
        pass

    def quarter_done(self, name: str) -> None:
        pass


@dataclass
class DatasetSyncReport(SyncReport):
    """A sync's figures (the days by daily index among them), and the quarters': listed in the
    range, imported before, imported now, those that failed; the zips' bytes and filings."""

    quarters: int = 0
    quarters_before: int = 0
    quarters_imported: int = 0
    quarter_errors: list[str] = field(default_factory=list)
    dataset_bytes: int = 0
    dataset_filings: int = 0
    requests: int = 0
    seconds: float = 0.0

    def add_days(self, other: SyncReport) -> None:
        """Add a sync by daily index's figures to these."""
        for f in fields(SyncReport):
            mine = getattr(self, f.name)
            setattr(self, f.name, mine + getattr(other, f.name))


def sync_datasets(store: Store, client: EdgarClient, since: dt.date, until: dt.date | None = None, *,
                  forms: Collection[str] = ("3", "4", "5"), batch: int = BATCH, spool: Path | None = None,
                  progress: DatasetProgress | None = None) -> DatasetSyncReport:
    """Store every filing of ``forms`` filed from ``since`` to ``until`` (today when None): the
    quarters the SEC publishes data sets for from their zips, every other day by daily index.
    ``spool``: where zips wait to be imported (``FORM4_SPOOL``, or the temp dir)."""
    started, requests_before = time.monotonic(), client.requests
    until = until or dt.date.today()
    watch = progress or _Unwatched()
    report = DatasetSyncReport()
    listed = [q for q in listed_quarters(client) if since <= _first_day(q) and _last_day(q) <= until]
    done = imported_quarters(store, forms)
    report.quarters = len(listed)
    report.quarters_before = sum(q.name in done for q in listed)
    todo = [q for q in listed if q.name not in done]
    watch.quarters(len(todo))
    folder = spool or Path(os.environ.get("FORM4_SPOOL") or tempfile.gettempdir()) / "form4-datasets"
    for quarter in todo:
        try:
            _sync_quarter(store, client, quarter, forms, folder, report=report, progress=watch)
        except (DatasetError, EdgarError) as exc:
            report.quarter_errors.append(f"{quarter.name}: {exc}")
        watch.quarter_done(quarter.name)
    for first, last in _gaps(since, until, listed):
        report.add_days(sync(store, client, first, last, forms=forms, batch=batch, progress=watch))
    store.cluster()  # many rows stored: in order again, for the answers (on DuckDB)
    report.requests = client.requests - requests_before
    report.seconds = time.monotonic() - started
    return report


def _sync_quarter(store: Store, client: EdgarClient, quarter: DatasetQuarter, forms: Collection[str],
                  folder: Path, *, report: DatasetSyncReport, progress: DatasetProgress) -> None:
    """One quarter: its zip fetched (or continued), imported, marked, deleted."""
    progress.quarter(quarter.name, "fetching")
    target = folder / f"{quarter.name}_form345.zip"
    client.resume_to(quarter.url, target)
    size = target.stat().st_size
    progress.quarter(quarter.name, "importing")
    try:
        stored = _import(store, read_ahead(iter_batches(target, forms=forms)), report=report, progress=progress)
    except DatasetError:
        target.unlink(missing_ok=True)  # fetched anew by the next run
        raise
    _mark_imported(store, quarter, forms, size, stored)
    report.quarters_imported += 1
    report.dataset_bytes += size
    report.dataset_filings += stored
    target.unlink(missing_ok=True)


def _import(store: Store, batches: Iterable[records.Pending], *, report: DatasetSyncReport,
            progress: DatasetProgress) -> int:
    """The batches into the store as one write (the quarter in one transaction); how many filings were read."""
    read = 0

    def placed(filings: int) -> None:
        nonlocal read
        read += filings
        progress.quarter_filings(read)

    outcome = store.write_all(batches, placed)
    progress.quarter_filings(read)
    report.documents += read
    report.new += outcome.new
    report.duplicates += outcome.duplicates
    report.upgraded += outcome.upgraded
    return read


def imported_quarters(store: Store, forms: Collection[str]) -> set[str]:
    """The quarters (``2024q1``) a sync by data sets of these form types imported whole."""
    engine = store.engine
    table = engine.query(f"SELECT quarter FROM dataset_quarters WHERE forms = {engine.mark}", [forms_key(forms)])
    return set(table.column(0).to_pylist())


def _mark_imported(store: Store, quarter: DatasetQuarter, forms: Collection[str], size: int, filings: int) -> None:
    marks = ", ".join([store.engine.mark] * 6)
    store.engine.execute(f"INSERT INTO dataset_quarters VALUES ({marks}) ON CONFLICT DO NOTHING",
                         [quarter.name, forms_key(forms), quarter.url, size, filings, dt.datetime.now(dt.UTC)])


def covered_days(quarters: Iterable[DatasetQuarter]) -> list[tuple[dt.date, dt.date]]:
    """The first and last day of each quarter."""
    return [(_first_day(q), _last_day(q)) for q in quarters]


def _gaps(since: dt.date, until: dt.date, quarters: list[DatasetQuarter]) -> Iterator[tuple[dt.date, dt.date]]:
    """The stretches of ``since``..``until`` no quarter covers, in order."""
    day = since
    for first, last in sorted(covered_days(quarters)):
        if day < first:
            yield day, first - dt.timedelta(days=1)
        day = max(day, last + dt.timedelta(days=1))
    if day <= until:
        yield day, until


def _first_day(quarter: DatasetQuarter) -> dt.date:
    return dt.date(quarter.year, 3 * quarter.quarter - 2, 1)


def _last_day(quarter: DatasetQuarter) -> dt.date:
    year, month = (quarter.year + 1, 1) if quarter.quarter == 4 else (quarter.year, 3 * quarter.quarter + 1)
    return dt.date(year, month, 1) - dt.timedelta(days=1)
