"""Transactions held in memory, in page order, for a server that answers many list requests a
second: what ``form4.analytics.listing.transactions`` answers, in tens of microseconds rather
than a scan of the store per request.

The index reads the ``current_transactions`` view once, sorted by the listing's key (newest
first), and keeps each issuer's and each owner's rows as arrays of positions. A request narrows
to one of those arrays (or to every row), filters it with NumPy, finds where its cursor falls by
binary search on the key, and takes the page from the Arrow table. Cursors hold keys, not
positions, so a page stays put when the index is rebuilt over a store that has grown.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from form4.analytics import listing
from form4.analytics.scope import Filters
from form4.errors import AnalyticsError
from form4.store import Store

_FLOOR = dt.date(1, 1, 1)
_CHUNK = 4096  # rows filtered at a time when a request names no issuer or owner


@dataclass(frozen=True)
class _Snapshot:
    table: pa.Table
    days: np.ndarray          # days since the epoch, missing dates as the floor
    codes: np.ndarray
    tables: np.ndarray
    values: np.ndarray        # NaN where no value is given
    accessions: np.ndarray    # with days, tables, indexes and owners: each row's sort key
    indexes: np.ndarray
    owners: np.ndarray
    by_issuer: dict[str, np.ndarray]
    by_owner: dict[str, np.ndarray]
    tickers: dict[str, str]   # upper-case ticker -> issuer CIK (the latest filing's)
    stamp: tuple[Any, ...]
    encoded: list[bytes] = field(default_factory=list)  # each row as the JSON the API sends


class TransactionIndex:
    """``transactions(filters, code=, table=, limit=, cursor=)`` as ``listing.transactions``
    gives it, from memory. ``refresh()`` rebuilds it when the store has changed; ``watch()``
    does so every ``seconds`` in a thread of its own."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._snapshot = self._build()

    # --- building ---------------------------------------------------------------------------------

    def _stamp(self) -> tuple[Any, ...]:
        # counts only, cheap enough to ask every few seconds: the store only grows (a better reading
        # of a filing adds a source)
        row = self._store.arrow("SELECT (SELECT count(*) FROM filings) AS f, (SELECT count(*) FROM security_rows) "
                                "AS r, (SELECT count(*) FROM filing_sources) AS s").to_pylist()[0]
        return tuple(row.values())

    def _build(self) -> _Snapshot:
        stamp = self._stamp()
        table = self._store.arrow(f"SELECT t.*, {listing.TRANSACTIONS.key[0]} AS _day FROM current_transactions t")
        days = np.array([(d - _FLOOR).days for d in table.column("_day").to_pylist()], dtype=np.int64)
        accessions = np.array(table.column("accession_number").to_pylist(), dtype=str)
        kinds = np.array(table.column("table").to_pylist(), dtype=str)
        indexes = np.array(table.column("row_index").to_pylist(), dtype=np.int64)
        owners = np.array([o or "" for o in table.column("owner_cik").to_pylist()], dtype=str)
        # sorted here, not by the database: the binary search compares keys as Python does, and a
        # database's collation may order text otherwise
        order = np.lexsort((owners, indexes, kinds, accessions, days))[::-1]
        table = table.drop(["_day"]).take(pa.array(order))
        number = {n: table.column(n).cast(pa.float64()) for n in ("total_value", "shares", "price_per_share")}
        value = pc.coalesce(number["total_value"], pc.multiply(number["shares"], number["price_per_share"]))
        # NumPy arrays, not lists: a million Python objects would make every full garbage
        # collection a pause of a tenth of a second in the middle of some request
        codes = np.array([c or "" for c in table.column("transaction_code").to_pylist()], dtype=str)
        return _Snapshot(table=table, days=days[order], codes=codes, tables=kinds[order],
                         values=np.array(value.to_numpy(zero_copy_only=False), dtype=np.float64),
                         accessions=accessions[order], indexes=indexes[order], owners=owners[order],
                         by_issuer=_positions(table.column("issuer_cik").to_pylist()),
                         by_owner=_positions(owners[order].tolist()), tickers=self._tickers(), stamp=stamp,
                         encoded=_encoded(table))

    def _tickers(self) -> dict[str, str]:
        rows = self._store.arrow("SELECT upper(trading_symbol) AS ticker, issuer_cik FROM current_filings "
                                 "WHERE trading_symbol IS NOT NULL ORDER BY filed_at NULLS FIRST, "
                                 "period_of_report NULLS FIRST").to_pylist()
        return {r["ticker"]: r["issuer_cik"] for r in rows}  # later filings overwrite: the latest stands

    def refresh(self) -> bool:
        """Rebuild from the store if it changed since; whether it did."""
        if self._stamp() == self._snapshot.stamp:
            return False
        self._snapshot = self._build()  # one assignment: a request sees the old snapshot or the new
        return True

    def close(self) -> None:
        """Stop watching and close the store it reads."""
        self._stop.set()
        with self._lock:
            self._store.close()

    def watch(self, seconds: float, on_error: Callable[[Exception], None] = lambda e: None) -> threading.Thread:
        def loop() -> None:
            while not self._stop.wait(seconds):
                try:
                    with self._lock:
                        self.refresh()
                except Exception as exc:  # a store gone away for a moment: try again next time
                    on_error(exc)
        thread = threading.Thread(target=loop, daemon=True, name="form4-index")
        thread.start()
        return thread

    # --- answering ---------------------------------------------------------------------------------

    def issuer_cik(self, wanted: str) -> str | None:
        """The CIK a ticker or CIK names, or None when the store holds no such issuer."""
        snap = self._snapshot
        if wanted.isdigit() and len(wanted) <= 10:
            return wanted.zfill(10) if wanted.zfill(10) in snap.by_issuer else None
        return snap.tickers.get(wanted.upper())

    def transactions(self, filters: Filters, *, code: str | None = None, table: str | None = None,
                     limit: int = 100, cursor: str | None = None) -> listing.Page:
        snap = self._snapshot
        positions, following = self._page(snap, filters, code, table, limit, cursor)
        return listing.Page(snap.table.take(pa.array(positions, pa.int64())).to_pylist(), following)

    def _page(self, snap: _Snapshot, filters: Filters, code: str | None, table: str | None, limit: int,
              cursor: str | None) -> tuple[list[int], str | None]:
        """The positions of a page's rows, and the cursor of the next page (None on the last)."""
        if not 1 <= limit <= listing.MAX_LIMIT:  # both answers check it: the JSON one too
            raise AnalyticsError(f"limit: {limit} is not between 1 and {listing.MAX_LIMIT}")
        start = _after(snap, listing.decode(cursor, listing.TRANSACTIONS)) if cursor else 0
        candidates = self._candidates(snap, filters)
        if candidates is not None:
            chosen = self._matching(snap, candidates[np.searchsorted(candidates, start):], filters, code, table)
        else:
            chosen = self._scan(snap, start, filters, code, table, limit + 1)
        page = [int(p) for p in chosen[:limit + 1]]
        return page[:limit], self._cursor(snap, page[limit - 1]) if len(page) > limit else None

    def transactions_json(self, filters: Filters, *, code: str | None = None, table: str | None = None,
                          limit: int = 100, cursor: str | None = None) -> bytes:
        """The same page as ``transactions``, as the JSON the API sends: every row was encoded
        when the index was built, so a page is a join of bytes (a first request for a row would
        otherwise pay for its encoding, and a burst of them showed as a second of delay)."""
        snap = self._snapshot
        positions, following = self._page(snap, filters, code, table, limit, cursor)
        items = b",".join(snap.encoded[p] for p in positions)
        return b'{"items":[' + items + b'],"next":' + _ENCODE(following) + b"}"

    @staticmethod
    def _candidates(snap: _Snapshot, filters: Filters) -> np.ndarray | None:
        sets = [s for s in ((snap.by_issuer.get(filters.issuer, _NONE) if filters.issuer else None),
                            (snap.by_owner.get(filters.owner, _NONE) if filters.owner else None)) if s is not None]
        if not sets:
            return None
        return sets[0] if len(sets) == 1 else np.intersect1d(sets[0], sets[1], assume_unique=True)

    @staticmethod
    def _matching(snap: _Snapshot, positions: np.ndarray, filters: Filters, code: str | None,
                  table: str | None) -> np.ndarray:
        keep = np.ones(len(positions), dtype=bool)
        if code:
            keep &= snap.codes[positions] == code
        if table:
            keep &= snap.tables[positions] == table
        if filters.since:
            keep &= snap.days[positions] >= (filters.since - _FLOOR).days
        if filters.until:
            keep &= snap.days[positions] <= (filters.until - _FLOOR).days
        if filters.min_value is not None:
            keep &= snap.values[positions] >= filters.min_value  # NaN compares false: no value, no match
        return positions[keep]

    def _scan(self, snap: _Snapshot, start: int, filters: Filters, code: str | None, table: str | None,
              wanted: int) -> np.ndarray:
        found: list[np.ndarray] = []
        count = 0
        while start < len(snap.days) and count < wanted:
            chunk = self._matching(snap, np.arange(start, min(start + _CHUNK, len(snap.days))), filters, code, table)
            found.append(chunk)
            count += len(chunk)
            start += _CHUNK
        return np.concatenate(found) if found else np.array([], dtype=np.int64)

    @staticmethod
    def _cursor(snap: _Snapshot, position: int) -> str:
        day, accession, kind, index, owner = _key(snap, position)
        return listing.encode([_FLOOR + dt.timedelta(days=day), accession, kind, index, owner], listing.TRANSACTIONS)


_NONE = np.array([], dtype=np.int64)
_ENCODE = msgspec.json.Encoder().encode


def _key(snap: _Snapshot, position: int) -> tuple[int, str, str, int, str]:
    return (int(snap.days[position]), str(snap.accessions[position]), str(snap.tables[position]),
            int(snap.indexes[position]), str(snap.owners[position]))


def _after(snap: _Snapshot, cursor: list[Any]) -> int:
    """The first position whose key comes after ``cursor``'s (keys descend with position)."""
    wanted = ((dt.date.fromisoformat(cursor[0]) - _FLOOR).days, str(cursor[1]), str(cursor[2]), int(cursor[3]),
              str(cursor[4]))
    low, high = 0, len(snap.days)
    while low < high:
        middle = (low + high) // 2
        if _key(snap, middle) < wanted:
            high = middle
        else:
            low = middle + 1
    return low


def _encoded(table: pa.Table, batch: int = 50_000) -> list[bytes]:
    rows: list[bytes] = []
    for start in range(0, table.num_rows, batch):
        rows += [_ENCODE(row) for row in table.slice(start, batch).to_pylist()]
    return rows


def _positions(values: list[Any]) -> dict[str, np.ndarray]:
    groups: dict[str, list[int]] = {}
    for position, value in enumerate(values):
        if value:
            groups.setdefault(value, []).append(position)
    return {k: np.array(v, dtype=np.int64) for k, v in groups.items()}
