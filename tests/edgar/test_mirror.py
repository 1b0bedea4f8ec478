"""The corpus mirrored in EDGAR's shapes and served on 127.0.0.1: every parser reads what EdgarClient fetches."""

from __future__ import annotations

import datetime as dt
import gzip
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from lxml import etree

import form4
from form4.edgar import EdgarClient, catalog, paths
from form4.edgar.atom import parse_atom
from form4.edgar.folders import parse_folder, submission_name
from form4.edgar.indexes import parse_index
from form4.edgar.submissions import parse_submissions
from form4.errors import EdgarError, EdgarNotFoundError, ReadError
from form4.mirror import (
    FEED_COUNT,
    INDEX_KINDS,
    filing_from_submission,
    load_filings,
    next_business_day,
    other_filing,
    other_forms,
    submission_filing,
)
from form4.store import Store
from tests.edgar.conftest import AGENT, busiest_day
from tests.edgar.fake_edgar import FakeEdgar, serve
from tests.edgar.mirror import Mirror, MirrorFiling, build_mirror, corpus_filings, generated_filings

Make = Callable[..., EdgarClient]
TESLA = 1318605


def _parties(f: MirrorFiling) -> set[int]:
    return {f.cik_issuer, *f.cik_owners}


def _busiest_day(mirror: Mirror) -> dt.date:
    return busiest_day(mirror.filings)


def _section_16(filings: list[MirrorFiling]) -> list[MirrorFiling]:
    return [f for f in filings if f.section_16]


def test_the_reader_reads_every_mirrored_submission(corpus_mirror: Mirror) -> None:
    section_16 = _section_16(corpus_mirror.filings)
    assert len(section_16) > 400
    for f in section_16:
        on_disk = corpus_mirror.file(paths.submission(f.cik_issuer, f.accession_number)).read_bytes()
        filing = form4.read_bytes(on_disk, f.accession_number)
        assert filing.accession_number == f.accession_number
        assert filing.filed_at == f.filed
    # And the feed form of each, in its day's archive, beside the other forms of the day (not ownership filings).
    archives = sorted(corpus_mirror.root.glob("Archives/edgar/Feed/*/QTR*/*.nc.tar.gz"))
    unread: list[ReadError] = []
    in_feeds = [(r.accession_number, r.filed_at) for r in form4.iter_filings(archives, on_error=unread.append)]
    assert sorted(in_feeds) == sorted((f.accession_number, f.filed) for f in section_16)
    others = {f.accession_number for f in corpus_mirror.filings if not f.section_16}
    assert len(others) >= 4 and {(e.source or "").split("::")[-1].removesuffix(".nc") for e in unread} == others


def test_generated_filings_are_distinct_and_readable() -> None:
    clones = list(generated_filings(600, seed=3, per_day=100))
    assert len({c.accession_number for c in clones}) == 600
    assert len({c.filed for c in clones}) == 6 and all(c.filed.weekday() < 5 for c in clones)
    for clone in clones[::37]:
        filing = form4.read_bytes(clone.submission)
        assert (filing.accession_number, filing.filed_at) == (clone.accession_number, clone.filed)


def test_daily_indexes_list_the_days_and_their_filings(corpus_mirror: Mirror, mirror_client: Make) -> None:
    day = _busiest_day(corpus_mirror)
    expected = {f.accession_number for f in _section_16(corpus_mirror.filings) if f.filed == day}
    quarter_days = {f.filed for f in corpus_mirror.filings
                    if (f.filed.year, paths.quarter_of(f.filed)) == (day.year, paths.quarter_of(day))}
    with mirror_client() as edgar:
        assert catalog.index_days(edgar, day.year, paths.quarter_of(day)) == sorted(quarter_days)
        entries = catalog.day_entries(edgar, day, {"3", "4", "5"})
        assert {e.accession_number for e in entries} == expected
        assert all(e.date_filed == day for e in entries)
        # The daily master and company indexes: the same filings under the same CIKs.
        for kind in ("master", "company"):
            rows = parse_index(edgar.get_bytes(paths.daily_index(day, kind)))
            assert {(e.cik, e.path) for e in rows if e.form_type in {"3", "4", "5", "4/A"}} == \
                {(e.cik, e.path) for e in entries}
        # Every row's path is a submission EDGAR serves, under that row's CIK.
        entry = entries[0]
        assert form4.read_bytes(edgar.get_bytes(f"/Archives/{entry.path}")).accession_number == entry.accession_number


def test_amendments_come_with_their_form(corpus_mirror: Mirror, mirror_client: Make) -> None:
    amended = next(f for f in corpus_mirror.filings if f.form_type.endswith("/A"))
    with mirror_client() as edgar:
        forms = {e.form_type for e in catalog.day_entries(edgar, amended.filed, {amended.form_type[0]})}
    assert amended.form_type in forms


def test_full_indexes_agree_in_every_shape(corpus_mirror: Mirror, mirror_client: Make) -> None:
    day = _busiest_day(corpus_mirror)
    year, quarter = day.year, paths.quarter_of(day)
    with mirror_client() as edgar:
        form = parse_index(edgar.get_bytes(paths.full_index(year, quarter)))
        gz = parse_index(edgar.get_bytes(paths.full_index(year, quarter, gz=True)))
        master = parse_index(edgar.get_bytes(paths.full_index(year, quarter, "master")))
    assert form == gz
    assert sorted(master, key=repr) == sorted(form, key=repr)
    in_quarter = [f for f in corpus_mirror.filings if (f.filed.year, paths.quarter_of(f.filed)) == (year, quarter)]
    assert len(form) == sum(len(_parties(f)) for f in in_quarter)  # one row per party, as on EDGAR


def test_a_company_s_filings_span_its_older_page(corpus_mirror: Mirror, mirror_client: Make) -> None:
    expected = {f.accession_number for f in corpus_mirror.filings if TESLA in _parties(f)}
    assert len(expected) > corpus_mirror.page_size
    with mirror_client() as edgar:
        company = parse_submissions(edgar.get_bytes(paths.submissions(TESLA), host="data"))
        filings = catalog.company_filings(edgar, TESLA)
    assert company.name == "Tesla, Inc." and company.tickers == ("TSLA",)
    assert len(company.filings) == corpus_mirror.page_size
    assert company.older_pages == [f"CIK{TESLA:010d}-submissions-001.json"]
    assert {f.accession_number for f in filings} == expected and len(filings) == len(expected)
    assert [f.filing_date for f in filings] == sorted((f.filing_date for f in filings), reverse=True)


def test_an_owner_has_submissions_too(corpus_mirror: Mirror, mirror_client: Make) -> None:
    f = next(f for f in corpus_mirror.filings if f.cik_owners)
    with mirror_client() as edgar:
        assert f.accession_number in {x.accession_number for x in catalog.company_filings(edgar, f.cik_owners[0])}


def test_a_ticker_gives_its_cik(mirror_client: Make) -> None:
    with mirror_client() as edgar:
        assert catalog.ticker_cik(edgar, "tsla") == TESLA
        with pytest.raises(EdgarError, match=r"no ticker NOPE in company_tickers\.json"):
            catalog.ticker_cik(edgar, "nope")


def test_a_folder_index_lists_the_submission_and_its_document(corpus_mirror: Mirror, mirror_client: Make) -> None:
    f = next(f for f in corpus_mirror.filings if f.xml is not None and f.cik_owners)
    with mirror_client() as edgar:
        for cik in (f.cik_issuer, f.cik_owners[0]):
            items = parse_folder(edgar.get_bytes(paths.folder(cik, f.accession_number)))
            assert submission_name(items, f.accession_number) == f"{f.accession_number}.txt"
            assert f.document in {i.name for i in items}
            assert edgar.get_bytes(paths.document(cik, f.accession_number, f.document)) == f.xml


def test_a_feed_archive_streams_to_disk_and_reads(corpus_mirror: Mirror, mirror_client: Make, tmp_path: Path) -> None:
    day = _busiest_day(corpus_mirror)
    with mirror_client() as edgar:
        archive = edgar.stream_to(paths.feed_archive(day), tmp_path / "feed" / f"{day:%Y%m%d}.nc.tar.gz")
    read = list(form4.iter_filings(archive, on_error=lambda error: None))  # other forms are no filings here
    assert {r.accession_number for r in read} == {f.accession_number for f in _section_16(corpus_mirror.filings)
                                                  if f.filed == day}
    assert all(r.filed_at == day for r in read)


def test_the_atom_feed_is_newest_first_with_each_party(corpus_mirror: Mirror, mirror_client: Make) -> None:
    with mirror_client() as edgar:
        raw = parse_atom(edgar.get_bytes(paths.atom("4")))
        latest = catalog.latest(edgar, {"4", "3"})
    assert len(raw) == 100
    assert max(Counter(e.accession_number for e in raw).values()) >= 2  # (Reporting) and (Issuer)
    assert [e.updated for e in raw] == sorted((e.updated for e in raw), reverse=True)
    assert len({e.accession_number for e in latest}) == len(latest)
    newest = max(f.filed for f in corpus_mirror.filings if f.form_type in ("4", "4/A"))
    assert raw[0].filed == newest
    assert {e.form_type for e in latest} >= {"3", "4"}


def test_index_files_revalidate_and_faults_still_apply(corpus_mirror: Mirror, mirror_server: FakeEdgar,
                                                       mirror_client: Make) -> None:
    day = _busiest_day(corpus_mirror)
    mirror_server.inject("503", "429")
    with mirror_client() as edgar:
        first = edgar.get_bytes(paths.daily_index(day))
        second = edgar.get_bytes(paths.daily_index(day))
    assert first == second
    assert len(mirror_server.requests) == 4
    assert mirror_server.requests[-1].headers["If-None-Match"] == mirror_server.etag(paths.daily_index(day))


def test_nothing_outside_the_mirror_is_served(mirror_server: FakeEdgar) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", mirror_server.server.server_address[1], timeout=5)
    for path in ("/../../../../etc/passwd", "/Archives/../../etc/hostname", "/cgi-bin/browse-edgar?action=x"):
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        assert response.status == 404, path
    connection.close()


@pytest.fixture
def growing(tmp_path: Path) -> Iterator[tuple[Mirror, FakeEdgar]]:
    mirror = build_mirror(tmp_path / "mirror", list(corpus_filings())[:20])
    for fake in serve(mirror):
        yield mirror, fake


def _an_empty_quarter(mirror: Mirror) -> tuple[int, int]:
    """The first quarter without filings between the mirror's first and last."""
    held = {(f.filed.year, paths.quarter_of(f.filed)) for f in mirror.filings}
    year, quarter = min(held)
    while (year, quarter) in held:
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    assert (year, quarter) < max(held)
    return year, quarter


def test_filings_added_later_are_seen(growing: tuple[Mirror, FakeEdgar], tmp_path: Path) -> None:
    mirror, fake = growing
    year, quarter = _an_empty_quarter(mirror)
    (late,) = generated_filings(1, seed=9, start=dt.date(year, 3 * quarter - 2, 2))
    with EdgarClient(AGENT, base_url=fake.base_url, cache_dir=tmp_path / "cache", max_rps=200) as edgar:
        before = catalog.latest(edgar, {"3", "4", "5"})
        assert catalog.index_days(edgar, year, quarter) == []  # EDGAR lists every quarter, filings or not
        mirror.add([late])
        after = catalog.latest(edgar, {"3", "4", "5"})
        assert catalog.index_days(edgar, year, quarter) == [late.filed]
        assert late.accession_number in {e.accession_number for e in catalog.day_entries(edgar, late.filed, {"4"})}
        assert late.accession_number in {f.accession_number for f in catalog.company_filings(edgar, late.cik_issuer)}
    assert late.accession_number not in {e.accession_number for e in before}
    assert late.accession_number in {e.accession_number for e in after}
    with pytest.raises(ValueError, match="already"):
        mirror.add([late])


def test_a_directory_built_elsewhere_is_served(corpus_mirror: Mirror, tmp_path: Path) -> None:
    for fake in serve(corpus_mirror.root):
        with EdgarClient(AGENT, base_url=fake.base_url, cache_dir=tmp_path, max_rps=200) as edgar:
            assert catalog.ticker_cik(edgar, "TSLA") == TESLA
            assert parse_atom(edgar.get_bytes(paths.atom("4")))[0].accession_number == \
                parse_atom(corpus_mirror.atom("4"))[0].accession_number


# -- EDGAR's real shapes (tests/edgar/real/: files the SEC served) ------------------------------------------

REAL = Path(__file__).parent / "real"
_RECEIVED = re.compile(r"^Last Data Received:.*$", re.M)


def _get(server: FakeEdgar, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """One plain request: status, headers and body as sent (no decoding)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.server.server_address[1], timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _head_lines(data: bytes) -> list[str]:
    """An index file's lines up to its dashed rule, the date of its last data masked."""
    lines = _RECEIVED.sub("Last Data Received:    <date>", data.decode("latin-1")).split("\n")
    rule = next(i for i, line in enumerate(lines) if line and set(line) == {"-"})
    return lines[: rule + 1]


def test_the_submissions_api_answers_in_the_real_shape(corpus_mirror: Mirror, mirror_server: FakeEdgar) -> None:
    real = json.loads((REAL / "submissions" / "CIK0000320193.json").read_bytes())
    real_page = json.loads((REAL / "submissions" / "CIK0000320193-submissions-001.json").read_bytes())
    status, headers, body = _get(mirror_server, paths.submissions(TESLA))
    mine = json.loads(body)
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert headers["Cache-Control"] == "no-cache" and "ETag" not in headers
    assert list(mine) == list(real) and mine["cik"] == f"{TESLA:010d}"
    assert list(mine["addresses"]["business"]) == list(real["addresses"]["business"])
    assert list(mine["filings"]) == list(real["filings"])
    assert list(mine["filings"]["recent"]) == list(real["filings"]["recent"])
    assert [list(f) for f in mine["filings"]["files"]] == [list(f) for f in real["filings"]["files"]]
    page = json.loads(_get(mirror_server, paths.submissions_page(mine["filings"]["files"][0]["name"]))[2])
    assert list(page) == list(real_page)  # an older page: the columns alone
    assert mine["filings"]["files"][0]["filingCount"] == len(page["accessionNumber"])
    # The client reads the zero-padded CIK as it reads the real, unpadded one.
    assert parse_submissions(body).cik == TESLA and parse_submissions(json.dumps(real).encode()).cik == 320193


def test_a_folder_is_listed_as_edgar_lists_it(corpus_mirror: Mirror, mirror_server: FakeEdgar) -> None:
    real = json.loads((REAL / "folders" / "0001213900-24-004875-index.json").read_bytes())["directory"]
    f = next(f for f in corpus_mirror.filings if f.xml is not None and f.cik_owners)
    acc, cik = f.accession_number, f.cik_owners[0]
    mine = json.loads(_get(mirror_server, paths.folder(cik, acc))[2])["directory"]
    assert list(mine) == list(real)
    assert [list(item) for item in mine["item"]] == [list(item) for item in real["item"]][: len(mine["item"])]
    assert (mine["name"], mine["parent-dir"]) == (f"/Archives/edgar/data/{cik}/{acc.replace('-', '')}",
                                                  f"/Archives/edgar/data/{cik}")
    sizes = {item["name"]: item["size"] for item in mine["item"]}
    assert sizes == {f"{acc}-index-headers.html": "", f"{acc}-index.html": "", f"{acc}.txt": "",
                     f.document: str(len(f.xml or b""))}
    assert {item["type"] for item in mine["item"]} <= {item["type"] for item in real["item"]}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", item["last-modified"]) for item in mine["item"])
    # Every name listed resolves, and so does the -index.htm the feed links to.
    for name in [*sizes, f"{acc}-index.htm"]:
        assert _get(mirror_server, paths.document(cik, acc, name))[0] == 200, name
    page = _get(mirror_server, paths.document(cik, acc, f"{acc}-index.htm"))
    assert page[1]["Content-Type"] == "text/html" and f'href="{f.document}"'.encode() in page[2]


def test_daily_indexes_have_the_real_layouts(corpus_mirror: Mirror, mirror_server: FakeEdgar) -> None:
    day = _busiest_day(corpus_mirror)
    for kind, real_name in (("form", "form.20200318.idx"), ("company", "company.20200102.idx"),
                            ("master", "master.20200103.idx")):
        status, headers, mine = _get(mirror_server, paths.daily_index(day, kind))
        real = (REAL / "index" / real_name).read_bytes()
        assert status == 200 and headers["Content-Type"] == "text/plain"
        assert _head_lines(mine) == _head_lines(real), kind
        assert f"Last Data Received:    {day:%b} {day.day:2d}, {day.year}".encode() in mine
        if kind != "master":  # fixed width: the date and the file name where the real rows have them
            for rows in (mine, real):
                row = rows.decode("latin-1").split("\n")[len(_head_lines(rows))]
                assert row[86:94].isdigit() and row[98:].startswith("edgar/data/") and len(row) == 150, row
    # Other forms are listed with the Section 16 ones, under each of their parties.
    form = mirror_server.file(paths.daily_index(day))
    assert form is not None
    for other in (f for f in corpus_mirror.filings if not f.section_16 and f.filed == day):
        for cik, _, _ in other.parties():
            assert f"edgar/data/{cik}/{other.accession_number}.txt".encode() in form[0]


def test_quarterly_indexes_have_the_real_layouts(corpus_mirror: Mirror, mirror_server: FakeEdgar) -> None:
    day = _busiest_day(corpus_mirror)
    year, quarter = day.year, paths.quarter_of(day)
    master = _get(mirror_server, paths.full_index(year, quarter, "master"))[2]
    assert _head_lines(master) == _head_lines((REAL / "index" / "master-1993-QTR4.idx").read_bytes())
    # A quarter without filings has the header alone: the real empty form.idx, but for its date.
    empty = _an_empty_quarter(corpus_mirror)
    form = _get(mirror_server, paths.full_index(*empty))[2]
    assert _RECEIVED.sub("", form.decode()) == _RECEIVED.sub("", (REAL / "index" / "form-empty.idx").read_text())
    for kind in INDEX_KINDS:  # compressed as form.gz, master.gz, company.gz
        status, headers, body = _get(mirror_server, paths.full_index(year, quarter, kind, gz=True))
        assert status == 200 and headers["Content-Type"] == "binary/octet-stream"
        assert gzip.decompress(body) == _get(mirror_server, paths.full_index(year, quarter, kind))[2]


def _elements(node: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in node]


def test_the_feed_is_written_as_edgar_writes_it(corpus_mirror: Mirror, mirror_server: FakeEdgar) -> None:
    real_bytes = (REAL / "atom" / "getcurrent-type4-start0.atom").read_bytes()
    status, headers, mine_bytes = _get(mirror_server, paths.atom("4", count=100))
    assert status == 200 and headers["Content-Type"] == "application/atom+xml"
    assert headers["Cache-Control"] == "no-cache" and "ETag" not in headers
    real, mine = etree.fromstring(real_bytes), etree.fromstring(mine_bytes)
    head = [name for name in _elements(real) if name != "entry"]
    assert [name for name in _elements(mine) if name != "entry"] == head
    assert _elements(mine[-1]) == _elements(real[-1])  # an entry: title, link, summary, updated, category, id
    title = re.compile(r"Latest Filings - \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} E[SD]T")
    entry = re.compile(r"(?P<form>\S.*) - .+ \(\d{10}\) \((?P<role>Reporting|Issuer|Filer|Subject|Filed by)\)")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for feed in (real, mine):
        assert title.fullmatch(feed.findtext("a:title", namespaces=ns) or "")
        titles = [entry.fullmatch(t.text or "") for t in feed.findall("a:entry/a:title", namespaces=ns)]
        assert all(titles)
        summaries = [s.text or "" for s in feed.findall("a:entry/a:summary", namespaces=ns)]
        assert all(s.startswith("\n <b>Filed:</b> ") and s.endswith(" KB\n") for s in summaries)
        updated = [u.text or "" for u in feed.findall("a:entry/a:updated", namespaces=ns)]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00", u) for u in updated)
    # type=4 matches by prefix: 424B2, 425 and 497K come with the Forms 4 (a 13D does not), with their roles.
    every = etree.fromstring(_get(mirror_server, paths.atom("4", count=5000))[2])
    forms = Counter(c.get("term") for c in every.iter("{*}category"))
    roles = {m.group("role") for t in every.iter("{*}title") if (m := entry.fullmatch(t.text or ""))}
    assert {"4", "4/A", "424B2", "425", "497K"} <= set(forms) and "SC 13D" not in forms
    assert roles == {"Reporting", "Issuer", "Filer", "Subject", "Filed by"}
    # The real feed's first lines, but for its time.
    stamp = re.compile(rb"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} E[SD]T|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00")
    assert stamp.sub(b"<time>", mine_bytes).split(b"<entry>")[0] == \
        stamp.sub(b"<time>", real_bytes).split(b"<entry>")[0]


def test_the_feed_pages_by_start_and_count(corpus_mirror: Mirror, mirror_server: FakeEdgar) -> None:
    def ids(query: str) -> list[str]:
        status, _, body = _get(mirror_server, f"/cgi-bin/browse-edgar?action=getcurrent&type=4{query}&output=atom")
        assert status == 200
        return [e.text or "" for e in etree.fromstring(body).iter("{*}id") if "accession" in (e.text or "")]

    assert len(ids("")) == FEED_COUNT == 40
    assert ids("&start=0&count=10") + ids("&start=10&count=10") == ids("&count=20")
    assert _get(mirror_server, "/cgi-bin/browse-edgar?action=getcurrent&type=4&start=5200&output=atom")[0] == 503
    everything = ids("&type=&count=2000")  # type= empty: every form
    assert len(everything) == sum(len(f.parties()) for f in corpus_mirror.filings)


def test_missing_files_answer_as_the_sec_does(mirror_server: FakeEdgar, mirror_client: Make) -> None:
    real = etree.fromstring((REAL / "errors" / "missing-archives-file.403.xml").read_bytes())
    status, headers, body = _get(mirror_server, "/Archives/edgar/full-index/2099/QTR1/form.gz")
    mine = etree.fromstring(body)
    assert (status, headers["Content-Type"]) == (403, "application/xml")
    assert _elements(mine) == _elements(real) and mine.findtext("Code") == "AccessDenied"
    assert mine.findtext("Message") == real.findtext("Message") == "Access Denied"
    for before_or_after in (paths.daily_listing(1992, 4), paths.daily_listing(dt.date.today().year + 1, 1)):
        assert _get(mirror_server, before_or_after)[0] == 403  # EDGAR lists the quarters from 1993 to today's
    status, headers, body = _get(mirror_server, "/submissions/CIK0000000001.json")
    assert (status, headers["Content-Type"]) == (404, "application/xml")
    assert etree.fromstring(body).findtext("Code") == "NoSuchKey"
    assert etree.fromstring(body).findtext("Message") == "The specified key does not exist."
    # Through the client: no such file, not a refusal of the client.
    with mirror_client() as edgar, pytest.raises(EdgarNotFoundError):
        edgar.get_bytes("/Archives/edgar/data/1/0000000001-99-000001.txt")


def test_a_submission_comes_gzip_encoded_when_asked(corpus_mirror: Mirror, mirror_server: FakeEdgar,
                                                   mirror_client: Make) -> None:
    f = corpus_mirror.filings[0]
    path = paths.submission(f.cik_issuer, f.accession_number)
    status, headers, body = _get(mirror_server, path, **{"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
    assert headers["ETag"].endswith('-gzip"') and headers["Content-Type"] == "text/plain"
    assert gzip.decompress(body) == f.submission
    status, headers, body = _get(mirror_server, path)
    assert body == f.submission and "Content-Encoding" not in headers and not headers["ETag"].endswith('-gzip"')
    assert _get(mirror_server, path, **{"Accept-Encoding": "gzip", "If-None-Match": headers["ETag"][:-1]
                                        + '-gzip"'})[0] == 304
    with mirror_client() as edgar:
        assert edgar.get_bytes(path) == f.submission


def test_faults_come_at_random_at_the_rate_asked(corpus_mirror: Mirror) -> None:
    path = paths.submission(corpus_mirror.filings[0].cik_issuer, corpus_mirror.filings[0].accession_number)
    for server in serve(corpus_mirror, fault_rate=0.5, seed=4):
        server.slow_seconds = 0.01
        statuses = Counter(_safe_status(server, path) for _ in range(60))
        assert 10 < statuses[200] < 50 and statuses[429] and statuses[503] and statuses["dropped"]
    for server in serve(corpus_mirror):
        assert {_safe_status(server, path) for _ in range(10)} == {200}


def _safe_status(server: FakeEdgar, path: str) -> int | str:
    try:
        return _get(server, path)[0]
    except http.client.HTTPException:
        return "dropped"


# -- filings from a user's files ---------------------------------------------------------------------------


def test_an_old_submission_names_its_issuer_as_subject_company() -> None:
    f = submission_filing(REAL / "filings" / "0001094891-00-000193.txt")
    assert (f.cik_issuer, f.company, f.cik_owners, f.owner_names) == \
        (911787, "PRODUCTIVITY TECHNOLOGIES CORP /", (1050609,), ("FOSTER ALAN H",))
    assert (f.form_type, f.filed, f.period, f.parties()[0][2]) == ("4", dt.date(2000, 3, 14), dt.date(2000, 2, 29),
                                                                  "Reporting")


def test_other_forms_have_their_parties_in_the_header() -> None:
    day = dt.date(2024, 6, 3)
    thirteen_d = next(f for f in other_forms(day) if f.form_type == "SC 13D")
    header = thirteen_d.submission.split(b"</SEC-HEADER>")[0]
    assert header.index(b"SUBJECT COMPANY:") < header.index(b"FILED BY:")
    again = filing_from_submission(thirteen_d.submission)
    assert (again.parties(), again.roles, again.section_16) == (thirteen_d.parties(), ("Filed by", "Subject"), False)
    prospectus = other_filing("0000000001-24-000001", "424B2", day, (1, "SOME BANK"), text="Notes due 2030.")
    assert [role for _, _, role in prospectus.parties()] == ["Filer"] and b"Notes due 2030." in prospectus.submission
    assert filing_from_submission(prospectus.submission).parties() == prospectus.parties()


def test_files_of_every_kind_become_filings_and_bad_ones_a_line(tmp_path: Path) -> None:
    examples = Path(__file__).parents[2] / "examples"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "form4-snow.xml").write_bytes((examples / "filings" / "form4-snow.xml").read_bytes())
    with zipfile.ZipFile(tmp_path / "in" / "old.zip", "w") as archive:
        archive.write(REAL / "filings" / "0001094891-00-000193.txt", "0001094891-00-000193.txt")
        archive.write(REAL / "filings" / "0001094891-00-000193.txt", "again/0001094891-00-000193.txt")
    (tmp_path / "in" / "notes.txt").write_text("not a filing\n")
    loaded = load_filings([tmp_path / "in", examples / "feed"])
    assert {f.accession_number for f in loaded.filings} >= {"0001094891-00-000193", "0001327811-25-000050"}
    xml = next(f for f in loaded.filings if f.xml is not None and f.document == "form4-snow.xml")
    assert xml.period is not None and xml.filed == next_business_day(xml.period)  # no filing date in XML
    assert form4.read_bytes(xml.submission).accession_number == xml.accession_number
    assert len(loaded.errors) == 2
    assert any("notes.txt" in e and "not an EDGAR submission" in e for e in loaded.errors)
    assert any("again/0001094891-00-000193.txt" in e and "given twice" in e for e in loaded.errors)


# -- the command ------------------------------------------------------------------------------------------


def test_form4_mirror_serve_is_an_edgar_for_sync_and_download(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(form4.__file__).parents[1]),
                                                        os.environ.get("PYTHONPATH", "")])}
    server = subprocess.Popen([sys.executable, "-m", "form4", "mirror", "serve", "--port", "0", "--root",
                               str(tmp_path / "mirror")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        found = re.search(r"export FORM4_SEC_BASE_URL=(http://127\.0\.0\.1:\d+)$", line.strip())
        assert found, line
        edgar = {**env, "FORM4_SEC_BASE_URL": found.group(1), "FORM4_USER_AGENT": AGENT,
                 "FORM4_CACHE": str(tmp_path / "cache"), "FORM4_SPOOL": str(tmp_path / "spool")}
        db = str(tmp_path / "s.duckdb")
        run = partial(subprocess.run, env=edgar, capture_output=True, text=True, timeout=300)
        synced = run([sys.executable, "-m", "form4", "sync", "--since", "2025-03-01", "--until", "2025-05-31",
                      "--db", db])
        assert synced.returncode == 0, synced.stderr
        downloaded = run([sys.executable, "-m", "form4", "download", "--cik", "1640147", "--out",
                          str(tmp_path / "snow")])
        assert downloaded.returncode == 0, downloaded.stderr
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    with Store(db, read_only=True) as store:
        stored = set(store.arrow("SELECT accession_number FROM filings").column(0).to_pylist())
    assert {"0001327811-25-000050", "0001493152-25-009612"} <= stored  # the example feed's filings of March 7
    assert len(stored) == 3  # and the Form 4 of May 1; not the other forms of March 7
    assert len(list((tmp_path / "snow").glob("*.txt"))) == 3  # Snowflake's Forms 3, 4 and 5
    assert (tmp_path / "mirror" / "files" / "company_tickers.json").is_file()  # --root keeps the mirror
