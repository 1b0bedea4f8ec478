"""The store's ``current_rows`` (what every answer reads) is, after every write, what the filings
stored say: each row of each filing no amendment replaced, with each of its owners. It is kept
in the transaction that stores a batch, through new filings, amendments, better readings of
stored ones and readings without accession number merged into the filing's own; and pages of
it walk every row once, in order, whatever is stored between two pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from form4.analytics import listing
from form4.analytics.scope import Filters, issuer
from form4.errors import NotStoredError
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
_ROW = ("accession_number", "table", "row_index", "owner_cik", "owner_name")


def _rows(store: Store, view: str) -> list[dict[str, Any]]:
    return sorted(store.arrow(f"SELECT * FROM {view}").to_pylist(), key=lambda r: repr(sorted(r.items())))


def _expected(store: Store, kind: str) -> list[dict[str, Any]]:
    """The rows of ``kind`` as the filings stored say, from the tables themselves."""
    return _rows(store, f"(SELECT * FROM {kind}s WHERE accession_number IN "
                        "(SELECT accession_number FROM current_filings)) expected")


def _wanted(row: dict[str, Any], query: dict[str, Any]) -> bool:
    """What a query asks for, said plainly (the reference for the pages)."""
    value = row["total_value"] if row["total_value"] is not None else (
        row["shares"] * row["price_per_share"] if row["shares"] is not None and row["price_per_share"] is not None
        else None)
    day = row["transaction_date"]
    return all((
        query.get("issuer") in (None, row["issuer_cik"]), query.get("owner") in (None, row["owner_cik"]),
        query.get("code") in (None, row["transaction_code"]), query.get("table") in (None, row["table"]),
        "min_value" not in query or (value is not None and value >= query["min_value"]),
        "since" not in query or (day is not None and day >= query["since"]),
        "until" not in query or (day is not None and day <= query["until"])))


def _walk(store: Store, query: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    extra = {k: query[k] for k in ("code", "table") if k in query}
    filters = Filters(**{k: v for k, v in query.items() if k not in extra})
    items, cursor = [], None
    while True:
        page = listing.transactions(store, filters, **extra, limit=limit, cursor=cursor)
        items += page.items
        if page.next is None:
            return items
        cursor = page.next


def assert_current(store: Store) -> int:
    """``current_rows`` holds what the filings say, and every query's pages walk it: each row
    it asks for once, newest first, the same rows one at a time as all at once. How many rows."""
    for kind in ("transaction", "holding"):
        assert _rows(store, f"current_{kind}s") == _expected(store, kind), kind
    rows = _expected(store, "transaction")
    for query in QUERIES:
        walked = _walk(store, query, 2)
        assert walked == _walk(store, query, 1000), query
        assert sorted(tuple(str(r[k]) for k in _ROW) for r in walked) == sorted(
            tuple(str(r[k]) for k in _ROW) for r in rows if _wanted(r, query)), query
        days = [r["transaction_date"] or dt.date.min for r in walked]
        assert days == sorted(days, reverse=True), query
    return len(rows)


def test_new_filings_and_amendments_are_current_in_the_write_that_stores_them(store_url: str) -> None:
    filings = history()
    later = [f for f in filings if f.form_type.endswith("/A")] + filings[-3:]
    assert len(later) > 3  # the history holds an amendment
    with Store(store_url) as store:
        store.ingest_filings([f for f in filings if f not in later])
        before = assert_current(store)
        store.ingest_filings(later)
        assert assert_current(store) > before
        amended = set(store.arrow("SELECT amends FROM filings WHERE amends IS NOT NULL").column(0).to_pylist())
        assert amended and not amended & {r["accession_number"] for r in _rows(store, "current_transactions")}


def test_one_filing_at_a_time(store_url: str) -> None:
    filings = history()
    with Store(store_url) as store:
        for filing in filings:
            store.ingest_filings([filing])
            assert_current(store)


def test_a_better_reading_and_a_merged_one_replace_the_rows_read_before(store_url: str, tmp_path: Any) -> None:
    numbered = tmp_path / "0000000001-24-000001.xml"
    numbered.write_bytes((CORPUS / "xml" / f"{NAME}.xml").read_bytes())
    with Store(store_url) as store:
        store.ingest_filings(history())
        ingest(store, [CORPUS / "html" / f"{NAME}.html"])  # read without an accession number
        keys = {r["accession_number"] for r in listing.transactions(store, Filters(), limit=1000).items}
        assert any(k.startswith("sha256:") for k in keys)
        assert_current(store)
        ingest(store, [numbered])  # the same filing, exact and numbered: it takes the reading's place
        keys = {r["accession_number"] for r in listing.transactions(store, Filters(), limit=1000).items}
        assert "0000000001-24-000001" in keys and not any(k.startswith("sha256:") for k in keys)
        assert_current(store)


def test_a_page_stays_put_when_newer_filings_arrive(store_url: str) -> None:
    filings = sorted(history(), key=lambda f: f.period_of_report or dt.date.min)
    with Store(store_url) as store:
        store.ingest_filings(filings[:-4])
        first = listing.transactions(store, Filters(), limit=3)
        whole = listing.transactions(store, Filters(), limit=1000).items
        store.ingest_filings(filings[-4:])  # the newest: they come before the first page
        second = listing.transactions(store, Filters(), limit=3, cursor=first.next)
        assert second.items == whole[3:6]


def test_a_store_made_before_current_rows_fills_it_when_opened(store_url: str) -> None:
    with Store(store_url) as store:
        store.ingest_filings(history())
        store.engine.execute("DELETE FROM current_rows")
    with Store(store_url) as store:
        assert assert_current(store) > 10


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
        keys = {r["accession_number"] for r in listing.transactions(store, Filters(owner=ALICE.cik), limit=1000).items}
        assert original.accession_number not in keys and amendment.accession_number in keys
        assert_current(store)
        moved = trade("2024-07-15", "P", 120, 10.0)  # the exact reading: another period, another filing
        store.ingest_filings([_read_again(amendment, period_of_report=dt.date(2024, 7, 15),
                                          non_derivative_transactions=[moved])])
        keys = {r["accession_number"] for r in listing.transactions(store, Filters(owner=ALICE.cik), limit=1000).items}
        assert {original.accession_number, amendment.accession_number} <= keys
        assert_current(store)


def test_rows_without_a_date_are_in_no_date_range(store_url: str) -> None:
    undated = form4([ALICE], [msgspec.structs.replace(trade("2024-02-01", "S", 5, 9.0), transaction_date=None)])
    with Store(store_url) as store:
        store.ingest_filings([*history(), undated])
        everything = listing.transactions(store, Filters(owner=ALICE.cik), limit=1000).items
        ranged = listing.transactions(store, Filters(owner=ALICE.cik, until=dt.date(2100, 1, 1)), limit=1000).items
        assert len(ranged) == len(everything) - 1
        assert everything[-1]["transaction_date"] is None  # last: no date sorts after every date
        assert_current(store)


def test_owners_read_without_ciks_are_each_a_row_of_their_own(store_url: str) -> None:
    nameless = [ReportingOwner(name="Zed Z"), ReportingOwner(name="Able A")]  # a joint filing read without CIKs
    joint = form4(nameless, [trade("2024-08-01", "P", 50, 3.0)], issuer=GLOBEX)
    with Store(store_url) as store:
        store.ingest_filings([*history(), joint])
        names = [item["owner_name"] for item in _walk(store, {"issuer": GLOBEX.cik}, 1)]
        assert {"Zed Z", "Able A"} <= set(names) and len(names) == len(set(names))
        assert_current(store)


def test_a_ticker_misread_and_then_read_right_is_no_ones(store_url: str) -> None:
    misread = _lossy(form4([ALICE], [trade("2024-09-03", "S", 10, 20.0)],
                           issuer=Issuer(cik="0000000109", name="ACME CORP", trading_symbol="ACMF")))
    with Store(store_url) as store:
        store.ingest_filings([*history(), misread])
        assert issuer(store, "acmf").cik == "0000000109"
        store.ingest_filings([_read_again(misread, issuer=ACME)])
        assert issuer(store, "ACME").cik == ACME.cik and issuer(store, " 101 ").cik == ACME.cik
        try:
            issuer(store, "ACMF")
            raise AssertionError("a ticker no current filing gives is found")
        except NotStoredError:
            pass
        assert_current(store)


def test_putting_the_rows_in_order_changes_no_answer(store_url: str) -> None:
    with Store(store_url) as store:
        store.ingest_filings(history())
        pages = {repr(q): _walk(store, q, 3) for q in QUERIES}
        assert not store.cluster()  # a few rows stored: nothing to do
        assert store.cluster(force=True)
        if store.engine.dialect == "postgres":  # PostgreSQL's B-trees need no order: its planner's statistics
            analyzed = store.arrow("SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = "
                                   "'current_rows' AND schemaname = current_schema()").column(0).to_pylist()
            assert analyzed == [0]
        assert {repr(q): _walk(store, q, 3) for q in QUERIES} == pages
        assert_current(store)
        store.ingest_filings([form4([ALICE], [trade("2024-10-01", "P", 7, 70.0)])])  # kept after it too
        assert_current(store)
    with Store(store_url, read_only=True) as store:
        if store.engine.dialect == "duckdb":  # its order: an issuer's rows together
            issuers = store.arrow("SELECT issuer_cik FROM current_rows").column(0).to_pylist()
            assert issuers[:-1] == sorted(issuers[:-1])
