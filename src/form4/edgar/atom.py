"""EDGAR's latest-filings Atom feed (``browse-edgar?action=getcurrent&output=atom``).

A filing appears once per party, its role at the end of the entry's title: a Form 4 as
"(Reporting)" for its owner and "(Issuer)" for its issuer; other forms as "(Filer)", "(Subject)"
or "(Filed by)". Entries are returned in feed order with duplicates kept; the caller decides how
to dedup.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

from form4.errors import EdgarError

__all__ = ["AtomEntry", "parse_atom"]

_NS = "{http://www.w3.org/2005/Atom}"
_ACCESSION = re.compile(r"(\d{10}-\d{2}-\d{6})")
# "4 - Musk Elon (0001494730) (Reporting)": the CIK is the last number in parentheses before the role.
_TITLE = re.compile(r"^\s*(?P<form>.+?)\s+-\s+(?P<name>.*)\((?P<cik>\d{1,10})\)\s*\((?P<role>[^)]*)\)\s*$", re.S)
_FILED = re.compile(r"Filed:(?:\s|<[^>]*>)*(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True, slots=True)
class AtomEntry:
    accession_number: str
    form_type: str
    cik: int
    filed: dt.date | None
    updated: dt.datetime
    link: str
    name: str = ""  # the party's name as the title gives it
    role: str = ""  # the party's role in the filing: Reporting, Issuer, Filer, Subject, Filed by


def _parser() -> etree.XMLParser:
    # A feed is outside input: no entity expansion, no DTD or network fetches.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_atom(data: bytes) -> list[AtomEntry]:
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise EdgarError(f"Atom feed is not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        # Real feeds declare no DTD; one that does is hostile or broken: refused, never expanded.
        raise EdgarError("Atom feed declares a DTD: refused")
    if root.tag != f"{_NS}feed":
        raise EdgarError(f"not an Atom feed: root element is {root.tag!r}")
    return [_entry(n, entry) for n, entry in enumerate(root.iter(f"{_NS}entry"), 1)]


def _entry(n: int, entry: etree._Element) -> AtomEntry:
    def text(tag: str) -> str:
        return (entry.findtext(f"{_NS}{tag}") or "").strip()

    title = _TITLE.match(text("title"))
    accession = _ACCESSION.search(text("id")) or _ACCESSION.search(text("summary"))
    if title is None or accession is None:
        raise EdgarError(f"Atom entry {n}: no form type, CIK or accession number in {text('title')!r}")
    category = entry.find(f"{_NS}category")
    form = category.get("term") if category is not None and category.get("term") else title.group("form")
    link = entry.find(f"{_NS}link")
    try:
        updated = dt.datetime.fromisoformat(text("updated"))
    except ValueError:
        raise EdgarError(f"Atom entry {n}: updated {text('updated')!r} is not a date and time") from None
    filed = _FILED.search(text("summary"))
    return AtomEntry(
        accession_number=accession.group(1),
        form_type=str(form).strip(),
        cik=int(title.group("cik")),
        filed=dt.date.fromisoformat(filed.group(1)) if filed else None,
        updated=updated,
        link=str(link.get("href", "")) if link is not None else "",
        name=" ".join(title.group("name").split()),
        role=" ".join(title.group("role").split()),
    )
