"""EdgarClient against a fake EDGAR on 127.0.0.1 (and httpx.MockTransport): never the network."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path

import httpx
import pytest

from form4.edgar import EdgarClient, paths
from form4.edgar.indexes import IndexEntry
from form4.errors import EdgarError, EdgarNotFoundError, Form4Error
from form4.pipeline.sync import sync
from form4.store import Store
from tests.conftest import CORPUS
from tests.edgar.conftest import AGENT
from tests.edgar.fake_edgar import COMPANY, FILING, FILING_PATH, INDEX_PATH, SUBMISSIONS_PATH, FakeEdgar
from tests.edgar.mirror import MirrorFiling, submission_filing
from tests.edgar.test_formats import Layout, render_index

Make = Callable[..., EdgarClient]
# The server stamps arrivals, not departures: scheduling jitter may move one by a few ms,
# so "no second above 10" is checked on windows a little shorter than a second.
SLACK = 0.05


# -- User-Agent -------------------------------------------------------------------------------


@pytest.mark.parametrize("agent", [None, "", "form4 no contact"])
def test_a_user_agent_with_an_email_is_required(fake: FakeEdgar, client: Make, agent: str | None) -> None:
    with pytest.raises(EdgarError, match="FORM4_USER_AGENT") as info:
        client(user_agent=agent)
    assert isinstance(info.value, Form4Error)
    assert "\n" not in str(info.value)
    assert fake.requests == []


def test_the_user_agent_may_come_from_the_environment(
    fake: FakeEdgar, client: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORM4_USER_AGENT", "Env Person env@example.com")
    with client(user_agent=None) as edgar:
        edgar.get_bytes(SUBMISSIONS_PATH, host="data")
    assert fake.requests[0].user_agent == "Env Person env@example.com"


def test_every_request_carries_the_user_agent(fake: FakeEdgar, client: Make) -> None:
    fake.inject("503")
    with client() as edgar:
        edgar.get_bytes(SUBMISSIONS_PATH, host="data")
        edgar.get_bytes(INDEX_PATH)
        edgar.get_bytes(FILING_PATH)
    assert len(fake.requests) == 4
    assert {r.user_agent for r in fake.requests} == {AGENT}


# -- addresses --------------------------------------------------------------------------------


def test_urls_use_the_sec_hosts_or_the_base(client: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    sec = EdgarClient(AGENT)
    assert sec.url("/submissions/CIK1.json", host="data") == "https://data.sec.gov/submissions/CIK1.json"
    assert sec.url("Archives/edgar/x.txt") == "https://www.sec.gov/Archives/edgar/x.txt"
    assert sec.rewrite("https://www.sec.gov/Archives/x") == "https://www.sec.gov/Archives/x"
    monkeypatch.setenv("FORM4_SEC_BASE_URL", "http://mirror.local:8080/")
    mirror = EdgarClient(AGENT)
    assert mirror.url("/submissions/CIK1.json", host="data") == "http://mirror.local:8080/submissions/CIK1.json"
    assert mirror.rewrite("https://www.sec.gov/Archives/x") == "http://mirror.local:8080/Archives/x"
    assert mirror.rewrite("https://data.sec.gov/api/xbrl") == "http://mirror.local:8080/api/xbrl"
    assert mirror.rewrite("https://www.sec.gov.evil/x") == "https://www.sec.gov.evil/x"
    assert mirror.url("https://www.sec.gov/Archives/x") == "http://mirror.local:8080/Archives/x"


# -- rate limit -------------------------------------------------------------------------------


def test_forty_requests_from_four_threads_keep_to_ten_a_second(fake: FakeEdgar, client: Make) -> None:
    with client() as edgar, ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: [edgar.get_bytes(SUBMISSIONS_PATH, host="data") for _ in range(10)], range(4)))
    assert len(fake.requests) == 40
    assert fake.max_per_window(1.0 - SLACK) <= 10
    span = fake.requests[-1].at - fake.requests[0].at
    assert span >= 3.5


def _ten_requests(base_url: str, cache_dir: str, agent: str) -> None:
    with EdgarClient(agent, base_url=base_url, cache_dir=cache_dir) as edgar:
        for _ in range(10):
            edgar.get_bytes(SUBMISSIONS_PATH, host="data")


def test_the_limit_holds_across_processes(fake: FakeEdgar, tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_ten_requests, args=(fake.base_url, str(tmp_path), f"worker{i} w{i}@example.com"))
               for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    assert len(fake.requests) == 20
    assert fake.max_per_window(1.0 - SLACK) <= 10
    # The two ran at once (their requests interleave), so the limit was shared, not taken in turn.
    order = [r.user_agent for r in fake.requests]
    assert sum(a != b for a, b in pairwise(order)) > 1


def test_max_rps_above_ten_is_clamped_for_the_sec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORM4_MAX_RPS", "50")
    assert EdgarClient(AGENT).max_rps == 10
    monkeypatch.setenv("FORM4_MAX_RPS", "2")
    assert EdgarClient(AGENT).max_rps == 2


def test_max_rps_above_ten_is_honoured_for_a_local_server(
    fake: FakeEdgar, client: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORM4_MAX_RPS", "40")
    with client() as edgar:
        assert edgar.max_rps == 40
        for _ in range(20):
            edgar.get_bytes(SUBMISSIONS_PATH, host="data")
    assert fake.max_per_window(1.0) > 10


def test_a_bad_max_rps_is_an_edgar_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORM4_MAX_RPS", "fast")
    with pytest.raises(EdgarError, match="FORM4_MAX_RPS"):
        EdgarClient(AGENT)


# -- retries ----------------------------------------------------------------------------------


def test_a_429_is_retried_after_retry_after(fake: FakeEdgar, client: Make) -> None:
    fake.inject("429")
    with client() as edgar:
        assert COMPANY in edgar.get_bytes(SUBMISSIONS_PATH, host="data")
    first, second = fake.requests
    assert second.at - first.at >= 1.0


def test_503s_are_retried(fake: FakeEdgar, client: Make) -> None:
    fake.inject("503", "503", "503")
    with client() as edgar:
        assert COMPANY in edgar.get_bytes(SUBMISSIONS_PATH, host="data")
    assert len(fake.requests) == 4


def test_a_connection_dropped_mid_body_is_retried(fake: FakeEdgar, client: Make) -> None:
    fake.inject("drop")
    with client() as edgar:
        body = edgar.get_bytes(FILING_PATH)
    assert body == (CORPUS / "txt" / FILING).read_bytes()
    assert len(fake.requests) == 2


def test_a_slow_answer_times_out_and_is_retried(fake: FakeEdgar, client: Make) -> None:
    fake.inject("slow")
    with client(timeout=0.5) as edgar:
        assert COMPANY in edgar.get_bytes(SUBMISSIONS_PATH, host="data")
    assert len(fake.requests) == 2


def test_after_the_last_try_the_error_names_the_url(fake: FakeEdgar, client: Make) -> None:
    fake.inject(*["503"] * 10)
    with client(retries=2) as edgar, pytest.raises(EdgarError) as info:
        edgar.get_bytes(SUBMISSIONS_PATH, host="data")
    assert fake.base_url + SUBMISSIONS_PATH in str(info.value)
    assert "503" in str(info.value)
    assert len(fake.requests) == 3


def test_a_404_fails_at_once(fake: FakeEdgar, client: Make) -> None:
    # data.sec.gov answers a missing file 404 (www.sec.gov a 403 under /Archives/: see test_mirror).
    with client() as edgar, pytest.raises(EdgarError, match="404") as info:
        edgar.get_bytes("/submissions/CIK0000000001.json", host="data")
    assert f"{fake.base_url}/submissions/CIK0000000001.json" in str(info.value)
    assert len(fake.requests) == 1


# -- cache and archives -----------------------------------------------------------------------


def test_index_files_are_revalidated_and_served_from_the_cache(fake: FakeEdgar, client: Make) -> None:
    with client() as edgar:
        first = edgar.get_bytes(INDEX_PATH)
        second = edgar.get_bytes(INDEX_PATH)
    assert first == second and COMPANY in first
    assert "If-None-Match" not in fake.requests[0].headers
    assert fake.requests[1].headers["If-None-Match"] == fake.etag(INDEX_PATH)
    assert "If-Modified-Since" in fake.requests[1].headers
    assert len(fake.requests) == 2


def test_other_paths_are_not_cached(fake: FakeEdgar, client: Make) -> None:
    with client() as edgar:
        edgar.get_bytes(SUBMISSIONS_PATH, host="data")
        edgar.get_bytes(SUBMISSIONS_PATH, host="data")
    assert all("If-None-Match" not in r.headers for r in fake.requests)


def test_stream_to_writes_the_archive_once(fake: FakeEdgar, client: Make, tmp_path: Path) -> None:
    dest = tmp_path / "archives" / FILING
    with client() as edgar:
        assert edgar.stream_to(FILING_PATH, dest) == dest
        edgar.stream_to(FILING_PATH, dest)
    assert dest.read_bytes() == (CORPUS / "txt" / FILING).read_bytes()
    assert len(fake.requests) == 1
    assert sorted(p.name for p in dest.parent.iterdir()) == [FILING]


def test_stream_to_leaves_no_file_when_the_body_is_cut(fake: FakeEdgar, client: Make, tmp_path: Path) -> None:
    fake.inject("drop", "drop")
    dest = tmp_path / "archives" / FILING
    with client(retries=1) as edgar, pytest.raises(EdgarError, match=FILING):
        edgar.stream_to(FILING_PATH, dest)
    assert not dest.parent.exists() or list(dest.parent.iterdir()) == []


# -- no server at all -------------------------------------------------------------------------


def test_a_mock_transport_needs_no_server(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b'{"ok": true}')

    with EdgarClient(AGENT, transport=httpx.MockTransport(answer), cache_dir=tmp_path) as edgar:
        assert edgar.get_bytes("/submissions/CIK0000000001.json", host="data") == b'{"ok": true}'
    assert str(seen[0].url) == "https://data.sec.gov/submissions/CIK0000000001.json"
    assert seen[0].headers["User-Agent"] == AGENT


def test_mock_transport_errors_are_retried(tmp_path: Path) -> None:
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(time.time())
        if len(calls) == 1:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, content=b"ok")

    with EdgarClient(AGENT, transport=httpx.MockTransport(answer), cache_dir=tmp_path, backoff=0.01) as edgar:
        assert edgar.get_bytes("/Archives/x.txt") == b"ok"
    assert len(calls) == 2


def test_a_403_fails_at_once_and_says_what_to_check(tmp_path: Path) -> None:
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(403, content=b"Undeclared Automated Tool")

    with EdgarClient(AGENT, transport=httpx.MockTransport(answer), cache_dir=tmp_path) as edgar, \
            pytest.raises(EdgarError, match=r"403.*FORM4_USER_AGENT"):
        edgar.get_bytes("/Archives/x.txt")
    assert len(calls) == 1


def test_the_user_agent_may_come_from_the_config_file(fake: FakeEdgar, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'user_agent = "From File file@example.com"\nsec_base_url = "{fake.base_url}"\n')
    monkeypatch.setenv("FORM4_CONFIG", str(config))
    with EdgarClient(cache_dir=tmp_path / "c") as edgar:
        edgar.get_bytes(FILING_PATH)
    monkeypatch.setenv("FORM4_USER_AGENT", "From Env env@example.com")  # the environment comes first
    with EdgarClient(cache_dir=tmp_path / "c") as edgar:
        edgar.get_bytes(FILING_PATH)
    assert [r.user_agent for r in fake.requests] == ["From File file@example.com", "From Env env@example.com"]


def test_a_broken_config_file_is_one_line_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('user_agent = "unterminated\n')
    monkeypatch.setenv("FORM4_CONFIG", str(config))
    with pytest.raises(Form4Error, match=r"config\.toml: not a form4 config file"):
        EdgarClient()


def test_without_a_user_agent_the_error_names_both_places(tmp_path: Path) -> None:
    with pytest.raises(EdgarError, match=r"FORM4_USER_AGENT.*no-config\.toml"):
        EdgarClient()


# -- a missing file is not a refusal ----------------------------------------------------------

S3_ACCESS_DENIED = (Path(__file__).parent / "real" / "errors" / "missing-archives-file.403.xml").read_bytes()
S3_NO_SUCH_KEY = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>'
                  b"<Message>The specified key does not exist.</Message><Key>submissions/CIK0000000001.json</Key>"
                  b"<RequestId>0</RequestId><HostId>0</HostId></Error>")
UNDECLARED = (b"<!DOCTYPE html><html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head><body>"
              b"<h1>Your Request Originates from an Undeclared Automated Tool</h1><p>To allow for equitable access "
              b"to all users, SEC reserves the right to limit requests originating from undeclared automated "
              b"tools.</p></body></html>")


@dataclass
class S3Edgar:
    """EDGAR as it answers what it does not have: www.sec.gov a 403 with S3's AccessDenied XML
    (gzipped when asked), data.sec.gov a 404 with NoSuchKey; ``refusing`` answers everything
    with the SEC's HTML refusal of an undeclared tool."""

    files: dict[str, bytes]
    base_url: str = ""
    refusing: bool = False
    gzips: bool = True  # as EDGAR does when the client accepts it
    seen: list[str] = field(default_factory=list)

    def answer(self, path: str, accepts_gzip: bool) -> tuple[int, bytes, dict[str, str]]:
        self.seen.append(path)
        if self.refusing:
            return 403, UNDECLARED, {"Content-Type": "text/html"}
        if path in self.files:
            return 200, self.files[path], {"Content-Type": "text/plain"}
        if path.startswith("/submissions/"):
            return 404, S3_NO_SUCH_KEY, {"Content-Type": "application/xml"}
        if accepts_gzip and self.gzips:
            return 403, gzip.compress(S3_ACCESS_DENIED), {"Content-Type": "application/xml",
                                                          "Content-Encoding": "gzip"}
        return 403, S3_ACCESS_DENIED, {"Content-Type": "application/xml"}


@pytest.fixture
def s3_edgar() -> Iterator[S3Edgar]:
    edgar = S3Edgar({})

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            status, body, headers = edgar.answer(self.path, "gzip" in self.headers.get("Accept-Encoding", ""))
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    edgar.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield edgar
    server.shutdown()
    server.server_close()


def s3_client(edgar: S3Edgar, tmp_path: Path) -> EdgarClient:
    return EdgarClient(AGENT, base_url=edgar.base_url, cache_dir=tmp_path / "cache", max_rps=200, backoff=0.05)


@pytest.mark.parametrize("path", ["/Archives/edgar/full-index/2099/QTR1/form.gz",
                                  "/Archives/edgar/data/1/0000000001-99-000001.txt"])
def test_a_403_with_s3s_access_denied_is_a_missing_file(s3_edgar: S3Edgar, tmp_path: Path, path: str) -> None:
    with s3_client(s3_edgar, tmp_path) as edgar, pytest.raises(EdgarNotFoundError) as info:
        edgar.get_bytes(path)
    assert str(info.value) == f"{s3_edgar.base_url}{path}: no such file (403 AccessDenied)"
    assert s3_edgar.seen == [path]  # not retried


def test_the_s3_403_read_as_sent_plain(s3_edgar: S3Edgar, tmp_path: Path) -> None:
    s3_edgar.gzips = False
    with s3_client(s3_edgar, tmp_path) as edgar, pytest.raises(EdgarNotFoundError, match="AccessDenied"):
        edgar.get_bytes("/Archives/edgar/daily-index/2099/QTR1/index.json")


def test_a_404_with_s3s_no_such_key_is_a_missing_file(s3_edgar: S3Edgar, tmp_path: Path) -> None:
    with s3_client(s3_edgar, tmp_path) as edgar, pytest.raises(EdgarNotFoundError, match="404"):
        edgar.get_bytes("/submissions/CIK0000000001.json", host="data")


def test_the_secs_html_403_is_still_a_refusal(s3_edgar: S3Edgar, tmp_path: Path) -> None:
    s3_edgar.refusing = True
    with s3_client(s3_edgar, tmp_path) as edgar, pytest.raises(EdgarError) as info:
        edgar.get_bytes("/Archives/edgar/full-index/2020/QTR1/form.idx")
    assert not isinstance(info.value, EdgarNotFoundError)
    assert "refused (403); check FORM4_USER_AGENT" in str(info.value)


def test_stream_to_a_missing_archive_is_a_missing_file(s3_edgar: S3Edgar, tmp_path: Path) -> None:
    with s3_client(s3_edgar, tmp_path) as edgar, pytest.raises(EdgarNotFoundError):
        edgar.stream_to(paths.feed_archive(dt.date(2099, 1, 2)), tmp_path / "feed.tar.gz")
    assert list(tmp_path.glob("feed.tar.gz*")) == []


def _daily_index(filings: list[MirrorFiling]) -> bytes:
    """A daily form index of these filings, laid out as EDGAR's."""
    layout = Layout("form", daily=True, wrapped=False, cloud=False, blank=" ", form_width=12, padded_cik=False,
                    encoding="utf-8")
    return render_index(layout, [IndexEntry(f.form_type, f.company, f.cik_issuer, f.filed,
                                            f"edgar/data/{f.cik_issuer}/{f.accession_number}.txt") for f in filings])


def _listing(days: list[dt.date]) -> bytes:
    items = [{"name": f"form.{d:%Y%m%d}.idx", "type": "file"} for d in days]
    return json.dumps({"directory": {"item": items}}).encode()


def test_sync_passes_over_a_quarter_and_a_day_edgar_has_no_index_for(
        s3_edgar: S3Edgar, tmp_path: Path, store_url: str) -> None:
    """Q4 2022 lists two days, the second without its index; Q1 2023 has no listing; Q2 2023 one day."""
    first, gone, last = dt.date(2022, 12, 29), dt.date(2022, 12, 30), dt.date(2023, 4, 3)
    a, b = (replace(submission_filing(CORPUS / "txt" / name), filed=day)
            for name, day in (("0001031563-05-000019.txt", first), ("0001061666-04-000037.txt", last)))
    s3_edgar.files.update({
        paths.daily_listing(2022, 4): _listing([first, gone]),
        paths.daily_index(first): _daily_index([a]),
        paths.daily_listing(2023, 2): _listing([last]),
        paths.daily_index(last): _daily_index([b]),
        **{paths.submission(f.cik_issuer, f.accession_number): f.submission for f in (a, b)},
    })
    with s3_client(s3_edgar, tmp_path) as edgar, Store(store_url) as store:
        report = sync(store, edgar, first, last)
        held = set(store.arrow("SELECT accession_number FROM filings").column(0).to_pylist())
        assert held == {a.accession_number, b.accession_number}
        assert (report.days, report.days_synced, report.days_left) == (3, 2, 1)
        assert report.days_without_index == [gone] and report.fetch_errors == []
        assert paths.daily_listing(2023, 1) in s3_edgar.seen
        s3_edgar.seen.clear()
        again = sync(store, edgar, first, last)  # the day left is asked for again, the others not
    assert (again.days_before, again.days_without_index) == (2, [gone])
    assert paths.daily_index(gone) in s3_edgar.seen and paths.daily_index(first) not in s3_edgar.seen
