"""The dashboard's issuer page in chromium: the charts plotly drew hold the report's numbers
(read from the page), one step line per holding line, bars on period names; the holdings table
lists each line of the real SNOW filings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest

from form4.analytics.charts import period_name
from tests.conftest import ROOT
from tests.web.conftest import SHOTS

SNOW = [ROOT / "examples" / "filings" / f"{name}-snow.xml" for name in ("form3", "form4", "form5")]
_TRACES = "name => document.getElementById(name).data.map(t => ({name: t.name, x: t.x, y: t.y}))"


@pytest.fixture
def snow(store_url: str) -> str:
    from typer.testing import CliRunner

    from form4.cli import app

    assert CliRunner().invoke(app, ["ingest", "--db", store_url, *map(str, SNOW)]).exit_code == 0
    return store_url


@pytest.fixture
def page(browser: Any, snow: str, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=server)
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    opened.shot = lambda name: opened.screenshot(path=str(SHOTS / f"{request.node.name}-{name}.png"), full_page=True)
    yield opened
    context.close()
    assert problems == []


def _lines(history: list[dict[str, Any]]) -> list[tuple[list[str], list[float]]]:
    lines: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for point in history:
        count = point["shares"] if point["shares"] is not None else point["underlying_shares"]
        lines[point["line"]].append((point["date"], count))
    return sorted(([d for d, _ in sorted(p)], [c for _, c in sorted(p)]) for p in lines.values())


def _report(page: Any, issuer: str) -> dict[str, Any]:
    """The issuer's report as the server's API gives it (the server holds the store)."""
    answer = page.request.get(f"/api/issuers/{issuer}")
    assert answer.ok
    report: dict[str, Any] = answer.json()
    return report


def test_issuer_page_draws_every_holding_line_at_its_balance(page: Any) -> None:
    report = _report(page, "SNOW")
    page.goto("/issuers/SNOW")
    page.wait_for_selector("#holdings .main-svg")
    traces = page.evaluate(f"({_TRACES})('holdings')")
    largest = sorted(_lines(report["history"]), key=lambda line: -max(line[1]))[:12]  # of nineteen
    assert len(report["holdings"]) == 19 and sorted((t["x"], t["y"]) for t in traces) == sorted(largest)
    drawn = {(tuple(t["x"]), tuple(t["y"])) for t in traces}
    assert (("2022-12-13",), (577218,)) in drawn and (("2020-09-15",), (134018,)) in drawn
    assert all(y > 0 for t in traces for y in t["y"])
    text = page.locator("table").last.inner_text()
    for shares in ("577,218", "178,947", "151,188", "125,737", "134,018", "2,219,299"):
        assert shares in text
    assert text.count("Trust") >= 8 + 2 + 4
    page.shot("snow")


def test_issuer_page_trading_bars_are_named_by_period(page: Any) -> None:
    report = _report(page, "ACME")
    page.goto("/issuers/ACME")
    page.wait_for_selector("#trading .main-svg")
    traces = {t["name"]: t for t in page.evaluate(f"({_TRACES})('trading')")}
    purchases = {period_name(dt.date.fromisoformat(r["period"]), "quarter"): r["value_acquired"]
                 for r in report["totals"] if r["category"] == "purchase"}
    assert dict(zip(traces["purchases (P)"]["x"], traces["purchases (P)"]["y"], strict=True)) == \
        {name: purchases.get(name, 0.0) for name in traces["purchases (P)"]["x"]}
    assert traces["purchases (P)"]["x"] == ["2024 Q1", "2024 Q2", "2024 Q3"]
    holdings = page.evaluate(f"({_TRACES})('holdings')")
    assert sorted((t["x"], t["y"]) for t in holdings) == _lines(report["history"])
    page.shot("acme")
