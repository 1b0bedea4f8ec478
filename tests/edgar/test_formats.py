"""EDGAR's response shapes read by the pure parsers: small inputs written the way EDGAR writes them."""

# EDGAR's index rows are 140+ columns wide and padded with spaces; the samples keep them so.
# ruff: noqa: E501, W291, W293

from __future__ import annotations

import datetime as dt
import gzip
import json
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from form4.edgar import paths
from form4.edgar.atom import parse_atom
from form4.edgar.folders import parse_folder, submission_name
from form4.edgar.indexes import IndexEntry, index_days, parse_index, parse_listing
from form4.edgar.submissions import parse_submissions, parse_submissions_page, parse_tickers
from form4.errors import EdgarError

FORM_IDX = b"""Description:           Master Index of EDGAR Dissemination Feed by Form Type
Last Data Received:    November 8, 2022
Comments:              webmaster@sec.gov
Anonymous FTP:         ftp://ftp.sec.gov/edgar/
 
 
 
 
Form Type   Company Name                                                  CIK         Date Filed  File Name
---------------------------------------------------------------------------------------------------------------------------------------------
4           Musk Elon                                                     1494730     2022-11-08  edgar/data/1494730/0000899243-22-035394.txt         
4/A         Tesla, Inc.                                                   1318605     2022-11-08  edgar/data/1318605/0000899243-22-035395.txt         
SC 13G/A    VANGUARD GROUP INC                                            102909      2022-11-08  edgar/data/102909/0000932471-22-004321.txt          
"""

MASTER_DAILY = b"""Description:           Daily Index of EDGAR Dissemination Feed by Company Name
Last Data Received:    Nov 08, 2022
Comments:              webmaster@sec.gov
Anonymous FTP:         ftp://ftp.sec.gov/edgar/
 
 
 
 
CIK|Company Name|Form Type|Date Filed|Filename
--------------------------------------------------------------------------------
1494730|Musk Elon|4|20221108|edgar/data/1494730/0000899243-22-035394.txt
1318605|Tesla, Inc.|4|20221108|edgar/data/1318605/0000899243-22-035394.txt
"""

COMPANY_IDX = b"""Company Name                                                  Form Type   CIK         Date Filed  File Name
---------------------------------------------------------------------------------------------------------------------------------------------
BANK OF NEW YORK MELLON CORP                                  SC 13G      1390777     2022-11-08  edgar/data/1390777/0001390777-22-000123.txt
"""


def test_a_form_index_reads_names_with_spaces_and_amendments() -> None:
    entries = parse_index(FORM_IDX)
    assert entries[0] == IndexEntry("4", "Musk Elon", 1494730, dt.date(2022, 11, 8),
                                    "edgar/data/1494730/0000899243-22-035394.txt")
    assert entries[1].form_type == "4/A" and entries[1].company == "Tesla, Inc."
    assert entries[2].form_type == "SC 13G/A" and entries[2].cik == 102909
    assert entries[0].accession_number == "0000899243-22-035394"


def test_a_gzipped_index_is_read_the_same() -> None:
    assert parse_index(gzip.compress(FORM_IDX)) == parse_index(FORM_IDX)


def test_a_daily_master_index_has_a_preamble_and_compact_dates() -> None:
    entries = parse_index(MASTER_DAILY)
    assert [(e.cik, e.form_type, e.date_filed) for e in entries] == [
        (1494730, "4", dt.date(2022, 11, 8)), (1318605, "4", dt.date(2022, 11, 8))]
    assert parse_index(MASTER_DAILY.replace(b"20221108", b"2022-11-08")) == entries


def test_a_company_index_puts_the_name_first() -> None:
    (entry,) = parse_index(COMPANY_IDX)
    assert (entry.company, entry.form_type, entry.cik) == ("BANK OF NEW YORK MELLON CORP", "SC 13G", 1390777)


@pytest.mark.parametrize("body, line", [
    (MASTER_DAILY.replace(b"1318605|Tesla, Inc.|4|", b"1318605|Tesla, Inc.|"), 12),
    (MASTER_DAILY.replace(b"1318605|", b"TSLA|"), 12),
    (FORM_IDX.replace(b"2022-11-08  edgar/data/1318605", b"2022-13-08  edgar/data/1318605"), 12),
    (FORM_IDX + b"4           truncated line\n", 14),
])
def test_a_malformed_line_is_an_error_naming_it(body: bytes, line: int) -> None:
    with pytest.raises(EdgarError, match=f"line {line}") as info:
        parse_index(body)
    assert "\n" not in str(info.value)


def test_an_index_without_a_header_is_an_error() -> None:
    with pytest.raises(EdgarError, match="header"):
        parse_index(b"<html>Not Found</html>")


# -- every layout EDGAR writes, rendered and read back ---------------------------------------

FORMS = ["3", "4", "5", "3/A", "4/A", "5/A", "1-A POS", "SC 13G/A", "10-K405", "DEF 14A", "NT 10-K/A", "S-8 POS"]
LONG_FORMS = ["SEC STAFF ACTION", "SEC STAFF LETTER"]  # wider than a 12-column form type


@dataclass(frozen=True)
class Layout:
    """How one index file is written: which kind, daily or quarterly, and the preamble's and
    header's variants EDGAR's files show."""

    kind: str  # form, company or master
    daily: bool
    wrapped: bool  # the column labels over two lines (daily company and newer form indexes)
    cloud: bool  # a "Cloud HTTP:" line in the preamble
    blank: str  # what the preamble's blank lines hold: nothing, or a space
    form_width: int  # 12, or 17 as newer form indexes pad it under the same header
    padded_cik: bool  # CIKs written with leading zeros
    encoding: str


layouts = st.builds(Layout, kind=st.sampled_from(["form", "company", "master"]), daily=st.booleans(),
                    wrapped=st.booleans(), cloud=st.booleans(), blank=st.sampled_from(["", " "]),
                    form_width=st.sampled_from([12, 17]), padded_cik=st.booleans(),
                    encoding=st.sampled_from(["utf-8", "latin-1"]))


def names(encoding: str, min_size: int = 1, max_size: int = 60) -> st.SearchStrategy[str]:
    """Company names: any letters, digits, punctuation (``|`` too) and symbols, inner spaces."""
    chars = st.characters(codec=encoding, categories=["L", "N", "P", "S", "Zs"])
    return (st.text(chars, min_size=min_size, max_size=max_size).map(lambda s: s.strip(" "))
            .filter(lambda s: min_size <= len(s) <= max_size and _one_reading(s, encoding)))


def _one_reading(name: str, encoding: str) -> bool:
    """False for Latin-1 bytes that are also UTF-8 (\xe0\xa0\xa0): no reader can tell those apart."""
    if encoding == "utf-8" or name.isascii():
        return True
    try:
        name.encode(encoding).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def entries_for(layout: Layout, forms: list[str] = FORMS, **sizes: int) -> st.SearchStrategy[list[IndexEntry]]:
    return st.lists(st.builds(
        IndexEntry, form_type=st.sampled_from(forms), company=names(layout.encoding, **sizes),
        cik=st.integers(1, 9_999_999_999), date_filed=st.dates(dt.date(1993, 1, 1), dt.date(2030, 12, 31)),
        path=st.integers(0, 10**18 - 1).map(lambda n: f"edgar/data/1/{n:018d}"[:-18] + _accession(n) + ".txt"),
    ), max_size=12)


def _accession(n: int) -> str:
    digits = f"{n:018d}"
    return f"{digits[:10]}-{digits[10:12]}-{digits[12:]}"


def render_index(layout: Layout, entries: list[IndexEntry]) -> bytes:
    """An index file as EDGAR writes one of this layout."""
    by = {"form": " by Form Type", "company": " by Company Name", "master": ""}[layout.kind]
    preamble = [f"Description:           {'Daily' if layout.daily else 'Master'} Index of EDGAR Dissemination Feed{by}",
                "Last Data Received:    Mar 18, 2020", "Comments:              webmaster@sec.gov",
                "Anonymous FTP:         ftp://ftp.sec.gov/edgar/"]
    if layout.cloud:
        preamble.append("Cloud HTTP:            https://www.sec.gov/Archives/")
    preamble += [layout.blank] * (1 if layout.kind == "master" and layout.daily else 4)
    rows = [_row(layout, e) for e in entries]
    text = "\n".join([*preamble, *_column_labels(layout), *rows]) + "\n"
    return text.encode(layout.encoding)


def _column_labels(layout: Layout) -> list[str]:
    if layout.kind == "master":
        return [f"CIK|Company Name|Form Type|Date Filed|{'File Name' if layout.daily else 'Filename'}", "-" * 80]
    left = f"{'Form Type':<12}{'Company Name':<62}" if layout.kind == "form" else f"{'Company Name':<62}{'Form Type':<12}"
    head = [left + "CIK", "      Date Filed  File Name"] if layout.wrapped else [left + f"{'CIK':<12}Date Filed  File Name"]
    return [*head, "-" * 141]


def _fit(text: str, width: int) -> str:
    """A field in its column; one that runs past it is followed by a single blank."""
    return f"{text:<{width}}" if len(text) < width else text + " "


def _row(layout: Layout, e: IndexEntry) -> str:
    cik = f"{e.cik:010d}" if layout.padded_cik else str(e.cik)
    filed = f"{e.date_filed:%Y%m%d}" if layout.daily else e.date_filed.isoformat()
    if layout.kind == "master":
        return f"{cik}|{e.company}|{e.form_type}|{filed}|{e.path}"
    form = _fit(e.form_type, layout.form_width)
    left = form + _fit(e.company, 62) if layout.kind == "form" else _fit(e.company, 62) + form
    return f"{left}{cik:<12}{filed:<12}{e.path:<52}"


# A layout's entries are many long strings: drawing them takes a second on a busy 2-core machine,
# which is the data's size, not a slow strategy.
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_every_layout_reads_back(data: st.DataObject) -> None:
    layout = data.draw(layouts)
    entries = data.draw(entries_for(layout))
    body = render_index(layout, entries)
    assert parse_index(body) == entries
    assert parse_index(gzip.compress(body)) == entries


@given(st.data())
def test_fields_that_run_past_their_column_read_back(data: st.DataObject) -> None:
    """A long name or form type moves what follows it; rows in line outnumber those moved."""
    layout = data.draw(layouts.filter(lambda lay: lay.kind != "master").map(lambda lay: replace(lay, form_width=12)))
    in_line = data.draw(entries_for(layout).filter(bool))
    long_names = data.draw(entries_for(layout, min_size=61, max_size=120))
    long_forms = data.draw(entries_for(layout, forms=LONG_FORMS))
    moved = (long_names + long_forms)[:len(in_line)]
    entries = data.draw(st.permutations(in_line + moved))
    assert parse_index(render_index(layout, entries)) == entries


def test_a_header_without_entries_is_an_empty_index() -> None:
    for kind in ("form", "company", "master"):
        layout = Layout(kind, daily=True, wrapped=True, cloud=False, blank=" ", form_width=12, padded_cik=False,
                        encoding="utf-8")
        assert parse_index(render_index(layout, [])) == []


def test_names_may_hold_pipes_and_bytes_of_either_encoding() -> None:
    latin = Layout("master", daily=False, wrapped=False, cloud=True, blank="", form_width=12, padded_cik=True,
                   encoding="latin-1")
    entry = IndexEntry("4", "SOCI\u00c9T\u00c9 | G\u00c9N\u00c9RALE\x85", 1234, dt.date(2001, 2, 3),
                       "edgar/data/1234/0000001234-01-000001.txt")
    body = render_index(latin, [entry])
    assert b"SOCI\xc9T\xc9 | G" in body  # Latin-1 bytes, \x85 among them: not a line break
    assert parse_index(body) == [entry]
    utf8 = replace(latin, kind="company", encoding="utf-8")
    assert parse_index(render_index(utf8, [replace(entry, company="\u4e2d\u56fd | \u00c9")])) == [
        replace(entry, company="\u4e2d\u56fd | \u00c9")]


DAILY_LISTING = json.dumps({"directory": {"item": [
    {"last-modified": "11/07/2022 10:01:37 PM", "name": "company.20221107.idx", "type": "file",
     "href": "company.20221107.idx", "size": "156 KB"},
    {"last-modified": "11/07/2022 10:01:37 PM", "name": "form.20221107.idx", "type": "file",
     "href": "form.20221107.idx", "size": "156 KB"},
    {"last-modified": "11/08/2022 10:01:37 PM", "name": "form.20221108.idx", "type": "file",
     "href": "form.20221108.idx", "size": "160 KB"},
    {"last-modified": "11/08/2022 10:01:37 PM", "name": "master.20221108.idx", "type": "file",
     "href": "master.20221108.idx", "size": "100 KB"},
], "name": "daily-index/2022/QTR4/", "parent-dir": "../"}}).encode()


def test_a_daily_listing_gives_the_days_with_a_form_index() -> None:
    items = parse_listing(DAILY_LISTING)
    assert items[1].name == "form.20221107.idx" and items[1].size == "156 KB"
    assert items[1].last_modified == "11/07/2022 10:01:37 PM"
    assert index_days(items) == [dt.date(2022, 11, 7), dt.date(2022, 11, 8)]
    assert index_days(items, "master") == [dt.date(2022, 11, 8)]


FOLDER = json.dumps({"directory": {"item": [
    {"last-modified": "2022-11-08 20:18:10", "name": "0000899243-22-035394-index-headers.html",
     "type": "text.gif", "size": ""},
    {"last-modified": "2022-11-08 20:18:10", "name": "0000899243-22-035394.txt", "type": "text.gif", "size": "9316"},
    {"last-modified": "2022-11-08 20:18:10", "name": "doc4.xml", "type": "text.gif", "size": "5069"},
], "name": "/Archives/edgar/data/1494730/000089924322035394", "parent-dir": "/Archives/edgar/data/1494730/"}}).encode()


def test_a_folder_index_lists_its_documents() -> None:
    items = parse_folder(FOLDER)
    assert [i.name for i in items][1:] == ["0000899243-22-035394.txt", "doc4.xml"]
    assert items[2].href == "doc4.xml"  # folders give no href: the name stands in
    assert submission_name(items, "0000899243-22-035394") == "0000899243-22-035394.txt"
    assert submission_name(items, "0000899243-22-000001") is None


def test_a_listing_that_is_not_one_is_an_error() -> None:
    with pytest.raises(EdgarError, match="directory listing"):
        parse_listing(b'{"cik": "320193"}')


SUBMISSIONS = json.dumps({
    "cik": "1318605", "entityType": "operating", "sic": "3711", "name": "Tesla, Inc.", "tickers": ["TSLA"],
    "exchanges": ["Nasdaq"], "insiderTransactionForIssuerExists": 1,
    "filings": {
        "recent": {
            "accessionNumber": ["0000899243-22-035394", "0000950170-22-012345"],
            "filingDate": ["2022-11-08", "2022-10-24"], "reportDate": ["2022-11-04", ""],
            "acceptanceDateTime": ["2022-11-08T20:18:10.000Z", "2022-10-24T16:05:00.000Z"],
            "act": ["", "34"], "form": ["4", "8-K"], "fileNumber": ["", "001-34756"], "filmNumber": ["", "22"],
            "items": ["", "2.02"], "size": [9316, 250000], "isXBRL": [0, 1], "isInlineXBRL": [0, 1],
            "primaryDocument": ["xslF345X03/doc4.xml", "tsla-20221024.htm"],
            "primaryDocDescription": ["FORM 4", "8-K"],
        },
        "files": [{"name": "CIK0001318605-submissions-001.json", "filingCount": 2,
                   "filingFrom": "2010-01-29", "filingTo": "2015-01-05"}],
    },
}).encode()

OLDER_PAGE = json.dumps({
    "accessionNumber": ["0001181431-12-000001", "0001181431-10-000002"],
    "filingDate": ["2012-01-03", "2010-06-29"], "reportDate": ["2011-12-30", "2010-06-28"],
    "acceptanceDateTime": ["2012-01-03T17:00:00.000Z", "2010-06-29T18:00:00.000Z"],
    "form": ["4", "3"], "primaryDocument": ["rrd1.xml", "rrd2.xml"],
}).encode()


def test_submissions_give_recent_filings_and_older_pages() -> None:
    company = parse_submissions(SUBMISSIONS)
    assert (company.cik, company.name, company.tickers) == (1318605, "Tesla, Inc.", ("TSLA",))
    first, second = company.filings
    assert (first.accession_number, first.form, first.filing_date) == ("0000899243-22-035394", "4",
                                                                       dt.date(2022, 11, 8))
    assert first.report_date == dt.date(2022, 11, 4) and first.primary_document == "xslF345X03/doc4.xml"
    assert second.report_date is None
    assert company.older_pages == ["CIK0001318605-submissions-001.json"]
    assert paths.submissions_page(company.older_pages[0]) == "/submissions/CIK0001318605-submissions-001.json"


def test_an_older_submissions_page_has_the_columns_at_the_top() -> None:
    filings = parse_submissions_page(OLDER_PAGE)
    assert [(f.form, f.filing_date) for f in filings] == [("4", dt.date(2012, 1, 3)), ("3", dt.date(2010, 6, 29))]


def test_ragged_submissions_columns_are_an_error() -> None:
    with pytest.raises(EdgarError, match="form"):
        parse_submissions_page(OLDER_PAGE.replace(b'"form": ["4", "3"]', b'"form": ["4"]'))
    with pytest.raises(EdgarError, match="JSON"):
        parse_submissions(b"<html>")


def test_tickers_map_to_ciks_in_upper_case() -> None:
    data = b'{"0": {"cik_str": 320193, "ticker": "AAPL", "title": "Apple Inc."},' \
           b' "1": {"cik_str": 1067983, "ticker": "brk-b", "title": "BERKSHIRE HATHAWAY INC"}}'
    assert parse_tickers(data) == {"AAPL": 320193, "BRK-B": 1067983}


def _entry(title: str, accession: str, term: str = "4") -> str:
    folder = accession.replace("-", "")
    return f"""<entry>
<title>{title}</title>
<link rel="alternate" type="text/html" href="https://www.sec.gov/Archives/edgar/data/1494730/{folder}/{accession}-index.htm"/>
<summary type="html"> &lt;b&gt;Filed:&lt;/b&gt; 2022-11-08 &lt;b&gt;AccNo:&lt;/b&gt; {accession} &lt;b&gt;Size:&lt;/b&gt; 9 KB</summary>
<updated>2022-11-08T20:18:10-05:00</updated>
<category scheme="https://www.sec.gov/" label="form type" term="{term}"/>
<id>urn:tag:sec.gov,2008:accession-number={accession}</id>
</entry>"""


ATOM = f"""<?xml version="1.0" encoding="ISO-8859-1" ?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Latest Filings - Tue, 08 Nov 2022 20:20:01 EST</title>
<link rel="alternate" href="/cgi-bin/browse-edgar?action=getcurrent"/>
<link rel="self" href="/cgi-bin/browse-edgar?action=getcurrent"/>
<author><name>Webmaster</name><email>webmaster@sec.gov</email></author>
<updated>2022-11-08T20:20:01-05:00</updated>
{_entry("4 - Musk Elon (0001494730) (Reporting)", "0000899243-22-035394")}
{_entry("4 - Tesla, Inc. (0001318605) (Issuer)", "0000899243-22-035394")}
{_entry("4/A - Smith John (0001234567) (Reporting)", "0001234567-22-000001", "4/A")}
</feed>""".encode("latin-1")


def test_the_atom_feed_keeps_both_entries_of_a_filing() -> None:
    entries = parse_atom(ATOM)
    assert [(e.form_type, e.cik) for e in entries] == [("4", 1494730), ("4", 1318605), ("4/A", 1234567)]
    first = entries[0]
    assert first.accession_number == entries[1].accession_number == "0000899243-22-035394"
    assert first.filed == dt.date(2022, 11, 8)
    assert first.updated == dt.datetime(2022, 11, 8, 20, 18, 10, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert first.link.endswith("/000089924322035394/0000899243-22-035394-index.htm")


def test_an_empty_feed_has_no_entries() -> None:
    assert parse_atom(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>') == []


def test_a_hostile_feed_does_not_resolve_its_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do-not-read")
    hostile = f"""<?xml version="1.0"?>
<!DOCTYPE feed [<!ENTITY x SYSTEM "file://{secret}">]>
<feed xmlns="http://www.w3.org/2005/Atom">
<entry><title>4 - Evil &x; (0000000001) (Reporting)</title><updated>2022-11-08T20:18:10-05:00</updated>
<id>urn:tag:sec.gov,2008:accession-number=0000000001-22-000001</id></entry>
</feed>""".encode()
    with pytest.raises(EdgarError, match="DTD") as info:
        parse_atom(hostile)
    assert "do-not-read" not in str(info.value)


@pytest.mark.parametrize("body", [b"<feed", b"<html><body>Rate limited</body></html>"])
def test_what_is_not_a_feed_is_an_error(body: bytes) -> None:
    with pytest.raises(EdgarError):
        parse_atom(body)


def test_paths_are_edgars() -> None:
    day = dt.date(2022, 11, 8)
    assert paths.full_index(2022, 4) == "/Archives/edgar/full-index/2022/QTR4/form.idx"
    assert paths.full_index(2022, 4, gz=True) == "/Archives/edgar/full-index/2022/QTR4/form.gz"
    assert paths.full_index(2022, 4, "master", gz=True) == "/Archives/edgar/full-index/2022/QTR4/master.gz"
    assert paths.full_index(2022, 4, "company", gz=True) == "/Archives/edgar/full-index/2022/QTR4/company.gz"
    assert paths.daily_index(day) == "/Archives/edgar/daily-index/2022/QTR4/form.20221108.idx"
    assert paths.daily_listing(2022, 4) == "/Archives/edgar/daily-index/2022/QTR4/index.json"
    assert [paths.quarter_of(dt.date(2022, m, 1)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert paths.submissions(320193) == "/submissions/CIK0000320193.json"
    assert paths.folder(1494730, "0000899243-22-035394") == \
        "/Archives/edgar/data/1494730/000089924322035394/index.json"
    assert paths.document(1494730, "0000899243-22-035394", "doc4.xml") == \
        "/Archives/edgar/data/1494730/000089924322035394/doc4.xml"
    assert paths.submission(1494730, "0000899243-22-035394") == \
        "/Archives/edgar/data/1494730/0000899243-22-035394.txt"
    assert paths.feed_archive(day) == "/Archives/edgar/Feed/2022/QTR4/20221108.nc.tar.gz"
    assert paths.atom() == ("/cgi-bin/browse-edgar?action=getcurrent&type=4&company=&dateb=&owner=include"
                            "&start=0&count=100&output=atom")
    with pytest.raises(ValueError):
        paths.full_index(2022, 5)
