"""The Dask engine: inputs spread over the workers of a ``dask.distributed`` cluster.

Each task reads a unit of input files (one archive, or a group of small files) into a
``Part`` on a worker; the parts come back in the order the units were made, so the store
ends exactly as the local engine leaves it. Workers read the inputs by path: on a real
cluster give absolute paths on a file system every worker sees. Without a scheduler address a
``LocalCluster`` of worker processes is started on this machine, and stopped at the end.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from form4.extras import require
from form4.inputs import iter_documents
from form4.pipeline.parts import Part, chunks, read_chunk

if TYPE_CHECKING:
    from distributed import Client

UNIT_BYTES = 8 << 20  # small files are grouped up to this many bytes per task
UNIT_FILES = 512


def parts(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *, scheduler: str | None = None,
          workers: int | None = None, forms: Collection[str] | None = None) -> Iterator[tuple[Part, int]]:
    """The parts of every input, in input order, each with the bytes of the inputs done."""
    units = list(_units(paths))
    with _client(scheduler, workers) as client:
        window = 2 * max(1, len(client.scheduler_info()["workers"]))
        inflight: deque[tuple[Any, int]] = deque()
        done = 0
        for i, (files, size) in enumerate(units):
            inflight.append((client.submit(read_unit, files, forms, pure=False), size))
            if len(inflight) < window and i < len(units) - 1:
                continue
            while inflight and (len(inflight) >= window or i == len(units) - 1):
                future, size_done = inflight.popleft()
                part: Part = future.result()
                future.release()  # the worker may drop it now
                done += size_done
                yield part, done


def read_unit(files: list[str], forms: Collection[str] | None) -> Part:
    """On a worker: every document of ``files`` read into one part."""
    part = Part()
    for piece in chunks(iter_documents(files)):
        part.merge(read_chunk(piece, forms))
    return part


def _units(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Iterator[tuple[list[str], int]]:
    """Input files in order, grouped: an archive alone, small files together."""
    group: list[str] = []
    group_bytes = 0
    for file in _files(paths):
        size = _size(file)
        if group and (group_bytes + size > UNIT_BYTES or len(group) >= UNIT_FILES):
            yield group, group_bytes
            group, group_bytes = [], 0
        group.append(str(file))
        group_bytes += size
    if group:
        yield group, group_bytes


def _files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    for path in [paths] if isinstance(paths, (str, os.PathLike)) else paths:
        if str(path) == "-":
            raise ValueError("the dask engine reads files, not standard input: use --engine local")
        root = Path(path)  # as given, so sources are named as the local engine names them
        yield from sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read (and reported) by the worker like any input that cannot be opened


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int | None) -> Iterator[Client]:
    distributed = require("distributed", "dask", "the dask engine")
    if scheduler:
        with distributed.Client(scheduler) as client:
            yield client
        return
    with distributed.LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                  processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client
