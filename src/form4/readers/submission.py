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
from form4.readers.text import read_text
from form4.readers.xml import read_xml

_ACCESSION = re.compile(rb"(?:ACCESSION NUMBER:|<ACCESSION-NUMBER>)[ \t]*(\d{10}-\d{2}-\d{6})")
_FILED = re.compile(rb"(?:FILED AS OF DATE:|<FILING-DATE>)[ \t]*(\d{8})")
_OWNERSHIP = b"<ownershipDocument"
_DOCUMENT = re.compile(rb"<DOCUMENT>\s*<TYPE>([^\r\n<]*)(.*?)(?:</DOCUMENT>|\Z)", re.S)
_FORM_TYPE = re.compile(rb"\s*[345](?:/A)?\s*$")
_TEXT = re.compile(rb"<TEXT>(.*?)(?:</TEXT>|\Z)", re.S)
_PERIOD = re.compile(rb"(?:CONFORMED PERIOD OF REPORT:|<PERIOD>)[ \t]*(\d{8})")
_TYPE = re.compile(rb"(?:CONFORMED SUBMISSION TYPE:|<TYPE>)[ \t]*([345](?:/A)?)[ \t]*\r?\n")
_ISSUER_CIK = re.compile(rb"ISSUER:.*?CENTRAL INDEX KEY:[ \t]*(\d+)", re.S)
_OWNER_CIK = re.compile(rb"REPORTING-OWNER:.*?CENTRAL INDEX KEY:[ \t]*(\d+)", re.S)
# The header ends where the first document begins; searching only there keeps it fast.
_HEADER_END = re.compile(rb"</SEC-HEADER>|<DOCUMENT>")


def read_submission(data: bytes, source: str | None = None) -> Filing:
    """Read an EDGAR submission (``.txt`` or ``.nc``) into a Filing: its ownership XML, or
    before 2003 its typed form, read as text."""
    end = _HEADER_END.search(data)
    header = data[: end.start()] if end else data[:65536]
    xml = ownership_xml(data)
    if xml is None:
        text = ownership_text(data)
        if text is None:
            raise NoOwnershipDocumentError("submission holds no ownership document (XML or a typed Form 3, 4 or 5)",
                                           source=source, field="<DOCUMENT>")
        filing = read_text(text, source)
        _from_header(filing, header)
    else:
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


def ownership_text(data: bytes) -> bytes | None:
    """The ``<TEXT>`` of the first document typed 3, 4 or 5 (or their amendments)."""
    for doc in _DOCUMENT.finditer(data):
        if _FORM_TYPE.match(doc.group(1)):
            text = _TEXT.search(doc.group(2))
            return text.group(1) if text else doc.group(2)
    return None


def _from_header(filing: Filing, header: bytes) -> None:
    """What the header knows better than a typed form: the period, the CIKs, the form type."""
    period = _PERIOD.search(header)
    if period:
        filing.period_of_report = _header_date(period.group(1), filing.warnings) or filing.period_of_report
        filing.confidence.pop("period_of_report", None)
        filing.warnings = [w for w in filing.warnings if w.field != "period_of_report"]
    kind = _TYPE.search(header)
    if kind:
        filing.form_type = kind.group(1).decode().strip()
    issuer = _ISSUER_CIK.search(header)
    if issuer:
        filing.issuer.cik = issuer.group(1).decode().zfill(10)
    owners = [m.group(1).decode().zfill(10) for m in _OWNER_CIK.finditer(header)]
    if len(owners) == len(filing.reporting_owners):
        for owner, cik in zip(filing.reporting_owners, owners, strict=True):
            owner.cik = cik


def ownership_xml(data: bytes) -> bytes | None:
    """The bytes of the first ``<XML>`` block that is an ownership document."""
    lower = data.lower()  # ASCII letters only, as the tags match: found by plain search, not a regex
    pos = 0
    while (start := lower.find(b"<xml>", pos)) >= 0:
        start += 5
        stop = lower.find(b"</xml>", start)
        block = data[start: stop if stop >= 0 else len(data)]
        if _OWNERSHIP in block:
            return block.strip()
        if stop < 0:
            return None
        pos = stop + 6
    return None


def _header_date(raw: bytes, warnings: list[Warning]) -> dt.date | None:
    try:
        return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        warnings.append(Warning(field="filed_at", message=f"header date {raw.decode()!r} is not a date"))
        return None
