"""Bytes or paths in, Filings out: format detection and the batch loop."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from form4.errors import MalformedInputError, MissingExtraError, ReadError, UnsupportedFormatError
from form4.extras import require
from form4.inputs import Document, iter_documents
from form4.model import ROW_TABLES, Filing, Warning
from form4.readers.detect import ARCHIVES, Format, detect_input
from form4.readers.html import read_html
from form4.readers.progress import ProgressHook
from form4.readers.submission import read_submission
from form4.readers.text import read_text
from form4.readers.xml import read_xml

PathLike = str | os.PathLike[str]
ErrorHandler = Callable[[ReadError], None]

_ACCESSION_IN_NAME = re.compile(r"(\d{10}-\d{2}-\d{6})")


def read_pdf(data: bytes, source: str | None = None, progress: ProgressHook | None = None) -> Filing:
    """The PDF reader, imported when a PDF comes: it needs the pdf extra (PDFium, NumPy, Pillow),
    and a scan the ocr extra too."""
    try:
        require("form4.readers.pdf", "pdf", "reading PDFs")
        from form4.readers.pdf import read_pdf

        return read_pdf(data, source, progress)
    except MissingExtraError as exc:
        raise exc.with_source(source) from None


_READERS: dict[Format, Callable[[bytes, str | None], Filing]] = {
    Format.XML: read_xml,
    Format.SUBMISSION: read_submission,
    Format.HTML: read_html,
    Format.TEXT: read_text,
    Format.PDF: read_pdf,
}


def read_bytes(data: bytes, source: str | None = None, *, ocr_progress: ProgressHook | None = None) -> Filing:
    """Read one filing from its bytes, whatever form it is in; ``ocr_progress(done, total)`` is
    called as a scan's pages are OCR'd (the one slow reading)."""
    kind = detect_input(data)
    if kind is Format.XML:  # most inputs: told apart before the table, whose lookup hashes an Enum in Python
        filing = read_xml(data, source)
    else:
        reader = _READERS.get(kind)
        if reader is None:
            what = "an archive: use iter_filings" if kind in ARCHIVES else f"{kind.value} input"
            raise UnsupportedFormatError(f"no reader for {what}", source=source)
        filing = read_pdf(data, source, ocr_progress) if kind is Format.PDF else reader(data, source)
    _require_parties(filing, source)
    if filing.accession_number is None and source is not None:
        match = _ACCESSION_IN_NAME.search(Path(source.split("::")[-1]).name)
        if match:
            filing.accession_number = match.group(1)
    return filing


# the parts no Form 3, 4 or 5 lacks: what to say when one is missing, and the fields of
# the warnings a reader gives when it could not read that part (then it has said why)
_PARTIES = {
    "issuer": ("no issuer: neither its CIK, name nor trading symbol is given",
               re.compile(r"issuer(\.(cik|name|trading_symbol))?")),
    "reporting_owners": ("no reporting owner: no owner's CIK or name is given",
                         re.compile(r"reporting_owners(\[\d+\]\.(cik|name))?")),
}


def _require_parties(filing: Filing, source: str | None) -> None:
    """A document naming neither an issuer nor a reporting owner, and reporting no security,
    is not a Form 3, 4 or 5; one naming only one of them, or whose names a lossy reading lost
    but whose tables it read, is kept, with a warning for each part missing. Checked here,
    after whichever reader, so that every format gets the same rule."""
    issuer = filing.issuer
    present = {"issuer": bool(issuer.cik or issuer.name or issuer.trading_symbol),
               "reporting_owners": any(o.cik or o.name for o in filing.reporting_owners)}
    if all(present.values()):
        return  # both named: what nearly every filing is
    missing = [part for part, found in present.items() if not found]
    reports = any(getattr(filing, table) for table in ROW_TABLES)
    if len(missing) == len(present) and not reports:
        raise MalformedInputError("not a Form 3, 4 or 5: no issuer and no reporting owner "
                                  "(issuer and reporting_owners are both empty)", source=source)
    for part in missing:
        message, said = _PARTIES[part]
        if not any(said.fullmatch(w.field) for w in filing.warnings):
            filing.warnings.append(Warning(field=part, message=message))


def read(source: PathLike | bytes) -> Filing:
    """Read one filing from a path or from bytes."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return read_bytes(bytes(source))
    documents = iter_documents(source)
    first = next(documents, None)
    if first is None:
        raise ReadError("no document found", source=str(source))
    if next(documents, None) is not None:
        raise ReadError("holds more than one document: use iter_filings", source=str(source))
    return _read_document(first)


def _read_document(doc: Document, ocr_progress: ProgressHook | None = None) -> Filing:
    if doc.error is not None:
        raise doc.error
    return read_bytes(doc.data, doc.name, ocr_progress=ocr_progress)


def iter_filings(paths: PathLike | Iterable[PathLike], *,
                 on_error: ErrorHandler | None = None) -> Iterator[Filing]:
    """Every filing under ``paths`` (files, directories, archives, ``-`` for stdin).

    With ``on_error`` a document that fails is handed to it and the batch goes on;
    without it the first failure is raised.
    """
    return read_documents(iter_documents(paths), on_error=on_error)


def read_documents(documents: Iterable[Document], *, on_error: ErrorHandler | None = None,
                   ocr_progress: ProgressHook | None = None) -> Iterator[Filing]:
    """The filing of each document (from ``form4.inputs.iter_documents``), as ``iter_filings``;
    ``ocr_progress`` as ``read_bytes``."""
    for doc in documents:
        try:
            yield _read_document(doc, ocr_progress)
        except ReadError as exc:
            if on_error is None:
                raise
            on_error(exc.with_source(doc.name))
        except Exception as exc:  # a reader bug must not cost the rest of a batch
            if on_error is None:
                raise
            on_error(ReadError(f"unexpected {type(exc).__name__}: {exc}", source=doc.name))
