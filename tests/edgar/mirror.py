"""A local EDGAR mirror: filings written under a root at the paths EDGAR serves them, in EDGAR's shapes.

``build_mirror(root, filings)`` writes each filing's ``ACCESSION.txt`` and folder (``index.json`` and the
primary XML) under every party's CIK, the daily and full indexes, the quarter listings, one feed archive
per day, the submissions JSON of every CIK (older filings on a ``-submissions-001.json`` page),
``company_tickers.json`` and the Atom feeds. ``Mirror.add`` files more later, so a watcher sees new ones.

``corpus_filings()`` turns the shared corpus into filings; ``generated_filings(n, seed)`` clones them
with fresh accession numbers and dates (byte templates, no XML parsing per clone) for benchmarks.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import re
import tarfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from form4.edgar import paths
from form4.readers.submission import ownership_xml
from tests.conftest import CORPUS

__all__ = ["Mirror", "MirrorFiling", "build_mirror", "corpus_filings", "generated_filings", "nc_form",
           "submission_filing", "txt_form"]


@dataclass(frozen=True, slots=True)
class MirrorFiling:
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

    def owner_name(self, i: int) -> str:
        return self.owner_names[i] if i < len(self.owner_names) else f"REPORTING OWNER {self.cik_owners[i]}"

    def parties(self) -> list[tuple[int, str, str]]:
        """(CIK, name, role) of everyone the filing is listed under; EDGAR lists it once per party."""
        owners = [(cik, self.owner_name(i), "Reporting") for i, cik in enumerate(self.cik_owners)]
        return [*owners, (self.cik_issuer, self.company, "Issuer")]


# -- envelopes --------------------------------------------------------------------------------


def _documents(submission: bytes) -> bytes:
    """The ``<DOCUMENT>`` blocks of a submission, as they are: the part both forms share."""
    start, stop = submission.find(b"<DOCUMENT>"), submission.rfind(b"</DOCUMENT>")
    return submission[start: stop + len(b"</DOCUMENT>")] if 0 <= start < stop else b""


def _envelope_document(f: MirrorFiling, xml: bytes) -> bytes:
    return (f"<DOCUMENT>\n<TYPE>{f.form_type}\n<SEQUENCE>1\n<FILENAME>{f.document}\n"
            "<DESCRIPTION>PRIMARY DOCUMENT\n<TEXT>\n<XML>\n").encode() + xml.strip() + b"\n</XML>\n</TEXT>\n</DOCUMENT>"


def txt_form(f: MirrorFiling, documents: bytes) -> bytes:
    """The dissemination form: ``<SEC-HEADER>`` then the documents, as EDGAR's ACCESSION.txt."""
    day, acc = f"{f.filed:%Y%m%d}", f.accession_number
    head = [f"<SEC-DOCUMENT>{acc}.txt : {day}", f"<SEC-HEADER>{acc}.hdr.sgml : {day}",
            f"<ACCEPTANCE-DATETIME>{day}170000", f"ACCESSION NUMBER:\t\t{acc}",
            f"CONFORMED SUBMISSION TYPE:\t{f.form_type}", "PUBLIC DOCUMENT COUNT:\t\t1"]
    if f.period:
        head.append(f"CONFORMED PERIOD OF REPORT:\t{f.period:%Y%m%d}")
    head += [f"FILED AS OF DATE:\t\t{day}", f"DATE AS OF CHANGE:\t\t{day}", ""]
    for i, cik in enumerate(f.cik_owners):
        head += ["REPORTING-OWNER:", "", "\tOWNER DATA:", f"\t\tCOMPANY CONFORMED NAME:\t\t\t{f.owner_name(i)}",
                 f"\t\tCENTRAL INDEX KEY:\t\t\t{cik:010d}", "", "\tFILING VALUES:",
                 f"\t\tFORM TYPE:\t\t{f.form_type}", "\t\tSEC ACT:\t\t1934 Act", ""]
    head += ["ISSUER:", "", "\tCOMPANY DATA:", f"\t\tCOMPANY CONFORMED NAME:\t\t\t{f.company}",
             f"\t\tCENTRAL INDEX KEY:\t\t\t{f.cik_issuer:010d}", "</SEC-HEADER>", ""]
    return "\n".join(head).encode() + documents + b"\n</SEC-DOCUMENT>\n"


def nc_form(f: MirrorFiling, documents: bytes) -> bytes:
    """The daily feed form: ``<SUBMISSION>`` with tagged header values (names escaped as in the feed)."""
    head = [f"<SUBMISSION>\n<ACCESSION-NUMBER>{f.accession_number}\n<TYPE>{f.form_type}\n<PUBLIC-DOCUMENT-COUNT>1"]
    if f.period:
        head.append(f"<PERIOD>{f.period:%Y%m%d}")
    head.append(f"<FILING-DATE>{f.filed:%Y%m%d}")
    for i, cik in enumerate(f.cik_owners):
        head.append(f"<REPORTING-OWNER>\n<OWNER-DATA>\n<CONFORMED-NAME>{escape(f.owner_name(i))}\n<CIK>{cik:010d}\n"
                    f"</OWNER-DATA>\n<FILING-VALUES>\n<FORM-TYPE>{f.form_type}\n<ACT>34\n</FILING-VALUES>\n"
                    "</REPORTING-OWNER>")
    head.append(f"<ISSUER>\n<COMPANY-DATA>\n<CONFORMED-NAME>{escape(f.company)}\n<CIK>{f.cik_issuer:010d}\n"
                "</COMPANY-DATA>\n</ISSUER>\n")
    return "\n".join(head).encode() + documents + b"\n</SUBMISSION>\n"


# -- the mirror -------------------------------------------------------------------------------


def _accession_dir(acc: str) -> str:
    return acc.replace("-", "")


_EASTERN = dt.timezone(dt.timedelta(hours=-5), "EST")  # EDGAR stamps its feed in New York time


def _is_form(form: str, wanted: str) -> bool:
    return form == wanted or form.removesuffix("/A") == wanted


@dataclass
class Mirror:
    """A root directory laid out as EDGAR; ``add`` writes more filings and refreshes what lists them."""

    root: Path
    page_size: int = 5
    filings: list[MirrorFiling] = field(default_factory=list)

    def atom_file(self, form: str) -> str:
        """The EDGAR-like path the default ``getcurrent`` feed of a form type is written at."""
        return f"/cgi-bin/browse-edgar/getcurrent-{form}.atom"

    def file(self, path: str) -> Path:
        """Where an EDGAR path (query stripped) lives under the root."""
        return self.root / path.split("?", 1)[0].lstrip("/")

    def add(self, filings: Iterable[MirrorFiling]) -> list[MirrorFiling]:
        new = list(filings)
        known = {f.accession_number for f in self.filings}
        for f in new:
            if f.accession_number in known:
                raise ValueError(f"accession {f.accession_number} is in the mirror already")
            known.add(f.accession_number)
        self.filings.extend(new)
        for f in new:
            self._write_filing(f)
        days = {f.filed for f in new}
        quarters = {(d.year, paths.quarter_of(d)) for d in days}
        ciks = {cik for f in new for cik, _, _ in f.parties()}
        by_day: dict[dt.date, list[MirrorFiling]] = defaultdict(list)
        by_quarter: dict[tuple[int, int], list[MirrorFiling]] = defaultdict(list)
        by_cik: dict[int, list[MirrorFiling]] = defaultdict(list)
        for f in self.filings:
            if f.filed in days:
                by_day[f.filed].append(f)
            if (f.filed.year, paths.quarter_of(f.filed)) in quarters:
                by_quarter[f.filed.year, paths.quarter_of(f.filed)].append(f)
            for cik, _, _ in f.parties():
                if cik in ciks:
                    by_cik[cik].append(f)
        for day, group in by_day.items():
            self._write_day(day, group)
        for (year, quarter), group in by_quarter.items():
            self._write_quarter(year, quarter, group)
        for cik, group in by_cik.items():
            self._write_submissions(cik, group)
        self._write_tickers()
        for form in sorted({f.form_type.removesuffix("/A") for f in self.filings}):
            self._put(self.atom_file(form), self.atom(form))
        return new

    # Filings

    def _put(self, path: str, data: bytes) -> Path:
        target = self.file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # a server never reads half a file
        return target

    def _write_filing(self, f: MirrorFiling) -> None:
        acc, stamp = f.accession_number, f"{f.filed:%Y-%m-%d} 17:00:00"
        files = {f"{acc}.txt": f.submission, **({f.document: f.xml} if f.xml is not None else {})}
        written: dict[str, Path] = {}
        # EDGAR lists a filing under every party's CIK; hard links keep that at the size of one copy.
        for cik in dict.fromkeys((f.cik_issuer, *f.cik_owners)):
            targets = [(paths.submission(cik, acc), f"{acc}.txt")] + [(paths.document(cik, acc, n), n) for n in files]
            for path, name in targets:
                if name in written:
                    _link(written[name], self.file(path))
                else:
                    written[name] = self._put(path, files[name])
            folder = paths.folder(cik, acc)
            items = [{"last-modified": stamp, "name": n, "type": "text.gif", "size": str(len(body))}
                     for n, body in files.items()]
            self._put(folder, json.dumps({"directory": {"item": items, "name": folder.removesuffix("/index.json"),
                                                        "parent-dir": f"/Archives/edgar/data/{cik}/"}}).encode())

    # Indexes

    def _rows(self, group: list[MirrorFiling]) -> list[tuple[str, str, int, dt.date, str]]:
        return [(f.form_type, name, cik, f.filed, f"edgar/data/{cik}/{f.accession_number}.txt")
                for f in group for cik, name, _ in f.parties()]

    def _write_day(self, day: dt.date, group: list[MirrorFiling]) -> None:
        rows = self._rows(group)
        self._put(paths.daily_index(day), _form_idx(rows, daily=True, last=day))
        self._put(paths.daily_index(day, "master"), _master_idx(rows, daily=True, last=day))
        self._write_feed(day, group)

    def _write_feed(self, day: dt.date, group: list[MirrorFiling]) -> None:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
            for f in sorted(group, key=lambda f: f.accession_number):
                body = f.nc or nc_form(f, _documents(f.submission))
                info = tarfile.TarInfo(f"{f.accession_number}.nc")
                info.size, info.mtime = len(body), 0
                tar.addfile(info, io.BytesIO(body))
        self._put(paths.feed_archive(day), buffer.getvalue())

    def _write_quarter(self, year: int, quarter: int, group: list[MirrorFiling]) -> None:
        rows = self._rows(group)
        last = max(f.filed for f in group)
        form = _form_idx(rows, daily=False, last=last)
        self._put(paths.full_index(year, quarter), form)
        self._put(paths.full_index(year, quarter, gz=True), gzip.compress(form, mtime=0))
        self._put(paths.full_index(year, quarter, "master"), _master_idx(rows, daily=False, last=last))
        listing = paths.daily_listing(year, quarter)
        folder = self.file(listing).parent
        items = [{"last-modified": f"{_day_of(p.name):%m/%d/%Y} 10:00:00 PM", "name": p.name, "type": "file",
                  "href": p.name, "size": f"{max(1, p.stat().st_size // 1024)} KB"}
                 for p in sorted(folder.glob("*.idx"))]
        self._put(listing, json.dumps({"directory": {"item": items, "name": f"daily-index/{year}/QTR{quarter}/",
                                                     "parent-dir": "../"}}).encode())

    # Submissions API, tickers, Atom

    def _write_submissions(self, cik: int, group: list[MirrorFiling]) -> None:
        newest = sorted(group, key=lambda f: (f.filed, f.accession_number), reverse=True)
        recent, older = newest[: self.page_size], newest[self.page_size:]
        issuer = [f for f in group if f.cik_issuer == cik]
        names = [f.company for f in issuer] or [f.owner_name(f.cik_owners.index(cik)) for f in group]
        tickers = sorted({f.ticker.upper() for f in issuer if f.ticker})
        files = []
        if older:
            page = f"CIK{cik:010d}-submissions-001.json"
            self._put(paths.submissions_page(page), json.dumps(_columns(older)).encode())
            files.append({"name": page, "filingCount": len(older), "filingFrom": older[-1].filed.isoformat(),
                          "filingTo": older[0].filed.isoformat()})
        doc = {"cik": str(cik), "entityType": "operating" if issuer else "other", "sic": "", "sicDescription": "",
               "insiderTransactionForOwnerExists": int(len(issuer) < len(group)),
               "insiderTransactionForIssuerExists": int(bool(issuer)), "name": names[-1], "tickers": tickers,
               "exchanges": [""] * len(tickers), "filings": {"recent": _columns(recent), "files": files}}
        self._put(paths.submissions(cik), json.dumps(doc).encode())

    def _write_tickers(self) -> None:
        ciks: dict[str, tuple[int, str]] = {}
        for f in sorted(self.filings, key=lambda f: f.cik_issuer):
            if f.ticker:
                ciks.setdefault(f.ticker.upper(), (f.cik_issuer, f.company))
        rows = {str(i): {"cik_str": cik, "ticker": ticker, "title": title}
                for i, (ticker, (cik, title)) in enumerate(sorted(ciks.items()))}
        self._put(paths.TICKERS, json.dumps(rows).encode())

    def atom(self, form: str = "4", start: int = 0, count: int = 100) -> bytes:
        """The ``getcurrent`` feed for a form type (amendments too): newest first, one entry per party."""
        # Filings accepted in the order they were added, a second apart from 06:00, so that
        # "updated" grows as a watcher expects.
        accepted: dict[str, dt.datetime] = {}
        on_day: Counter[dt.date] = Counter()
        for f in self.filings:
            accepted[f.accession_number] = dt.datetime.combine(f.filed, dt.time(6), _EASTERN) + dt.timedelta(
                seconds=on_day[f.filed])
            on_day[f.filed] += 1
        newest = sorted((f for f in self.filings if _is_form(f.form_type, form)),
                        key=lambda f: accepted[f.accession_number], reverse=True)
        entries = [(f, accepted[f.accession_number], cik, name, role)
                   for f in newest for cik, name, role in f.parties()][start: start + count]
        body = "".join(_atom_entry(*e) for e in entries)
        return ('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
                "<title>Latest Filings</title>\n"
                '<link rel="alternate" href="/cgi-bin/browse-edgar?action=getcurrent"/>\n'
                "<author><name>Webmaster</name><email>webmaster@sec.gov</email></author>\n"
                f"<updated>{dt.date.today()}T17:00:00-05:00</updated>\n{body}</feed>\n"
                ).encode("latin-1", "xmlcharrefreplace")


def build_mirror(root: Path, filings: Iterable[MirrorFiling], page_size: int = 5) -> Mirror:
    mirror = Mirror(Path(root), page_size)
    mirror.add(filings)
    return mirror


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        target.write_bytes(source.read_bytes())


def _day_of(name: str) -> dt.date:
    raw = name.split(".")[1]
    return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))


def _preamble(title: str, last: dt.date) -> str:
    return (f"Description:           {title}\nLast Data Received:    {last:%B %d, %Y}\n"
            "Comments:              webmaster@sec.gov\nAnonymous FTP:         ftp://ftp.sec.gov/edgar/\n"
            "Cloud HTTP:            https://www.sec.gov/Archives/\n \n \n \n")


def _form_idx(rows: list[tuple[str, str, int, dt.date, str]], daily: bool, last: dt.date) -> bytes:
    title = "Daily Index of EDGAR Dissemination Feed by Form Type" if daily else \
        "Master Index of EDGAR Dissemination Feed by Form Type"
    out = [_preamble(title, last), f"{'Form Type':<12}{'Company Name':<62}{'CIK':<12}{'Date Filed':<12}File Name\n",
           "-" * 141 + "\n"]
    for form, name, cik, day, path in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        filed = f"{day:%Y%m%d}" if daily else day.isoformat()
        out.append(f"{form:<12}{name[:61]:<62}{cik:<12}{filed:<12}{path}         \n")
    return "".join(out).encode("latin-1", "replace")


def _master_idx(rows: list[tuple[str, str, int, dt.date, str]], daily: bool, last: dt.date) -> bytes:
    title = "Daily Index of EDGAR Dissemination Feed by Company Name" if daily else \
        "Master Index of EDGAR Dissemination Feed"
    out = [_preamble(title, last), "CIK|Company Name|Form Type|Date Filed|Filename\n", "-" * 80 + "\n"]
    for form, name, cik, day, path in sorted(rows, key=lambda r: (r[2], r[0], r[4])):
        filed = f"{day:%Y%m%d}" if daily else day.isoformat()
        out.append(f"{cik}|{name.replace('|', ' ')}|{form}|{filed}|{path}\n")
    return "".join(out).encode("latin-1", "replace")


def _columns(filings: list[MirrorFiling]) -> dict[str, list[Any]]:
    """The submissions API's columnar table: one array per field."""
    return {
        "accessionNumber": [f.accession_number for f in filings],
        "filingDate": [f.filed.isoformat() for f in filings],
        "reportDate": [f.period.isoformat() if f.period else "" for f in filings],
        "acceptanceDateTime": [f"{f.filed.isoformat()}T17:00:00.000Z" for f in filings],
        "act": ["" for _ in filings],
        "form": [f.form_type for f in filings],
        "fileNumber": ["" for _ in filings],
        "filmNumber": ["" for _ in filings],
        "items": ["" for _ in filings],
        "size": [len(f.submission) for f in filings],
        "isXBRL": [0 for _ in filings],
        "isInlineXBRL": [0 for _ in filings],
        "primaryDocument": [f.document if f.xml is not None else f"{f.accession_number}.txt" for f in filings],
        "primaryDocDescription": [f"FORM {f.form_type}" for f in filings],
    }


def _atom_entry(f: MirrorFiling, updated: dt.datetime, cik: int, name: str, role: str) -> str:
    acc = f.accession_number
    href = f"https://www.sec.gov/Archives/edgar/data/{cik}/{_accession_dir(acc)}/{acc}-index.htm"
    summary = escape(f" <b>Filed:</b> {f.filed.isoformat()} <b>AccNo:</b> {acc} "
                     f"<b>Size:</b> {max(1, len(f.submission) // 1024)} KB")
    return (f"<entry>\n<title>{escape(f'{f.form_type} - {name} ({cik:010d}) ({role})')}</title>\n"
            f'<link rel="alternate" type="text/html" href="{href}"/>\n'
            f'<summary type="html">{summary}</summary>\n<updated>{updated.isoformat()}</updated>\n'
            f'<category scheme="https://www.sec.gov/" label="form type" term="{escape(f.form_type)}"/>\n'
            f"<id>urn:tag:sec.gov,2008:accession-number={acc}</id>\n</entry>\n")


# -- from the corpus ------------------------------------------------------------------------------

_TXT_PARTY = re.compile(rb"\n[ \t]*(REPORTING-OWNER|ISSUER):(.*?)"
                        rb"(?=\n[ \t]*(?:REPORTING-OWNER|ISSUER|FILER|SUBJECT-COMPANY):|</SEC-HEADER>|\Z)", re.S)
_NC_PARTY = re.compile(rb"<(REPORTING-OWNER|ISSUER)>(.*?)</\1>", re.S)
_TXT_FIELDS = {"accession": rb"ACCESSION NUMBER:\s*(\d{10}-\d{2}-\d{6})",
               "type": rb"CONFORMED SUBMISSION TYPE:\s*(\S+)",
               "filed": rb"FILED AS OF DATE:\s*(\d{8})", "period": rb"CONFORMED PERIOD OF REPORT:\s*(\d{8})",
               "name": rb"COMPANY CONFORMED NAME:[ \t]*([^\r\n]+)", "cik": rb"CENTRAL INDEX KEY:\s*(\d+)"}
_NC_FIELDS = {"accession": rb"<ACCESSION-NUMBER>\s*(\d{10}-\d{2}-\d{6})", "type": rb"<TYPE>\s*([^\s<]+)",
              "filed": rb"<FILING-DATE>\s*(\d{8})", "period": rb"<PERIOD>\s*(\d{8})",
              "name": rb"<CONFORMED-NAME>([^\r\n<]+)", "cik": rb"<CIK>\s*(\d+)"}
_ACCESSION_IN_NAME = re.compile(r"(\d{10}-\d{2}-\d{6})")


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


def _find(pattern: bytes, data: bytes) -> bytes | None:
    found = re.search(pattern, data)
    return found.group(1) if found else None


def _xml_facts(xml: bytes) -> dict[str, Any]:
    """What an ownership document says about its parties (the XML is read once, at corpus load)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    root = etree.fromstring(xml, parser)
    if root is None:
        return {"issuerCik": "", "issuerName": "", "issuerTradingSymbol": "", "documentType": "",
                "periodOfReport": "", "owners": [], "owner_names": []}

    def texts(tag: str) -> list[str]:
        return [" ".join("".join(str(t) for t in e.itertext()).split()) for e in root.iter("{*}" + tag)]

    first = {tag: next(iter(texts(tag)), "") for tag in
             ("issuerCik", "issuerName", "issuerTradingSymbol", "documentType", "periodOfReport")}
    return {**first, "owners": texts("rptOwnerCik"), "owner_names": texts("rptOwnerName")}


def submission_filing(path: Path) -> MirrorFiling:
    """A real submission file (.txt or .nc) as a filing: its header gives accession, type, date and CIKs."""
    data = path.read_bytes()
    nc = data.lstrip().startswith(b"<SUBMISSION>")
    fields, parties = (_NC_FIELDS, _NC_PARTY) if nc else (_TXT_FIELDS, _TXT_PARTY)
    header = data[: data.find(b"<DOCUMENT>")]
    owners, issuer = [], None
    for role, block in parties.findall(header):
        name, cik = _find(fields["name"], block), _find(fields["cik"], block)
        if cik is None:
            continue
        if role == b"ISSUER":
            issuer = (int(cik), _str(name or b""))
        else:
            owners.append((int(cik), _str(name or b"")))
    xml = ownership_xml(data)
    facts = _xml_facts(xml) if xml else {}
    if issuer is None:
        raise ValueError(f"{path.name}: no issuer in the header")
    period = _find(fields["period"], header)
    filing = MirrorFiling(
        accession_number=_str(_find(fields["accession"], header) or b""),
        cik_issuer=issuer[0], cik_owners=tuple(c for c, _ in owners), form_type=_str(_find(fields["type"], header)
                                                                                     or b"4"),
        filed=_ymd(_find(fields["filed"], header) or b"20050103"), company=issuer[1],
        ticker=facts.get("issuerTradingSymbol") or None, submission=data, xml=xml,
        owner_names=tuple(n for _, n in owners), period=_ymd(period) if period else None,
        document=_str(_find(rb"<FILENAME>([^\r\n<]+)", data) or b"form4.xml"))
    if nc:  # EDGAR serves the dissemination form at ACCESSION.txt; the real .nc goes in the feed
        filing = replace(filing, submission=txt_form(filing, _documents(data)), nc=data)
    return filing


def _next_business_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _from_xml(path: Path, accession: Callable[[dt.date], str]) -> MirrorFiling:
    xml = path.read_bytes()
    facts = _xml_facts(xml)
    try:
        period: dt.date | None = _ymd(facts["periodOfReport"])
    except (ValueError, IndexError):
        period = None
    base = MirrorFiling(
        accession_number="", cik_issuer=int(facts["issuerCik"] or 0),
        cik_owners=tuple(int(c) for c in facts["owners"] if c.isdigit()), form_type=facts["documentType"] or "4",
        filed=_next_business_day(period or dt.date(2024, 1, 2)), company=facts["issuerName"] or "UNKNOWN ISSUER",
        ticker=facts["issuerTradingSymbol"] or None, submission=b"", xml=xml,
        owner_names=tuple(facts["owner_names"]), period=period, document=f"{path.stem[:40]}.xml")
    base = replace(base, accession_number=accession(base.filed))
    return replace(base, submission=txt_form(base, _envelope_document(base, xml)))


@cache
def _corpus(corpus: Path) -> tuple[MirrorFiling, ...]:
    filings: list[MirrorFiling] = []
    seen: set[str] = set()
    made_up = 0

    def unique(named: str | None, filed: dt.date) -> str:
        # A made-up accession number reads like a real one: filer 9999999999, the filing's year.
        nonlocal made_up
        acc = named
        while not acc or acc in seen:
            made_up += 1
            acc = f"9999999999-{filed:%y}-{made_up:06d}"
        seen.add(acc)
        return acc

    for path in sorted((corpus / "txt").iterdir()):
        if path.suffix in (".txt", ".nc"):
            filing = submission_filing(path)
            if filing.accession_number in seen:  # a corpus variant of a filing already taken
                continue
            seen.add(filing.accession_number)
            filings.append(filing)
    for path in sorted((corpus / "xml").glob("*.xml")):
        named = _ACCESSION_IN_NAME.search(path.name)
        filings.append(_from_xml(path, partial(unique, named.group(1) if named else None)))
    return tuple(f for f in filings if f.cik_issuer)


def corpus_filings(corpus: Path = CORPUS) -> Iterator[MirrorFiling]:
    """The corpus as filings: its real submissions, and its XML documents in a submission envelope."""
    yield from _corpus(corpus)


def generated_filings(n: int, seed: int = 0, per_day: int = 250, start: dt.date = dt.date(2024, 1, 2),
                      corpus: Path = CORPUS) -> Iterator[MirrorFiling]:
    """``n`` distinct filings cloned from the corpus, ``per_day`` to a business day from ``start``.

    Only the header is rendered anew (accession number, date); the documents are reused as bytes.
    """
    templates = [(f, _documents(f.submission)) for f in _corpus(corpus) if f.xml is not None]
    filer = 9_000_000_000 + seed % 999_999_999
    day, on_day = start, 0
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    for i in range(n):
        if on_day == per_day:
            day, on_day = _next_business_day(day), 0
        on_day += 1
        template, documents = templates[(i * 7919 + seed) % len(templates)]
        clone = replace(template, accession_number=f"{filer:010d}-{day:%y}-{i % 1_000_000:06d}", filed=day, nc=None)
        yield replace(clone, submission=txt_form(clone, documents))
