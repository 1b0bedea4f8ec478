"""Read-only stores lent to requests, one request at a time each: neither a DuckDB connection nor
a PostgreSQL one may serve two queries at once, and FastAPI may run a request's parts on
different threads, so a store is lent to the request, not kept by a thread."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator

from form4.model import Filing
from form4.store import Store
from form4.store.records import key_of


class Stores:
    """At most ``size`` stores, opened as requests need them and kept for the next ones. A query
    running past ``seconds`` is stopped: DuckDB's by interrupting its connection, PostgreSQL's
    by the server's statement_timeout."""

    def __init__(self, url: str | None, *, size: int = 8, seconds: float = 10.0, writable: bool = False,
                 duckdb_memory_mb: int = 256) -> None:
        self.url, self.size, self.seconds, self.duckdb_memory_mb = url, size, seconds, duckdb_memory_mb
        # DuckDB lets one process hold a file either read-only or read-write, never both: a server
        # that may write (it has an API token) opens its readers read-write too. They only read.
        self.read_only = not (writable and not (url or "").startswith(("postgres://", "postgresql://")))
        self.writable = writable
        self._writer: Store | None = None
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        self._idle.put(self._open())  # a store that is missing fails at start, not at the first request

    def _open(self) -> Store:
        store = Store(self.url, read_only=self.read_only)
        if store.engine.dialect == "postgres":
            store.engine.execute(f"SET statement_timeout = {int(self.seconds * 1000)}")
        else:  # DuckDB's buffer pool (one for the process's connections) would grow to most of the
            # machine's memory under load; pages and reports work in far less, spilling past it
            store.engine.execute(f"SET memory_limit = '{self.duckdb_memory_mb}MB'")
            # a page reads one or two row groups: parallel scans only add their threads' hand-offs
            # (15-20 % of a page's CPU at 10 M rows), and the requests are the server's parallelism
            store.engine.execute("SET threads = 1")
        with self._lock:
            self._opened.append(store)
        return store

    @contextlib.contextmanager
    def lend(self) -> Iterator[Store]:
        store = self._take()
        timer = None
        if store.engine.dialect == "duckdb":
            timer = threading.Timer(self.seconds, store.engine.interrupt)
            timer.daemon = True
            timer.start()
        try:
            yield store
        finally:
            if timer is not None:
                timer.cancel()
            self._idle.put(store)

    def _take(self) -> Store:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            room = len(self._opened) < self.size
        return self._open() if room else self._idle.get()

    def store(self, filing: Filing) -> str:
        """Store ``filing`` (an upload made with the API token); its key in the store."""
        if not self.writable:
            raise PermissionError("this server was started without an API token: it writes nothing")
        with self._lock:
            if self._writer is None:
                self._writer = Store(self.url)
                self._opened.append(self._writer)
            self._writer.ingest_filings([filing])
        return key_of(filing)

    def close(self) -> None:
        with self._lock:
            for store in self._opened:
                store.close()
            self._opened.clear()
