"""Errors form4 raises. Catch ``Form4Error`` for all of them.

    Form4Error
     └── ReadError                  an input could not be read into a Filing
          ├── UnsafeInputError       DTD, entity declaration or over the size limit: refused
          ├── MalformedInputError    not well-formed, or not an ownership document
          ├── NoOwnershipDocumentError   a submission without ownership XML
          ├── UnsupportedFormatError     a format no reader handles
          └── MissingExtraError      a part of form4 whose optional packages are not installed
     └── StoreError                 the store could not do what was asked (one line, for people)
          ├── StoreConnectionError   the database cannot be reached, opened or found
          ├── QueryError             SQL the database refused, or a write through a read-only query
          └── DatasetError           a file that is not an SEC Insider Transactions Data Set
     └── EdgarError                 EDGAR could not be asked or did not answer (no User-Agent, 403, retries spent)
          └── EdgarNotFoundError     EDGAR has no such file (404, or S3's 403 AccessDenied)
"""

from __future__ import annotations


class Form4Error(Exception):
    """Base class of every error form4 raises on purpose."""


class ReadError(Form4Error):
    """An input could not be read. Names the source (file) and, when known, the field."""

    def __init__(self, message: str, *, source: str | None = None, field: str | None = None):
        self.message = message
        self.source = source
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ": ".join(p for p in (self.source, self.field) if p)
        return f"{where}: {self.message}" if where else self.message

    def with_source(self, source: str | None) -> ReadError:
        """The same error, naming the input it came from (set once, innermost wins)."""
        if self.source is None and source is not None:
            self.source = source
            self.args = (str(self),)
        return self

    def to_dict(self) -> dict[str, str | None]:
        return {"source": self.source, "field": self.field, "error": type(self).__name__,
                "message": self.message}


class UnsafeInputError(ReadError):
    """Refused before parsing: a DTD or entity declaration, or more bytes than allowed."""


class MalformedInputError(ReadError):
    """Not well-formed XML, or XML that is not an ownership document."""


class NoOwnershipDocumentError(ReadError):
    """An EDGAR submission that holds no ownership XML (e.g. a pre-2003 text filing)."""


class UnsupportedFormatError(ReadError):
    """Content no reader understands."""


class MissingExtraError(ReadError):
    """What was asked needs an extra that is not installed, e.g. ``pip install 'form4[pdf]'``.

    A ReadError, so that a batch goes on past a PDF read without the ``pdf`` extra (that document
    fails, naming the extra); raised as well where no document is involved, e.g. a PostgreSQL store
    without the ``postgres`` extra. ``extra`` names the extra to install.
    """

    def __init__(self, message: str, *, source: str | None = None, field: str | None = None,
                 extra: str | None = None):
        self.extra = extra
        super().__init__(message, source=source, field=field)


class StoreError(Form4Error):
    """The store could not do what was asked; the message is one line a person can act on."""


class StoreConnectionError(StoreError):
    """The database cannot be reached or opened, or (for commands that only read) does not exist."""


class QueryError(StoreError):
    """SQL the database refused, or a statement that would write through a read-only query."""


class DatasetError(StoreError):
    """A file that is not an SEC Insider Transactions Data Set (missing, not a zip, no SUBMISSION.tsv)."""


class EdgarError(Form4Error):
    """A request to EDGAR failed: no User-Agent set, a 404, or every retry spent. Names the URL."""


class EdgarNotFoundError(EdgarError):
    """EDGAR has nothing at a path: a 404, or the 403 with an S3 ``AccessDenied`` body that
    www.sec.gov answers for a missing ``/Archives/`` file. Not retried."""


class AnalyticsError(Form4Error):
    """A report or screen that cannot be answered as asked: an issuer or owner the store does not
    hold, a role or period it does not know. One line, naming what was asked."""


class NotStoredError(AnalyticsError):
    """The store holds nothing under what was asked for: an issuer, an owner, an accession number."""
