"""A read-only store per worker thread: requests run on a pool of threads, and neither a
DuckDB connection nor a PostgreSQL one may serve two queries at once."""

from __future__ import annotations

import threading

from form4.store import Store


class Stores:
    def __init__(self, url: str | None) -> None:
        self.url = url
        self._local = threading.local()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        with Store(url, read_only=True):  # a store that is missing fails at start, not at the first request
            pass

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.url, read_only=True)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._opened:
                store.close()
            self._opened.clear()
