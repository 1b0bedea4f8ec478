"""Reader for EDGAR full submission text: the ``.txt`` dissemination form (``<SEC-HEADER>``,
with or without the privacy-enhanced-message wrapper) and the daily feed's ``.nc`` form.

The header gives the accession number and the filing date; the ``<XML>`` document that
holds ``<ownershipDocument>`` gives the rest. Other documents (exhibits) are skipped
without being decoded.
"""

from __future__ import annotations

import datetime as dt
import re

from form4.errors import NoOwnershipDocumentError, ReadError
from form4.model import Filing, Warning
from form4.readers.xml import read_xml

_ACCESSION = re.compile(rb"(?:ACCESSION NUMBER:|<ACCESSION-NUMBER>)[ \t]*(\d{10}-\d{2}-\d{6})")
_FILED = re.compile(rb"(?:FILED AS OF DATE:|<FILING-DATE>)[ \t]*(\d{8})")
_XML_OPEN = re.compile(rb"<XML>", re.IGNORECASE)
_XML_CLOSE = re.compile(rb"</XML>", re.IGNORECASE)
_OWNERSHIP = b"<ownershipDocument"
# The header ends where the first document begins; searching only there keeps it fast.
_HEADER_END = re.compile(rb"</SEC-HEADER>|<DOCUMENT>")


def read_submission(data: bytes, source: str | None = None) -> Filing:
    """Read an EDGAR submission (``.txt`` or ``.nc``) into a Filing."""
    end = _HEADER_END.search(data)
    header = data[: end.start()] if end else data[:65536]
    xml = ownership_xml(data)
    if xml is None:
        raise NoOwnershipDocumentError(
            "submission holds no ownership XML document (a pre-2003 text filing?)",
            source=source, field="<XML>")
    try:
        filing = read_xml(xml, source)
    except ReadError as exc:
        exc.field = exc.field or "<XML>"
        raise
    filing.source = "sgml"
    accession = _ACCESSION.search(header)
    if accession:
        filing.accession_number = accession.group(1).decode()
    filed = _FILED.search(header)
    if filed:
        filing.filed_at = _header_date(filed.group(1), filing.warnings)
    return filing


def ownership_xml(data: bytes) -> bytes | None:
    """The bytes of the first ``<XML>`` block that is an ownership document."""
    pos = 0
    while (start := _XML_OPEN.search(data, pos)) is not None:
        stop = _XML_CLOSE.search(data, start.end())
        block = data[start.end(): stop.start() if stop else len(data)]
        if _OWNERSHIP in block:
            return block.strip()
        if stop is None:
            return None
        pos = stop.end()
    return None


def _header_date(raw: bytes, warnings: list[Warning]) -> dt.date | None:
    try:
        return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        warnings.append(Warning(field="filed_at", message=f"header date {raw.decode()!r} is not a date"))
        return None
