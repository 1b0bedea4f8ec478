"""Filings for a mirror, from the files a user has: EDGAR submissions (``.txt``, the feed's ``.nc``) are taken
as they are; an ownership XML document is wrapped in a submission envelope, filed the business day after its
period of report. ``other_filing`` makes a filing of any other form (a prospectus, a 13D) around a plain text
document, so that a mirror lists what EDGAR lists beside the Section 16 forms.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from form4.inputs import iter_documents
from form4.mirror.filing import MirrorFiling, documents_of, txt_form
from form4.readers.detect import Format, detect_input
from form4.readers.sec_header import Role, read_header
from form4.readers.submission import ownership_xml

__all__ = ["Accessions", "Loaded", "filing_from", "filing_from_submission", "load_filings", "next_business_day",
           "other_filing", "other_forms", "submission_filing", "xml_filing"]

# The feed's word for each role the header gives a party.
_ROLES = {Role.REPORTING_OWNER: "Reporting", Role.ISSUER: "Issuer", Role.FILER: "Filer",
          Role.SUBJECT_COMPANY: "Subject", Role.FILED_BY: "Filed by"}
_ACCESSION_IN_NAME = re.compile(r"(\d{10}-\d{2}-\d{6})")
_FILENAME = re.compile(rb"<FILENAME>[ \t]*([^\r\n<]+)")

Party = tuple[int, str, str]  # CIK, name, role


def _str(raw: bytes) -> str:
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return text.replace("&amp;", "&").strip()


def _ymd(raw: bytes | str) -> dt.date:
    s = raw.decode() if isinstance(raw, bytes) else raw
    s = s.replace("-", "")[:8]
    return dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))


def next_business_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


# -- EDGAR submissions --------------------------------------------------------------------------------


def _assign(form: str, parties: list[Party]) -> tuple[Party, list[Party], tuple[str, str]]:
    """The company, the other parties and the two roles, by EDGAR's parts of a header: a Section 16 form's
    issuer (its subject company in older filings) and reporting owners; any other form's subject company
    and those who filed about it, or its filers."""
    def having(*roles: str) -> list[Party]:
        return [p for p in parties if p[2] in roles]

    if form.removesuffix("/A") in ("3", "4", "5"):
        companies, others, roles = having("Issuer", "Subject"), having("Reporting", "Filed by", "Filer"), \
            ("Reporting", "Issuer")
    elif having("Subject"):
        companies, others, roles = having("Subject"), having("Filed by", "Filer", "Reporting"), ("Filed by", "Subject")
    else:
        companies, others, roles = having("Filer", "Issuer"), having("Reporting"), ("Filer", "Filer")
        others = companies[1:] + others
    if not companies:
        raise ValueError("no issuer, subject company or filer in the header")
    return companies[0], others, roles


def _first_text(data: bytes) -> bytes | None:
    start, stop = data.find(b"<TEXT>"), data.find(b"</TEXT>")
    return data[start + len(b"<TEXT>"): stop].strip(b"\r\n") + b"\n" if 0 <= start < stop else None


def filing_from_submission(data: bytes) -> MirrorFiling:
    """An EDGAR submission (.txt or .nc) as a filing: its header gives accession, type, date and parties."""
    nc = data.lstrip().startswith(b"<SUBMISSION>")
    header = read_header(data[: data.find(b"<DOCUMENT>")] if b"<DOCUMENT>" in data else data)
    if header.warnings:
        raise ValueError(header.warnings[0].message)
    if header.accession_number is None:
        raise ValueError("no accession number in the header")
    form_type = header.form_type or "4"
    parties = [(int(p.cik), p.name or "", _ROLES[p.role]) for p in header.parties if p.cik is not None]
    company, others, roles = _assign(form_type, parties)
    period = header.period_of_report
    if header.filed_at is None and period is None:
        raise ValueError("no filing date (FILED AS OF DATE) and no period of report in the header")
    xml = ownership_xml(data)
    facts = _xml_facts(xml) if xml else {}
    named = _FILENAME.search(data)
    document = _str(named.group(1)) if named else ("form4.xml" if xml else "")
    filing = MirrorFiling(
        accession_number=header.accession_number, cik_issuer=company[0], cik_owners=tuple(p[0] for p in others),
        form_type=form_type, filed=header.filed_at or next_business_day(period or dt.date.min),
        company=company[1], ticker=facts.get("issuerTradingSymbol") or None, submission=data, xml=xml,
        owner_names=tuple(p[1] for p in others), period=period, document=document, roles=roles,
        text=None if xml or not named else _first_text(data))
    if nc:  # EDGAR serves the dissemination form at ACCESSION.txt; the real .nc goes in the feed
        filing = replace(filing, submission=txt_form(filing, documents_of(data)), nc=data)
    return filing


def submission_filing(path: Path) -> MirrorFiling:
    """A real submission file (.txt or .nc) as a filing."""
    try:
        return filing_from_submission(path.read_bytes())
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}") from None


# -- ownership XML --------------------------------------------------------------------------------------


def _xml_facts(xml: bytes) -> dict[str, Any]:
    """What an ownership document says about its parties."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    root = etree.fromstring(xml, parser)
    if root is None:
        return {"issuerCik": "", "issuerName": "", "issuerTradingSymbol": "", "documentType": "",
                "periodOfReport": "", "owners": [], "owner_names": [], "root": ""}

    def texts(tag: str) -> list[str]:
        return [" ".join("".join(str(t) for t in e.itertext()).split()) for e in root.iter("{*}" + tag)]

    first = {tag: next(iter(texts(tag)), "") for tag in
             ("issuerCik", "issuerName", "issuerTradingSymbol", "documentType", "periodOfReport")}
    return {**first, "owners": texts("rptOwnerCik"), "owner_names": texts("rptOwnerName"),
            "root": etree.QName(root).localname}


def _envelope_document(f: MirrorFiling, xml: bytes) -> bytes:
    return (f"<DOCUMENT>\n<TYPE>{f.form_type}\n<SEQUENCE>1\n<FILENAME>{f.document}\n"
            "<DESCRIPTION>PRIMARY DOCUMENT\n<TEXT>\n<XML>\n").encode() + xml.strip() + b"\n</XML>\n</TEXT>\n</DOCUMENT>"


def xml_filing(xml: bytes, name: str, accession: Callable[[dt.date], str]) -> MirrorFiling:
    """An ownership document in a submission envelope, filed the business day after its period of report
    (the XML names no filing date); ``accession`` gives its accession number from that day."""
    facts = _xml_facts(xml)
    if facts["root"] != "ownershipDocument":
        raise ValueError(f"not an ownership document (root element {facts['root'] or 'none'!r})")
    if not facts["issuerCik"].isdigit():
        raise ValueError(f"issuerCik {facts['issuerCik']!r} is not a CIK")
    try:
        period: dt.date | None = _ymd(facts["periodOfReport"])
    except (ValueError, IndexError):
        period = None
    base = MirrorFiling(
        accession_number="", cik_issuer=int(facts["issuerCik"]),
        cik_owners=tuple(int(c) for c in facts["owners"] if c.isdigit()), form_type=facts["documentType"] or "4",
        filed=next_business_day(period or dt.date(2024, 1, 2)), company=facts["issuerName"] or "UNKNOWN ISSUER",
        ticker=facts["issuerTradingSymbol"] or None, submission=b"", xml=xml,
        owner_names=tuple(facts["owner_names"]), period=period, document=f"{Path(name).stem[:40] or 'form4'}.xml")
    base = replace(base, accession_number=accession(base.filed))
    return replace(base, submission=txt_form(base, _envelope_document(base, xml)))


# -- other forms ----------------------------------------------------------------------------------------


def other_filing(accession: str, form_type: str, filed: dt.date, company: tuple[int, str],
                 filed_by: Sequence[tuple[int, str]] = (), text: str = "", document: str = "") -> MirrorFiling:
    """A filing that is no Section 16 form, around one plain text document: by ``company`` alone (its Filer),
    or, with ``filed_by``, about ``company`` (its Subject) by others (Filed by), as a 13D or a 425 is."""
    name = document or f"{accession.replace('-', '')}_{re.sub(r'[^a-z0-9]', '', form_type.lower())}.txt"
    body = (text or f"{form_type} of {company[1]}, filed {filed.isoformat()}.").encode("latin-1", "replace") + b"\n"
    filing = MirrorFiling(
        accession_number=accession, cik_issuer=company[0], cik_owners=tuple(c for c, _ in filed_by),
        form_type=form_type, filed=filed, company=company[1], ticker=None, submission=b"", xml=None,
        owner_names=tuple(n for _, n in filed_by), document=name, text=body,
        roles=("Filed by", "Subject") if filed_by else ("Filer", "Filer"))
    documents = (f"<DOCUMENT>\n<TYPE>{form_type}\n<SEQUENCE>1\n<FILENAME>{name}\n<DESCRIPTION>{form_type}\n"
                 "<TEXT>\n").encode() + body + b"</TEXT>\n</DOCUMENT>"
    return replace(filing, submission=txt_form(filing, documents))


# Made-up companies (CIKs from 1999990 up; "EXAMPLE" in every name) for the forms a feed brings beside Form 4.
_OTHERS: tuple[tuple[str, tuple[int, str], tuple[tuple[int, str], ...]], ...] = (
    ("424B2", (1999991, "EXAMPLE STRUCTURED NOTES FINANCE LLC"), ()),
    ("497K", (1999992, "EXAMPLE MUNICIPAL BOND FUND"), ()),
    ("SC 13D", (1999993, "EXAMPLE TARGET HOLDINGS INC"), ((1999994, "EXAMPLE ACTIVIST CAPITAL LP"),)),
    ("425", (1999995, "EXAMPLE INCOME TRUST"), ((1999996, "EXAMPLE MUNICIPAL INCOME FUND"),)),
)


def other_forms(day: dt.date) -> list[MirrorFiling]:
    """A handful of filings of other forms on ``day``: a 424B2 and a 497K (a Filer each), a 13D and a 425
    (a Subject and who Filed by). Their accession numbers (filer 9999999998) are the day's own."""
    return [other_filing(f"9999999998-{day:%y}-{day.timetuple().tm_yday:03d}{i:03d}", form, day, company, by)
            for i, (form, company, by) in enumerate(_OTHERS, 1)]


# -- files a user gives -----------------------------------------------------------------------------


@dataclass
class Accessions:
    """Accession numbers made up for documents that carry none: filer 9999999999, the filing's year."""

    seen: set[str] = field(default_factory=set)
    made_up: int = 0

    def __call__(self, filed: dt.date) -> str:
        acc = ""
        while not acc or acc in self.seen:
            self.made_up += 1
            acc = f"9999999999-{filed:%y}-{self.made_up:06d}"
        self.seen.add(acc)
        return acc

    def for_document(self, name: str) -> Callable[[dt.date], str]:
        """The accession number a document's name carries (unless taken already), else one made up."""
        named = _ACCESSION_IN_NAME.search(Path(name).name)

        def accession(filed: dt.date) -> str:
            if named and named.group(1) not in self.seen:
                self.seen.add(named.group(1))
                return named.group(1)
            return self(filed)

        return accession


def filing_from(name: str, data: bytes, accessions: Accessions) -> MirrorFiling:
    """One document as a filing: an EDGAR submission as it is, ownership XML in an envelope."""
    kind = detect_input(data)
    if kind is Format.SUBMISSION:
        return filing_from_submission(data)
    if kind is Format.XML:
        return xml_filing(data, name, accessions.for_document(name))
    raise ValueError(f"not an EDGAR submission or an ownership XML document ({kind.value})")


@dataclass
class Loaded:
    """The filings read from a user's files, and one line for each document that is not one."""

    filings: list[MirrorFiling] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def load_filings(paths: Iterable[str | os.PathLike[str]]) -> Loaded:
    """Every filing under ``paths`` (files, directories, .zip/.tar/.tar.gz archives), each accession once."""
    loaded, accessions, taken = Loaded(), Accessions(), set()
    for doc in iter_documents(paths):
        try:
            if doc.error is not None:
                raise ValueError(str(doc.error))
            filing = filing_from(doc.name, doc.data, accessions)
        except ValueError as exc:
            loaded.errors.append(f"{doc.name}: {exc}")
            continue
        if filing.accession_number in taken:
            loaded.errors.append(f"{doc.name}: accession {filing.accession_number} is given twice; the first is kept")
            continue
        taken.add(filing.accession_number)
        accessions.seen.add(filing.accession_number)
        loaded.filings.append(filing)
    return loaded
