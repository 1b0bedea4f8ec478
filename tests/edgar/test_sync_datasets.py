"""``form4 sync --via datasets`` against the fake EDGAR: the quarters the SEC's page lists come
from their zips, the days before the first and after the newest from the daily indexes; every
filing stored once, nothing fetched twice, a download resumed, a corrupt zip reported and left
for a rerun, and a data set's reading replaced by the filing's own XML."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from form4.cli import app
from form4.edgar import EdgarClient, paths
from form4.edgar.datasets import DatasetQuarter, listed_quarters, parse_listing
from form4.mirror import Mirror, build_mirror
from form4.pipeline import ingest
from form4.pipeline.datasets import imported_quarters, sync_datasets
from form4.store import Store
from tests.edgar.conftest import AGENT
from tests.edgar.fake_edgar import FakeEdgar, serve
from tests.edgar.mirror import generated_filings

serving = contextlib.contextmanager(serve)
SINCE, UNTIL = dt.date(2023, 12, 26), dt.date(2024, 7, 3)
PUBLISHED = [(2024, 1), (2024, 2)]


@pytest.fixture
def mirror(tmp_path: Path) -> Mirror:
    """Filings in four quarters: 2023q4 and 2024q3 only in the daily indexes, 2024q1 and 2024q2
    published as data sets too."""
    filings = [*generated_filings(4, seed=1, per_day=2, start=dt.date(2023, 12, 27)),
               *generated_filings(9, seed=2, per_day=3, start=dt.date(2024, 1, 2)),
               *generated_filings(6, seed=3, per_day=3, start=dt.date(2024, 6, 27)),
               *generated_filings(4, seed=4, per_day=2, start=dt.date(2024, 7, 1))]
    built = build_mirror(tmp_path / "mirror", filings)
    built.publish_datasets(PUBLISHED)
    return built


@pytest.fixture
def server(mirror: Mirror) -> Iterator[FakeEdgar]:
    with serving(mirror) as served:
        yield served


@pytest.fixture
def client(server: FakeEdgar, tmp_path: Path) -> Iterator[EdgarClient]:
    with EdgarClient(AGENT, base_url=server.base_url, max_rps=500, cache_dir=tmp_path / "cache",
                     backoff=0.05) as made:
        yield made


def _quarter(day: dt.date) -> tuple[int, int]:
    return day.year, paths.quarter_of(day)


def sources(store: Store) -> dict[str, str]:
    rows = store.arrow("SELECT accession_number, source FROM filings").to_pylist()
    return {r["accession_number"]: r["source"] for r in rows}


def zips(server: FakeEdgar) -> list[str]:
    return [r.path for r in server.requests if r.path.endswith(".zip")]


def test_the_whole_history_comes_from_data_sets_and_daily_indexes(
        mirror: Mirror, server: FakeEdgar, client: EdgarClient, tmp_path: Path) -> None:
    with Store(str(tmp_path / "s.duckdb")) as store:
        report = sync_datasets(store, client, SINCE, UNTIL, spool=tmp_path / "spool")
        held = Counter(store.arrow("SELECT accession_number FROM filings").column(0).to_pylist())
        assert set(held) == {f.accession_number for f in mirror.filings} and max(held.values()) == 1
        by_source = sources(store)
        for f in mirror.filings:  # each published quarter from its zip, every other day from its index
            assert (by_source[f.accession_number] == "sec-dataset") == (_quarter(f.filed) in PUBLISHED)
        assert report.quarters == report.quarters_imported == 2 and not report.quarter_errors
        assert report.dataset_filings == sum(_quarter(f.filed) in PUBLISHED for f in mirror.filings)
        assert len(zips(server)) == 2 and report.requests == len(server.requests)
        fetched = {Path(r.path).stem for r in server.requests if r.path.endswith(".txt")}
        assert fetched == {f.accession_number for f in mirror.filings if _quarter(f.filed) not in PUBLISHED}
        assert imported_quarters(store, ("3", "4", "5")) == {"2024q1", "2024q2"}
        assert not list((tmp_path / "spool").iterdir())  # each zip deleted once imported

        server.reset()
        again = sync_datasets(store, client, SINCE, UNTIL, spool=tmp_path / "spool")
        assert again.quarters_before == 2 and again.quarters_imported == 0 and again.new == 0
        assert not zips(server) and not [r for r in server.requests if r.path.endswith(".txt")]


def test_a_filing_read_later_from_its_xml_replaces_the_data_sets_reading(
        mirror: Mirror, client: EdgarClient, tmp_path: Path) -> None:
    with Store(str(tmp_path / "s.duckdb")) as store:
        sync_datasets(store, client, SINCE, UNTIL, spool=tmp_path / "spool")
        one = next(f for f in mirror.filings if _quarter(f.filed) == (2024, 1))
        assert sources(store)[one.accession_number] == "sec-dataset"
        submission = mirror.file(paths.submission(one.cik_issuer, one.accession_number))
        report = ingest(store, [submission])
        assert report.upgraded == 1 and sources(store)[one.accession_number] == "sgml"  # its XML, in its .txt
        assert store.arrow("SELECT count(*) FROM filings").column(0)[0].as_py() == len(mirror.filings)


def test_an_interrupted_download_continues_where_it_stopped(
        mirror: Mirror, server: FakeEdgar, client: EdgarClient, tmp_path: Path) -> None:
    path = paths.dataset_zip(2024, 1)
    whole = mirror.file(path).read_bytes()
    server.inject("drop")  # the connection is lost halfway through the body
    got = client.resume_to(path, tmp_path / "one.zip")
    assert got.read_bytes() == whole
    asked = [r for r in server.requests if r.path == path]
    assert len(asked) == 2 and "Range" not in asked[0].headers
    assert asked[1].headers["Range"] == f"bytes={len(whole) // 2}-"

    # a run killed mid-download left part of a zip: the next run asks for the rest only
    spool = tmp_path / "spool"
    spool.mkdir()
    (spool / "2024q2_form345.zip.part").write_bytes(mirror.file(paths.dataset_zip(2024, 2)).read_bytes()[:1000])
    server.reset()
    with Store(str(tmp_path / "s.duckdb")) as store:
        report = sync_datasets(store, client, SINCE, UNTIL, spool=spool)
        assert report.quarters_imported == 2 and not report.quarter_errors
        ranges = {r.path: r.headers.get("Range") for r in server.requests if r.path.endswith(".zip")}
        assert ranges == {paths.dataset_zip(2024, 1): None, paths.dataset_zip(2024, 2): "bytes=1000-"}
        assert set(sources(store)) == {f.accession_number for f in mirror.filings}


def test_a_corrupt_zip_is_reported_by_its_quarter_and_fetched_again_by_the_next_run(
        mirror: Mirror, server: FakeEdgar, client: EdgarClient, tmp_path: Path) -> None:
    target = mirror.file(paths.dataset_zip(2024, 1))
    good = target.read_bytes()
    target.write_bytes(good[: len(good) // 3])  # cut short: no central directory
    with Store(str(tmp_path / "s.duckdb")) as store:
        report = sync_datasets(store, client, SINCE, UNTIL, spool=tmp_path / "spool")
        (error,) = report.quarter_errors
        assert error.startswith("2024q1: ") and "\n" not in error and "zip" in error
        assert report.quarters_imported == 1 and imported_quarters(store, ("3", "4", "5")) == {"2024q2"}
        q1 = {f.accession_number for f in mirror.filings if _quarter(f.filed) == (2024, 1)}
        assert not q1 & set(sources(store))  # nothing of it stored, and its days not taken by index instead
        target.write_bytes(good)
        server.reset()
        again = sync_datasets(store, client, SINCE, UNTIL, spool=tmp_path / "spool")
        assert again.quarters_imported == 1 and zips(server) == [paths.dataset_zip(2024, 1)]
        assert set(sources(store)) == {f.accession_number for f in mirror.filings}


def test_the_cli_syncs_by_data_sets_and_says_what_it_did(
        mirror: Mirror, server: FakeEdgar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"FORM4_USER_AGENT": AGENT, "FORM4_SEC_BASE_URL": server.base_url, "FORM4_MAX_RPS": "500",
                        "FORM4_CACHE": str(tmp_path / "cache"), "FORM4_SPOOL": str(tmp_path / "spool")}.items():
        monkeypatch.setenv(name, value)
    db = str(tmp_path / "cli.duckdb")
    result = CliRunner().invoke(app, ["sync", "--via", "datasets", "--since", f"{SINCE}", "--until", f"{UNTIL}",
                                      "--db", db])
    assert result.exit_code == 0, result.output
    assert "2 quarters listed: 0 imported before, 2 now" in result.output
    with Store(db) as store:
        assert set(sources(store)) == {f.accession_number for f in mirror.filings}


def test_the_listing_is_read_from_its_links_whatever_the_page_around_them() -> None:
    page = b"""<html><body><p>See <a href="https://www.sec.gov/files/other.zip">other</a></p>
    <ul><li><A HREF="/files/structureddata/data/insider-transactions-data-sets/2006Q1_form345.zip">2006 Q1</A>
    <li><a href='2024q3_form345.zip'>latest</a>
    <li><a href="/files/structureddata/data/insider-transactions-data-sets/2006q1_form345.zip">again</a>
    <li><a href="/files/2010q5_form345.zip">no such quarter</a></ul><table><tr><td>
    <a href="//www.sec.gov/files/structureddata/data/insider-transactions-data-sets/2015q2_form345.zip">x</a>"""
    quarters = parse_listing(page, "https://www.sec.gov/data-research/sec-markets-data/")
    assert [q.name for q in quarters] == ["2006q1", "2015q2", "2024q3"]
    assert quarters[0].url == ("https://www.sec.gov/files/structureddata/data/insider-transactions-data-sets/"
                               "2006Q1_form345.zip")
    assert quarters[2].url == "https://www.sec.gov/data-research/sec-markets-data/2024q3_form345.zip"
    assert parse_listing(b"") == [] and parse_listing(b"<html><body>moved</body></html>") == []


def test_the_mirror_lists_its_data_sets_as_the_sec_does(client: EdgarClient) -> None:
    quarters = listed_quarters(client)
    assert quarters == [DatasetQuarter(y, q, f"https://www.sec.gov{paths.dataset_zip(y, q)}") for y, q in PUBLISHED]
    page = client.get_bytes(paths.DATASETS_PAGE).decode()
    assert ">2024 Q2</a>" in page and page.index("2024 Q2") < page.index("2024 Q1")  # newest first
    assert os.path.basename(paths.dataset_zip(2024, 1)) == "2024q1_form345.zip"
