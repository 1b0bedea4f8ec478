"""form4: SEC insider-ownership filings (Forms 3, 4, 5 and amendments) as typed records.

    >>> import form4
    >>> filing = form4.read("examples/filings/form4-snow.xml")
    >>> for f in form4.iter_filings("filings.tar.gz", on_error=print): ...
"""

# the stale-build check runs before the compiled readers are imported: imports below it
# ruff: noqa: E402
from form4._build import warn_if_stale

warn_if_stale()  # a compiled reader older than its source says so, before it is imported (which may fail)

from form4.errors import (
    Form4Error,
    MalformedInputError,
    NoOwnershipDocumentError,
    ReadError,
    UnsafeInputError,
    UnsupportedFormatError,
)
from form4.model import (
    DerivativeHolding,
    DerivativeTransaction,
    Filing,
    Footnote,
    Issuer,
    NonDerivativeHolding,
    NonDerivativeTransaction,
    ReportingOwner,
    Signature,
    Warning,
)
from form4.parse import iter_filings, read, read_bytes
from form4.rows import flat_rows, iter_rows, to_arrow, to_pandas

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # the store pulls in the database drivers: only when asked for
    if name == "Store":
        from form4.store import Store

        return Store
    if name == "ingest":
        from form4.pipeline import ingest

        return ingest
    raise AttributeError(f"module 'form4' has no attribute {name!r}")


__all__ = [
    "DerivativeHolding", "DerivativeTransaction", "Filing", "Footnote", "Form4Error", "Issuer",
    "MalformedInputError", "NoOwnershipDocumentError", "NonDerivativeHolding",
    "NonDerivativeTransaction", "ReadError", "ReportingOwner", "Signature", "Store", "UnsafeInputError",
    "ingest",
    "UnsupportedFormatError", "Warning", "flat_rows", "iter_filings", "iter_rows", "read",
    "read_bytes", "to_arrow", "to_pandas",
]
