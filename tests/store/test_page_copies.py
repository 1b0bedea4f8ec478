"""DuckDB's copies of ``current_rows`` in page order (form4.store.schema.PAGE_COPIES): they hold
exactly ``current_rows``'s rows through every way a batch changes it (new filings, a better reading
of a stored one, an amendment), are put in their order with it, are made for a store that has none
when it is opened to write; and the pages read from them are those PostgreSQL gives, and those
``current_rows`` alone gives (a store of an earlier version, opened only to read)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from form4.analytics import listing
from form4.analytics.scope import Filters
from form4.pipeline import ingest
from form4.store import Store
from form4.store.schema import PAGE_COPIES, PAGE_ROWS
from tests.conftest import CORPUS

XML = CORPUS / "xml"
SUBMISSIONS = CORPUS / "txt"
COLUMNS = ", ".join(name for name, _ in PAGE_ROWS)  # what a copy holds of each row


def _rows(store: Store, table: str) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(row.values()) for row in store.dicts(f"SELECT {COLUMNS} FROM {table}"))


def _copies_hold_current_rows(store: Store) -> None:
    current = _rows(store, "current_rows")
    assert sum(current.values()) > 0
    for copy in PAGE_COPIES:
        assert _rows(store, copy) == current, copy


def _amendment_pair(folder: Path) -> None:
    folder.mkdir()
    original = (XML / "374WaterForm4.xml").read_text()
    (folder / "0000000001-25-000001.xml").write_text(original)
    amended = original.replace("<documentType>4</documentType>", "<documentType>4/A</documentType>")
    assert amended != original
    (folder / "0000000001-25-000002.xml").write_text(amended)


def test_the_copies_hold_current_rows_through_every_batch(tmp_path: Path) -> None:
    _amendment_pair(tmp_path / "amended")
    with Store(str(tmp_path / "s.duckdb")) as store:
        assert store.engine.copies == set(PAGE_COPIES)
        # the submissions and text renderings first: the XML readings are new filings and better readings
        ingest(store, [SUBMISSIONS, *sorted((CORPUS / "text").glob("*.layout.txt"))], batch=40)
        _copies_hold_current_rows(store)
        report = ingest(store, [XML], batch=40)
        assert report.new and report.upgraded, report  # new filings, and better readings of stored ones
        _copies_hold_current_rows(store)
        ingest(store, [tmp_path / "amended"])
        current = store.dicts("SELECT DISTINCT accession_number FROM current_rows_by_day "
                              "WHERE accession_number LIKE '0000000001-25-%'")
        assert current == [{"accession_number": "0000000001-25-000002"}]  # the amended filing's rows are gone
        _copies_hold_current_rows(store)
        assert store.cluster(force=True)
        _copies_hold_current_rows(store)
        for copy, order in PAGE_COPIES.items():  # written in their order: a scan meets the rows so
            assert store.dicts(f"SELECT filing_id, line FROM {copy}") == store.dicts(
                f"SELECT filing_id, line FROM {copy} ORDER BY {order}")


def test_a_store_without_copies_gains_them_when_opened_to_write(tmp_path: Path) -> None:
    path = str(tmp_path / "s.duckdb")
    with Store(path) as store:
        ingest(store, [XML], batch=40)
    with duckdb.connect(path) as con:  # as a store of an earlier version left it
        for copy in PAGE_COPIES:
            con.execute(f"DROP TABLE {copy}")
    with Store(path, read_only=True) as store:
        assert store.engine.copies == frozenset()
        assert listing.transactions(store, Filters(), limit=5).items  # pages read current_rows
    with Store(path) as store:
        assert store.engine.copies == set(PAGE_COPIES)
        _copies_hold_current_rows(store)


def _walk(store: Store, list_of: Callable[..., listing.Page], filters: Filters, **options: Any
          ) -> list[dict[str, Any]]:
    """Every item of a list, page after page by cursor, pages of a few items."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = list_of(store, filters, limit=7, cursor=cursor, **options)
        items += page.items
        if page.next is None:
            return items
        cursor = page.next


def _days(list_of: Callable[..., listing.Page], items: list[dict[str, Any]]) -> list[dt.date | None]:
    """The day each item is listed by: a transaction's date, a holding's period."""
    return [item["transaction_date" if list_of is listing.transactions else "period_of_report"] for item in items]


def _asked(store: Store) -> list[tuple[Callable[..., listing.Page], Filters, dict[str, Any]]]:
    most = store.dicts("SELECT mode(issuer_cik) AS issuer, mode(owner_cik) AS owner FROM current_rows "
                       "WHERE kind = 'transaction'")[0]
    issuer, owner = most["issuer"], most["owner"]
    return [(listing.transactions, Filters(), {}), (listing.transactions, Filters(issuer=issuer), {}),
            (listing.transactions, Filters(owner=owner), {}), (listing.transactions, Filters(), {"code": "S"}),
            (listing.transactions, Filters(owner=owner), {"code": "P"}),
            (listing.transactions, Filters(since=dt.date(2020, 1, 1), until=dt.date(2023, 12, 31)), {}),
            (listing.transactions, Filters(min_value=100_000), {"table": "non_derivative"}),
            (listing.holdings, Filters(), {}), (listing.holdings, Filters(owner=owner), {})]


def test_pages_are_the_same_from_the_copies_from_current_rows_and_on_postgresql(
        tmp_path: Path, request: pytest.FixtureRequest) -> None:
    from tests.store.conftest import _schema

    with_copies, without = str(tmp_path / "copies.duckdb"), str(tmp_path / "plain.duckdb")
    postgres = _schema(request.getfixturevalue("postgres"), request)
    for url in (with_copies, postgres):
        with Store(url) as store:
            ingest(store, [XML], batch=40)
    shutil.copy(with_copies, without)
    with duckdb.connect(without) as con:
        for copy in PAGE_COPIES:
            con.execute(f"DROP TABLE {copy}")
    with Store(with_copies, read_only=True) as copies, Store(without, read_only=True) as plain, \
            Store(postgres, read_only=True) as pg:
        assert plain.engine.copies == frozenset() and copies.engine.copies == set(PAGE_COPIES)
        for list_of, filters, options in _asked(copies):
            walked = _walk(copies, list_of, filters, **options)
            assert walked, (filters, options)
            whole = list_of(copies, filters, limit=listing.MAX_LIMIT, **options).items
            assert walked[:listing.MAX_LIMIT] == whole  # pages of 7 in the order of one of 1000
            assert _walk(plain, list_of, filters, **options) == walked, (filters, options)
            # the same rows in the same order of days; within a day a filing read without an accession
            # number sorts by its key's hash, which each engine computes its own way
            on_pg = _walk(pg, list_of, filters, **options)
            assert sorted(map(repr, on_pg)) == sorted(map(repr, walked)), (filters, options)
            assert _days(list_of, on_pg) == _days(list_of, walked)
