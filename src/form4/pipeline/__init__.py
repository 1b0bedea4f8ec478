"""The ingest pipeline: documents → parts read by an engine's workers → the store, in bulk.

Shared by every engine (``local``: a process pool here; ``dask``: a ``dask.distributed``
cluster) and by ``form4.sync``. The store only takes the parts' rows; it never parses.

    store = form4.Store("form4.duckdb")
    report = form4.ingest(store, ["filings/", "20250307.nc.tar.gz"])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from form4.errors import ReadError
from form4.inputs import Document, iter_documents
from form4.parse import PathLike
from form4.pipeline import local
from form4.pipeline.parts import Part
from form4.pipeline.units import input_units

if TYPE_CHECKING:
    from form4.store import Store

BATCH = 5000  # filings per transaction
EngineName = Literal["local", "dask"]
Progress = Callable[[int, int], None]  # documents read so far, bytes of the inputs taken in


@dataclass
class IngestReport:
    """What an ingest did with its documents: each is a new filing, another reading of a filing
    stored (before or in this ingest; ``upgraded`` counts the stored readings that gave way to
    a more exact one), a document stored before, quarantined, or (``skipped``) a submission of
    a form type not asked for."""

    documents: int = 0
    new: int = 0
    duplicates: int = 0
    upgraded: int = 0
    quarantined: int = 0
    skipped: int = 0
    errors: list[ReadError] = field(default_factory=list)

    @property
    def already_stored(self) -> int:
        return self.documents - self.new - self.duplicates - self.quarantined


def ingest(store: Store, paths: PathLike | Iterable[PathLike], *, engine: EngineName = "local",
           scheduler: str | None = None, workers: int | None = None, batch: int = BATCH,
           forms: Collection[str] | None = None, progress: Progress | None = None) -> IngestReport:
    """Read and store every filing under ``paths``; what cannot be read goes to quarantine.
    Storing what is already stored changes nothing; each batch is one transaction.

    ``engine="local"`` reads with ``workers`` processes (one per core by default) while this one
    writes; ``engine="dask"`` spreads the inputs over a Dask cluster (``scheduler`` its address;
    without one a local cluster of ``workers`` is started). With ``forms`` (e.g. {"4"}), EDGAR
    submissions of other form types are skipped unread; amendments (4/A) count as their form."""
    if engine == "dask":
        from form4.pipeline.cluster import parts as cluster_parts

        parts = cluster_parts(paths, scheduler=scheduler, workers=workers, forms=forms)
    elif engine == "local":
        parts = _local(paths, workers or os.cpu_count() or 1, forms)
    else:
        raise ValueError(f"no engine {engine!r}: local or dask")
    report = store_parts(store, parts, batch=batch, progress=progress)
    store.cluster()  # many rows stored: in order again, for the answers (on DuckDB)
    return report


def _local(paths: PathLike | Iterable[PathLike], workers: int,
           forms: Collection[str] | None) -> Iterator[tuple[Part, int]]:
    """Several input files go to the workers whole (the writer only writes); one file, or
    standard input, is streamed to them a chunk of documents at a time."""
    listed = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    units = [] if any(str(p) == "-" for p in listed) else list(input_units(listed))
    if workers > 1 and len(units) > 1:
        return local.unit_parts(units, workers, forms)
    return taken_parts(iter_documents(listed), workers, forms)


def taken_parts(documents: Iterable[Document], workers: int | None = None, forms: Collection[str] | None = None,
                readers: ProcessPoolExecutor | None = None) -> Iterator[tuple[Part, int]]:
    """The local engine's parts, each with how far into the inputs its documents reached."""
    taken = _Taken(documents)
    for part in local.parts(taken, workers or os.cpu_count() or 1, forms, readers):
        yield part, taken.position


def store_parts(store: Store, parts: Iterable[tuple[Part, int]], *, batch: int = BATCH,
                progress: Progress | None = None, report: IngestReport | None = None) -> IngestReport:
    """Write parts to the store, ``batch`` filings per transaction: the one path every engine's
    results take into the store."""
    report = report or IngestReport()
    pending = Part()
    for part, position in parts:
        report.documents += part.documents
        report.skipped += part.skipped
        report.errors += part.errors
        pending.filings.merge(part.filings)
        pending.quarantine += part.quarantine
        if pending.size >= batch:
            _write(store, pending, report)
            pending = Part()
        if progress is not None:
            progress(report.documents, position)
    if pending.size:
        _write(store, pending, report)
    return report


def _write(store: Store, pending: Part, report: IngestReport) -> None:
    outcome = store.write(pending.filings, pending.quarantine)
    report.new += outcome.new
    report.duplicates += outcome.duplicates
    report.upgraded += outcome.upgraded
    report.quarantined += len(pending.quarantine)


class _Taken:
    """Documents passed on, remembering how far into the inputs the last one was."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents = documents
        self.position = 0

    def __iter__(self) -> Iterator[Document]:
        for doc in self.documents:
            self.position = doc.position
            yield doc


__all__ = ["BATCH", "IngestReport", "Part", "ingest", "store_parts", "taken_parts"]
