"""The store: filings in DuckDB (embedded, the default) or PostgreSQL, loaded idempotently.

    store = form4.Store("form4.duckdb")          # or "postgresql://user:pw@host/db"
    store.ingest(["filings/"])                   # files, directories, archives
    store.query("SELECT transaction_code, count(*) FROM transactions GROUP BY 1")
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from form4.errors import QueryError, ReadError
from form4.inputs import Document, iter_documents
from form4.model import Filing
from form4.parse import PathLike, read_bytes
from form4.store import exports, records, sec_dataset
from form4.store import sql as sql_text
from form4.store.engines import Engine, connect
from form4.store.schema import TABLES

DEFAULT_URL = "form4.duckdb"
TABLE_NAMES = (*TABLES, "quarantine")
VIEWS = ("transactions", "holdings", "filings", "current_transactions", "current_holdings", "current_filings")
BATCH = 5000


def default_url() -> str:
    return os.environ.get("FORM4_DB") or DEFAULT_URL


@dataclass
class IngestReport:
    """What an ingest did with its documents: each is a new filing, another reading of a filing
    stored (before or in this ingest; ``upgraded`` counts the stored readings that gave way to
    a more exact one), a document stored before, or quarantined."""

    documents: int = 0
    new: int = 0
    duplicates: int = 0
    upgraded: int = 0
    quarantined: int = 0
    errors: list[ReadError] = field(default_factory=list)

    @property
    def already_stored(self) -> int:
        return self.documents - self.new - self.duplicates - self.quarantined


class Store:
    """A store of filings. ``read_only`` opens an existing store for reading only (DuckDB opened
    read-only, PostgreSQL in read-only transactions) and refuses one that does not exist."""

    def __init__(self, url: str | None = None, *, read_only: bool = False) -> None:
        self.url = url or default_url()
        self.engine: Engine = connect(self.url, read_only=read_only)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.close()

    def ingest(self, paths: PathLike | Iterable[PathLike], *, batch: int = BATCH, workers: int | None = None,
               progress: Callable[[int, int], None] | None = None) -> IngestReport:
        """Read and store every filing under ``paths``; what cannot be read goes to quarantine.
        Storing what is already stored changes nothing; each batch is one transaction. Documents
        are read by ``workers`` processes (one per core by default) while this one writes.
        ``progress`` is told the documents read so far and the bytes of the inputs taken in."""
        report = IngestReport()
        pending = _Batch()
        taken = _Taken(iter_documents(paths))
        for part in _parsed(taken, workers or os.cpu_count() or 1):
            report.documents += part.documents
            report.errors += part.errors
            pending.merge(part)
            if pending.size >= batch:
                self._write(pending, report)
                pending = _Batch()
            if progress is not None:
                progress(report.documents, taken.position)
        if pending.size:
            self._write(pending, report)
        return report

    def _write(self, pending: _Batch, report: IngestReport) -> None:
        outcome = self.engine.write(pending.filings, pending.quarantine)
        report.new += outcome.new
        report.duplicates += outcome.duplicates
        report.upgraded += outcome.upgraded
        report.quarantined += len(pending.quarantine)

    def ingest_filings(self, filings: Iterable[Filing], *, batch: int = BATCH) -> int:
        """Store filings already read (an SEC data set, say); the number that were new."""
        report = IngestReport()
        pending = _Batch()
        for filing in filings:
            pending.filings.add(filing, filing.source_name, None)
            if pending.size >= batch:
                self._write(pending, report)
                pending = _Batch()
        if pending.size:
            self._write(pending, report)
        return report.new

    def import_sec_dataset(self, path: PathLike) -> int:
        """Load one quarterly SEC Insider Transactions Data Set zip; the number of new filings.
        A file that is not one raises ``DatasetError`` and stores nothing; a value that cannot
        be read is stored empty, with a warning on its filing."""
        return self.ingest_filings(sec_dataset.read(Path(path)))

    def export_sec_dataset(self, out: PathLike) -> sec_dataset.SecDatasetReport:
        """Write the store as an SEC data set zip. A filing without an EDGAR accession number
        (its key is ``sha256:…``) cannot be keyed there: it is left out, and the report lists it."""
        return sec_dataset.write(self.filings(), Path(out))

    def filings(self, where: str = "", params: Iterable[Any] = ()) -> Iterator[Filing]:
        """The stored filings, rebuilt as records (``where`` filters the ``filings`` table)."""
        yield from records.rebuild(self.engine, where, list(params))

    def export(self, out: PathLike | None, *, view: str = "transactions", format: str = "csv") -> int:
        """Write a flat view (csv, jsonl, parquet) or the whole store as an SEC data set zip."""
        if format == "sec-dataset":
            if out is None:
                raise ValueError("an SEC data set is a zip: give --out")
            return self.export_sec_dataset(out).written
        if view not in VIEWS:
            raise ValueError(f"no view {view!r}: one of {', '.join(VIEWS)}")
        table = self.engine.query(f"SELECT * FROM {view} ORDER BY 1, 2, 3")
        return exports.write(table, format, out)

    def query(self, sql: str, params: Iterable[Any] | Mapping[str, Any] = (), *, format: str = "pandas") -> Any:
        """Run one SQL statement with its parameters (positional, or named as ``$name`` from a
        mapping; never pasted in); a pandas DataFrame or an Arrow table."""
        table = self.engine.query(sql, params if isinstance(params, Mapping) else list(params))
        return table if format == "arrow" else table.to_pandas()

    def read(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[str, pa.Table]]:
        """Every statement of ``sql`` with its result, each one read-only: a statement that
        could write (DROP, DELETE, COPY, SET…) is refused before any of them runs."""
        statements = sql_text.read_only(sql)
        given = dict(params or {})
        try:
            return [(s.text, self.engine.query(s.text, sql_text.bind(s, given))) for s in statements]
        except QueryError as exc:
            if "does not exist" in str(exc):  # a misspelt name: say what there is
                views = [v for v in VIEWS if v not in TABLE_NAMES]
                raise QueryError(f"{exc} (the store has the views {', '.join(views)} and the tables "
                                 f"{', '.join(TABLE_NAMES)})") from None
            raise

    def arrow(self, sql: str, params: Iterable[Any] = ()) -> pa.Table:
        return self.engine.query(sql, list(params))


@dataclass
class _Batch:
    """Documents read but not yet stored: their filings' rows, and what could not be read."""

    filings: records.Pending = field(default_factory=records.Pending)
    quarantine: list[tuple[Any, ...]] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)
    documents: int = 0

    @property
    def size(self) -> int:
        return len(self.filings.kept) + len(self.quarantine)

    def read(self, name: str, data: bytes, error: ReadError | None) -> None:
        self.documents += 1
        try:
            if error is not None:
                raise error
            self.filings.add(read_bytes(data, name), name, hashlib.sha256(data).hexdigest())
        except ReadError as exc:
            self.errors.append(exc.with_source(name))
            self.quarantine.append(_quarantined(name, data, exc))

    def merge(self, other: _Batch) -> None:
        self.filings.merge(other.filings)
        self.quarantine += other.quarantine


_CHUNK = 256  # documents a worker reads at a time


class _Taken:
    """Documents passed on, remembering how far into the inputs the last one was."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents = documents
        self.position = 0

    def __iter__(self) -> Iterator[Document]:
        for doc in self.documents:
            self.position = doc.position
            yield doc


def _read_chunk(docs: list[tuple[str, bytes, ReadError | None]]) -> _Batch:
    part = _Batch()
    for name, data, error in docs:
        part.read(name, data, error)
    return part


def _parsed(documents: Iterable[Document], workers: int) -> Iterator[_Batch]:
    """Chunks of documents read into rows, in order; by a pool of processes when there are cores."""
    chunks = _chunks(documents)
    if workers <= 1:
        yield from map(_read_chunk, chunks)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent) as pool:
        inflight: deque[Future[_Batch]] = deque()
        for chunk in chunks:
            failed = [doc for doc in chunk if doc[2] is not None]  # errors stay here: they need not travel
            if failed:
                yield _read_chunk(failed)
                chunk = [doc for doc in chunk if doc[2] is None]
            inflight.append(pool.submit(_read_chunk, chunk))
            if len(inflight) >= 2 * workers:  # bounded: memory stays flat however large the input
                yield inflight.popleft().result()
        while inflight:
            yield inflight.popleft().result()


def _die_with_parent() -> None:
    """A reader process ends when the ingest that started it is killed (kill -9 included),
    instead of waiting forever for work that will not come."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _chunks(documents: Iterable[Document]) -> Iterator[list[tuple[str, bytes, ReadError | None]]]:
    chunk: list[tuple[str, bytes, ReadError | None]] = []
    for doc in documents:
        chunk.append((doc.name, doc.data, doc.error))
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _quarantined(path: str, data: bytes, exc: ReadError) -> tuple[Any, ...]:
    return (hashlib.sha256(data).hexdigest(), path, exc.field, type(exc).__name__, str(exc), data,
            dt.datetime.now(dt.UTC))
