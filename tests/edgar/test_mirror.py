"""The corpus mirrored in EDGAR's shapes and served on 127.0.0.1: every parser reads what EdgarClient fetches."""

from __future__ import annotations

import datetime as dt
import http.client
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import form4
from form4.edgar import EdgarClient, catalog, paths
from form4.edgar.atom import parse_atom
from form4.edgar.folders import parse_folder, submission_name
from form4.edgar.indexes import parse_index
from form4.edgar.submissions import parse_submissions
from form4.errors import EdgarError, ReadError
from tests.edgar.conftest import AGENT, busiest_day
from tests.edgar.fake_edgar import FakeEdgar, serve
from tests.edgar.mirror import Mirror, MirrorFiling, build_mirror, corpus_filings, generated_filings
from form4.mirror import compressed_index

Make = Callable[..., EdgarClient]
TESLA = 1318605


def _parties(f: MirrorFiling) -> set[int]:
    return {f.cik_issuer, *f.cik_owners}


def _busiest_day(mirror: Mirror) -> dt.date:
    return busiest_day(mirror.filings)


def _section_16(filings: list[MirrorFiling]) -> list[MirrorFiling]:
    return [f for f in filings if f.section_16]


def _master_rows(data: bytes) -> list[tuple[int, str, str]]:
    """(CIK, form type, file name) of each row of a master index: the lines after the dashed rule."""
    lines = data.decode("latin-1").splitlines()
    rule = next(i for i, line in enumerate(lines) if line and set(line) == {"-"})
    return [(int(cik), form, path) for cik, _, form, _, path in (line.split("|") for line in lines[rule + 1:])]


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
        # The daily master index, read by its rows (parse_index takes the daily "File Name" header for a
        # fixed-width one): the same filings under the same CIKs.
        master = _master_rows(edgar.get_bytes(paths.daily_index(day, "master")))
        assert {(cik, path) for cik, form, path in master if form in {"3", "4", "5", "4/A"}} == \
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
        gz = parse_index(edgar.get_bytes(compressed_index(year, quarter)))
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


def test_filings_added_later_are_seen(growing: tuple[Mirror, FakeEdgar], tmp_path: Path) -> None:
    mirror, fake = growing
    (late,) = generated_filings(1, seed=9, start=dt.date(2026, 3, 2))
    with EdgarClient(AGENT, base_url=fake.base_url, cache_dir=tmp_path / "cache", max_rps=200) as edgar:
        before = catalog.latest(edgar, {"3", "4", "5"})
        # No filing that quarter yet: the SEC's 403 for a missing file under /Archives/ (EdgarError, or
        # its EdgarNotFoundError once the client reads that 403 as "not found").
        with pytest.raises(EdgarError, match="403|404|not found"):
            catalog.index_days(edgar, 2026, 1)
        mirror.add([late])
        after = catalog.latest(edgar, {"3", "4", "5"})
        assert catalog.index_days(edgar, 2026, 1) == [late.filed]
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
