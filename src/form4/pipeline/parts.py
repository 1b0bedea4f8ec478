"""Documents read into the store's rows, one part at a time: what every engine produces and the
store takes. Reading happens here, outside the store, so that the store never parses."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
import re
import tempfile
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from form4.errors import ReadError
from form4.inputs import Document
from form4.model import Filing, is_form
from form4.parse import read_bytes
from form4.store.records import Pending

CHUNK = 256  # documents read at a time by one worker

# An EDGAR submission names its form type in its header: other forms in a feed are passed over
# before any parsing (a day's feed holds every form filed that day).
_SUBMISSION_TYPE = re.compile(rb"(?:CONFORMED SUBMISSION TYPE:|<TYPE>)[ \t]*([^\r\n<]+)")
_HEADER = b"<SEC-HEADER>"
Raw = tuple[str, bytes, ReadError | None]


@dataclass
class Part:
    """Documents read: their filings' rows, the rows of what could not be read, the errors."""

    filings: Pending = field(default_factory=Pending)
    quarantine: list[tuple[Any, ...]] = field(default_factory=list)
    errors: list[ReadError] = field(default_factory=list)
    documents: int = 0
    skipped: int = 0  # submissions of other form types, passed over
    unfetched: list[str] = field(default_factory=list)  # what a worker could not fetch from EDGAR, and why

    @property
    def size(self) -> int:
        return len(self.filings.kept) + len(self.quarantine)

    def read(self, name: str, data: bytes, error: ReadError | None = None) -> Filing | None:
        """Read one document into this part: its filing (returned), or its quarantine row."""
        self.documents += 1
        try:
            if error is not None:
                raise error
            filing = read_bytes(data, name)
        except Exception as exc:  # a reader bug costs its document, never the batch
            failure = exc if isinstance(exc, ReadError) else ReadError(f"unexpected {type(exc).__name__}: {exc}")
            self.errors.append(_bare(failure.with_source(name)))
            self.quarantine.append(quarantined(name, data, failure))
            return None
        self.filings.add(filing, name, hashlib.sha256(data).hexdigest())
        return filing

    def sealed(self) -> Part:
        """This part with its rows made Arrow tables: what a reader process hands the writer
        (cheaper to send, and the writer only concatenates)."""
        self.filings.seal()
        return self

    def merge(self, other: Part) -> None:
        self.filings.merge(other.filings)
        self.quarantine += other.quarantine
        self.errors += other.errors
        self.documents += other.documents
        self.skipped += other.skipped
        self.unfetched += other.unfetched


def _bare(exc: ReadError) -> ReadError:
    """The error without what caused it: a part travels between processes, and a cause such as
    lxml's syntax error (with its error log) cannot be pickled where tblib pickles chains."""
    exc.__cause__ = exc.__context__ = None
    return exc.with_traceback(None)


def submission_type(data: bytes) -> str | None:
    """The form type an EDGAR submission's header gives, or None for any other document."""
    if _HEADER not in data[:4096] and not data[:64].lstrip().startswith(b"<SUBMISSION>"):
        return None
    match = _SUBMISSION_TYPE.search(data, 0, 4096)
    return match.group(1).strip().decode("ascii", "replace") if match else None


def read_chunk(docs: Iterable[Raw], forms: Collection[str] | None = None) -> Part:
    """Read documents into a part; with ``forms``, submissions of other types are skipped."""
    part = Part()
    for name, data, error in docs:
        if forms is not None and error is None:
            kind = submission_type(data)
            if kind is not None and not is_form(kind, forms):
                part.skipped += 1
                continue
        part.read(name, data, error)
    return part


def read_sealed(docs: Iterable[Raw], forms: Collection[str] | None = None) -> Part:
    """``read_chunk`` on a reader process: the part sealed to travel."""
    with collection_paused():
        return read_chunk(docs, forms).sealed()


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cycle collector paused while a worker reads: reading allocates millions of
    objects (records, rows, tree proxies), none in a cycle, and a part holds thousands alive, so
    the collector's passes found nothing and cost 10-20 % of a reader's time. What a cycle
    leaves (an exception's traceback) is collected after the part, when it runs again."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def spool() -> Path:
    """Where feed archives wait to be read: ``FORM4_SPOOL``, or the temp dir."""
    return Path(os.environ.get("FORM4_SPOOL") or tempfile.gettempdir()) / "form4-feed"


def chunks(documents: Iterable[Document], size: int = CHUNK) -> Iterator[list[Raw]]:
    chunk: list[Raw] = []
    for doc in documents:
        chunk.append((doc.name, doc.data, doc.error))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def quarantined(path: str, data: bytes, exc: ReadError) -> tuple[Any, ...]:
    """A quarantine row: the document kept whole, with what went wrong and where."""
    return (hashlib.sha256(data).hexdigest(), path, exc.field, type(exc).__name__, str(exc), data,
            dt.datetime.now(dt.UTC))
