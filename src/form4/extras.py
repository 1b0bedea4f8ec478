"""The optional parts of form4 and the extras that install them.

The base install (``pip install form4``) reads XML, EDGAR submissions, HTML and text filings
and keeps the embedded DuckDB store. Everything else is imported only when it is used, through
``require``, which turns a missing package into one line saying which extra to install.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from form4.errors import MissingExtraError

# extra -> the top-level modules it brings (what a missing import is matched against)
MODULES: dict[str, tuple[str, ...]] = {
    "pdf": ("pypdfium2", "numpy", "PIL"),
    "ocr": ("pytesseract",),
    "postgres": ("psycopg", "psycopg_binary"),
    "dask": ("dask", "distributed"),
    "web": ("fastapi", "fastapi_offline", "uvicorn", "plotly", "multipart", "python_multipart"),
    "pandas": ("pandas",),
    "analytics": ("scipy", "matplotlib", "plotly"),
}


def missing(extra: str, what: str) -> MissingExtraError:
    """The error for ``what`` (e.g. "reading PDFs") needing ``extra``."""
    return MissingExtraError(f"{what} needs the {extra} extra: pip install 'form4[{extra}]'", extra=extra)


def require(module: str, extra: str, what: str) -> ModuleType:
    """``module`` imported, or MissingExtraError naming ``extra`` when a package of that extra is
    missing. ``module`` may be a third-party module or one of form4's own that imports them (e.g.
    ``form4.readers.pdf``); a missing module that belongs to no extra is a bug and is raised as it is."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if top not in MODULES[extra] and not (extra == "ocr" and top in MODULES["pdf"]):  # ocr brings pdf
            raise
        raise missing(extra, what) from None

