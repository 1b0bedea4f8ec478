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

__version__ = "0.1.0"

# Loaded when first asked for: the readers (a third of a second), the store (the database
# drivers), the pipeline. A command that only reports from the store never loads the readers.
_LAZY = {"read": "form4.parse", "read_bytes": "form4.parse", "iter_filings": "form4.parse",
         "flat_rows": "form4.rows", "iter_rows": "form4.rows", "to_arrow": "form4.rows", "to_pandas": "form4.rows",
         "Store": "form4.store", "ingest": "form4.pipeline"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'form4' has no attribute {name!r}")


__all__ = [
    "DerivativeHolding", "DerivativeTransaction", "Filing", "Footnote", "Form4Error", "Issuer",
    "MalformedInputError", "NoOwnershipDocumentError", "NonDerivativeHolding",
    "NonDerivativeTransaction", "ReadError", "ReportingOwner", "Signature", "Store", "UnsafeInputError",
    "ingest",
    "UnsupportedFormatError", "Warning", "flat_rows", "iter_filings", "iter_rows", "read",
    "read_bytes", "to_arrow", "to_pandas",
]
