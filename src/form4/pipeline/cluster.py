"""The Dask engine: work spread over the workers of a ``dask.distributed`` cluster.

Each task makes one ``Part`` on a worker: a unit of input files read (an archive, or a group
of small files), or for a sync a group of filings or a day's feed archive fetched from EDGAR
and read (``form4.pipeline.fetching``). Parts come back in the order the tasks were made, so
the store ends exactly as the local engine leaves it. Workers read inputs by path: on a real
cluster give absolute paths on a file system every worker sees. Without a scheduler address a
``LocalCluster`` of worker processes is started on this machine, and stopped at the end.

EDGAR's limit holds across the cluster without a lock between machines: with n workers, each
worker and the process driving them keep to 1/(n + 1) of it (``EdgarClient.keep_to_share``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any

from form4.extras import require
from form4.pipeline.parts import Part
from form4.pipeline.units import in_order, input_units, read_unit


class Cluster:
    """A Dask client: to the scheduler at ``scheduler``, or to a local cluster it starts."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        distributed = require("distributed", "dask", "the dask engine")
        self.local = None
        if scheduler:
            self.client = distributed.Client(scheduler)
        else:
            self.local = distributed.LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                                  processes=True, dashboard_address=None,
                                                  silence_logs=logging.WARNING)  # a command's output stays its own
            self.client = distributed.Client(self.local)

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info()["workers"]))

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.client.close()
        if self.local is not None:
            self.local.close()

    def ordered(self, task: Callable[..., Part], units: Sequence[tuple[tuple[Any, ...], int]]) -> Iterator[
            tuple[Part, int]]:
        """``task(*args)`` for each unit on the workers, a bounded number at a time; the parts
        in unit order, each with the running total of the units' sizes."""
        started = ((size, self.client.submit(task, *args, pure=False)) for args, size in units)
        done = 0
        for size, part in in_order(started, 2 * self.workers):  # a future dropped, the worker drops it
            done += size
            yield part, done


def parts(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *, scheduler: str | None = None,
          workers: int | None = None, forms: Collection[str] | None = None) -> Iterator[tuple[Part, int]]:
    """The parts of every input, in input order, each with the bytes of the inputs done."""
    units = [((files, forms), size) for files, size in input_units(paths)]
    with Cluster(scheduler, workers) as cluster:
        yield from cluster.ordered(read_unit, units)
