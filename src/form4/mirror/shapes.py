"""EDGAR's files as the SEC writes them, byte for byte where a real one was seen (``tests/edgar/real/``):
the daily and quarterly indexes (``form``, ``company``, ``master``), a filing folder's ``index.json`` and its
``-index.html`` pages, the submissions API's answers, ``company_tickers.json`` and the latest-filings feed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from form4.mirror.filing import MirrorFiling

__all__ = ["NEW_YORK", "Row", "atom_feed", "company_idx", "feed_stamp", "folder_json", "form_idx", "headers_page",
           "index_page", "master_idx", "quarter_listing", "submissions_json", "submissions_page_json", "tickers_json"]

NEW_YORK = ZoneInfo("America/New_York")  # EDGAR stamps its feed and listings in New York time
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

Row = tuple[str, str, int, dt.date, str]  # form type, company name, CIK, date filed, file name


def _json(doc: Any) -> bytes:
    return json.dumps(doc, separators=(",", ":")).encode()  # the SEC's answers carry no whitespace


# -- index files ------------------------------------------------------------------------------------


def _received(last: dt.date, daily: bool) -> str:
    # Daily files abbreviate the month and pad the day with a space ("Jan  2, 2020"); quarterly
    # ones spell the month out ("March 29, 2025").
    month = _MONTHS[last.month - 1]
    return f"{month[:3]} {last.day:2d}, {last.year}" if daily else f"{month} {last.day}, {last.year}"


def _preamble(title: str, last: dt.date, daily: bool, blank: str, cloud: bool = False) -> str:
    lines = [f"Description:           {title}", f"Last Data Received:    {_received(last, daily)}",
             "Comments:              webmaster@sec.gov", "Anonymous FTP:         ftp://ftp.sec.gov/edgar/"]
    if cloud:
        lines.append("Cloud HTTP:            https://www.sec.gov/Archives/")
    return "\n".join(lines) + "\n" + blank


def _filed(day: dt.date, daily: bool) -> str:
    return f"{day:%Y%m%d}" if daily else day.isoformat()


def _encode(lines: Iterable[str]) -> bytes:
    return "".join(lines).encode("latin-1", "replace")


def form_idx(rows: Sequence[Row], daily: bool, last: dt.date) -> bytes:
    """``form.idx``: fixed width, by form type then company (daily: ``form.YYYYMMDD.idx``)."""
    title = "Daily Index of EDGAR Dissemination Feed by Form Type" if daily else \
        "Master Index of EDGAR Dissemination Feed by Form Type"
    out = [_preamble(title, last, daily, " \n" * 4 if daily else "\n" * 4),
           f"{'Form Type':<12}{'Company Name':<62}{'CIK':<12}{'Date Filed':<12}File Name\n", "-" * 141 + "\n"]
    out += [f"{form:<12}{name[:61]:<62}{cik:<12}{_filed(day, daily):<12}{path:<52}\n"
            for form, name, cik, day, path in sorted(rows, key=lambda r: (r[0], r[1], r[2], r[4]))]
    return _encode(out)


def company_idx(rows: Sequence[Row], daily: bool, last: dt.date) -> bytes:
    """``company.idx``: fixed width, by company; the daily file splits its column header over two lines."""
    title = "Daily Index of EDGAR Dissemination Feed by Company Name" if daily else \
        "Master Index of EDGAR Dissemination Feed by Company Name"
    header = f"{'Company Name':<62}{'Form Type':<12}CIK\n      Date Filed  File Name\n" if daily else \
        f"{'Company Name':<62}{'Form Type':<12}{'CIK':<12}{'Date Filed':<12}File Name\n"
    out = [_preamble(title, last, daily, " \n" * 4 if daily else "\n" * 4), header, "-" * (145 if daily else 141)
           + "\n"]
    out += [f"{name[:61]:<62}{form:<12}{cik:<12}{_filed(day, daily):<12}{path:<52}\n"
            for form, name, cik, day, path in sorted(rows, key=lambda r: (r[1], r[0], r[2], r[4]))]
    return _encode(out)


def master_idx(rows: Sequence[Row], daily: bool, last: dt.date) -> bytes:
    """``master.idx``: pipes, by CIK (as text); the daily header says ``File Name``, the quarterly ``Filename``."""
    if daily:
        head = [_preamble("Daily Index of EDGAR Dissemination Feed", last, True, " \n"),
                "CIK|Company Name|Form Type|Date Filed|File Name\n"]
    else:
        head = [_preamble("Master Index of EDGAR Dissemination Feed", last, False, "\n" * 4, cloud=True),
                "CIK|Company Name|Form Type|Date Filed|Filename\n"]
    out = [*head, "-" * 80 + "\n"]
    out += [f"{cik}|{name.replace('|', ' ')}|{form}|{_filed(day, daily)}|{path}\n"
            for form, name, cik, day, path in sorted(rows, key=lambda r: (str(r[2]), r[0], r[4]))]
    return _encode(out)


def quarter_listing(year: int, quarter: int, files: Sequence[tuple[str, int, dt.datetime]]) -> bytes:
    """A quarter's ``daily-index/YYYY/QTRn/index.json``: (name, size, modified) of each file."""
    items = [{"last-modified": f"{at:%m/%d/%Y %I:%M:%S %p}", "name": name, "type": "file", "href": name,
              "size": f"{max(1, size // 1024)} KB"} for name, size, at in files]
    return _json({"directory": {"item": items, "name": f"daily-index/{year}/QTR{quarter}/", "parent-dir": "../"}})


def datasets_page(quarters: Sequence[tuple[int, int, str, int]]) -> bytes:
    """The SEC's page listing the Insider Transactions Data Sets: (year, quarter, path, size) of
    each zip, newest first in a table as sec.gov shows it, each linked relative to www.sec.gov
    with its "2024 Q1" text, among the page's other links."""
    rows = "".join(f'<tr><td><a href="{escape(path)}">{year} Q{quarter}</a></td><td>{size / 1e6:.2f} MB</td></tr>\n'
                   for year, quarter, path, size in sorted(quarters, reverse=True))
    page = f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head><meta charset="utf-8"><title>SEC.gov | Insider Transactions Data Sets</title></head>
<body>
<header><a href="/">U.S. Securities and Exchange Commission</a>
<a href="/data-research">Data &amp; Research</a></header>
<main id="main-content">
<h1 class="page-title">Insider Transactions Data Sets</h1>
<div class="field--name-body"><p>The data sets below provide information extracted from Forms 3, 4, and 5
submitted in XML by insiders. The data is presented in a flattened format to help users analyze it.</p>
<p>See the <a href="/files/structureddata/data/insider-transactions-data-sets/insider_transactions_readme.pdf">
readme</a> for the tables, their fields and how they relate.</p></div>
<table class="usa-table">
<thead><tr><th scope="col">Data Sets</th><th scope="col">File Size</th></tr></thead>
<tbody>
{rows}</tbody>
</table>
</main>
<footer><a href="/privacy">Privacy</a></footer>
</body>
</html>
"""
    return page.encode()


# -- a filing's folder ------------------------------------------------------------------------------


def _icon(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image2.gif", "jpeg": "image2.gif", "gif": "image2.gif", "png": "image2.gif",
            "zip": "compressed.gif"}.get(suffix, "text.gif")


def folder_json(cik: int, accession: str, documents: dict[str, int], accepted: dt.datetime) -> bytes:
    """A folder's ``index.json``: the index pages and the full ``.txt`` (listed without a size), then the
    documents with their sizes, by name whatever the case."""
    stamp = f"{accepted:%Y-%m-%d %H:%M:%S}"
    listed = [(f"{accession}-index-headers.html", ""), (f"{accession}-index.html", ""), (f"{accession}.txt", "")]
    listed += [(name, str(size)) for name, size in sorted(documents.items(), key=lambda d: d[0].lower())]
    items = [{"last-modified": stamp, "name": name, "type": _icon(name), "size": size} for name, size in listed]
    folder = f"/Archives/edgar/data/{cik}/{accession.replace('-', '')}"
    return _json({"directory": {"item": items, "name": folder, "parent-dir": f"/Archives/edgar/data/{cik}"}})


def _page(accession: str, body: str) -> bytes:
    return (f"<!DOCTYPE html>\n<html><head><title>EDGAR Filing Documents for {accession}</title></head>\n"
            f"<body>\n{body}\n</body></html>\n").encode("latin-1", "xmlcharrefreplace")


def index_page(accession: str, submission: bytes, documents: Sequence[str]) -> bytes:
    """A minimal ``-index.htm(l)``: the form type, the filing date and the folder's documents, linked
    (relative links, so one page serves the folder under every party's CIK)."""
    head = submission[: submission.find(b"<DOCUMENT>")].decode("latin-1")
    form = _header_value(head, r"CONFORMED SUBMISSION TYPE:[ \t]*([^\r\n]+)|<TYPE>([^\r\n<]+)")
    filed = _header_value(head, r"FILED AS OF DATE:\s*(\d{8})|<FILING-DATE>\s*(\d{8})")
    links = "".join(f"<tr><td><a href={quoteattr(n)}>{escape(n)}</a></td></tr>\n" for n in documents)
    return _page(accession, f'<div id="formName"><strong>Form {escape(form)}</strong></div>\n'
                 f'<div class="info">Filing Date: {filed[:4]}-{filed[4:6]}-{filed[6:]}</div>\n'
                 f'<table class="tableFile">\n{links}</table>')


def _header_value(head: str, pattern: str) -> str:
    found = re.search(pattern, head)
    return next((g.strip() for g in found.groups() if g), "") if found else ""


def headers_page(accession: str, submission: bytes) -> bytes:
    """A minimal ``-index-headers.html``: the submission's SEC header."""
    end = submission.find(b"</SEC-HEADER>")
    return _page(accession, f"<pre>{escape(submission[: max(end, 0)].decode('latin-1'))}</pre>")


# -- the submissions API ----------------------------------------------------------------------------


def _columns(filings: Sequence[MirrorFiling], accepted: dict[str, dt.datetime]) -> dict[str, list[Any]]:
    """The submissions API's columnar table: one array per field."""
    return {
        "accessionNumber": [f.accession_number for f in filings],
        "filingDate": [f.filed.isoformat() for f in filings],
        "reportDate": [f.period.isoformat() if f.period else "" for f in filings],
        "acceptanceDateTime": [f"{accepted[f.accession_number].astimezone(dt.UTC):%Y-%m-%dT%H:%M:%S}.000Z"
                               for f in filings],
        "act": ["" for _ in filings],
        "form": [f.form_type for f in filings],
        "fileNumber": ["" for _ in filings],
        "filmNumber": ["" for _ in filings],
        "items": ["" for _ in filings],
        "size": [len(f.submission) for f in filings],
        "isXBRL": [0 for _ in filings],
        "isInlineXBRL": [0 for _ in filings],
        "primaryDocument": [next(iter(f.folder_documents()), f"{f.accession_number}.txt") for f in filings],
        "primaryDocDescription": [f"FORM {f.form_type}" if f.section_16 else "" for f in filings],
    }


def submissions_page_json(filings: Sequence[MirrorFiling], accepted: dict[str, dt.datetime]) -> bytes:
    """An older page (``CIK##########-submissions-001.json``): the columns alone."""
    return _json(_columns(filings, accepted))


def _address() -> dict[str, str | None]:
    return {"street1": None, "street2": None, "city": None, "stateOrCountry": None, "zipCode": None,
            "stateOrCountryDescription": None}


def submissions_json(cik: int, name: str, tickers: Sequence[str], issuer: bool, owner: bool,
                     recent: Sequence[MirrorFiling], pages: Sequence[tuple[str, Sequence[MirrorFiling]]],
                     accepted: dict[str, dt.datetime]) -> bytes:
    """``/submissions/CIK##########.json``: the entity (the CIK zero-padded, as newer answers give it), its
    ``recent`` filings as columns and its older pages under ``files``."""
    files = [{"name": page, "filingCount": len(group), "filingFrom": group[-1].filed.isoformat(),
              "filingTo": group[0].filed.isoformat()} for page, group in pages]
    return _json({
        "cik": f"{cik:010d}", "entityType": "operating" if issuer else "other", "sic": "", "sicDescription": "",
        "insiderTransactionForOwnerExists": int(owner), "insiderTransactionForIssuerExists": int(issuer),
        "name": name, "tickers": list(tickers), "exchanges": [""] * len(tickers), "ein": None, "description": "",
        "website": "", "investorWebsite": "", "category": "", "fiscalYearEnd": None, "stateOfIncorporation": "",
        "stateOfIncorporationDescription": "", "addresses": {"mailing": _address(), "business": _address()},
        "phone": "", "flags": "", "formerNames": [],
        "filings": {"recent": _columns(recent, accepted), "files": files},
    })


def tickers_json(companies: dict[str, tuple[int, str]]) -> bytes:
    """``company_tickers.json``: ``{"0": {"cik_str", "ticker", "title"}, ...}``."""
    return _json({str(i): {"cik_str": cik, "ticker": ticker, "title": title}
                  for i, (ticker, (cik, title)) in enumerate(sorted(companies.items()))})


# -- the latest-filings feed ------------------------------------------------------------------------


def feed_stamp(at: dt.datetime) -> str:
    """The feed title's time: ``Fri, 12 Dec 2025 18:03:57 EST``, in New York."""
    local = at.astimezone(NEW_YORK)
    return f"{_DAYS[local.weekday()]}, {local.day:02d} {_MONTHS[local.month - 1][:3]} {local:%Y %H:%M:%S} " \
           f"{local.tzname()}"


def _atom_entry(f: MirrorFiling, updated: dt.datetime, cik: int, name: str, role: str) -> str:
    acc = f.accession_number
    href = f"https://www.sec.gov/Archives/edgar/data/{cik}/{acc.replace('-', '')}/{acc}-index.htm"
    summary = escape(f" <b>Filed:</b> {f.filed.isoformat()} <b>AccNo:</b> {acc} "
                     f"<b>Size:</b> {max(1, len(f.submission) // 1024)} KB")
    return (f"<entry>\n<title>{escape(f'{f.form_type} - {name} ({cik:010d}) ({role})')}</title>\n"
            f'<link rel="alternate" type="text/html" href="{href}"/>\n'
            f'<summary type="html">\n{summary}\n</summary>\n'
            f"<updated>{updated.astimezone(NEW_YORK).isoformat()}</updated>\n"
            f'<category scheme="https://www.sec.gov/" label="form type" term={quoteattr(f.form_type)}/>\n'
            f"<id>urn:tag:sec.gov,2008:accession-number={acc}</id>\n</entry>\n")


def atom_feed(entries: Iterable[tuple[MirrorFiling, dt.datetime, int, str, str]], now: dt.datetime) -> bytes:
    """The ``getcurrent`` Atom feed around its entries: (filing, accepted, CIK, name, role) each."""
    local = now.astimezone(NEW_YORK).replace(microsecond=0)
    body = "".join(_atom_entry(*e) for e in entries)
    return ('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"<title>Latest Filings - {feed_stamp(local)}</title>\n"
            '<link rel="alternate" href="/cgi-bin/browse-edgar?action=getcurrent"/>\n'
            '<link rel="self" href="/cgi-bin/browse-edgar?action=getcurrent"/>\n'
            "<id>https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent</id>\n"
            "<author><name>Webmaster</name><email>webmaster@sec.gov</email></author>\n"
            f"<updated>{local.isoformat()}</updated>\n{body}</feed>\n").encode("latin-1", "xmlcharrefreplace")
