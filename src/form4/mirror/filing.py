"""One filing of a mirror, and the two forms EDGAR disseminates it in: ``ACCESSION.txt`` (``<SEC-DOCUMENT>``
with a text header) and the daily feed's ``ACCESSION.nc`` (``<SUBMISSION>`` with tagged header values).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

__all__ = ["SECTION_16", "MirrorFiling", "documents_of", "nc_form", "txt_form"]

SECTION_16 = ("3", "4", "5")

# How each party's part is named: in the feed's titles, the .txt header and the .nc header.
_TXT_SECTION = {"Reporting": "REPORTING-OWNER", "Issuer": "ISSUER", "Filer": "FILER", "Subject": "SUBJECT COMPANY",
                "Filed by": "FILED BY"}
_NC_SECTION = {"Reporting": "REPORTING-OWNER", "Issuer": "ISSUER", "Filer": "FILER", "Subject": "SUBJECT-COMPANY",
               "Filed by": "FILED-BY"}


@dataclass(frozen=True, slots=True)
class MirrorFiling:
    """A filing as a mirror lists it. For a Section 16 form, ``cik_issuer``/``company`` is the issuer and
    ``cik_owners`` the reporting owners; for any other form they are the company the filing is about (its
    filer, or the subject company) and the other filers, with ``roles`` naming both parts as the feed does."""

    accession_number: str
    cik_issuer: int
    cik_owners: tuple[int, ...]
    form_type: str
    filed: dt.date
    company: str
    ticker: str | None
    submission: bytes  # the dissemination form (.txt) EDGAR serves at ACCESSION.txt
    xml: bytes | None  # the primary document, when the filing has ownership XML
    owner_names: tuple[str, ...] = ()
    period: dt.date | None = None
    document: str = "form4.xml"
    nc: bytes | None = None  # the feed form, when there is a real one; rendered otherwise
    text: bytes | None = None  # the primary document when it is not ownership XML (a prospectus, a 13D)
    roles: tuple[str, str] = ("Reporting", "Issuer")  # the owners' role, the company's role

    @property
    def section_16(self) -> bool:
        return self.form_type.removesuffix("/A") in SECTION_16

    def owner_name(self, i: int) -> str:
        return self.owner_names[i] if i < len(self.owner_names) else f"REPORTING OWNER {self.cik_owners[i]}"

    def parties(self) -> list[tuple[int, str, str]]:
        """(CIK, name, role) of everyone the filing is listed under; EDGAR lists it once per party,
        reporting owners before their issuer, a subject company before those who filed about it."""
        owners = [(cik, self.owner_name(i), self.roles[0]) for i, cik in enumerate(self.cik_owners)]
        company = (self.cik_issuer, self.company, self.roles[1])
        return [*owners, company] if self.roles[1] == "Issuer" else [company, *owners]

    def folder_documents(self) -> dict[str, bytes]:
        """The documents a filing's folder holds beside its ``ACCESSION.txt``."""
        primary = self.xml if self.xml is not None else self.text
        return {self.document: primary} if primary is not None and self.document else {}


def documents_of(submission: bytes) -> bytes:
    """The ``<DOCUMENT>`` blocks of a submission, as they are: the part both forms share."""
    start, stop = submission.find(b"<DOCUMENT>"), submission.rfind(b"</DOCUMENT>")
    return submission[start: stop + len(b"</DOCUMENT>")] if 0 <= start < stop else b""


def txt_form(f: MirrorFiling, documents: bytes) -> bytes:
    """The dissemination form: ``<SEC-HEADER>`` then the documents, as EDGAR's ACCESSION.txt."""
    day, acc = f"{f.filed:%Y%m%d}", f.accession_number
    head = [f"<SEC-DOCUMENT>{acc}.txt : {day}", f"<SEC-HEADER>{acc}.hdr.sgml : {day}",
            f"<ACCEPTANCE-DATETIME>{day}170000", f"ACCESSION NUMBER:\t\t{acc}",
            f"CONFORMED SUBMISSION TYPE:\t{f.form_type}", f"PUBLIC DOCUMENT COUNT:\t\t{documents.count(b'<DOCUMENT>')}"]
    if f.period:
        head.append(f"CONFORMED PERIOD OF REPORT:\t{f.period:%Y%m%d}")
    head += [f"FILED AS OF DATE:\t\t{day}", f"DATE AS OF CHANGE:\t\t{day}", ""]
    for cik, name, role in f.parties():
        data = "OWNER DATA" if role == "Reporting" else "COMPANY DATA"
        head += [f"{_TXT_SECTION.get(role, 'FILER')}:", "", f"\t{data}:", f"\t\tCOMPANY CONFORMED NAME:\t\t\t{name}",
                 f"\t\tCENTRAL INDEX KEY:\t\t\t{cik:010d}", ""]
        if role != "Issuer":  # a Form 4's issuer files nothing: its reporting owners do
            head += ["\tFILING VALUES:", f"\t\tFORM TYPE:\t\t{f.form_type}", "\t\tSEC ACT:\t\t1934 Act", ""]
    head += ["</SEC-HEADER>", ""]
    return "\n".join(head).encode() + documents + b"\n</SEC-DOCUMENT>\n"


def nc_form(f: MirrorFiling, documents: bytes) -> bytes:
    """The daily feed form: ``<SUBMISSION>`` with tagged header values (names escaped as in the feed)."""
    head = [f"<SUBMISSION>\n<ACCESSION-NUMBER>{f.accession_number}\n<TYPE>{f.form_type}\n"
            f"<PUBLIC-DOCUMENT-COUNT>{documents.count(b'<DOCUMENT>')}"]
    if f.period:
        head.append(f"<PERIOD>{f.period:%Y%m%d}")
    head.append(f"<FILING-DATE>{f.filed:%Y%m%d}")
    for cik, name, role in f.parties():
        tag, data = _NC_SECTION.get(role, "FILER"), "OWNER-DATA" if role == "Reporting" else "COMPANY-DATA"
        values = "" if role == "Issuer" else \
            f"<FILING-VALUES>\n<FORM-TYPE>{f.form_type}\n<ACT>34\n</FILING-VALUES>\n"
        head.append(f"<{tag}>\n<{data}>\n<CONFORMED-NAME>{escape(name)}\n<CIK>{cik:010d}\n</{data}>\n{values}</{tag}>")
    return ("\n".join(head) + "\n").encode() + documents + b"\n</SUBMISSION>\n"
