"""``form4 watch`` on EDGAR's real feed pages and on the mirror: only Section 16 forms are fetched,
the feed is paged back until a filing seen before, and what the feed no longer shows (a restart
after an outage, a gap while running) is caught up from the daily index, each filing once."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import form4
from form4.edgar import EdgarClient, catalog
from form4.edgar.atom import AtomEntry, parse_atom
from form4.model import is_form
from form4.pipeline import watch as watching
from form4.pipeline.sync import sync
from form4.pipeline.watch import Watcher, WatchReport, watch
from form4.store import Store
from tests.conftest import CORPUS
from tests.edgar.conftest import AGENT
from tests.edgar.fake_edgar import FakeEdgar, serve
from tests.edgar.mirror import Mirror, MirrorFiling, build_mirror, generated_filings

REAL_FEED = Path(__file__).parent / "real" / "atom"
SECTION_16 = {"3", "4", "5"}
serving = contextlib.contextmanager(serve)


def real_page(start: int) -> list[AtomEntry]:
    return parse_atom((REAL_FEED / f"getcurrent-type4-start{start}.atom").read_bytes())


def _real_entries() -> tuple[bytes, list[bytes]]:
    """The recorded pages' feed head and their 500 ``<entry>`` blocks, in feed order."""
    pages = [(REAL_FEED / f"getcurrent-type4-start{start}.atom").read_bytes() for start in range(0, 500, 100)]
    head = pages[0][: pages[0].index(b"<entry>")]
    return head, [b"<entry>" + block.split(b"</entry>")[0] + b"</entry>\n"
                  for page in pages for block in page.split(b"<entry>")[1:]]


@contextlib.contextmanager
def real_feed(per_page: int = 100, paged: bool = True) -> Iterator[tuple[str, list[str]]]:
    """A server answering ``type=4`` with EDGAR's recorded entries, ``start`` and ``count`` obeyed but
    at most ``per_page`` a page (other types: an empty feed), and nothing else (every filing is
    missing); yields its URL and the paths asked for. Not ``paged``, it answers every start with the first page."""
    asked: list[str] = []
    head, entries = _real_entries()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            asked.append(self.path)
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            start = int(query.get("start", "0")) if paged else 0
            count = min(int(query.get("count", "40")), per_page)
            shown = entries[start:start + count] if query.get("type") == "4" else []
            status, body = (200, head + b"".join(shown) + b"</feed>\n") if url.path == "/cgi-bin/browse-edgar" \
                else (404, b"not found")
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def submissions_asked(asked: list[str]) -> Counter[str]:
    return Counter(Path(p).stem for p in asked if p.endswith(".txt"))


def pages_asked(asked: list[str]) -> list[int]:
    return [int(parse_qs(urlsplit(p).query)["start"][0]) for p in asked
            if "type=4" in p and "browse-edgar" in p]


def test_the_real_feed_brings_other_forms_and_a_page_keeps_only_section_16(tmp_path: Path) -> None:
    page = real_page(100)
    others = {e.form_type for e in page if not is_form(e.form_type, SECTION_16)}
    assert {"424B2", "497K", "425"} <= others  # type=4 matches by prefix
    with real_feed() as (base, _), EdgarClient(AGENT, base_url=base, max_rps=500, cache_dir=tmp_path) as client:
        latest = [e for e in catalog.feed_page(client, "4", 100) if is_form(e.form_type, SECTION_16)]
        assert {e.accession_number for e in catalog.latest(client, SECTION_16)} == {
            e.accession_number for e in real_page(0)}
    expected = {e.accession_number for e in page if is_form(e.form_type, SECTION_16)}
    assert {e.accession_number for e in latest} == expected
    assert all(is_form(e.form_type, SECTION_16) for e in latest)


def test_watch_fetches_only_section_16_filings_from_the_real_feed(tmp_path: Path) -> None:
    with real_feed() as (base, asked), EdgarClient(AGENT, base_url=base, max_rps=500, cache_dir=tmp_path,
                                                   retries=0) as client, \
            Store(str(tmp_path / "s.duckdb")) as store:
        report = watch(store, client, polls=1, interval=0)
    wanted = {e.accession_number for e in real_page(0) if is_form(e.form_type, SECTION_16)}
    fetched = submissions_asked(asked)
    assert set(fetched) == wanted and max(fetched.values()) == 1  # each once, whatever its parties
    assert pages_asked(asked) == [0]  # an empty store: watching from now, the newest page only
    assert report.new == 0 and len(report.errors) == len(wanted)  # none of them is served here


def _stored_copy(accession: str, filed: dt.date) -> form4.Filing:
    filing = form4.read(CORPUS / "xml" / "374WaterForm4.xml")
    filing.accession_number, filing.filed_at = accession, filed
    return filing


def test_watch_pages_back_until_a_filing_it_has_stored(tmp_path: Path) -> None:
    feed = [e for start in range(0, 500, 100) for e in real_page(start)]
    old = next(e for e in real_page(300) if is_form(e.form_type, SECTION_16))
    at = [e.accession_number for e in feed].index(old.accession_number)
    for per_page in (100, 40):  # a server giving 40 a page, whatever count says, is paged 40 by 40
        end = (at // per_page + 1) * per_page  # the page holding the filing stored is the last read
        newer = {e.accession_number for e in feed[:end] if is_form(e.form_type, SECTION_16)} - {old.accession_number}
        with real_feed(per_page) as (base, asked), \
                EdgarClient(AGENT, base_url=base, max_rps=500, cache_dir=tmp_path, retries=0) as client, \
                Store(str(tmp_path / f"s{per_page}.duckdb")) as store:
            store.ingest_filings([_stored_copy(old.accession_number, old.filed or dt.date(2025, 12, 12))])
            watch(store, client, polls=1, interval=0, catch_up_days=0)
        assert pages_asked(asked) == list(range(0, end, per_page))
        fetched = submissions_asked(asked)  # the Section 16 filings newer than the one stored; no 424B2, 497K...
        assert set(fetched) == newer and max(fetched.values()) == 1


def test_a_feed_that_does_not_page_is_read_once_not_to_its_depth(tmp_path: Path) -> None:
    old = next(e for e in real_page(300) if is_form(e.form_type, SECTION_16))
    with real_feed(paged=False) as (base, asked), \
            EdgarClient(AGENT, base_url=base, max_rps=500, cache_dir=tmp_path, retries=0) as client, \
            Store(str(tmp_path / "s.duckdb")) as store:
        store.ingest_filings([_stored_copy(old.accession_number, old.filed or dt.date(2025, 12, 12))])
        report = watch(store, client, polls=1, interval=0, catch_up_days=0)
    assert pages_asked(asked) == [0, 100] and report.gaps == 0  # the second page repeats the first: the end
    assert set(submissions_asked(asked)) == {e.accession_number for e in real_page(0)}


# -- catching up from the daily index, on the mirror ------------------------------------------


def business_days_before(day: dt.date, n: int) -> list[dt.date]:
    days: list[dt.date] = []
    while len(days) < n:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def filings_on(day: dt.date, n: int, seed: int) -> list[MirrorFiling]:
    return list(generated_filings(n, seed=seed, per_day=n, start=day))


def fetched(server: FakeEdgar, accessions: set[str]) -> Counter[str]:
    return Counter(Path(r.path).stem for r in server.requests
                   if r.path.endswith(".txt") and Path(r.path).stem in accessions)


def accessions(filings: list[MirrorFiling]) -> set[str]:
    return {f.accession_number for f in filings}


def stored(store: Store) -> set[str]:
    return set(store.arrow("SELECT accession_number FROM filings").column(0).to_pylist())


@pytest.fixture
def weekday(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The watch's today, a business day (today, or the Friday before on a weekend): EDGAR files on those."""
    day = dt.date.today()
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    monkeypatch.setattr(watching, "today", lambda: day)
    return day


@pytest.fixture
def outage(tmp_path: Path, weekday: dt.date) -> tuple[Mirror, list[MirrorFiling], list[MirrorFiling]]:
    """A mirror of two past business days: the first already stored, the second filed while no watch ran."""
    first, second = business_days_before(weekday, 2)
    before, during = filings_on(first, 12, seed=1), filings_on(second, 15, seed=2)
    return build_mirror(tmp_path / "mirror", [*before, *during]), before, during


def test_a_restart_after_an_outage_stores_the_days_missed_once(
        outage: tuple[Mirror, list[MirrorFiling], list[MirrorFiling]], tmp_path: Path) -> None:
    mirror, before, during = outage
    with serving(mirror) as server, \
            EdgarClient(AGENT, base_url=server.base_url, max_rps=500, cache_dir=tmp_path / "c") as client, \
            Store(str(tmp_path / "s.duckdb")) as store:
        sync(store, client, before[0].filed, before[0].filed)  # what the watch stored before it stopped
        server.reset()
        report = watch(store, client, polls=1, interval=0)
        assert report.caught_up == report.new == len(during)
        assert stored(store) == accessions([*before, *during])
        assert set(fetched(server, accessions(during)).values()) == {1}
        assert not fetched(server, accessions(before))
        again = watch(store, client, polls=1, interval=0)  # and a second restart finds nothing to do
        assert again.new == again.caught_up == 0
        assert set(fetched(server, accessions(during)).values()) == {1}


def test_a_gap_in_the_feed_is_caught_up_from_the_daily_index(
        outage: tuple[Mirror, list[MirrorFiling], list[MirrorFiling]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, weekday: dt.date) -> None:
    mirror, before, during = outage
    monkeypatch.setattr(catalog, "FEED_PAGE", 4)  # a shallow feed: 3 pages of 4 entries
    monkeypatch.setattr(catalog, "FEED_DEPTH", 12)
    burst = filings_on(weekday, 20, seed=3)
    notices: list[str] = []
    with serving(mirror) as server, \
            EdgarClient(AGENT, base_url=server.base_url, max_rps=500, cache_dir=tmp_path / "c") as client, \
            Store(str(tmp_path / "s.duckdb")) as store:
        sync(store, client, before[0].filed, before[0].filed)
        report = WatchReport()
        watcher = Watcher(store, client, report=report, on_notice=notices.append)
        watcher.catch_up()
        watcher.poll()
        assert report.new == report.caught_up == len(during) and report.gaps == 0
        mirror.add(burst)  # more than the feed shows between two polls
        watcher.poll()
        assert report.gaps == 1 and any("catching up" in n for n in notices)
        assert stored(store) == accessions([*before, *during, *burst])
        assert set(fetched(server, accessions([*before, *during, *burst])).values()) == {1}
        assert 0 < report.caught_up - len(during) < len(burst)  # some from the feed, the rest caught up


def test_a_busy_minute_is_paged_back_not_missed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 weekday: dt.date) -> None:
    first = filings_on(weekday, 5, seed=4)
    mirror = build_mirror(tmp_path / "mirror", first)
    monkeypatch.setattr(catalog, "FEED_PAGE", 4)
    with serving(mirror) as server, \
            EdgarClient(AGENT, base_url=server.base_url, max_rps=500, cache_dir=tmp_path / "c") as client, \
            Store(str(tmp_path / "s.duckdb")) as store:
        watcher = Watcher(store, client, catch_up_days=0)
        watcher.catch_up()  # an empty store: nothing to catch up from
        watcher.poll()
        seen_first = stored(store)
        assert seen_first and seen_first < accessions(first)  # a first look: the newest page only
        watcher.poll()
        assert stored(store) == seen_first  # nothing new: the newest page is all seen
        burst = list(generated_filings(9, seed=5, per_day=9, start=weekday))
        mirror.add(burst)  # 9 filings, more than a page of entries: the poll pages back to the first ones
        watcher.poll()
        assert stored(store) == seen_first | accessions(burst)
        assert set(fetched(server, accessions([*first, *burst])).values()) == {1}
