"""Reports and screens over a store, on both engines, against a history checked by hand."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from form4.analytics import reports, screens
from form4.analytics.holdings import holdings_over_time
from form4.analytics.scope import Filters
from form4.cli import app
from form4.errors import AnalyticsError
from form4.store import Store
from tests.analytics.history import ACME, ALICE, BOB, EVE, FUND, FUND_GP, GLOBEX, form4, history, owner, trade


@pytest.fixture
def url(store_url: str) -> str:
    with Store(store_url) as store:
        assert store.ingest_filings(history()) == 14
    return store_url


@pytest.fixture
def store(url: str) -> Store:
    with Store(url, read_only=True) as opened:
        yield opened  # type: ignore[misc]


def _rows(rows: list[dict], **match: object) -> list[dict]:
    return [r for r in rows if all(r.get(k) == v for k, v in match.items())]


def test_issuer_activity_per_owner_and_quarter_keeps_open_market_apart(store: Store) -> None:
    report = reports.issuer_report(store, "ACME")
    q1 = {r["category"]: r for r in _rows(report.activity, owner_cik=ALICE.cik, period=dt.date(2024, 1, 1))}
    assert set(q1) == {"purchase", "sale", "grant", "tax_withholding", "gift"}
    assert (q1["purchase"]["transactions"], q1["purchase"]["shares_acquired"], q1["purchase"]["value_acquired"]) \
        == (2, 1500, 14000)
    assert (q1["sale"]["shares_disposed"], q1["sale"]["value_disposed"], q1["sale"]["net_shares"]) == (800, 12000, -800)
    assert q1["sale"]["plan_share"] == 1.0
    assert (q1["grant"]["shares_acquired"], q1["tax_withholding"]["value_disposed"]) == (2000, 2400)
    assert q1["gift"]["shares_disposed"] == 100 and q1["gift"]["value_disposed"] == 0
    q2_sale = _rows(report.activity, owner_cik=ALICE.cik, period=dt.date(2024, 4, 1), category="sale")
    assert q2_sale[0]["value_disposed"] == 12000 and q2_sale[0]["plan_share"] == 0.0


def test_joint_filing_counts_for_each_owner_but_once_in_totals(store: Store) -> None:
    report = reports.issuer_report(store, ACME.cik)
    q2 = dt.date(2024, 4, 1)
    for member in (FUND, FUND_GP):
        assert _rows(report.activity, owner_cik=member.cik, period=q2)[0]["shares_acquired"] == 10000
    total = _rows(report.totals, period=q2, category="purchase")[0]
    assert (total["shares_acquired"], total["value_acquired"]) == (1000 + 500 + 10000 + 200 + 150,
                                                                    11000 + 5750 + 120000 + 2400 + 3000)


def test_amendment_replaces_what_it_amends(store: Store) -> None:
    report = reports.issuer_report(store, "acme")  # a ticker in any case
    eve = _rows(report.activity, owner_cik=EVE.cik)
    assert len(eve) == 1 and eve[0]["shares_acquired"] == 150
    assert [p["shares"] for p in _rows(report.history, owner_cik=EVE.cik)] == [150]


def test_holdings_over_time_take_the_last_row_of_each_day_or_period(store: Store) -> None:
    alice = _rows(holdings_over_time(store, Filters(issuer=ACME.cik)), owner_cik=ALICE.cik)
    assert [(p["date"].isoformat(), p["shares"]) for p in alice] == [
        ("2024-01-10", 6000), ("2024-02-15", 7200), ("2024-03-01", 7400), ("2024-03-20", 7300), ("2024-04-20", 6300)]
    report = reports.issuer_report(store, "ACME")  # quarter by quarter
    assert [(p["date"].isoformat(), p["shares"]) for p in _rows(report.history, owner_cik=ALICE.cik)] == [
        ("2024-03-20", 7300), ("2024-04-20", 6300)]
    assert _rows(report.holdings, owner_cik=ALICE.cik)[0]["shares"] == 6300
    assert _rows(report.holdings, owner_cik=FUND.cik)[0]["direct_or_indirect"] == "I"


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_what_is_held_is_each_line_s_last_point_whether_or_not_history_is_asked(store: Store, period: str) -> None:
    for report in (reports.issuer_report(store, "ACME", period=period), reports.owner_report(store, ALICE.cik)):
        last: dict[str, dict] = {}
        for point in holdings_over_time(store, Filters(issuer=report.subject.cik) if report.kind == "issuer"
                                        else Filters(owner=report.subject.cik)):
            last[point["line"]] = point  # a line's points come in date order
        assert sorted(report.holdings, key=lambda p: p["line"]) == sorted(last.values(), key=lambda p: p["line"])
        bare = (reports.issuer_report(store, "ACME", period=period, history=False) if report.kind == "issuer"
                else reports.owner_report(store, ALICE.cik, history=False))
        assert bare.history == [] and bare.holdings == report.holdings  # the same lines, in the same order
        assert bare.activity == report.activity and bare.people == report.people


def test_insiders_with_roles_and_owner_across_issuers(store: Store) -> None:
    people = {p["owner_cik"]: p for p in reports.issuer_report(store, "ACME").people}
    assert len(people) == 9
    assert people[ALICE.cik]["roles"] == ["director", "officer", "ceo"]
    assert people[BOB.cik]["roles"] == ["officer", "cfo"]
    assert people[ALICE.cik]["filings"] == 5 and people[ALICE.cik]["first_period"] == dt.date(2024, 1, 10)
    alice = reports.owner_report(store, "1")
    assert [(i["trading_symbol"], i["roles"]) for i in alice.people] == [("ACME", ["director", "officer", "ceo"]),
                                                                         ("GBX", ["director"])]
    assert {r["period"] for r in _rows(alice.activity, category="purchase")} == {dt.date(2024, 1, 1),
                                                                                 dt.date(2024, 7, 1)}


def test_purchases_screen_newest_first_above_a_value_and_by_role(store: Store) -> None:
    big = screens.trades(store, Filters(min_value=10000), code="P")
    assert [(r["owner_name"], r["value"]) for r in big] == [("Big Fund LP", 120000), ("Jones Bob", 11000),
                                                            ("Smith Alice", 10000)]
    directors = screens.trades(store, Filters(issuer=ACME.cik, roles=frozenset({"director"})), code="P", limit=3)
    assert [r["owner_name"] for r in directors] == ["Evans Eve", "Diaz Dave", "Lee Carol"]


def test_officer_buys_are_ceo_and_cfo_purchases(store: Store) -> None:
    rows = screens.officer_purchases(store, Filters())
    assert [(r["owner_name"], r["transaction_date"].isoformat()) for r in rows] == [
        ("Jones Bob", "2024-05-02"), ("Smith Alice", "2024-03-01"), ("Smith Alice", "2024-01-10")]


def test_sales_screen_marks_10b5_1_plan_sales(store: Store) -> None:
    rows = screens.trades(store, Filters(), code="S")
    assert [(r["owner_name"], r["plan"]) for r in rows] == [("Gold Gina", False), ("Fay Frank", True),
                                                            ("Smith Alice", False), ("Smith Alice", True)]


@pytest.mark.parametrize(("window", "insiders", "expected"), [
    (10, 3, [("2024-05-02", "2024-05-10", 3)]),
    (8, 3, [("2024-05-02", "2024-05-10", 3)]),   # the window is first to last day: 8 days holds three
    (7, 3, [("2024-05-06", "2024-05-13", 3)]),
    (11, 4, [("2024-05-02", "2024-05-13", 4)]),
    (11, 5, []),                                  # the fund and its general partner are one buyer
])
def test_cluster_buys(store: Store, window: int, insiders: int, expected: list[tuple[str, str, int]]) -> None:
    clusters = screens.cluster_buys(store, Filters(issuer=ACME.cik), window=window, min_insiders=insiders)
    assert [(c["start"].isoformat(), c["end"].isoformat(), c["insiders"]) for c in clusters] == expected


def test_cluster_buys_filtered_by_total_value_and_role(store: Store) -> None:
    assert screens.cluster_buys(store, Filters(min_value=136750), window=10) != []
    assert screens.cluster_buys(store, Filters(min_value=136751), window=10) == []
    directors = Filters(roles=frozenset({"director"}))  # Carol, Dave and Eve (Alice's buys are earlier)
    assert [c["insiders"] for c in screens.cluster_buys(store, directors, window=28)] == [3]
    assert screens.cluster_buys(store, directors, window=27) == []


@pytest.mark.parametrize("window", [3, 10, 40])
def test_a_limited_cluster_screen_is_the_first_clusters_of_the_whole(store: Store, window: int) -> None:
    whole = screens.cluster_buys(store, Filters(), window=window, min_insiders=2, limit=None)
    assert len(whole) >= 1
    for limit in range(1, len(whole) + 2):
        assert screens.cluster_buys(store, Filters(), window=window, min_insiders=2, limit=limit) == whole[:limit]


def test_short_swing_from_stored_trades(store: Store) -> None:
    result = reports.short_swing_report(store, ALICE.cik, "ACME")
    assert result.profit == 6400
    assert [(p.purchase_price, p.sale_price, p.shares) for p in result.pairs] == [(10, 15, 300), (10, 12, 700),
                                                                                  (8, 15, 500)]


def test_unknown_issuer_owner_and_role_are_one_line_errors(store: Store) -> None:
    with pytest.raises(AnalyticsError, match="ticker NOPE"):
        reports.issuer_report(store, "NOPE")
    with pytest.raises(AnalyticsError, match="CIK 12345"):
        reports.owner_report(store, "12345")
    with pytest.raises(AnalyticsError, match="no role chairman"):
        Filters(roles=frozenset({"chairman"}))


runner = CliRunner()


def test_cli_short_swing_json_is_exactly_the_contract(url: str) -> None:
    result = runner.invoke(app, ["report", "short-swing", "--owner", "1", "--issuer", "ACME", "--db", url,
                                 "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["profit", "pairs"] and data["profit"] == 6400
    assert data["pairs"][0] == {"purchase_date": "2024-01-10", "purchase_price": 10.0, "sale_date": "2024-02-15",
                                "sale_price": 15.0, "shares": 300.0, "profit": 1500.0}


def test_cli_report_json_csv_table_and_charts(url: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "issuer", "ACME", "--db", url, "-f", "json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["issuer"]["cik"] == ACME.cik and len(data["insiders"]) == 9 and data["activity"]
    for name in ("trading", "holdings"):
        assert (tmp_path / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000
        html = (tmp_path / f"{name}.html").read_text()
        assert "Plotly.newPlot" in html and '<script src="http' not in html  # plotly.js is inside: no network
    assert "Smith Alice" in (tmp_path / "holdings.html").read_text()
    csv_out = runner.invoke(app, ["report", "owner", "1", "--db", url, "-f", "csv", "--period", "year"])
    assert csv_out.exit_code == 0 and csv_out.stdout.splitlines()[0].startswith("owner_cik,owner_name,period")
    table = runner.invoke(app, ["report", "issuer", "ACME", "--db", url], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "Smith Alice" in table.stdout and "$14,000.00" in table.stdout
    # a terminal shows a few rows of each section, the latest periods of activity, and says how many more
    short = runner.invoke(app, ["report", "issuer", "ACME", "--db", url, "--rows", "2"], env={"COLUMNS": "200"})
    periods = sorted({row["period"] for row in data["activity"]})
    assert short.exit_code == 0 and f"{len(data['insiders']) - 2:,} more insiders rows" in short.stdout
    assert f"{len(data['activity']) - 2:,} more activity per quarter rows (earlier)" in short.stdout
    assert periods[-1] in short.stdout and periods[0] not in short.stdout
    assert "more" not in table.stdout  # 40 rows a section by default: all of these


def test_cli_screens(url: str) -> None:
    result = runner.invoke(app, ["screen", "cluster-buys", "--db", url, "-f", "json"])
    assert result.exit_code == 0, result.output
    [cluster] = json.loads(result.stdout)
    assert cluster["trading_symbol"] == "ACME" and cluster["insiders"] == 3 and cluster["value"] == 136750
    sales = runner.invoke(app, ["screen", "sales", "--db", url, "-f", "csv", "--issuer", "ACME", "--limit", "2"])
    lines = sales.stdout.splitlines()
    assert sales.exit_code == 0 and len(lines) == 3 and lines[0].endswith(",plan")
    buys = runner.invoke(app, ["screen", "officer-buys", "--db", url, "-f", "json", "--since", "2024-02-01"])
    assert [r["owner_name"] for r in json.loads(buys.stdout)] == ["Jones Bob", "Smith Alice"]
    purchases = runner.invoke(app, ["screen", "purchases", "--db", url, "--role", "ceo,cfo", "-f", "json"])
    assert len(json.loads(purchases.stdout)) == 3
    missing = runner.invoke(app, ["report", "issuer", "NOPE", "--db", url])
    assert missing.exit_code == 1 and "ticker NOPE" in missing.output and "Traceback" not in missing.output


def _crowded() -> list:
    """Holdings that sort only by their later keys: one name in two cases and with an accent, two
    people of one name, lines without a title or ownership, options with and without an
    expiration date or price, at both issuers."""
    from form4.model import DerivativeHolding, NonDerivativeHolding

    people = [owner(20, "smith alice"), owner(21, "Émile Zola"), owner(22, "Zola"), owner(23, "Zola"), owner(24, "")]
    options = [DerivativeHolding(security_title=t, conversion_or_exercise_price=p, expiration_date=e,
                                 shares_owned_following=10, direct_or_indirect="D")
               for t, p, e in (("Option", 5.0, dt.date(2030, 1, 1)), ("Option", None, None), ("option", 0.0, None),
                               ("Option", 2.5, dt.date(2029, 6, 1)), (None, -1.0, dt.date(2031, 1, 1)))]
    shares = [NonDerivativeHolding(security_title=t, shares_owned_following=100, direct_or_indirect=d,
                                   nature_of_ownership=n)
              for t, d, n in (("Common Stock", "D", None), ("Common Stock", "I", "By Trust"), ("Common Stock", "I", ""),
                              (None, None, None), ("Class B", "D", "Élan fund"))]
    return [form4([person], [trade("2024-09-01", code, 10, 3.0, after=100)], issuer=issuer,
                  holdings=shares, derivative_holdings=options)
            for person, code, issuer in itertools.product(people, ("P", "S"), (ACME, GLOBEX))]


@pytest.mark.parametrize("shown", [1, 3, 10, 1000])
def test_a_report_s_summary_is_the_first_and_latest_rows_of_the_whole(store_url: str, shown: int) -> None:
    with Store(store_url) as writing:
        writing.ingest_filings([*history(), *_crowded()])
    with Store(store_url, read_only=True) as store:
        for whole, summary in ((reports.issuer_report(store, "ACME", history=False),
                                reports.issuer_summary(store, "ACME", rows=shown)),
                               (reports.owner_report(store, "22", period="month", history=False),
                                reports.owner_summary(store, "22", period="month", rows=shown)),
                               (reports.owner_report(store, "1", period="year", history=False),
                                reports.owner_summary(store, "1", period="year", rows=shown))):
            assert summary.subject == whole.subject
            assert summary.people == whole.people[:shown]
            assert summary.activity == whole.activity[-shown:]
            assert summary.holdings == whole.holdings[:shown]
            assert summary.counts == {"people": len(whole.people), "activity": len(whole.activity),
                                      "holdings": len(whole.holdings)}
