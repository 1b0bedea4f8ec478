"""Drafting a Form 4 or 5 from trades (``form4.drafting``, ``form4 draft``), on a store of real filings:
David Sacks at Rumble (a Form 3, three Forms 4: a direct line and Craft Ventures' indirect lines told
apart by their ownership footnotes) and at Bird Global (another address). The expected values are
read from the filings themselves, never typed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import holidays
import msgspec
import pytest
from typer.testing import CliRunner

import form4
from form4.cli import app
from form4.drafting import Draft, Trade, draft_form4, draft_form5, form5_item, read_trades
from form4.model import Filing, NonDerivativeTransaction
from form4.readers.xml import read_xml
from form4.store import Store
from form4.validation.business_days import add_business_days, is_business_day
from form4.validation.schema import schema_errors
from form4.writers.xml import SCHEMA_VERSION
from tests.conftest import CORPUS, ROOT
from tests.store.conftest import engine, new_store, postgres

__all__ = ["engine", "new_store", "postgres"]

REAL = CORPUS / "xml"
RUMBLE = [REAL / f"real-{accession}.xml" for accession in (
    "0001213900-23-056008", "0001213900-23-069436", "0001062993-24-008173", "0001213900-24-053550")]
LATEST = RUMBLE[-1]  # the latest filing at Rumble: a Form 4 of 2024-06-14
BIRD = [REAL / f"real-{accession}.xml" for accession in ("0000899243-21-044370", "0001861449-22-000013")]
OWNER, ISSUER = "1891801", "1830081"
TITLE = "Class A Common Stock, par value $0.0001 per share"
HEADER = "date,code,shares,price,security_title,direct_or_indirect,nature_of_ownership,ownership_footnote\n"
runner = CliRunner()


def _filing(path: Path) -> Filing:
    return read_xml(path.read_bytes(), str(path))


def _last_balance(path: Path, direct_or_indirect: str, footnote_words: str = "") -> tuple[float, str | None]:
    """The last balance a filing gives of a Table I line (D, or I with a footnote saying ``footnote_words``),
    and its ownership footnote's text."""
    filing = _filing(path)
    notes = {note.id: note.text for note in filing.footnotes}
    found = []
    for row in [*filing.non_derivative_holdings, *filing.non_derivative_transactions]:
        text = " ".join(notes[i] for i in row.footnotes.get("nature_of_ownership", []))
        if row.direct_or_indirect == direct_or_indirect and footnote_words in text:
            found.append((row.shares_owned_following, text or None))
    assert found, f"{path.name} has no such line"
    balance, text = found[-1]
    assert balance is not None
    return balance, text


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    url = str(tmp_path_factory.mktemp("drafting") / "store.duckdb")
    with Store(url) as made:
        form4.ingest(made, [*RUMBLE, *BIRD], workers=1)
    return Store(url, read_only=True)


def _trades(text: str, source: str = "trades.csv") -> list[Trade]:
    given = read_trades(text, source=source)
    assert not given.errors, [str(e) for e in given.errors]
    return given.trades


def _sale(day: str, shares: int, price: str = "6.10") -> str:
    return f"{day},S,{shares},{price},\"{TITLE}\",D,,\n"


# --- Form 4 --------------------------------------------------------------------------------------

def test_owner_and_issuer_come_from_the_latest_filing_at_the_issuer(store: Store) -> None:
    draft = draft_form4(store, OWNER, ISSUER, _trades(HEADER + _sale("2024-07-01", 1000)), filed=dt.date(2024, 7, 2))
    latest, elsewhere = _filing(LATEST), _filing(BIRD[-1])
    owner = draft.filing.reporting_owners[0]
    assert (owner.name, owner.street1, owner.city, owner.state, owner.zip) == tuple(
        getattr(latest.reporting_owners[0], f) for f in ("name", "street1", "city", "state", "zip"))
    assert owner.street1 != elsewhere.reporting_owners[0].street1  # the address at Rumble, not at Bird Global
    assert owner.is_director == latest.reporting_owners[0].is_director
    assert draft.filing.issuer == latest.issuer
    assert draft.filing.signatures[0].name == owner.name and draft.filing.signatures[0].date == dt.date(2024, 7, 2)


def test_shares_following_continue_the_last_reported_holding_line_in_date_order(store: Store) -> None:
    direct, _ = _last_balance(LATEST, "D")
    # given out of date order: the 1st applies after the 2nd
    draft = draft_form4(store, OWNER, ISSUER, _trades(
        HEADER + _sale("2024-07-02", 500) + "2024-07-01,P,2000,6.00,\"" + TITLE + "\",D,,\n"),
        filed=dt.date(2024, 7, 2))
    assert draft.ok, [str(e) for e in draft.errors]
    rows = draft.filing.non_derivative_transactions
    assert [(r.transaction_code, r.shares_owned_following) for r in rows] == [
        ("P", direct + 2000), ("S", direct + 2000 - 500)]
    assert draft.filing.period_of_report == dt.date(2024, 7, 1)
    assert not draft.warnings


def test_an_indirect_line_is_picked_by_its_ownership_footnote(store: Store) -> None:
    held, note = _last_balance(RUMBLE[2], "I", "Craft Affiliates")  # the Form 4 of 2024-04-04
    text = HEADER + f"2024-07-01,S,100,6.10,\"{TITLE}\",I,See footnote,\"{note}\"\n"
    draft = draft_form4(store, OWNER, ISSUER, _trades(text), filed=dt.date(2024, 7, 1))
    assert draft.ok, [str(e) for e in draft.errors]
    row = draft.filing.non_derivative_transactions[0]
    assert row.shares_owned_following == held - 100
    assert [n.text for n in draft.filing.footnotes] == [note]
    assert row.footnotes == {"nature_of_ownership": ["F1"]}
    # without the footnote, the store's several indirect lines of it cannot be told apart
    unnamed = HEADER + f"2024-07-01,S,100,6.10,\"{TITLE}\",I,See footnote,\n"
    ambiguous = draft_form4(store, OWNER, ISSUER, _trades(unnamed), filed=dt.date(2024, 7, 1))
    assert [(e.source, e.field) for e in ambiguous.errors] == [("trades.csv:2", "ownership_footnote")]
    assert ambiguous.document is None


def test_a_line_the_store_has_never_seen_starts_from_zero_with_a_warning(store: Store) -> None:
    draft = draft_form4(store, OWNER, ISSUER, _trades(
        HEADER + "2024-07-01,P,250,6.00,Class B Common Stock,D,,\n2024-07-02,P,50,6.00,Class B Common Stock,D,,\n"),
        filed=dt.date(2024, 7, 2))
    assert [r.shares_owned_following for r in draft.filing.non_derivative_transactions] == [250, 300]
    assert len(draft.warnings) == 1 and draft.warnings[0].startswith("trades.csv:2: security_title: ")
    assert "start from 0" in draft.warnings[0]


def test_selling_more_than_the_line_holds_is_an_error_of_its_line(store: Store) -> None:
    direct, _ = _last_balance(LATEST, "D")
    draft = draft_form4(store, OWNER, ISSUER, _trades(HEADER + _sale("2024-07-01", int(direct) + 1)),
                        filed=dt.date(2024, 7, 1))
    assert [(e.source, e.field) for e in draft.errors] == [("trades.csv:2", "shares")]
    assert draft.document is None


def test_acquired_or_disposed_is_inferred_where_the_code_fixes_it() -> None:
    text = ("date,code,shares,security_title,table,exercise_price,expiration_date,underlying_title,underlying_shares\n"
            f"2024-07-01,P,10,{'Common Stock'},,,,,\n2024-07-01,S,10,Common Stock,,,,,\n"
            "2024-07-01,M,10,Stock Option,derivative,5.00,2030-01-01,Common Stock,10\n"
            "2024-07-01,M,10,Common Stock,,,,,\n")
    assert [t.acquired_disposed for t in _trades(text)] == ["A", "D", "D", "A"]
    gift = read_trades("date,code,shares,security_title\n2024-07-01,G,10,Common Stock\n", source="t.csv")
    assert [str(e) for e in gift.errors] == [
        "t.csv:2: acquired_disposed: empty, and code G (bona fide gift) may acquire or dispose: give A or D"]


def test_the_draft_is_schema_valid_and_reads_back_as_itself(store: Store, tmp_path: Path) -> None:
    text = (HEADER.rstrip("\n") + ",footnote,footnote_on\n" + _sale("2024-07-01", 1000).rstrip("\n")
            + ",Weighted average price.,price\n")
    draft = draft_form4(store, OWNER, ISSUER, _trades(text), filed=dt.date(2024, 7, 3), aff10b5_one=True)
    assert draft.document is not None
    assert schema_errors(draft.document, source="draft") == []
    back = read_xml(draft.document)
    assert back == msgspec.structs.replace(draft.filing, schema_version=SCHEMA_VERSION)
    assert back.aff10b5_one is True
    assert back.non_derivative_transactions[0].footnotes == {"price_per_share": ["F1"]}


def test_each_trade_has_its_due_date_and_a_late_one_is_flagged(store: Store) -> None:
    trades = _trades(HEADER + _sale("2024-06-24", 100) + _sale("2024-06-27", 100))
    filed = dt.date(2024, 7, 1)  # a Monday
    draft = draft_form4(store, OWNER, ISSUER, trades, filed=filed)
    assert draft.ok
    assert [(d.trade.date, d.due) for d in draft.trades] == [(t.date, add_business_days(t.date, 2)) for t in trades]
    late, on_time = draft.trades
    assert late.late and late.business_days_late == 3  # due Wed 26th: Thursday and Friday after it, then Monday
    assert not on_time.late and on_time.business_days_late == 0
    assert draft.document is not None  # a late draft is still to be filed


def test_a_holiday_moves_a_due_date(store: Store) -> None:
    trade = _trades(HEADER + _sale("2024-07-02", 100))[0]
    assert dt.date(2024, 7, 4) in holidays.US(years=2024)
    draft = draft_form4(store, OWNER, ISSUER, [trade], filed=dt.date(2024, 7, 5))
    plain = trade.date + dt.timedelta(days=2)  # the 4th: Independence Day
    assert not is_business_day(plain)
    assert draft.trades[0].due == plain + dt.timedelta(days=1) and not draft.trades[0].late


def test_bad_lines_are_one_error_each_naming_line_and_column() -> None:
    text = ("date,code,shares,price,security_title,direct_or_indirect\n"
            "2024-13-01,S,100,5,Common Stock,D\n"   # 2: no such month
            "2024-07-01,Q,100,5,Common Stock,D\n"   # 3: no such code
            "2024-07-01,S,many,5,Common Stock,D\n"  # 4: not a number
            "2024-07-01,S,100,5,Common Stock,X\n"   # 5: neither D nor I
            "2024-07-01,E,100,5,Common Stock,D\n"   # 6: Table II only
            "2024-07-01,S,100,5,Common Stock,D\n")  # 7: fine
    given = read_trades(text, source="t.csv")
    assert [(e.source, e.field) for e in given.errors] == [
        ("t.csv:2", "date"), ("t.csv:3", "code"), ("t.csv:4", "shares"), ("t.csv:5", "direct_or_indirect"),
        ("t.csv:6", "code")]
    assert all("\n" not in str(e) and str(e).startswith(f"{e.source}: {e.field}: ") for e in given.errors)
    assert len(given.trades) == 1
    header = read_trades("date,code,amount,security_title\n", source="t.csv")
    assert [(e.source, e.field) for e in header.errors] == [("t.csv:1", "amount"), ("t.csv:1", "shares")]


def test_validation_errors_name_the_trades_line_and_column(store: Store) -> None:
    text = HEADER + f"2024-07-01,P,100,,\"{TITLE}\",D,,\n" + _sale("2024-07-09", 10)
    draft = draft_form4(store, OWNER, ISSUER, _trades(text), filed=dt.date(2024, 7, 3))
    found = {(e.source, e.field): str(e) for e in draft.errors}
    assert set(found) == {("trades.csv:2", "price"), ("trades.csv:3", "date")}
    assert "(C104)" in found["trades.csv:2", "price"] and "(D204)" in found["trades.csv:3", "date"]
    assert draft.document is None


def test_the_store_must_know_the_owner_at_the_issuer(store: Store) -> None:
    with pytest.raises(form4.errors.NotStoredError, match="owner 0000000001 at issuer 0001830081"):
        draft_form4(store, "1", ISSUER, _trades(HEADER + _sale("2024-07-01", 1)))


# --- Form 5 --------------------------------------------------------------------------------------

def test_a_form5_holds_the_years_trades_no_form4_reported(store: Store) -> None:
    reported = next(r for r in _filing(LATEST).non_derivative_transactions if r.transaction_code == "F")
    text = ("date,code,shares,price,security_title,acquired_disposed\n"
            f"{reported.transaction_date},F,{reported.shares:g},{reported.price_per_share},\"{TITLE}\",\n"
            f"2024-08-01,L,40,6.00,\"{TITLE}\",\n"          # a small acquisition: may wait for the Form 5
            f"2024-09-03,G,1000,,\"{TITLE}\",D\n"           # a gift of 2024: was due on a Form 4
            f"2023-12-29,P,5,6.00,\"{TITLE}\",\n")          # another year
    draft = draft_form5(store, OWNER, ISSUER, _trades(text), year=2024, filed=dt.date(2025, 2, 10))
    assert draft.ok, [str(e) for e in draft.errors]
    assert [(t.source, accession) for t, accession in draft.reported] == [("trades.csv:2", "0001213900-24-053550")]
    assert any(w.startswith("trades.csv:5: date: ") for w in draft.warnings)
    rows = draft.filing.non_derivative_transactions
    assert [(r.transaction_code, r.transaction_form_type, r.transaction_timeliness) for r in rows] == [
        ("L", "5", None), ("G", "4", "L")]
    direct, _ = _last_balance(LATEST, "D")
    assert [r.shares_owned_following for r in rows] == [direct + 40, direct + 40 - 1000]
    assert draft.filing.form_type == "5" and draft.filing.period_of_report == dt.date(2024, 12, 31)
    assert draft.due == dt.date(2025, 2, 14)  # 45 days after, a business day
    small, gift = draft.trades
    assert small.due == draft.due and not small.late
    assert gift.due == add_business_days(gift.trade.date, 2) and gift.late
    assert draft.document is not None and schema_errors(draft.document) == []
    assert read_xml(draft.document).non_derivative_transactions == rows


def test_form5_items_follow_the_rules_of_their_day() -> None:
    def trade(code: str, day: dt.date) -> Trade:
        return Trade("t", day, code, Decimal(1), "Common Stock", "A" if code != "G" else "D")
    assert form5_item(trade("L", dt.date(2024, 5, 1))) and form5_item(trade("W", dt.date(2024, 5, 1)))
    assert form5_item(trade("G", dt.date(2023, 2, 24))) and not form5_item(trade("G", dt.date(2023, 2, 27)))
    assert not form5_item(trade("P", dt.date(2020, 5, 1)))


def test_a_form5_for_a_fiscal_year_ending_in_june(store: Store) -> None:
    text = (f"date,code,shares,price,security_title\n2024-06-28,L,10,6.00,\"{TITLE}\"\n"
            f"2024-07-01,L,10,6.00,\"{TITLE}\"\n")
    draft = draft_form5(store, OWNER, ISSUER, _trades(text), year=2024, fiscal_year_end=(6, 30),
                        filed=dt.date(2024, 8, 1))
    assert draft.filing.period_of_report == dt.date(2024, 6, 30)
    assert draft.due == dt.date(2024, 6, 30) + dt.timedelta(days=45)
    assert [d.trade.source for d in draft.trades] == ["trades.csv:2"]


def test_no_form5_when_every_trade_was_reported(store: Store) -> None:
    rows = _filing(LATEST).non_derivative_transactions
    text = "date,code,shares,price,security_title\n" + "".join(
        f"{r.transaction_date},{r.transaction_code},{r.shares:g},{r.price_per_share},\"{TITLE}\"\n" for r in rows)
    draft = draft_form5(store, OWNER, ISSUER, _trades(text), year=2024)
    assert draft.ok and draft.document is None and not draft.trades and len(draft.reported) == len(rows)


# --- the command ---------------------------------------------------------------------------------

def test_form4_draft_writes_xml_json_and_html(store: Store, tmp_path: Path) -> None:
    trades = tmp_path / "trades.csv"
    trades.write_text(HEADER + _sale("2024-07-02", 100))
    out = {kind: tmp_path / f"draft.{kind}" for kind in ("xml", "json", "html")}
    result = runner.invoke(app, ["draft", "--db", store.url, "--owner", OWNER, "--issuer", ISSUER,
                                 "--trades", str(trades), "--filed", "2024-07-08",
                                 *(a for kind, path in out.items() for a in (f"--{kind}", str(path)))])
    assert result.exit_code == 0, result.output
    assert f"{trades}:2" in result.stdout and "2024-07-05" in result.stdout
    assert "LATE by 1 business day" in result.stdout
    document = out["xml"].read_bytes()
    assert schema_errors(document) == []
    record = Filing.from_json(out["json"].read_text())
    assert msgspec.structs.replace(record, schema_version=SCHEMA_VERSION) == read_xml(document)
    assert read_xml(document).non_derivative_transactions[0].transaction_date == dt.date(2024, 7, 2)
    assert "Rumble Inc." in out["html"].read_text()


def test_form4_draft_with_errors_writes_nothing(store: Store, tmp_path: Path) -> None:
    trades = tmp_path / "trades.csv"
    trades.write_text(HEADER + "2024-07-02,S,lots,6,Common Stock,D,,\n2024-07-02,S,1,6,Common Stock,Z,,\n")
    out = tmp_path / "draft.xml"
    result = runner.invoke(app, ["draft", "--db", store.url, "--owner", OWNER, "--issuer", ISSUER,
                                 "--trades", str(trades), "--xml", str(out)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].endswith(f"{trades}:2: shares: 'lots' is not a number")
    assert f"{trades}:3: direct_or_indirect: " in lines[1]
    assert "nothing written" in lines[-1] and not out.exists()


def test_form5_draft_from_the_command(store: Store, tmp_path: Path) -> None:
    trades = tmp_path / "trades.csv"
    trades.write_text(f"date,code,shares,price,security_title\n2024-08-01,L,40,6.00,\"{TITLE}\"\n")
    out = tmp_path / "form5.xml"
    result = runner.invoke(app, ["draft", "--form", "5", "--year", "2024", "--db", store.url, "--owner", OWNER,
                                 "--issuer", ISSUER, "--trades", str(trades), "--filed", "2025-02-18", "--xml",
                                 str(out)])
    assert result.exit_code == 0, result.output
    # due Friday the 14th; Monday the 17th is Presidents' Day, so filing on Tuesday is one business day late
    assert "The Form 5 is due by 2025-02-14: LATE by 1 business day(s)" in result.stdout
    assert read_xml(out.read_bytes()).form_type == "5"
    usage = runner.invoke(app, ["draft", "--form", "5", "--db", store.url, "--owner", OWNER, "--issuer", ISSUER,
                                "--trades", str(trades)])
    assert usage.exit_code == 2 and "--year" in usage.stderr


def test_the_example_trades_draft_on_the_example_filings(tmp_path: Path) -> None:
    url = str(tmp_path / "examples.duckdb")
    assert runner.invoke(app, ["-q", "ingest", str(ROOT / "examples" / "filings"), "--db", url]).exit_code == 0
    result = runner.invoke(app, ["draft", "--db", url, "--owner", OWNER, "--issuer", ISSUER, "--trades",
                                 str(ROOT / "examples" / "trades.csv"), "--filed", "2024-07-08"])
    assert result.exit_code == 0, result.output


# --- PostgreSQL ----------------------------------------------------------------------------------

def test_the_draft_is_the_same_on_both_engines(engine: str, new_store: Callable[[], str]) -> None:
    url = new_store()
    with Store(url) as made:
        form4.ingest(made, RUMBLE, workers=1)
        trades = _trades(HEADER + _sale("2024-07-01", 1000))
        drafted: Draft = draft_form4(made, OWNER, ISSUER, trades, filed=dt.date(2024, 7, 2))
    direct, _ = _last_balance(LATEST, "D")
    assert drafted.ok and drafted.filing.non_derivative_transactions == [NonDerivativeTransaction(
        security_title=TITLE, transaction_date=dt.date(2024, 7, 1), transaction_form_type="4", transaction_code="S",
        equity_swap_involved=False, shares=1000.0, price_per_share=6.1, acquired_disposed="D",
        shares_owned_following=direct - 1000, direct_or_indirect="D")]
    assert drafted.filing.reporting_owners[0].city == _filing(LATEST).reporting_owners[0].city
