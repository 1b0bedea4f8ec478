"""``form4 sync``: EDGAR's filings of a date range into the store, resumable.

Index days → the day's Section 16 filings → fetched → read → stored. The state lives in the
store: a day is marked synced (``sync_days``) only once all its filings are stored, and
before a day is fetched, what the store already holds (stored or quarantined) is taken off
its list. A sync killed at any moment (SIGKILL included) loses at most the batch in flight,
which its transaction rolls back; a rerun fetches only what is missing and stores each
filing once. A quarter EDGAR has no listing for is passed over; a day its quarter lists but
whose index EDGAR does not have is skipped, with no filings, and not marked: a rerun asks again.

Two ways to a day's filings (``via``): ``index``, the daily form index then each filing's
full submission (one request per filing: at 10 requests/s about 2,000 filings take 3½
minutes); ``feed``, the day's feed archive in one request (every form filed that day, so
many bytes), streamed to disk, read whole by a reader process a day or more ahead of the
writing, and deleted once read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from form4.edgar import catalog, paths
from form4.edgar.client import EdgarClient
from form4.errors import EdgarError, EdgarNotFoundError
from form4.inputs import Document
from form4.pipeline import BATCH, EngineName, IngestReport, local, store_parts, taken_parts
from form4.pipeline.fetching import FETCH_UNIT, fetch_and_read, read_feed
from form4.pipeline.parts import Part
from form4.pipeline.units import in_order

if TYPE_CHECKING:
    from form4.store import Store

Via = Literal["index", "feed"]
FETCHERS = 8  # requests in flight: enough to keep up with a mirror, the rate limit paces EDGAR


class SyncProgress(Protocol):
    """What a sync tells whoever watches it (the CLI draws bars)."""

    def days(self, total: int) -> None:
        """``total`` days to sync."""

    def day(self, day: dt.date, filings: int) -> None:
        """A day begins, with ``filings`` to fetch."""

    def filings(self, done: int) -> None:
        """``done`` filings of the current day have been read."""

    def day_done(self, day: dt.date) -> None: ...


class Unwatched:
    """A sync nobody watches."""

    def days(self, total: int) -> None:
        pass

    def day(self, day: dt.date, filings: int) -> None:
        pass

    def filings(self, done: int) -> None:
        pass

    def day_done(self, day: dt.date) -> None:
        pass


@dataclass
class SyncReport(IngestReport):
    """An ingest's figures, and the days: listed, synced before, synced now, left to a rerun."""

    days: int = 0
    days_before: int = 0
    days_synced: int = 0
    fetched: int = 0
    fetch_errors: list[EdgarError] = field(default_factory=list)
    days_without_index: list[dt.date] = field(default_factory=list)  # listed, yet EDGAR had no index

    @property
    def days_left(self) -> int:
        return self.days - self.days_before - self.days_synced


def forms_key(forms: Collection[str]) -> str:
    return ",".join(sorted(forms))


def sync(store: Store, client: EdgarClient, since: dt.date, until: dt.date | None = None, *,
         forms: Collection[str] = ("3", "4", "5"), via: Via = "index", engine: EngineName = "local",
         scheduler: str | None = None, workers: int | None = None, batch: int = BATCH,
         progress: SyncProgress | None = None) -> SyncReport:
    """Store every filing of ``forms`` (and their amendments) filed from ``since`` to ``until``
    (today when None). Days already synced for these forms are passed over. ``engine="dask"``
    fetches and reads on a Dask cluster's workers (``scheduler``, or a local cluster)."""
    until = until or dt.date.today()
    progress = progress or Unwatched()
    key = forms_key(forms)
    report = SyncReport()
    days = listed_days(client, since, until)
    done = store.synced_days(key)
    report.days = len(days)
    report.days_before = sum(day in done for day in days)
    progress.days(report.days - report.days_before)
    todo = [d for d in days if d not in done]
    if not todo:
        return report
    with _reader(engine, client, scheduler, workers) as reader:
        plans = (plan(store, client, day, forms) for day in todo)
        for day, parts in reader.days(plans, via, forms):
            if store_day(store, day, parts, forms, via=via, batch=batch, report=report, progress=progress):
                report.days_synced += 1
            progress.day_done(day.day)
    store.cluster()  # many rows stored: in order again, for the answers (on DuckDB)
    return report


@dataclass
class Day:
    """A day to sync: how many filings its index lists, which of them the store holds already,
    and the paths of the others. ``indexed`` is False when EDGAR had no index for the day."""

    day: dt.date
    listed: int
    stored: set[str]
    todo: list[str]
    indexed: bool = True


def plan(store: Store, client: EdgarClient, day: dt.date, forms: Collection[str]) -> Day:
    try:
        listed = catalog.day_entries(client, day, forms)
    except EdgarNotFoundError:  # listed in its quarter, yet not there (yet): no filings this run
        return Day(day, 0, set(), [], indexed=False)
    # the index lists a filing once per party (its issuer, each owner): one path per filing
    entries = {e.accession_number: e for e in listed}
    stored = store.stored_accessions(entries)
    return Day(day, len(entries), stored, ["/Archives/" + e.path for a, e in entries.items() if a not in stored])


def listed_days(client: EdgarClient, since: dt.date, until: dt.date) -> list[dt.date]:
    """The days EDGAR has published a daily index for, from ``since`` to ``until``."""
    days: list[dt.date] = []
    for year, quarter in _quarters(since, until):
        try:
            listed = catalog.index_days(client, year, quarter)
        except EdgarNotFoundError:  # a quarter not begun (or, on a mirror, one it leaves out)
            continue
        days += (d for d in listed if since <= d <= until)
    return sorted(days)


def store_day(store: Store, day: Day, parts: Iterable[tuple[Part, int]], forms: Collection[str], *, via: Via,
              batch: int, report: SyncReport, progress: SyncProgress) -> bool:
    """One day's parts into the store; True when all of it is there (and the day is marked synced)."""
    errors_before = len(report.fetch_errors)
    progress.day(day.day, len(day.todo))
    if not day.indexed:  # not marked synced: a rerun asks for its index again
        report.days_without_index.append(day.day)
        return False
    read_before = report.documents
    store_parts(store, _noting(parts, report), batch=batch, report=report,
                progress=lambda read, _: progress.filings(read - read_before))
    if len(report.fetch_errors) > errors_before:
        return False  # something could not be fetched: the day waits for a rerun
    store.mark_synced(day.day, forms_key(forms), via, day.listed)
    return True


def _noting(parts: Iterable[tuple[Part, int]], report: SyncReport) -> Iterator[tuple[Part, int]]:
    """Parts passed on, what their workers could not fetch noted in the report."""
    for part, position in parts:
        report.fetch_errors += (EdgarError(message) for message in part.unfetched)
        report.fetched += part.documents
        yield part, position


class Reader:
    """Where days' filings are fetched and read: on this machine, threads fetch filings one by
    one and reader processes read them; a feed archive is fetched and read whole by a reader
    process, as many days ahead as there are readers."""

    def __init__(self, client: EdgarClient, workers: int | None) -> None:
        self.client = client
        self.workers = workers or os.cpu_count() or 1
        self.readers = local.pool(self.workers, threaded=True) if self.workers > 1 else None  # one, day after day
        self.settings = client.settings()
        self.share: int | None = None  # readers here share this machine's limiter file

    @property
    def ahead(self) -> int:
        return self.workers

    def submit(self, task: Callable[..., Part], *args: Any) -> Any:
        if self.readers is not None:
            return self.readers.submit(task, *args)
        done: Future[Part] = Future()
        done.set_result(task(*args))
        return done

    def days(self, plans: Iterable[Day], via: Via, forms: Collection[str]) -> Iterator[
            tuple[Day, Iterable[tuple[Part, int]]]]:
        """Each day with its parts, in day order."""
        if via == "index":
            for day in plans:
                yield day, self.filings(day.todo, forms)
            return
        started = ((day, self.submit(read_feed, self.settings, self.share, paths.feed_archive(day.day), day.stored,
                                     forms) if day.todo else None)  # all of it stored: its archive is not fetched
                   for day in plans)
        for day, part in in_order(started, self.ahead):
            yield day, [] if part is None else [(part, 0)]

    def filings(self, todo: list[str], forms: Collection[str]) -> Iterator[tuple[Part, int]]:
        unfetched: list[str] = []

        def fetch(path: str) -> Document | None:
            try:
                return Document(self.client.url(path), self.client.get_bytes(path))
            except EdgarError as exc:  # not the filing's fault: not quarantined, fetched again next run
                unfetched.append(str(exc))
                return None

        def documents() -> Iterator[Document]:
            with ThreadPoolExecutor(FETCHERS) as pool:
                yield from (doc for doc in pool.map(fetch, todo) if doc is not None)

        yield from taken_parts(documents(), self.workers, forms, self.readers)
        yield Part(unfetched=unfetched), 0

    def close(self) -> None:
        if self.readers is not None:
            self.readers.shutdown()


class DaskReader(Reader):
    """Days fetched and read on a Dask cluster's workers, each keeping to its share of the limit."""

    def __init__(self, client: EdgarClient, cluster: Any) -> None:
        super().__init__(client, 1)
        self.cluster = cluster
        self.share = cluster.workers + 1  # the workers, and this process reading the indexes
        client.keep_to_share(self.share, f"driver-{os.getpid()}")

    @property
    def ahead(self) -> int:
        return int(self.cluster.workers)

    def submit(self, task: Callable[..., Part], *args: Any) -> Any:
        return self.cluster.client.submit(task, *args, pure=False)

    def filings(self, todo: list[str], forms: Collection[str]) -> Iterator[tuple[Part, int]]:
        units = [((self.settings, self.share, todo[i:i + FETCH_UNIT], forms), 0)
                 for i in range(0, len(todo), FETCH_UNIT)]
        return self.cluster.ordered(fetch_and_read, units)  # type: ignore[no-any-return]

    def close(self) -> None:
        self.cluster.__exit__(None, None, None)


@contextlib.contextmanager
def _reader(engine: EngineName, client: EdgarClient, scheduler: str | None,
            workers: int | None) -> Iterator[Reader]:
    if engine == "dask":
        from form4.pipeline.cluster import Cluster

        reader: Reader = DaskReader(client, Cluster(scheduler, workers))
    elif engine == "local":
        reader = Reader(client, workers)
    else:
        raise ValueError(f"no engine {engine!r}: local or dask")
    try:
        yield reader
    finally:
        reader.close()


def _quarters(since: dt.date, until: dt.date) -> Iterator[tuple[int, int]]:
    year, quarter = since.year, (since.month - 1) // 3 + 1
    while (year, quarter) <= (until.year, (until.month - 1) // 3 + 1):
        yield year, quarter
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


__all__ = ["FETCHERS", "Day", "Reader", "SyncProgress", "SyncReport", "Via", "forms_key", "listed_days", "plan",
           "store_day", "sync"]
