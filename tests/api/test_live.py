"""A store kept current while it is served: ``form4 serve --watch`` stores what EDGAR files and
streams each new transaction at /api/stream (resumable with Last-Event-ID), ``--sync-daily``
stores the days before today, and a DuckDB store held by a server is named in one line by the
commands that meet it. A real ``form4 serve`` process, EDGAR a local mirror (form4.mirror)."""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from form4.api import Settings, create_app
from form4.pipeline.sync import sync
from form4.store import Store
from tests.api.serving import (
    Server,
    StreamReader,
    business_today,
    edgar_env,
    form4,
    forms_4,
    free_port,
    last_business_days,
    serving,
)
from tests.conftest import CORPUS
from tests.edgar.conftest import AGENT
from tests.edgar.fake_edgar import serve
from tests.edgar.mirror import Mirror, MirrorFiling, build_mirror

mirrored = contextlib.contextmanager(serve)


def rows_of(server: Server, filings: list[MirrorFiling]) -> list[dict[str, Any]]:
    """/api/transactions' rows of these filings (every page)."""
    wanted = {f.accession_number for f in filings}
    rows, cursor = [], None
    while True:
        page = server.get("/api/transactions", limit=1000, **({"cursor": cursor} if cursor else {}))
        rows += [r for r in page["items"] if r["accession_number"] in wanted]
        cursor = page["next"]
        if cursor is None:
            return rows


def listed(server: Server, filings: list[MirrorFiling]) -> list[dict[str, Any]] | None:
    """The filings' rows once the API lists every one of the filings (None before)."""
    rows = rows_of(server, filings)
    return rows if {r["accession_number"] for r in rows} == {f.accession_number for f in filings} else None


def key(row: dict[str, Any]) -> tuple[Any, ...]:
    return row["accession_number"], row["table"], row["row_index"], row["owner_cik"], row["owner_name"]


def edgar_with_a_day_stored(tmp_path: Path, store_url: str) -> Mirror:
    """A mirror whose filings of the last business day are already in the store (as a sync left them)."""
    from form4.edgar import EdgarClient

    day = last_business_days(1)[0]
    mirror = build_mirror(tmp_path / "mirror", forms_4(3, seed=11, day=day))
    with mirrored(mirror) as edgar, Store(store_url) as store, \
            EdgarClient(AGENT, base_url=edgar.base_url, max_rps=500, cache_dir=tmp_path / "c") as client:
        sync(store, client, day, day, workers=1)
    return mirror


def test_the_stream_sends_each_new_transaction_once_and_resumes_from_the_last_event_id(
        store_url: str, tmp_path: Path) -> None:
    mirror = edgar_with_a_day_stored(tmp_path, store_url)
    first, second = forms_4(4, seed=21, day=business_today()), forms_4(4, seed=22, day=business_today())
    with mirrored(mirror) as edgar, serving(store_url, "--watch", "--watch-interval", "1",
                                            env=edgar_env(edgar.base_url, tmp_path), tmp_path=tmp_path) as server:
        whole = StreamReader(server.url)  # connected before anything new is filed: it reads from now on
        mirror.add(first)
        expected_first = server.wait_for("the API listing the watch's filings", lambda: listed(server, first))
        assert expected_first  # the clones carry transactions
        # a client that leaves half-way through the second batch, and comes back with its last id
        early = StreamReader(server.url, wanted=2)
        mirror.add(second)
        left = early.finish()
        expected_second = server.wait_for("the API listing the second batch", lambda: listed(server, second))
        back = StreamReader(server.url, wanted=len(expected_second) - 2, last_event_id=left[-1].id)
        resumed = back.finish()
        seen = whole.finish(len(expected_first) + len(expected_second))
        time.sleep(3)  # three polls more: nothing is sent twice
        assert len(whole.transactions) == len(seen)
        if store_url.startswith("postgresql"):  # PostgreSQL lets another writer in meanwhile
            ingested = form4("ingest", str(CORPUS / "xml" / "374WaterForm4.xml"), "--db", store_url)
            assert ingested.returncode == 0, ingested.stderr
    assert [e.data for e in seen] == sorted([e.data for e in seen], key=lambda r: seen_order(r, first, second))
    assert sorted(map(key, (e.data for e in seen))) == sorted(map(key, expected_first + expected_second))
    assert all(e.data in expected_first + expected_second for e in seen)  # the rows /api/transactions lists
    assert len({e.id for e in seen}) == len(seen)  # an id each
    # the client that left and came back read the second batch as the one that stayed: none lost, none twice
    assert [key(e.data) for e in left + resumed] == [key(e.data) for e in seen][len(expected_first):]


def seen_order(row: dict[str, Any], *batches: list[MirrorFiling]) -> int:
    order = [f.accession_number for batch in batches for f in batch]
    return order.index(row["accession_number"]) // len(batches[0])  # batch by batch, as stored


def test_a_last_event_id_the_server_does_not_hold_is_answered_with_a_reset(store_url: str, tmp_path: Path) -> None:
    mirror = edgar_with_a_day_stored(tmp_path, store_url)
    filed = forms_4(2, seed=31, day=business_today())
    with mirrored(mirror) as edgar, serving(store_url, "--watch", "--watch-interval", "1",
                                            env=edgar_env(edgar.base_url, tmp_path), tmp_path=tmp_path) as server:
        listening = StreamReader(server.url, wanted=1)
        mirror.add(filed)
        assert listening.finish()
        stale = StreamReader(server.url, wanted=1, last_event_id="0badc0de-7")  # a run before a restart
        stale.finish()
        head = httpx.head(server.url + "/api/stream", timeout=10)  # ends at its headers, as a stream never would
        assert head.status_code == 200 and head.headers["content-type"].startswith("text/event-stream")
    assert stale.events[0].event == "reset" and "/api/transactions" in stale.events[0].data["reason"]
    assert stale.transactions[0].data == listening.transactions[0].data  # then what the server holds


def test_sync_daily_stores_the_days_before_today(store_url: str, tmp_path: Path) -> None:
    days = last_business_days(2)
    before = [f for i, day in enumerate(days) for f in forms_4(3, seed=40 + i, day=day)]
    mirror = build_mirror(tmp_path / "mirror", before)
    with mirrored(mirror) as edgar, serving(store_url, "--sync-daily", env=edgar_env(edgar.base_url, tmp_path),
                                            tmp_path=tmp_path) as server:
        found = server.wait_for("the days before today stored", lambda: _filings(server) >= {
            f.accession_number for f in before} and _filings(server))
        no_stream = httpx.get(server.url + "/api/stream", timeout=10)  # it syncs, it does not watch
    assert found == {f.accession_number for f in before}
    assert no_stream.status_code == 404
    with Store(store_url, read_only=True) as store:
        assert set(days) <= store.synced_days("3,4,5")  # marked as `form4 sync` marks them


def _filings(server: Server) -> set[str]:
    return {f["accession_number"] for f in server.get("/api/filings", limit=1000)["items"]}


@pytest.mark.parametrize("engine", ["duckdb"], indirect=True)
def test_a_store_held_by_a_server_is_named_in_one_line(store_url: str, tmp_path: Path) -> None:
    with Store(store_url) as store:
        store.ingest_filings([])  # a store, empty
    xml = str(CORPUS / "xml" / "374WaterForm4.xml")
    with serving(store_url, "--token", "s3cret", tmp_path=tmp_path) as server:  # a server that writes
        query = form4("query", "SELECT count(*) FROM filings", "--db", store_url)
        ingest = form4("ingest", xml, "--db", store_url)
        pid = server.process.pid
    for done in (query, ingest):
        assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert f"{store_url} is in use by another process (PID {pid}, `form4 serve`)" in done.stderr
        assert "PostgreSQL, which allows many writers" in done.stderr and "Conflicting lock" not in done.stderr
    assert "not even to read" in query.stderr
    with serving(store_url, tmp_path=tmp_path) as server:  # a server that only reads
        query = form4("query", "SELECT count(*) AS n FROM filings", "--db", store_url, "--format", "csv")
        ingest = form4("ingest", xml, "--db", store_url)
        pid = server.process.pid
    assert query.returncode == 0 and query.stdout.splitlines() == ["n", "0"], query.stderr
    assert ingest.returncode == 1 and len(ingest.stderr.strip().splitlines()) == 1, ingest.stderr
    assert re.search(rf"\(PID {pid}, `form4 serve`\), which reads it: .*none may write", ingest.stderr)


def test_a_server_that_does_not_watch_has_no_stream(stored: str) -> None:
    with TestClient(create_app(Settings(url=stored)), raise_server_exceptions=False) as api:
        answer = api.get("/api/stream")
    assert answer.status_code == 404 and "--watch" in answer.json()["error"]["message"]


def test_serve_watch_without_a_user_agent_says_so_in_one_line(stored: str, tmp_path: Path) -> None:
    env = edgar_env("http://127.0.0.1:9", tmp_path)
    del env["FORM4_USER_AGENT"]
    done = form4("serve", "--db", stored, "--watch", "--port", "9", env=env)
    assert done.returncode == 1 and "FORM4_USER_AGENT" in done.stderr and len(done.stderr.strip().splitlines()) == 1



def test_a_quiet_stream_sends_heartbeats(stored: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import uvicorn

    with mirrored(build_mirror(tmp_path / "mirror", [])) as edgar:
        for name, value in edgar_env(edgar.base_url, tmp_path).items():
            monkeypatch.setenv(name, value)
        port = free_port()
        app = create_app(Settings(url=stored, watch=True, heartbeat_seconds=0.2))
        running = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", timeout_graceful_shutdown=1))
        thread = threading.Thread(target=running.run, daemon=True)
        thread.start()
        try:
            while not running.started:
                time.sleep(0.05)
            reader = StreamReader(f"http://127.0.0.1:{port}")
            time.sleep(1.5)
            reader.stop.set()
        finally:
            running.should_exit = True
            thread.join(timeout=20)
    assert reader.comments >= 3 and reader.transactions == []  # comments only: nothing was filed
