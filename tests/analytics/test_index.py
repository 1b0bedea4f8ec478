"""The transactions index a server keeps answers as the store does, page for page and cursor
for cursor, and goes on doing so while filings are stored: new ones, amendments, better
readings of stored ones, readings without accession number merged into the filing's own."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import msgspec
import pytest

from form4.analytics import listing
from form4.analytics.index import TransactionIndex
from form4.analytics.scope import Filters
from form4.model import Filing, Issuer, ReportingOwner
from form4.pipeline import ingest
from form4.store import Store
from tests.analytics.history import ACME, ALICE, GLOBEX, form4, history, trade
from tests.conftest import CORPUS

# each with a filing's accession number's worth of variety: issuers, owners, codes, dates, values
QUERIES: list[dict[str, Any]] = [
    {}, {"issuer": ACME.cik}, {"issuer": GLOBEX.cik}, {"owner": "0000000001"}, {"code": "S"},
    {"code": "P", "min_value": 5000.0}, {"since": dt.date(2024, 3, 1), "until": dt.date(2024, 6, 30)},
    {"table": "derivative"}, {"issuer": ACME.cik, "owner": "0000000004", "code": "P"}, {"code": "Q"},
    {"owner": "0000009999"}, {"until": dt.date(2024, 3, 1)}, {"since": dt.date(1, 1, 1)},
]
NAME = "dev11-00000"


def _split(query: dict[str, Any]) -> tuple[Filters, dict[str, Any]]:
    extra = {k: query[k] for k in ("code", "table") if k in query}
    return Filters(**{k: v for k, v in query.items() if k not in extra}), extra


def _walk(page: Any, limit: int = 2) -> list[Any]:
    """Every page of a list, in order, as JSON values (with the cursors that led there)."""
    pages, cursor = [], None
    while True:
        answer = msgspec.json.decode(page(limit=limit, cursor=cursor))
        pages.append(answer)
        cursor = answer["next"]
        if cursor is None:
            return pages


def assert_answers_as_the_store(index: TransactionIndex, store: Store) -> int:
    """Every query's pages from the index and from the store are the same; how many rows."""
    rows = 0
    for query in QUERIES:
        filters, extra = _split(query)
        mine = _walk(functools.partial(index.transactions_json, filters, **extra))
        theirs = _walk(lambda f=filters, e=extra, **page: msgspec.json.encode(
            listing.transactions(store, f, **e, **page).to_dict()))
        assert mine == theirs, query
        rows += sum(len(p["items"]) for p in mine)
    return rows


def test_new_filings_and_amendments_are_caught_up(store_url: str) -> None:
    filings = history()
    later = [f for f in filings if f.form_type.endswith("/A")] + filings[-3:]
    assert len(later) > 3  # the history holds an amendment
    with Store(store_url) as store:
        store.ingest_filings([f for f in filings if f not in later])
        index = TransactionIndex(Store(store_url))
        try:
            before = assert_answers_as_the_store(index, store)
            assert not index.refresh()  # nothing stored since
            store.ingest_filings(later)
            assert index.refresh()
            assert assert_answers_as_the_store(index, store) > before
            assert not index.refresh()
        finally:
            index.close()


def test_a_better_reading_and_a_merged_one_replace_the_rows_read_before(store_url: str, tmp_path: Path) -> None:
    numbered = tmp_path / "0000000001-24-000001.xml"
    numbered.write_bytes((CORPUS / "xml" / f"{NAME}.xml").read_bytes())
    with Store(store_url) as store:
        store.ingest_filings(history())
        ingest(store, [CORPUS / "html" / f"{NAME}.html"])  # read without an accession number
        index = TransactionIndex(Store(store_url))
        try:
            keys = {r["accession_number"] for r in index.transactions(Filters(), limit=1000).items}
            assert any(k.startswith("sha256:") for k in keys)
            ingest(store, [numbered])  # the same filing, exact and numbered: it takes the reading's place
            assert index.refresh()
            keys = {r["accession_number"] for r in index.transactions(Filters(), limit=1000).items}
            assert "0000000001-24-000001" in keys and not any(k.startswith("sha256:") for k in keys)
            assert_answers_as_the_store(index, store)
        finally:
            index.close()


@pytest.mark.parametrize("policy", [{"segments": 2}, {"rebuild_share": 0.0}], ids=["merged", "rebuilt"])
def test_answers_hold_while_small_segments_are_merged_or_the_base_rebuilt(store_url: str,
                                                                         policy: dict[str, Any]) -> None:
    filings = history()
    with Store(store_url) as store:
        store.ingest_filings(filings[:2])
        index = TransactionIndex(Store(store_url), **policy)
        try:
            for filing in filings[2:]:  # one at a time, each caught up before the next
                store.ingest_filings([filing])
                assert index.refresh()
                assert_answers_as_the_store(index, store)
        finally:
            index.close()


def test_a_page_stays_put_when_newer_filings_arrive(store_url: str) -> None:
    filings = sorted(history(), key=lambda f: f.period_of_report or dt.date.min)
    with Store(store_url) as store:
        store.ingest_filings(filings[:-4])
        index = TransactionIndex(Store(store_url))
        try:
            first = index.transactions(Filters(), limit=3)
            store.ingest_filings(filings[-4:])  # the newest: they come before the first page
            index.refresh()
            second = msgspec.json.decode(index.transactions_json(Filters(), limit=3, cursor=first.next))
            assert second == msgspec.json.decode(msgspec.json.encode(
                listing.transactions(store, Filters(), limit=3, cursor=first.next).to_dict()))
            assert not {r["accession_number"] for r in second["items"]} & {f.accession_number for f in filings[-4:]}
        finally:
            index.close()


def test_a_restarted_index_reads_its_base_back_and_catches_up(store_url: str, tmp_path: Path) -> None:
    filings = history()
    with Store(store_url) as store:
        store.ingest_filings(filings[:-3])
        first = TransactionIndex(Store(store_url), tmp_path / "index")
        assert not first.reused
        first.close()
        store.ingest_filings(filings[-3:])
        again = TransactionIndex(Store(store_url), tmp_path / "index")
        try:
            assert again.reused and (tmp_path / "index").is_dir()
            assert_answers_as_the_store(again, store)
        finally:
            again.close()
        assert (tmp_path / "index").is_dir()  # a directory given is kept for the next start


def test_a_base_from_another_store_is_not_read(store_url: str, new_store: Any, tmp_path: Path) -> None:
    other = new_store()
    with Store(other) as store:
        store.ingest_filings(history()[:3])
    TransactionIndex(Store(other), tmp_path / "index").close()
    with Store(store_url) as store:
        store.ingest_filings(history())
        index = TransactionIndex(Store(store_url), tmp_path / "index")
        try:
            assert not index.reused
            assert_answers_as_the_store(index, store)
        finally:
            index.close()


def test_an_empty_store_fills(store_url: str) -> None:
    with Store(store_url) as store:
        index = TransactionIndex(Store(store_url))
        try:
            assert index.transactions(Filters()).items == [] and index.issuer_cik("ACME") is None
            store.ingest_filings(history())
            assert index.refresh()
            assert index.issuer_cik("acme") == ACME.cik and index.issuer_cik("101") == ACME.cik
            assert assert_answers_as_the_store(index, store) > 30
        finally:
            index.close()


def _read_again(filing: Filing, **changes: Any) -> Filing:
    """The same filing (its accession number) read more exactly, with what that reading changes."""
    return msgspec.structs.replace(filing, source="xml", **changes)


def _lossy(filing: Filing) -> Filing:
    return msgspec.structs.replace(filing, source="html")


def test_an_amendment_read_again_for_another_period_gives_back_what_it_amended(store_url: str) -> None:
    original = form4([ALICE], [trade("2024-06-03", "P", 100, 10.0)])
    amendment = _lossy(form4([ALICE], [trade("2024-06-03", "P", 120, 10.0)], form_type="4/A"))
    with Store(store_url) as store:
        store.ingest_filings([*history(), original, amendment])
        index = TransactionIndex(Store(store_url))
        try:
            assert_answers_as_the_store(index, store)  # the amendment replaces the original
            moved = trade("2024-07-15", "P", 120, 10.0)  # the exact reading: another period, another filing
            store.ingest_filings([_read_again(amendment, period_of_report=dt.date(2024, 7, 15),
                                              non_derivative_transactions=[moved])])
            assert index.refresh()
            keys = {r["accession_number"] for r in index.transactions(Filters(owner=ALICE.cik), limit=1000).items}
            assert {original.accession_number, amendment.accession_number} <= keys
            assert_answers_as_the_store(index, store)
        finally:
            index.close()


def test_rows_without_a_date_are_in_no_date_range(store_url: str) -> None:
    undated = form4([ALICE], [msgspec.structs.replace(trade("2024-02-01", "S", 5, 9.0), transaction_date=None)])
    with Store(store_url) as store:
        store.ingest_filings([*history(), undated])
        index = TransactionIndex(Store(store_url))
        try:
            everything = index.transactions(Filters(owner=ALICE.cik), limit=1000).items
            ranged = index.transactions(Filters(owner=ALICE.cik, until=dt.date(2100, 1, 1)), limit=1000).items
            assert len(ranged) == len(everything) - 1
            assert_answers_as_the_store(index, store)
        finally:
            index.close()


def test_owners_read_without_ciks_are_each_a_row_of_their_own(store_url: str) -> None:
    nameless = [ReportingOwner(name="Zed Z"), ReportingOwner(name="Able A")]  # a joint filing read without CIKs
    joint = form4(nameless, [trade("2024-08-01", "P", 50, 3.0)], issuer=GLOBEX)
    with Store(store_url) as store:
        store.ingest_filings([*history(), joint])
        index = TransactionIndex(Store(store_url))
        try:
            filters = Filters(issuer=GLOBEX.cik)
            pages = _walk(functools.partial(index.transactions_json, filters), limit=1)
            names = [item["owner_name"] for page in pages for item in page["items"]]
            assert {"Zed Z", "Able A"} <= set(names) and len(names) == len(set(names))
            assert_answers_as_the_store(index, store)
        finally:
            index.close()


def test_a_ticker_misread_and_then_read_right_is_no_ones(store_url: str) -> None:
    misread = _lossy(form4([ALICE], [trade("2024-09-03", "S", 10, 20.0)],
                           issuer=Issuer(cik="0000000109", name="ACME CORP", trading_symbol="ACMF")))
    with Store(store_url) as store:
        store.ingest_filings([*history(), misread])
        index = TransactionIndex(Store(store_url))
        try:
            assert index.issuer_cik("ACMF") == "0000000109"
            store.ingest_filings([_read_again(misread, issuer=ACME)])
            assert index.refresh()
            assert index.issuer_cik("ACMF") is None and index.issuer_cik("ACME") == ACME.cik
            assert_answers_as_the_store(index, store)
        finally:
            index.close()
