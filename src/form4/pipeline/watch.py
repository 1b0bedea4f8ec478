"""``form4 watch``: new Section 16 filings from EDGAR as they appear, none missed, none foreign.

EDGAR's latest-filings feed lists the newest filings, 100 entries a page, back to about 5,100
entries. Its ``type=4`` matches form types by prefix (424B2, 497K, 40-APP/A… come with the Forms
4), so entries are kept by their own form type. A filing appears once per party, and poll after
poll: it is fetched and stored once.

Each poll pages back through the feed of each form type until it meets a filing seen before (in
this run, or stored) or one filed on a day the daily index has covered. What the feed no longer
shows comes from the daily index: on start-up, the days from the last filing stored to today are
caught up (each day's form index, the filings the store lacks), and so they are again whenever a
poll pages back to the feed's depth without meeting anything seen, a gap. A past day caught up
whole is marked synced, as ``form4 sync`` marks it; today is not, its index being incomplete.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from form4.edgar import catalog, paths
from form4.edgar.atom import AtomEntry
from form4.edgar.client import EdgarClient
from form4.errors import EdgarError, ReadError
from form4.model import Filing, is_form
from form4.pipeline.parts import Part
from form4.pipeline.sync import FETCHERS, forms_key, listed_days, plan

if TYPE_CHECKING:
    from form4.store import Store

CATCH_UP_DAYS = 7  # how far back a start-up catches up by default; `form4 sync` fills older gaps
BATCH = 500  # filings stored a transaction: a watch killed while catching up loses one batch at most
_NEW_YORK = ZoneInfo("America/New_York")  # EDGAR dates filings by its own clock


@dataclass
class WatchReport:
    polls: int = 0
    new: int = 0  # filings stored, from the feed and from catching up
    caught_up: int = 0  # of them, those that came from the daily index
    gaps: int = 0  # polls that paged back to the feed's depth and met nothing seen
    quarantined: int = 0
    errors: list[ReadError | EdgarError] = field(default_factory=list)


def today() -> dt.date:
    """Today on EDGAR's clock (New York)."""
    return dt.datetime.now(_NEW_YORK).date()


class Watcher:
    """One watch's state: the filings it has seen and the last day the daily index covered."""

    def __init__(self, store: Store, client: EdgarClient, *, forms: Collection[str] = ("3", "4", "5"),
                 report: WatchReport | None = None, catch_up_days: int = CATCH_UP_DAYS,
                 on_filing: Callable[[Filing], None] | None = None,
                 on_error: Callable[[Exception], None] | None = None,
                 on_notice: Callable[[str], None] | None = None) -> None:
        self.store, self.client, self.forms = store, client, set(forms)
        self.report = report or WatchReport()
        self.catch_up_days = catch_up_days
        self.on_filing, self.on_error, self.on_notice = on_filing, on_error, on_notice
        self.seen: set[str] = set()
        self.covered: dt.date | None = None  # every filing filed up to this day is stored
        self.newest: dt.date | None = None  # the newest filing date stored, when last looked

    # -- catching up from the daily index ---------------------------------------------------

    def catch_up(self) -> None:
        """Store what the daily index lists and the store lacks, from the last filing stored to today."""
        self.newest = self.store.newest_filed()
        if self.newest is None:
            self._notice("the store holds no filing from EDGAR: watching from now on "
                         "(form4 sync --since DAY stores the days before)")
            return
        now = today()
        since = max(self.newest, now - dt.timedelta(days=self.catch_up_days))
        if since > self.newest:
            self._notice(f"the newest filing stored was filed on {self.newest}: catching up from {since} only "
                         f"(form4 sync --since {self.newest} stores the days between)")
        done = self.store.synced_days(forms_key(self.forms))
        complete = True
        try:
            days = listed_days(self.client, since, now)
        except EdgarError as exc:  # EDGAR away: the feed may still answer, the next gap tries again
            self._failed(exc)
            return
        for day in days:
            whole = day in done or self._catch_up_day(day, final=day < now)
            complete = complete and whole
            if complete:
                self.covered = day

    def _catch_up_day(self, day: dt.date, final: bool) -> bool:
        """One day from its form index, as ``sync`` plans it; True when every filing it lists is stored."""
        try:
            planned = plan(self.store, self.client, day, self.forms)
        except EdgarError as exc:
            self._failed(exc)
            return False
        if not planned.indexed:  # listed, yet not there (yet): asked for again next time
            return False
        self.seen.update(planned.stored)
        whole = self._store([(PurePosixPath(path).stem, path) for path in planned.todo], caught_up=True)
        if whole and final:
            self.store.mark_synced(day, forms_key(self.forms), "index", planned.listed)
        return whole

    # -- the feed ---------------------------------------------------------------------------

    def poll(self) -> None:
        """One look at the feed of each form type: what is new since the last look, stored and handed on."""
        self.report.polls += 1
        new: dict[str, str] = {}
        gap = False
        for form in sorted(self.forms):
            try:
                gap = self._page_back(form, new) or gap
            except EdgarError as exc:  # EDGAR away for a while: what this look missed, the next finds
                self._failed(exc)
        self._store(list(new.items()), caught_up=False)
        if gap:
            self.report.gaps += 1
            self._notice("the feed no longer reaches the filings seen last: catching up from the daily index")
            self.catch_up()

    def _page_back(self, form: str, new: dict[str, str]) -> bool:
        """Collect into ``new`` the feed's entries of ``form`` not seen, page after page, until one seen
        before or one the daily index covered; True when the feed's depth was reached first (a gap)."""
        first_look = self.newest is None and not self.seen  # nothing to meet: the newest page only
        start = 0
        listed: set[tuple[str, int, str]] = set()  # the entries this look has read
        while start < catalog.FEED_DEPTH:
            page = catalog.feed_page(self.client, form, start, catalog.FEED_PAGE)
            entries = {(e.accession_number, e.cik, e.role) for e in page}
            if entries <= listed:  # the feed's end, or a server that does not page: all it holds was read
                return False
            listed |= entries
            met = self._collect([e for e in page if is_form(e.form_type, self.forms)], new)
            if met or first_look or self._covers(page[-1]):
                return False
            start += len(page)  # a page shorter than asked for is no end: the next starts after it
        return True

    def _collect(self, entries: list[AtomEntry], new: dict[str, str]) -> bool:
        """Add the entries neither seen nor stored to ``new``; True when one had been seen or stored."""
        fresh = {e.accession_number: e for e in entries
                 if e.accession_number not in self.seen and e.accession_number not in new}
        self.seen.update(self.store.stored_accessions(fresh))
        for accession, entry in fresh.items():
            if accession not in self.seen:
                new[accession] = paths.submission(entry.cik, accession)
        return any(e.accession_number in self.seen for e in entries)

    def _covers(self, entry: AtomEntry) -> bool:
        filed = entry.filed or entry.updated.date()
        return self.covered is not None and filed <= self.covered

    # -- fetching and storing ---------------------------------------------------------------

    def _store(self, todo: list[tuple[str, str]], *, caught_up: bool) -> bool:
        """Fetch, read and store the filings at these paths, a batch a transaction; True when
        every one was fetched (one that was not is tried again later)."""
        fetched_all = True
        for batch in _batched(todo, BATCH):
            part, filings = Part(), []
            for (accession, path), data in zip(batch, self._fetched([p for _, p in batch]), strict=True):
                if isinstance(data, EdgarError):
                    fetched_all = False
                    self._failed(data)
                    continue
                self.seen.add(accession)
                filing = part.read(self.client.url(path), data)
                if filing is not None:
                    filings.append(filing)
            for error in part.errors:
                self._failed(error)
            if part.documents:
                self.store.write(part.filings, part.quarantine)
            self._stored(filings, len(part.quarantine), caught_up)
        return fetched_all

    def _fetched(self, batch: list[str]) -> Iterator[bytes | EdgarError]:
        def fetch(path: str) -> bytes | EdgarError:
            try:
                return self.client.get_bytes(path)
            except EdgarError as exc:
                return exc

        with ThreadPoolExecutor(FETCHERS) as pool:  # the rate limit paces them; threads hide the latency
            yield from pool.map(fetch, batch)

    def _stored(self, filings: list[Filing], quarantined: int, caught_up: bool) -> None:
        self.report.new += len(filings)
        self.report.caught_up += len(filings) if caught_up else 0
        self.report.quarantined += quarantined
        for filing in filings:
            if filing.filed_at is not None and (self.newest is None or filing.filed_at > self.newest):
                self.newest = filing.filed_at
            if self.on_filing is not None:
                self.on_filing(filing)

    def _failed(self, error: ReadError | EdgarError) -> None:
        self.report.errors.append(error)
        if self.on_error is not None:
            self.on_error(error)

    def _notice(self, message: str) -> None:
        if self.on_notice is not None:
            self.on_notice(message)


def watch(store: Store, client: EdgarClient, *, forms: Collection[str] = ("3", "4", "5"), interval: float = 60.0,
          on_filing: Callable[[Filing], None] | None = None, on_error: Callable[[Exception], None] | None = None,
          on_notice: Callable[[str], None] | None = None, polls: int | None = None,
          catch_up_days: int = CATCH_UP_DAYS, report: WatchReport | None = None) -> WatchReport:
    """Catch up from the daily index, then poll the feed every ``interval`` seconds (``polls``
    times, or until interrupted) and store what is new."""
    watcher = Watcher(store, client, forms=forms, report=report, catch_up_days=catch_up_days,
                      on_filing=on_filing, on_error=on_error, on_notice=on_notice)
    watcher.catch_up()
    while polls is None or watcher.report.polls < polls:
        if watcher.report.polls:
            time.sleep(interval)
        watcher.poll()
    return watcher.report


def _batched(items: list[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


__all__ = ["BATCH", "CATCH_UP_DAYS", "WatchReport", "Watcher", "today", "watch"]
