"""The local engine: documents read by a pool of processes on this machine, in order."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import signal
import sys
from collections import deque
from collections.abc import Collection, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from form4.inputs import Document
from form4.pipeline.parts import Part, chunks, read_chunk, read_sealed
from form4.pipeline.units import Files, in_order, read_unit

# What the readers may be given beyond the part the writer waits for: at least two pieces of work
# each, and more, up to this many bytes of input, so that they go on reading while the writer
# stores a batch instead of waiting for it to end. A batch (5,000 filings) is 30-90 MB of ownership
# XML (17 kB a filing in the corpus); given 64 MB, the readers of a feed archive had finished 7 of
# their 8 units when a write ended and stood idle through the rest of it, and the writer then
# waited for them. Their parts, held until the writer takes them, are under half their input.
READ_AHEAD_BYTES = 192 << 20
READ_AHEAD_CHUNKS = 64  # the most chunks of documents given at once (16,384 documents), whatever their size


def unit_parts(units: list[tuple[Files, int]], workers: int,
               forms: Collection[str] | None = None) -> Iterator[tuple[Part, int]]:
    """Whole input files read by the pool's processes (``form4.pipeline.units``), in order, each
    part with the running total of the bytes read: the writing process never decompresses."""
    with pool(workers) as executor:
        started = ((size, executor.submit(read_unit, files, forms)) for files, size in units)
        done = 0
        for size, part in in_order(started, 2 * workers, weight=lambda size: size, budget=READ_AHEAD_BYTES):
            done += size
            yield part, done


def pool(workers: int, *, threaded: bool = False) -> ProcessPoolExecutor:
    """Reader processes that end with the process that started them. ``threaded``: for a
    process whose threads run while readers start (a sync's fetchers), which must not fork
    (a child forked while a thread holds a lock waits for it forever)."""
    context = multiprocessing.get_context("forkserver") if threaded else None
    if context is None:
        _warm_arrow()
    return ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent, mp_context=context)


def _warm_arrow() -> None:
    """Have Arrow look for pandas here, once, before the readers fork: each would otherwise
    import it at its first Arrow table (a fifth of a second apiece, at every start), as this
    process does at its first write anyway."""
    import pyarrow as pa

    pa.array([], pa.string())


def parts(documents: Iterable[Document], workers: int, forms: Collection[str] | None = None,
          readers: ProcessPoolExecutor | None = None) -> Iterator[Part]:
    """Chunks of documents read into parts, in order; by ``workers`` processes when above 1
    (those of ``readers`` when given: a sync reads day after day with one pool)."""
    pieces = chunks(documents)
    if workers <= 1 and readers is None:
        for piece in pieces:
            yield read_chunk(piece, forms)
        return
    with contextlib.nullcontext(readers) if readers is not None else pool(workers) as executor:
        inflight: deque[tuple[int, Future[Part]]] = deque()
        held = 0  # bytes of the documents in flight
        for piece in pieces:
            failed = [doc for doc in piece if doc[2] is not None]  # errors stay here: they need not travel
            if failed:
                yield read_chunk(failed)
                piece = [doc for doc in piece if doc[2] is None]
            size = sum(len(doc[1]) for doc in piece)
            inflight.append((size, executor.submit(read_sealed, piece, forms)))
            held += size
            # bounded: memory stays flat however large the input
            while len(inflight) >= 2 * workers and (held >= READ_AHEAD_BYTES or len(inflight) >= READ_AHEAD_CHUNKS):
                size, future = inflight.popleft()
                held -= size
                yield future.result()
        while inflight:
            yield inflight.popleft()[1].result()


def _die_with_parent() -> None:
    """A reader process ends when the ingest that started it is killed (kill -9 included),
    instead of waiting forever for work that will not come."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
