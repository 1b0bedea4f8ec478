"""Transactions held for a server that answers many list requests a second: what
``form4.analytics.listing.transactions`` answers, in a millisecond rather than a scan of the
store per request, and kept up to date while filings are stored.

The index is a few segments (form4.analytics.segment: rows in page order, on disk, memory
mapped). The first, the base, is the whole ``current_transactions`` view as it was read at
start. Every few seconds ``refresh`` asks the store which filings were recorded since (a new
filing, a better reading of one, an amendment) and which others that may change: the filings of
the same issuer, owner and period, the ones an amendment replaces (form4.store.schema's
LINK_AMENDMENTS links only within that group). Those filings' rows are masked in every segment
and read again into a new small one. When the small ones hold many rows they are read again as
one, and when that would be a large part of the base, the base itself is rebuilt; requests go on
meanwhile with what there was. A request takes its page from each segment and merges them by
key; cursors hold keys, not positions, so a page stays put whatever the index does.

With a directory of its own (``form4 serve --index-dir``) the base outlives the server: one
started again over the same store reads it back and only catches up on what was recorded since.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import pyarrow as pa

from form4.analytics import listing
from form4.analytics.scope import Filters
from form4.analytics.segment import MISSING_DAY, SELECT, Key, Segment, day_number, shown_day
from form4.errors import AnalyticsError
from form4.store import Store
from form4.store.engines import masked
from form4.store.schema import CONTENT

# A reading whose transaction commits this long after its recorded time is still seen: the
# store's writers stamp a batch before they commit it.
MARGIN = dt.timedelta(minutes=15)
_FEWEST = 20_000             # filings a base is taken to have, however few: a small one is not rebuilt each time
_FIRST_CHUNK = 4096           # rows filtered at first when looking for a page's; doubled each time
_ENCODE = msgspec.json.Encoder().encode
_TEXTS = "CAST($keys AS TEXT[])"


@dataclass(frozen=True)
class _Part:
    segment: Segment
    dead: np.ndarray  # per accession rank: that filing changed after the segment was read


@dataclass
class _Companies:
    """What the store's current filings say of issuers: the CIKs it holds, and each ticker's
    issuer as its latest filing gives it (as ``form4.analytics.scope.issuer`` finds it)."""

    ciks: set[str] = field(default_factory=set)
    tickers: dict[str, tuple[tuple[Any, ...], str, str]] = field(default_factory=dict)  # -> (when, CIK, accession)

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.ciks.add(row["issuer_cik"])
            if row["ticker"]:
                when = (row["filed_at"] is not None, row["filed_at"] or dt.date.min,
                        row["period_of_report"] is not None, row["period_of_report"] or dt.date.min)
                held = self.tickers.get(row["ticker"])
                if held is None or held[0] <= when:
                    self.tickers[row["ticker"]] = (when, row["issuer_cik"], row["accession_number"])


_COMPANIES = ("SELECT accession_number, issuer_cik, upper(trading_symbol) AS ticker, filed_at, period_of_report "
              "FROM current_filings")


@dataclass(frozen=True)
class _State:
    parts: tuple[_Part, ...]  # the base first
    touched: frozenset[str]   # filings read again since the base was read
    # the readings recorded within the margin before ``mark``, already applied: (accession, recorded_at)
    seen: frozenset[tuple[str, Any]]
    counted: int              # how many rows of filing_sources those were (one may be there twice)
    mark: Any                 # the latest recorded_at applied (None: the store had no reading)
    companies: _Companies
    # each amendment's filing, as the store linked them when last read: a reading that moves an
    # amendment elsewhere (another period, a merge) makes the filing it amended current again
    amends: dict[str, str]


class TransactionIndex:
    """``transactions(filters, code=, table=, limit=, cursor=)`` as ``listing.transactions``
    gives it. ``refresh()`` catches up with the store; ``watch()`` does so every ``seconds`` in
    a thread of its own. ``directory``: where the segments live (a temporary one, removed at
    ``close``, when not given). More than ``segments`` small segments are read again as one;
    once the filings read again since the base are ``rebuild_share`` of its filings, the base
    is rebuilt."""

    def __init__(self, store: Store, directory: str | Path | None = None, *, segments: int = 8,
                 rebuild_share: float = 0.25) -> None:
        self._store = store
        self._segments, self._rebuild_share = segments, rebuild_share
        self._owned = directory is None
        self._directory = Path(tempfile.mkdtemp(prefix="form4-index-") if directory is None else directory)
        self._directory.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        saved = self._saved()
        self.reused = saved is not None  # whether the base is one a server before this one wrote
        self._state = saved or self._build()
        self._drop_others()
        self.refresh()

    # --- building ---------------------------------------------------------------------------------

    def _build(self) -> _State:
        mark = self._latest()
        seen = self._recent(mark)  # before the rows: what is recorded while they are read is seen again
        base = Segment.write(self._store.batches(SELECT), self._directory / f"base-{uuid.uuid4().hex}")
        self._save(base, mark, seen)
        return self._started(base, mark, seen)

    def _started(self, base: Segment, mark: Any, seen: list[tuple[str, Any]]) -> _State:
        """The state of an index that has only its base: read now, or read back."""
        return _State(parts=(_Part(base, _alive(base)),), touched=frozenset(), seen=frozenset(seen),
                      counted=len(seen), mark=mark, companies=self._companies(), amends=self._amends())

    def _amends(self, keys: frozenset[str] | None = None) -> dict[str, str]:
        sql = "SELECT accession_number, amends FROM filings WHERE amends IS NOT NULL"
        rows = self._store.arrow(sql) if keys is None else self._store.arrow(
            f"{sql} AND accession_number = ANY({_TEXTS})", {"keys": sorted(keys)})
        return dict(zip(rows.column(0).to_pylist(), rows.column(1).to_pylist(), strict=True))

    def _latest(self) -> Any:
        return self._store.arrow("SELECT max(recorded_at) AS m FROM filing_sources").column(0)[0].as_py()

    def _window(self, mark: Any) -> tuple[int, Any]:
        """How many readings were recorded since ``mark`` less the margin, and the latest time:
        a few numbers, asked every few seconds, where the readings themselves could be many."""
        rows = self._lately("SELECT count(*) AS n, max(recorded_at) AS m FROM filing_sources", mark)
        return rows.column(0)[0].as_py(), rows.column(1)[0].as_py()

    def _recent(self, mark: Any) -> list[tuple[str, Any]]:
        """The readings recorded since ``mark`` less the margin (every one when ``mark`` is None)."""
        rows = self._lately("SELECT accession_number, recorded_at FROM filing_sources", mark)
        return list(zip(rows.column(0).to_pylist(), rows.column(1).to_pylist(), strict=True))

    def _lately(self, sql: str, mark: Any) -> pa.Table:
        """``sql`` over filing_sources' rows recorded since ``mark`` less the margin (all: no mark)."""
        if mark is None:
            return self._store.arrow(sql)
        return self._store.arrow(f"{sql} WHERE recorded_at > $since", {"since": mark - MARGIN})

    def _companies(self) -> _Companies:
        companies = _Companies()
        for batch in self._store.batches(_COMPANIES):
            companies.add(batch.to_pylist())
        return companies

    def _manifest(self) -> Path:
        return self._directory / "index.json"

    def _save(self, base: Segment, mark: Any, seen: list[tuple[str, Any]]) -> None:
        sources = self._sources(mark)
        written = self._manifest().with_suffix(".tmp")
        written.write_text(json.dumps({"store": masked(self._store.url), "base": base.directory.name,
                                       "mark": mark.isoformat() if mark else None, "sources": sources,
                                       "seen": sorted([k, at.isoformat()] for k, at in seen)}))
        old = self._saved_base()
        written.replace(self._manifest())  # at once: a server started now reads one base or the other
        if old is not None and old != base.directory.name:
            shutil.rmtree(self._directory / old, ignore_errors=True)  # requests still mapping it keep their pages

    def _sources(self, mark: Any) -> int:
        if mark is None:
            return 0
        return int(self._store.arrow("SELECT count(*) AS n FROM filing_sources WHERE recorded_at <= $mark",
                                     {"mark": mark}).column(0)[0].as_py())

    def _saved_base(self) -> str | None:
        try:
            return str(json.loads(self._manifest().read_text())["base"])
        except (OSError, ValueError, KeyError):
            return None

    def _saved(self) -> _State | None:
        """The base a server wrote before over this store, if the store still holds what it read."""
        try:
            saved = json.loads(self._manifest().read_text())
            mark = saved["mark"] and dt.datetime.fromisoformat(saved["mark"])
            seen = [(k, dt.datetime.fromisoformat(at)) for k, at in saved["seen"]]
            if saved["store"] != masked(self._store.url) or self._sources(mark) != saved["sources"]:
                return None
            base = Segment.read(self._directory / saved["base"])
        except (OSError, ValueError, KeyError, TypeError):  # none saved, or not by this version
            return None
        return self._started(base, mark, seen)

    # --- catching up -------------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Catch up with what the store recorded since; whether anything changed."""
        state = self._state
        if self._window(state.mark) == (state.counted, state.mark):
            return False  # nothing recorded since, not even late (a merge records the reading it merged)
        read = self._recent(state.mark)
        fresh = {accession for accession, at in read if (accession, at) not in state.seen} | self._gone(state)
        mark = max((at for _, at in read), default=state.mark)
        within = [p for p in read if mark is None or p[1] > mark - MARGIN]
        recent, counted = frozenset(within), len(within)
        if not fresh:
            self._state = replace(state, seen=recent, counted=counted, mark=mark)
            return False
        changed = self._neighbours(fresh | {state.amends[k] for k in fresh if k in state.amends})
        touched = state.touched | changed
        parts = state.parts
        if len(touched) > self._rebuild_share * max(len(parts[0].segment.values["accession"]), _FEWEST):
            self._state = self._build()
            self._drop(parts)
            return True
        if len(parts) > self._segments:  # read every filing changed since the base again, as one segment
            news, keys = parts[:1], touched
        else:
            news, keys = parts, frozenset(changed)
        segment = Segment.write(self._store.batches(f"{SELECT} WHERE t.accession_number = ANY({_TEXTS})",
                                                    {"keys": sorted(keys)}),
                                self._directory / f"delta-{uuid.uuid4().hex}")
        kept = (*(_Part(p.segment, _killed(p, keys)) for p in news), _Part(segment, _alive(segment)))
        companies = self._updated(state.companies, changed)
        amends = {k: v for k, v in state.amends.items() if k not in changed} | self._amends(changed)
        self._state = _State(parts=kept, touched=touched, seen=recent, counted=counted, mark=mark,
                             companies=companies, amends=amends)
        self._drop([p for p in parts if p not in news])
        return True

    def _gone(self, state: _State) -> set[str]:
        """Filings read without an accession number that are no longer stored: merged into
        another reading of the same filing, which is recorded under that one's key."""
        keyed = [key for part in state.parts for key in _content_keys(part)]
        keyed += [k for link in state.amends.items() for k in link if k.startswith(CONTENT)]  # rows or none
        if not keyed:
            return set()
        stored = self._store.arrow(f"SELECT accession_number FROM filings WHERE accession_number = ANY({_TEXTS})",
                                   {"keys": keyed}).column(0).to_pylist()
        return set(keyed) - set(stored)

    def _neighbours(self, keys: set[str]) -> frozenset[str]:
        """``keys`` and every filing whose rows may be current or not because of them."""
        rows = self._store.arrow(
            "SELECT g.accession_number FROM filings n JOIN filings g ON g.issuer_cik = n.issuer_cik "
            "AND g.owner_cik = n.owner_cik AND g.period_of_report = n.period_of_report "
            f"WHERE n.accession_number = ANY({_TEXTS}) "
            f"UNION SELECT amends FROM filings WHERE accession_number = ANY({_TEXTS}) AND amends IS NOT NULL "
            f"UNION SELECT accession_number FROM filings WHERE amends = ANY({_TEXTS})", {"keys": sorted(keys)})
        return frozenset(keys) | frozenset(rows.column(0).to_pylist())

    def _updated(self, companies: _Companies, changed: frozenset[str]) -> _Companies:
        keys = {"keys": sorted(changed)}
        current = self._store.arrow(f"{_COMPANIES} WHERE accession_number = ANY({_TEXTS})", keys).to_pylist()
        updated = _Companies(set(companies.ciks), dict(companies.tickers))
        for ticker, (_, _, accession) in companies.tickers.items():
            if accession in changed:  # its latest filing was read again or replaced: ask again
                del updated.tickers[ticker]
                updated.add(self._store.arrow(f"{_COMPANIES} WHERE upper(trading_symbol) = $ticker",
                                              {"ticker": ticker}).to_pylist())
        updated.add(current)
        return updated

    def _drop(self, parts: Iterable[_Part]) -> None:
        base = self._saved_base()
        for part in parts:
            if part.segment.directory.name != base:
                part.segment.remove()

    def _drop_others(self) -> None:
        """Segments a server before this one left behind: all but the base it saved."""
        base = self._saved_base()
        for child in self._directory.iterdir():
            if child.is_dir() and child.name != base:
                shutil.rmtree(child, ignore_errors=True)

    def close(self) -> None:
        """Stop watching, close the store it reads, and remove a directory it made itself."""
        self._stop.set()
        with self._lock:
            self._store.close()
            if self._owned:
                shutil.rmtree(self._directory, ignore_errors=True)

    def watch(self, seconds: float, on_error: Callable[[Exception], None] = lambda e: None) -> threading.Thread:
        def loop() -> None:
            while not self._stop.wait(seconds):
                try:
                    with self._lock:
                        if not self._stop.is_set():
                            self.refresh()
                except Exception as exc:  # a store gone away for a moment: try again next time
                    on_error(exc)
        thread = threading.Thread(target=loop, daemon=True, name="form4-index")
        thread.start()
        return thread

    # --- answering ---------------------------------------------------------------------------------

    def issuer_cik(self, wanted: str) -> str | None:
        """The CIK a ticker or CIK names, or None when the store holds no such issuer."""
        companies = self._state.companies
        if wanted.isdigit() and len(wanted) <= 10:
            return wanted.zfill(10) if wanted.zfill(10) in companies.ciks else None
        held = companies.tickers.get(wanted.upper())
        return held[1] if held else None

    def transactions(self, filters: Filters, *, code: str | None = None, table: str | None = None,
                     limit: int = 100, cursor: str | None = None) -> listing.Page:
        rows, following = self._page(filters, code, table, limit, cursor)
        return listing.Page([msgspec.json.decode(row) for row in rows], following)

    def transactions_json(self, filters: Filters, *, code: str | None = None, table: str | None = None,
                          limit: int = 100, cursor: str | None = None) -> bytes:
        """The same page as ``transactions``, as the JSON the API sends: each row was encoded
        when its segment was written, so a page is a join of bytes."""
        rows, following = self._page(filters, code, table, limit, cursor)
        return b'{"items":[' + b",".join(rows) + b'],"next":' + _ENCODE(following) + b"}"

    def _page(self, filters: Filters, code: str | None, table: str | None, limit: int,
              cursor: str | None) -> tuple[list[bytes], str | None]:
        """A page's rows as JSON, and the cursor of the next page (None on the last)."""
        if not 1 <= limit <= listing.MAX_LIMIT:  # both answers check it: the JSON one too
            raise AnalyticsError(f"limit: {limit} is not between 1 and {listing.MAX_LIMIT}")
        after = _cursor_key(cursor) if cursor else None
        parts = self._state.parts  # once: a refresh may put in other parts meanwhile
        found = [(part.segment, p) for part in parts for p in _select(part, filters, code, table, after, limit + 1)]
        if len(parts) > 1:
            found.sort(key=lambda hit: hit[0].key(hit[1]), reverse=True)
        page = found[:limit]
        following = None
        if len(found) > limit:
            day, *rest = page[-1][0].key(page[-1][1])
            following = listing.encode([shown_day(day), *rest], listing.TRANSACTIONS)
        if len(parts) == 1:
            return parts[0].segment.json([p for _, p in page]), following
        return [segment.json([p])[0] for segment, p in page], following


def _alive(segment: Segment) -> np.ndarray:
    return np.zeros(len(segment.values["accession"]), dtype=bool)


def _killed(part: _Part, keys: Iterable[str]) -> np.ndarray:
    dead = part.dead.copy()
    dead[part.segment.ranks("accession", keys)] = True
    return dead


def _content_keys(part: _Part) -> list[str]:
    values = part.segment.values["accession"]
    first = int(np.searchsorted(values, CONTENT.encode()))  # content keys sort after accession numbers
    return [bytes(v).decode() for rank, v in enumerate(values[first:], first) if not part.dead[rank]]


def _cursor_key(cursor: str) -> Key:
    day, accession, kind, index, owner, name = listing.decode(cursor, listing.TRANSACTIONS)
    return (day_number(dt.date.fromisoformat(str(day))), str(accession), str(kind), int(index), str(owner),
            str(name))


def _select(part: _Part, filters: Filters, code: str | None, table: str | None, after: Key | None,
            wanted: int) -> list[int]:
    """The first ``wanted`` positions of the segment's live rows that match, after ``after``."""
    segment = part.segment
    texts = {"code": code, "table": table, "issuer": filters.issuer, "owner": filters.owner}
    ranks: dict[str, int] = {}
    for column, text in texts.items():
        if text:
            rank = segment.rank(column, text)
            if rank is None:
                return []  # no row of this segment has it
            ranks[column] = rank
    start = segment.after(after) if after else 0
    pool: np.ndarray | None = None  # candidate positions; None: every position
    for column in ("issuer", "owner"):
        if column in ranks:
            rows = segment.rows_of(column, ranks[column])
            pool = rows if pool is None else np.intersect1d(pool, rows, assume_unique=True)
    if pool is not None:
        pool = pool[np.searchsorted(pool, start):]
    found: list[int] = []
    at, size = (0, _FIRST_CHUNK)
    total = len(pool) if pool is not None else segment.rows - start
    while at < total and len(found) < wanted:
        chunk = pool[at:at + size] if pool is not None else np.arange(start + at, start + min(at + size, total))
        found += _matching(part, chunk, ranks, filters)[:wanted - len(found)].tolist()
        at, size = at + size, size * 2
    return found


def _matching(part: _Part, positions: np.ndarray, ranks: dict[str, int], filters: Filters) -> np.ndarray:
    segment = part.segment
    keep = ~part.dead[segment.accession[positions]]
    for column in ("code", "table"):
        if column in ranks:
            keep &= getattr(segment, column)[positions] == ranks[column]
    if filters.since or filters.until:  # a row without a date is in no range, as in SQL
        days = segment.day[positions]
        keep &= days != MISSING_DAY
        if filters.since:
            keep &= days >= day_number(filters.since)
        if filters.until:
            keep &= days <= day_number(filters.until)
    if filters.min_value is not None:
        keep &= segment.value[positions] >= filters.min_value  # NaN compares false: no value, no match
    chosen: np.ndarray = positions[keep]
    return chosen
