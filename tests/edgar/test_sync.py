"""``form4 sync``, ``download`` and ``watch`` against the fake EDGAR serving the corpus mirror:
every filing stored once, resumable after SIGKILL, polite (≤ 10 requests in any second, a
User-Agent on every request), faults retried, broken filings quarantined."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from form4.cli import app
from form4.edgar import EdgarClient
from form4.pipeline.sync import sync
from form4.store import Store
from tests.edgar.conftest import AGENT
from tests.edgar.fake_edgar import FakeEdgar, serve
from tests.edgar.mirror import Mirror, MirrorFiling, build_mirror, corpus_filings
from tests.store.snapshot import snapshot

SECTION_16 = {"3", "4", "5"}
serving = contextlib.contextmanager(serve)


def section_16(filings: list[MirrorFiling]) -> set[str]:
    return {f.accession_number for f in filings if f.form_type.removesuffix("/A") in SECTION_16}


def span(filings: list[MirrorFiling]) -> tuple[dt.date, dt.date]:
    days = [f.filed for f in filings]
    return min(days), max(days)


def held(store: Store) -> Counter[str]:
    """Each accession number the store holds, stored or quarantined, with how often."""
    rows = store.arrow("SELECT accession_number FROM filings").column(0).to_pylist()
    paths = store.arrow("SELECT source_path FROM quarantine").column(0).to_pylist()
    found = Counter(rows)
    found.update(Path(p).stem for p in paths)
    return found


def fetched(server: FakeEdgar, accessions: set[str]) -> Counter[str]:
    """How often each filing's submission was requested."""
    return Counter(Path(r.path).stem for r in server.requests
                   if r.path.endswith(".txt") and Path(r.path).stem in accessions)


def env(server: FakeEdgar, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "FORM4_USER_AGENT": AGENT, "FORM4_SEC_BASE_URL": server.base_url,
            "FORM4_CACHE": str(tmp_path / "cache"), "FORM4_SPOOL": str(tmp_path / "spool"), **extra}


@pytest.fixture
def small(tmp_path: Path) -> Mirror:
    """A mirror of its own (a test may change it): 40 corpus filings over a few days."""
    filings = sorted(corpus_filings(), key=lambda f: f.filed)[-40:]
    return build_mirror(tmp_path / "mirror", filings)


def test_sync_stores_every_filing_once_on_both_engines(
        corpus_mirror: Mirror, mirror_client: Callable[..., EdgarClient], mirror_server: FakeEdgar,
        store_url: str) -> None:
    expected = section_16(corpus_mirror.filings)
    first, last = span(corpus_mirror.filings)
    with mirror_client() as client, Store(store_url) as store:
        report = sync(store, client, first, last, batch=50)
        assert set(held(store)) == expected and max(held(store).values()) == 1
        assert report.days_left == 0 and report.fetched == len(expected)
        assert report.new + report.quarantined == len(expected)
        mirror_server.reset()
        again = sync(store, client, first, last)
        assert again.days_before == again.days and again.fetched == 0
        assert not fetched(mirror_server, expected)  # nothing stored is fetched again


def test_amendments_are_included(corpus_mirror: Mirror) -> None:
    assert any(f.form_type.endswith("/A") for f in corpus_mirror.filings)  # the rule is tested above


def test_sync_by_feed_archive_stores_what_sync_by_index_stores(
        small: Mirror, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORM4_SPOOL", str(tmp_path / "spool"))
    first, last = span(small.filings)
    with serving(small) as server, \
            EdgarClient(AGENT, base_url=server.base_url, max_rps=500, cache_dir=tmp_path / "c") as client, \
            Store(str(tmp_path / "index.duckdb")) as by_index, Store(str(tmp_path / "feed.duckdb")) as by_feed:
        sync(by_index, client, first, last, via="index")
        report = sync(by_feed, client, first, last, via="feed")
        feeds = [r.path for r in server.requests if "/Feed/" in r.path]
        assert len(feeds) == report.days and report.days_left == 0
        assert set(held(by_feed)) == set(held(by_index)) == section_16(small.filings)
    assert not list((tmp_path / "spool").rglob("*.tar.gz"))  # each archive deleted once read


def test_no_second_sees_more_than_ten_requests_and_each_names_its_sender(
        small: Mirror, tmp_path: Path) -> None:
    first, last = span(small.filings)
    with serving(small) as server:
        with EdgarClient(AGENT, base_url=server.base_url, cache_dir=tmp_path / "c") as client, \
                Store(str(tmp_path / "s.duckdb")) as store:  # the default limit: 10 requests/s
            started = time.monotonic()
            sync(store, client, first, last)
            took = time.monotonic() - started
        assert len(server.requests) > 25 and took >= (len(server.requests) - 10) / 10
        assert server.max_per_window(1.0) <= 10
        assert {r.user_agent for r in server.requests} == {AGENT}


def test_sync_recovers_from_429_503_slow_answers_and_dropped_connections(small: Mirror, tmp_path: Path) -> None:
    first, last = span(small.filings)
    with serving(small) as server:
        server.inject("429", "503", "drop", "slow", "503")  # five failures in a row: the sixth try gets through
        with EdgarClient(AGENT, base_url=server.base_url, max_rps=200, cache_dir=tmp_path / "c", backoff=0.05,
                         timeout=1.0) as client, Store(str(tmp_path / "s.duckdb")) as store:
            report = sync(store, client, first, last)
            assert report.days_left == 0 and not report.fetch_errors
            assert set(held(store)) == section_16(small.filings)
        assert len({r.path for r in server.requests[:6]}) == 1  # one request, tried six times


def test_a_filing_that_cannot_be_read_is_quarantined_and_the_sync_goes_on(small: Mirror, tmp_path: Path) -> None:
    template = small.filings[0]
    broken = replace(template, accession_number="0009999999-24-000001",
                     submission=template.submission.split(b"<DOCUMENT>")[0] + b"<DOCUMENT>\n<TYPE>4\n<TEXT>\n"
                     b"<XML>\n<ownershipDocument><issuer>\n</XML>\n</TEXT>\n</DOCUMENT>\n")
    small.add([broken])
    first, last = span(small.filings)
    runner = CliRunner()
    with serving(small) as server:
        args = ["sync", "--since", str(first), "--until", str(last), "--db", str(tmp_path / "s.duckdb")]
        result = runner.invoke(app, args, env=env(server, tmp_path, FORM4_MAX_RPS="500"))
        assert result.exit_code == 1, result.output
        assert "quarantined" in result.output and "0009999999-24-000001" in result.output
        with Store(str(tmp_path / "s.duckdb"), read_only=True) as store:
            assert set(held(store)) == section_16(small.filings)
            assert store.arrow("SELECT count(*) FROM quarantine").column(0)[0].as_py() == 1
        server.reset()
        again = runner.invoke(app, args, env=env(server, tmp_path, FORM4_MAX_RPS="500"))
        assert again.exit_code == 0, again.output
        assert not fetched(server, {"0009999999-24-000001"})  # quarantined: held, not fetched again


def test_a_filing_that_cannot_be_fetched_leaves_its_day_to_the_next_run(small: Mirror, tmp_path: Path) -> None:
    missing = small.filings[-1]
    copies = [small.file(f"/Archives/edgar/data/{cik}/{missing.accession_number}.txt") for cik, _, _ in
              missing.parties()]  # EDGAR files it under each party
    saved = copies[0].read_bytes()
    for copy in copies:
        copy.unlink()
    first, last = span(small.filings)
    with serving(small) as server, \
            EdgarClient(AGENT, base_url=server.base_url, max_rps=500, cache_dir=tmp_path / "c") as client, \
            Store(str(tmp_path / "s.duckdb")) as store:
        report = sync(store, client, first, last)
        assert report.days_left == 1 and len(report.fetch_errors) == 1
        assert missing.accession_number in str(report.fetch_errors[0])
        assert missing.accession_number not in held(store)
        for copy in copies:
            copy.write_bytes(saved)
        again = sync(store, client, first, last)
        assert again.days_synced == 1 and again.fetched == 1
        assert set(held(store)) == section_16(small.filings)


def test_a_sigkilled_sync_resumes_with_nothing_lost_or_doubled(corpus_mirror: Mirror, mirror_server: FakeEdgar,
                                                                tmp_path: Path) -> None:
    expected = section_16(corpus_mirror.filings)
    first, last = span(corpus_mirror.filings)
    db = str(tmp_path / "s.duckdb")
    command = [sys.executable, "-m", "form4", "-q", "sync", "--since", str(first), "--until", str(last),
               "--db", db, "--batch", "10", "--workers", "1"]
    environment = env(mirror_server, tmp_path, FORM4_MAX_RPS="100")
    before: set[str] = set()
    killed = []
    for delay in (2.0, 3.0, 4.0, None):  # killed three times at different moments, then left to finish
        mirror_server.reset()
        process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if delay is None:
            process.wait(timeout=300)
        else:
            time.sleep(delay)
            killed.append(process.poll() is None)
            process.send_signal(signal.SIGKILL)
            process.wait()
        assert not set(fetched(mirror_server, expected)) & before  # what was stored is never fetched again
        if not Path(db).exists():  # killed before it made the store (a slow start): nothing stored yet
            assert not before
            continue
        with Store(db, read_only=True) as store:
            stored = held(store)
        assert max(stored.values(), default=1) == 1 and before <= set(stored)
        before = set(stored)
    assert killed[0] and set(stored) == expected  # nothing lost, nothing doubled


def test_sync_without_a_user_agent_is_refused_before_any_request(small: Mirror, tmp_path: Path) -> None:
    with serving(small) as server:
        environment = env(server, tmp_path)
        del environment["FORM4_USER_AGENT"]
        result = CliRunner().invoke(app, ["sync", "--since", "2024-01-01", "--db", str(tmp_path / "s.duckdb")],
                                    env=environment)
        assert result.exit_code == 1 and "FORM4_USER_AGENT" in result.output
        assert len(result.output.strip().splitlines()) == 1
        assert not server.requests


def test_dask_sync_stores_what_a_local_sync_stores(small: Mirror, tmp_path: Path) -> None:
    first, last = span(small.filings)
    with serving(small) as server:
        with EdgarClient(AGENT, base_url=server.base_url, max_rps=30, cache_dir=tmp_path / "c") as client, \
                Store(str(tmp_path / "local.duckdb")) as local, Store(str(tmp_path / "dask.duckdb")) as dask:
            sync(local, client, first, last, batch=7)
            server.reset()
            report = sync(dask, client, first, last, engine="dask", workers=2, batch=7)
            assert report.days_left == 0
            assert snapshot(dask) == snapshot(local)
        assert server.max_per_window(1.0) <= 30  # the limit holds across the workers and the driver
        assert {r.user_agent for r in server.requests} == {AGENT}


# -- download ---------------------------------------------------------------------------------


def test_download_fetches_a_company_s_filings_once_across_its_older_pages(
        corpus_mirror: Mirror, mirror_server: FakeEdgar, tmp_path: Path) -> None:
    issuers = Counter(f.cik_issuer for f in corpus_mirror.filings)
    cik, count = issuers.most_common(1)[0]
    assert count > corpus_mirror.page_size  # so that the older page is needed
    expected = {f.accession_number for f in corpus_mirror.filings
                if cik in (f.cik_issuer, *f.cik_owners) and f.form_type.removesuffix("/A") in SECTION_16}
    out = tmp_path / "out"
    runner = CliRunner()
    args = ["download", "--cik", str(cik), "--out", str(out)]
    result = runner.invoke(app, args, env=env(mirror_server, tmp_path, FORM4_MAX_RPS="500"))
    assert result.exit_code == 0, result.output
    assert {p.stem for p in out.iterdir()} == expected
    assert any("-submissions-001.json" in r.path for r in mirror_server.requests)
    mirror_server.reset()
    again = runner.invoke(app, args, env=env(mirror_server, tmp_path, FORM4_MAX_RPS="500"))
    assert again.exit_code == 0 and f"0 fetched, {len(expected)} already" in again.output
    assert not fetched(mirror_server, expected)


def test_download_by_ticker_and_dates(corpus_mirror: Mirror, mirror_server: FakeEdgar, tmp_path: Path) -> None:
    filing = next(f for f in corpus_mirror.filings if f.ticker and f.form_type == "4")
    day = filing.filed.isoformat()
    result = CliRunner().invoke(app, ["download", "--ticker", filing.ticker.lower(), "--since", day, "--until", day,
                                      "--forms", "4", "--out", str(tmp_path / "out")],
                                env=env(mirror_server, tmp_path, FORM4_MAX_RPS="500"))
    assert result.exit_code == 0, result.output
    got = {p.stem for p in (tmp_path / "out").iterdir()}
    assert filing.accession_number in got
    assert all(f.filed == filing.filed for f in corpus_mirror.filings if f.accession_number in got)
    unknown = CliRunner().invoke(app, ["download", "--ticker", "NOSUCHTICKER", "--out", str(tmp_path / "x")],
                                 env=env(mirror_server, tmp_path))
    assert unknown.exit_code == 1 and "NOSUCHTICKER" in unknown.output


# -- watch ------------------------------------------------------------------------------------


def test_watch_stores_each_new_filing_once_and_prints_its_transactions(small: Mirror, tmp_path: Path) -> None:
    later = sorted(corpus_filings(), key=lambda f: f.filed)[-60:-40]
    later = [f for f in later if f.form_type == "4" and f.xml and b"<transactionCode>" in f.xml][:3]
    assert later
    db = str(tmp_path / "s.duckdb")
    with serving(small) as server, (tmp_path / "out.jsonl").open("w+") as out_file:
        process = subprocess.Popen(  # output to a file: a pipe nobody reads would fill and stop it
            [sys.executable, "-m", "form4", "watch", "--interval", "1", "--format", "jsonl", "--db", db],
            env=env(server, tmp_path, FORM4_MAX_RPS="500"), stdout=out_file, stderr=subprocess.PIPE, text=True)
        try:
            _wait_for(lambda: sum("browse-edgar" in r.path for r in server.requests) >= 6)  # 2 polls of 3 forms
            small.add(later)
            _wait_for(lambda: all(fetched(server, {f.accession_number}) for f in later))
            time.sleep(2.5)  # more polls, listing the same filings again
        finally:
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=30)
        out_file.seek(0)
        out = out_file.read()
        assert process.returncode == 0, err
        assert "new filings stored" in err
        counts = fetched(server, section_16(small.filings))
        assert max(counts.values()) == 1  # listed under the issuer and each owner, poll after poll: fetched once
        lines = [json.loads(line) for line in out.splitlines()]
        printed = Counter(line["accession_number"] for line in lines)
        assert {f.accession_number for f in later} <= set(printed) <= section_16(small.filings)
        assert all(line["kind"] == "transaction" and line["transaction_code"] for line in lines)
    with Store(db, read_only=True) as store:
        stored = held(store)
    assert set(stored) == section_16(small.filings) and max(stored.values()) == 1


def _wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def test_a_day_whose_filings_are_all_stored_does_not_fetch_its_feed_archive(small: Mirror, tmp_path: Path) -> None:
    from form4.pipeline import ingest

    first, last = span(small.filings)
    with serving(small) as server, \
            EdgarClient(AGENT, base_url=server.base_url, max_rps=500, cache_dir=tmp_path / "c") as client, \
            Store(str(tmp_path / "s.duckdb")) as store:
        ingest(store, [small.root / "Archives" / "edgar" / "data"], workers=1)  # every filing, brought by hand
        report = sync(store, client, first, last, via="feed")
        assert report.days_synced == report.days and report.fetched == 0
        assert not [r for r in server.requests if "/Feed/" in r.path]
