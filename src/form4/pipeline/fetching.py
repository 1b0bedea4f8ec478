"""Tasks that fetch from EDGAR and read what they fetched, run by a reader process or a Dask
worker: the writing process only plans and writes."""

from __future__ import annotations

import os
import socket
from collections.abc import Collection
from pathlib import Path
from typing import Any

from form4.edgar.client import EdgarClient
from form4.errors import EdgarError
from form4.inputs import iter_documents
from form4.pipeline.parts import Part, chunks, read_chunk, spool

FETCH_UNIT = 64  # filings one task fetches and reads, where workers fetch one filing at a time


def fetch_and_read(settings: dict[str, Any], share: int | None, paths: list[str], forms: Collection[str]) -> Part:
    """EDGAR paths fetched and read; what could not be fetched is noted, not quarantined."""
    docs = []
    part = Part()
    with worker_client(settings, share) as client:
        for path in paths:
            try:
                docs.append((client.url(path), client.get_bytes(path), None))
            except EdgarError as exc:
                part.unfetched.append(str(exc))
    part.merge(read_chunk(docs, forms))
    return part.sealed()


def read_feed(settings: dict[str, Any], share: int | None, path: str, skip: set[str],
              forms: Collection[str]) -> Part:
    """A day's feed archive streamed to disk and read, but for the accessions in ``skip``;
    deleted once read (a rerun after a crash finds it there and reads it again)."""
    part = Part()
    archive = spool() / Path(path).name
    with worker_client(settings, share) as client:
        try:
            client.stream_to(path, archive)
        except EdgarError as exc:
            part.unfetched.append(str(exc))
            return part
    wanted = (d for d in iter_documents(archive) if Path(d.name.split("::")[-1]).stem not in skip)
    for piece in chunks(wanted):
        part.merge(read_chunk(piece, forms))
    archive.unlink(missing_ok=True)
    return part.sealed()


def worker_client(settings: dict[str, Any], share: int | None) -> EdgarClient:
    """A client like the one ``settings`` came from. On this machine it shares its limiter file;
    with a ``share`` (a Dask cluster's workers, perhaps on other machines) it keeps to its part."""
    client = EdgarClient(**settings)
    if share is not None:
        client.keep_to_share(share, f"{socket.gethostname()}-{os.getpid()}")
    return client
