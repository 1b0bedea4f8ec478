"""What keeps a server's store current while it serves: the watch of EDGAR's latest filings
(``form4 serve --watch``) and the daily sync of the days before today (``--sync-daily``).

Both run on one thread of the server, one after the other, through one connection of their own:
the server is the store's only writer, which is what DuckDB asks (one process writes a file,
and while it does no other process may open it); PostgreSQL lets other writers in too. The
transactions of the filings the watch stores go to /api/stream (form4.api.stream) once stored;
/api/transactions lists them from then on, as it lists any other writer's (form4.store keeps
the current rows in the write that stores them).

At start the watch catches up from the daily index (form4.pipeline.watch), then the daily sync
stores the days from the last one synced (at most ``Settings.catch_up_days`` back) to yesterday
on EDGAR's clock; then the watch polls every ``Settings.watch_interval`` seconds, and the daily
sync runs again when EDGAR's day turns, or an hour after a run that left days to do (an index
not yet published, a filing that could not be fetched). A step that fails is logged and the
next one starts over with a fresh connection: a server outlives a database that went away.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import TYPE_CHECKING

import msgspec

from form4.analytics import listing
from form4.api.settings import Settings
from form4.api.stream import Events
from form4.model import Filing
from form4.store.records import key_of

if TYPE_CHECKING:
    from form4.edgar import EdgarClient
    from form4.pipeline.watch import Watcher
    from form4.store import Store

log = logging.getLogger("form4.api.live")
RETRY_SECONDS = 3600.0  # a daily sync that left days to do tries again this much later
_PUBLISH_EVERY = 500  # filings: a long catch-up streams its transactions as it goes, not at its end
_ENCODE = msgspec.json.Encoder().encode
_ROWS = (f"SELECT {listing.TRANSACTIONS.select} FROM {listing.TRANSACTIONS.rows} "
         "AND r.accession_number = ANY(CAST($keys AS TEXT[]))")


class Live:
    """The watch and the daily sync of ``settings``, on a thread of their own from ``start``
    to ``stop``; the watch's new transactions published to ``events``."""

    def __init__(self, settings: Settings, events: Events | None = None) -> None:
        from form4.edgar import EdgarClient

        self.settings, self.events = settings, events
        self.client: EdgarClient = EdgarClient()  # here: no User-Agent stops the server's start, not a thread
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="form4-live")
        self._stored: list[str] = []  # keys of filings stored whose transactions are not yet published
        self._synced_on: dt.date | None = None  # EDGAR's day the daily sync last completed on
        self._retry_at = 0.0

    def start(self) -> None:
        self._thread.start()

    def stop(self, seconds: float = 10.0) -> None:
        """Stop after the step under way (waiting at most ``seconds`` for it)."""
        self._stop.set()
        self._thread.join(seconds)
        if not self._thread.is_alive():
            self.client.close()

    # --- the thread ----------------------------------------------------------------------------------

    def _run(self) -> None:
        store: Store | None = None
        watcher: Watcher | None = None
        next_poll = 0.0
        while not self._stop.is_set():
            try:
                if store is None:
                    store = self._open()
                    watcher = self._watcher(store)
                if self.settings.sync_daily and self._sync_due():
                    self._sync(store)
                if watcher is not None and time.monotonic() >= next_poll:
                    watcher.poll()
                    self._publish(store)
                    next_poll = time.monotonic() + self.settings.watch_interval
            except Exception as exc:  # the store or EDGAR away for a while: the next step starts over
                log.warning("%s: %s", "watch" if self.settings.watch else "daily sync", exc)
                store = self._closed(store)
                watcher = None
                next_poll = time.monotonic() + self.settings.watch_interval  # not at once: no busy loop
            self._stop.wait(max(0.0, next_poll - time.monotonic()) if self.settings.watch else 60.0)
        self._closed(store)

    def _open(self) -> Store:
        from form4.store import Store

        return Store(self.settings.url)

    @staticmethod
    def _closed(store: Store | None) -> None:
        if store is not None:
            store.close()

    # --- the watch -----------------------------------------------------------------------------------

    def _watcher(self, store: Store) -> Watcher | None:
        """A watch over ``store``, caught up from the daily index (None: the server does not watch)."""
        if not self.settings.watch:
            return None
        from form4.pipeline.watch import Watcher

        watcher = Watcher(store, self.client, forms=self.settings.forms, catch_up_days=self.settings.catch_up_days,
                          on_filing=lambda filing: self._filed(store, filing),
                          on_error=lambda exc: log.warning("watch: %s", exc),
                          on_notice=lambda message: log.info("watch: %s", message))
        watcher.catch_up()
        self._publish(store)
        return watcher

    def _filed(self, store: Store, filing: Filing) -> None:
        self._stored.append(key_of(filing))  # called once its batch is stored
        if len(self._stored) >= _PUBLISH_EVERY:
            self._publish(store)

    def _publish(self, store: Store) -> None:
        """The stored filings' transactions to the stream, as /api/transactions lists them."""
        keys, self._stored = self._stored, []
        if not keys:
            return
        rows = store.arrow(_ROWS, {"keys": keys}).to_pylist()
        order = {key: i for i, key in enumerate(keys)}  # as stored; within a filing, table by table
        rows.sort(key=lambda r: (order[r["accession_number"]], r["table"] != "non_derivative", r["row_index"],
                                 r["owner_cik"] or "", r["owner_name"] or ""))
        log.info("watch: %d new filings stored, %d transactions", len(keys), len(rows))
        if self.events is not None:
            self.events.publish(_ENCODE(row) for row in rows)

    # --- the daily sync ------------------------------------------------------------------------------

    def _sync_due(self) -> bool:
        from form4.pipeline.watch import today

        return self._synced_on != today() and time.monotonic() >= self._retry_at

    def _sync(self, store: Store) -> None:
        """Sync the days since the last one synced (at most ``catch_up_days`` back) to yesterday."""
        from form4.pipeline.sync import sync
        from form4.pipeline.watch import today

        now = today()
        self._retry_at = time.monotonic() + RETRY_SECONDS  # a run that fails or leaves days: again in an hour
        since, until = self._sync_since(store, now), now - dt.timedelta(days=1)
        complete = True
        if since <= until:
            report = sync(store, self.client, since, until, forms=self.settings.forms, workers=1)
            complete = not (report.days_left or report.days_without_index or report.fetch_errors)
            log.info("daily sync %s to %s: %d days synced now, %d new filings, %d quarantined%s", since, until,
                     report.days_synced, report.new, report.quarantined,
                     "" if complete else f"; {report.days_left} days left, tried again in an hour")
            for error in [*report.errors, *report.fetch_errors]:
                log.warning("daily sync: %s", error)
        if complete:
            self._synced_on = now

    def _sync_since(self, store: Store, now: dt.date) -> dt.date:
        from form4.pipeline.sync import forms_key

        floor = now - dt.timedelta(days=self.settings.catch_up_days)
        synced = store.synced_days(forms_key(self.settings.forms))
        start = max(synced) + dt.timedelta(days=1) if synced else store.newest_filed() or floor
        if start < floor:
            log.info("daily sync: from %s only (at most %d days back); form4 sync --since %s stores the days "
                     "before", floor, self.settings.catch_up_days, start)
        return max(start, floor)
