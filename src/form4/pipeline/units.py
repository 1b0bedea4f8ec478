"""Units of work: the input files in order, an archive alone and small files grouped, a large
uncompressed tar cut between its members, so that a worker reads whole files (or members) and
the process that writes never reads, decompresses or parses; and the order their results come
back in."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from form4.inputs import input_files, iter_documents, iter_tar_slice, tar_slices
from form4.pipeline.parts import Part, chunks, collection_paused, read_chunk

UNIT_BYTES = 8 << 20  # small files are grouped up to this many bytes per unit
UNIT_FILES = 512
T = TypeVar("T")


@dataclass(frozen=True)
class TarSlice:
    """Whole members of an uncompressed tar, from byte ``start`` to ``end`` (form4.inputs.tar_slices)."""

    path: str
    start: int
    end: int


Files = list[str] | TarSlice  # what one unit reads


def in_order(started: Iterable[tuple[T, Any]], ahead: int, *, weight: Callable[[T], int] | None = None,
             budget: int = 0) -> Iterator[tuple[T, Any]]:
    """Each item with its task's result, in the order the tasks were started: ``started``
    starts a task (a future; None for no task) each time it is advanced, at most ``ahead``
    beyond the one waited for, so results come back in order with memory bounded. With a
    ``weight`` of each item (its bytes), more are started while those in flight weigh less
    than ``budget`` (at most 16 times ``ahead``): the workers go on while the results are used."""
    inflight: deque[tuple[T, Any]] = deque()
    held = 0
    for item, task in started:
        inflight.append((item, task))
        held += weight(item) if weight is not None else 0
        while len(inflight) >= ahead and (held >= budget or len(inflight) >= 16 * ahead):
            done = inflight.popleft()
            held -= weight(done[0]) if weight is not None else 0
            yield _result(*done)
    while inflight:
        yield _result(*inflight.popleft())


def _result(item: T, task: Any) -> tuple[T, Any]:
    return item, None if task is None else task.result()


def read_unit(files: Files, forms: Collection[str] | None) -> Part:
    """On a worker: every document of ``files`` read into one part."""
    part = Part()
    documents = (iter_tar_slice(Path(files.path), files.start, files.end) if isinstance(files, TarSlice)
                 else iter_documents(files))
    with collection_paused():
        for piece in chunks(documents):
            part.merge(read_chunk(piece, forms))
        return part.sealed()


def input_units(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Files, int]]:
    """Input files in order, grouped: an archive alone, small files together, a large
    uncompressed tar in slices of whole members."""
    group: list[str] = []
    group_bytes = 0
    for file in _files(paths):
        size = _size(file)
        slices = tar_slices(file, UNIT_BYTES) if size > 2 * UNIT_BYTES else None
        slices = slices if slices and len(slices) > 1 else None  # one slice: read as a whole file
        if group and (slices or group_bytes + size > UNIT_BYTES or len(group) >= UNIT_FILES):
            yield group, group_bytes
            group, group_bytes = [], 0
        if slices:
            for start, end in slices:
                yield TarSlice(str(file), start, end), end - start
            continue
        group.append(str(file))
        group_bytes += size
    if group:
        yield group, group_bytes


def _files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    for path in [paths] if isinstance(paths, (str, os.PathLike)) else paths:
        if str(path) == "-":
            raise ValueError("the dask engine reads files, not standard input: use --engine local")
        yield from input_files(Path(path))  # as given, so sources are named as the local engine names them


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read (and reported) by the worker like any input that cannot be opened
