"""Reader for EDGAR full submission text: the ``.txt`` dissemination form (``<SEC-HEADER>``,
with or without the privacy-enhanced-message wrapper) and the daily feed's ``.nc`` form.

The header gives the accession number and the filing date; the ``<XML>`` document that
holds ``<ownershipDocument>`` gives the rest. Other documents (exhibits) are skipped
without being decoded. A typed form (before 2003) states no CIKs, and often less: the
header's parties fill what the document does not state, never what it does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from form4.errors import NoOwnershipDocumentError, ReadError
from form4.model import Filing, Issuer, ReportingOwner
from form4.readers.sec_header import Party, SecHeader, read_header
from form4.readers.text import read_text
from form4.readers.xml import read_xml

_OWNERSHIP = b"<ownershipDocument"
_DOCUMENT = re.compile(rb"<DOCUMENT>\s*<TYPE>([^\r\n<]*)(.*?)(?:</DOCUMENT>|\Z)", re.S)
_FORM_TYPE = re.compile(rb"\s*[345](?:/A)?\s*$")
_SECTION16_TYPE = re.compile(r"[345](?:/A)?")
_TEXT = re.compile(rb"<TEXT>(.*?)(?:</TEXT>|\Z)", re.S)
# The header ends where the first document begins; searching only there keeps it fast.
_HEADER_END = re.compile(rb"</SEC-HEADER>|<DOCUMENT>")
# the header's <RELATIONSHIP> values (headers of about 2000) and the boxes they tick
_RELATIONSHIPS = (("is_director", "DIRECTOR"), ("is_officer", "OFFICER"), ("is_ten_percent_owner", "PERCENT"),
                  ("is_ten_percent_owner", "10%"), ("is_other", "OTHER"))
_ROLE_FLAGS = ("is_director", "is_officer", "is_ten_percent_owner", "is_other")
_WORD = re.compile(r"[A-Z0-9]+")


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
        sec = read_header(header)
        _from_header(filing, sec)
        _parties_from_header(filing, sec, relationships=True)
    else:
        try:
            filing = read_xml(xml, source)
        except ReadError as exc:
            exc.field = exc.field or "<XML>"
            raise
        filing.source = "sgml"
        # the parties only when the XML lacks a CIK (rare): the XML path stays as fast as the XML
        lacks_cik = _lacks_cik(filing)
        sec = read_header(header, full=lacks_cik)
        if lacks_cik:
            _parties_from_header(filing, sec, relationships=False)
    if sec.accession_number:
        filing.accession_number = sec.accession_number
    if sec.filed_at:
        filing.filed_at = sec.filed_at
    if sec.warnings:
        filing.warnings += [w for w in sec.warnings if w.field == "filed_at"]
    return filing


def ownership_text(data: bytes) -> bytes | None:
    """The ``<TEXT>`` of the first document typed 3, 4 or 5 (or their amendments)."""
    for doc in _DOCUMENT.finditer(data):
        if _FORM_TYPE.match(doc.group(1)):
            text = _TEXT.search(doc.group(2))
            return text.group(1) if text else doc.group(2)
    return None


def _from_header(filing: Filing, sec: SecHeader) -> None:
    """What the header knows better than a typed form: the period and the form type."""
    if sec.period_of_report:
        filing.period_of_report = sec.period_of_report
        filing.confidence.pop("period_of_report", None)
        filing.warnings = [w for w in filing.warnings if w.field != "period_of_report"]
    filing.warnings += [w for w in sec.warnings if w.field == "period_of_report"]
    if sec.form_type and _SECTION16_TYPE.fullmatch(sec.form_type):
        filing.form_type = sec.form_type


def _lacks_cik(filing: Filing) -> bool:
    return not filing.issuer.cik or not filing.reporting_owners or any(not o.cik for o in filing.reporting_owners)


def _parties_from_header(filing: Filing, sec: SecHeader, *, relationships: bool) -> None:
    """The issuer's and the owners' CIKs and names where the document gives none, and with
    ``relationships`` an owner's relationship where the document ticks no box."""
    issuer = sec.issuer()
    if issuer is not None:
        _fill(filing, filing.issuer, "issuer", "cik", issuer.cik)
        _fill(filing, filing.issuer, "issuer", "name", issuer.name)
    parties = sec.reporting_owners()
    if not filing.reporting_owners:  # the header names them where the document could not
        filing.reporting_owners = [ReportingOwner() for _ in parties]
    for i, party in _paired(filing.reporting_owners, parties):
        owner, path = filing.reporting_owners[i], f"reporting_owners[{i}]"
        _fill(filing, owner, path, "cik", party.cik)
        _fill(filing, owner, path, "name", party.name)
        if relationships and not any(getattr(owner, flag) for flag in _ROLE_FLAGS):
            for flag in {flag for kind in party.relationships for flag, word in _RELATIONSHIPS if word in kind}:
                _fill(filing, owner, path, flag, True)


def _fill(filing: Filing, record: Issuer | ReportingOwner, path: str, attr: str, value: str | bool | None) -> None:
    """``record.attr`` from the header where the document left it empty. A field so filled is
    as sure as the header: the reader's doubts about it go (for a relationship, about each box)."""
    if not value or getattr(record, attr):
        return
    setattr(record, attr, value)
    fields = {f"{path}.{flag}" for flag in _ROLE_FLAGS} if attr in _ROLE_FLAGS else {f"{path}.{attr}"}
    for field in fields:
        filing.confidence.pop(field, None)
    filing.warnings = [w for w in filing.warnings if w.field not in fields]


def _paired(owners: list[ReportingOwner], parties: list[Party]) -> Iterator[tuple[int, Party]]:
    """Each owner (by its place) with the header's party of the same name, its words in any
    order (the header writes "FOSTER ALAN H", the form "Alan H. Foster"); the rest in order
    when as many remain on both sides."""
    left = list(parties)
    unmatched: list[int] = []
    for i, owner in enumerate(owners):
        party = next((p for p in left if _same_name(owner.name, p.name)), None)
        if party is None:
            unmatched.append(i)
            continue
        left.remove(party)
        yield i, party
    if len(unmatched) == len(left):
        yield from zip(unmatched, left, strict=True)


def _same_name(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    words_a, words_b = set(_WORD.findall(a.upper())), set(_WORD.findall(b.upper()))
    shorter, longer = sorted((words_a, words_b), key=len)
    return len(shorter) >= 2 and shorter <= longer


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
