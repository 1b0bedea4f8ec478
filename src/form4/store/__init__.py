"""The store: filings in DuckDB (embedded, the default) or PostgreSQL, loaded idempotently.

    store = form4.Store("form4.duckdb")          # or "postgresql://user:pw@host/db"
    store.ingest(["filings/"])                   # files, directories, archives
    store.query("SELECT transaction_code, count(*) FROM transactions GROUP BY 1")
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from form4.errors import ReadError
from form4.inputs import iter_documents
from form4.model import Filing
from form4.parse import PathLike, read_bytes
from form4.store import exports, records, sec_dataset
from form4.store.engines import Engine, connect

DEFAULT_URL = "form4.duckdb"
VIEWS = ("transactions", "holdings", "filings", "current_transactions", "current_holdings", "current_filings")
BATCH = 5000


def default_url() -> str:
    return os.environ.get("FORM4_DB") or DEFAULT_URL


@dataclass
class IngestReport:
    documents: int = 0
    new: int = 0
    quarantined: int = 0
    errors: list[ReadError] = field(default_factory=list)

    @property
    def already_stored(self) -> int:
        return self.documents - self.new - self.quarantined


class Store:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine: Engine = connect(self.url)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.close()

    def ingest(self, paths: PathLike | Iterable[PathLike], *, batch: int = BATCH,
               progress: Callable[[int], None] | None = None) -> IngestReport:
        """Read and store every filing under ``paths``; what cannot be read goes to quarantine.
        Storing what is already stored changes nothing; each batch is one transaction."""
        report = IngestReport()
        rows = records.empty()
        quarantine: list[tuple[Any, ...]] = []
        keys: set[str] = set()
        for doc in iter_documents(paths):
            report.documents += 1
            try:
                if doc.error is not None:
                    raise doc.error
                filing = read_bytes(doc.data, doc.name)
                key = records.key_of(filing, doc.data)
                if key not in keys:  # the same filing twice in one batch
                    keys.add(key)
                    records.add(rows, filing, key, doc.name, None)
            except ReadError as exc:
                report.errors.append(exc.with_source(doc.name))
                quarantine.append(_quarantined(doc.name, doc.data, exc))
            if len(keys) + len(quarantine) >= batch:
                report.new += self.engine.write(rows, quarantine)
                report.quarantined += len(quarantine)
                rows, quarantine, keys = records.empty(), [], set()
            if progress is not None:
                progress(1)
        if keys or quarantine:
            report.new += self.engine.write(rows, quarantine)
            report.quarantined += len(quarantine)
        return report

    def ingest_filings(self, filings: Iterable[Filing], *, batch: int = BATCH) -> int:
        """Store filings already read (an SEC data set, say); the number that were new."""
        new = 0
        rows, keys = records.empty(), set()
        for filing in filings:
            key = records.key_of(filing, None)
            if key not in keys:
                keys.add(key)
                records.add(rows, filing, key, filing.source_name, None)
            if len(keys) >= batch:
                new += self.engine.write(rows, [])
                rows, keys = records.empty(), set()
        if keys:
            new += self.engine.write(rows, [])
        return new

    def import_sec_dataset(self, path: PathLike) -> int:
        """Load one quarterly SEC Insider Transactions Data Set zip."""
        return self.ingest_filings(sec_dataset.read(Path(path)))

    def filings(self, where: str = "", params: Iterable[Any] = ()) -> Iterator[Filing]:
        """The stored filings, rebuilt as records (``where`` filters the ``filings`` table)."""
        yield from records.rebuild(self.engine, where, list(params))

    def export(self, out: PathLike | None, *, view: str = "transactions", format: str = "csv") -> int:
        """Write a flat view (csv, jsonl, parquet) or the whole store as an SEC data set zip."""
        if format == "sec-dataset":
            if out is None:
                raise ValueError("an SEC data set is a zip: give --out")
            return sec_dataset.write(self.filings(), Path(out))
        if view not in VIEWS:
            raise ValueError(f"no view {view!r}: one of {', '.join(VIEWS)}")
        table = self.engine.query(f"SELECT * FROM {view} ORDER BY 1, 2, 3")
        return exports.write(table, format, out)

    def query(self, sql: str, params: Iterable[Any] = (), *, format: str = "pandas") -> Any:
        """Run SQL (always with parameters, never pasted in); a pandas DataFrame or an Arrow table."""
        table = self.engine.query(sql, list(params))
        return table if format == "arrow" else table.to_pandas()

    def arrow(self, sql: str, params: Iterable[Any] = ()) -> pa.Table:
        return self.engine.query(sql, list(params))


def _quarantined(path: str, data: bytes, exc: ReadError) -> tuple[Any, ...]:
    return (hashlib.sha256(data).hexdigest(), path, exc.field, type(exc).__name__, str(exc), data,
            dt.datetime.now(dt.UTC))
