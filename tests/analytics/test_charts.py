"""Charts that say what the data says: the PNG's drawn data (read back from the file written by
``report … --out``) and the HTML's plotly data equal the report's numbers; periods are named,
holdings step by date, one line per holding line, and one day alone gets a readable axis."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from form4.analytics.charts import drawn, png_figure, report_charts
from form4.analytics.reports import issuer_report
from form4.cli import app
from form4.store import Store
from tests.analytics.history import history
from tests.conftest import ROOT

runner = CliRunner()


@pytest.fixture
def url(store_url: str) -> str:
    with Store(store_url) as store:
        store.ingest_filings(history())
    return store_url


def plotly_data(html: str) -> list[dict[str, Any]]:
    """The traces a plotly HTML file draws: the JSON of its ``Plotly.newPlot`` call."""
    start = html.index("Plotly.newPlot(")
    start = html.index("[", html.index(",", start))
    traces: list[dict[str, Any]] = json.JSONDecoder().raw_decode(html[start:])[0]
    return traces


def _report(url: str, out: Path, period: str) -> dict[str, Any]:
    result = runner.invoke(app, ["report", "issuer", "ACME", "--db", url, "-f", "json", "--period", period,
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_trading_bars_stand_on_their_period_names(url: str, tmp_path: Path) -> None:
    data = _report(url, tmp_path, "month")
    bought: dict[str, float] = defaultdict(float)
    sold: dict[str, float] = defaultdict(float)
    for row in data["totals"]:
        month = row["period"][:7]
        if row["category"] == "purchase":
            bought[month] += row["value_acquired"]
        elif row["category"] == "sale":
            sold[month] -= row["value_disposed"]
    months = [f"2024-{m:02d}" for m in range(1, 9)]  # every month from the first trade's to the last's
    expected = {"purchases (P)": [bought[m] for m in months], "sales (S)": [sold[m] for m in months]}
    png = {s["name"]: (s["x"], s["y"]) for s in drawn(tmp_path / "trading.png")}
    html = {t["name"]: (t["x"], t["y"]) for t in plotly_data((tmp_path / "trading.html").read_text())}
    for name, values in expected.items():
        assert png[name] == (months, values) and html[name] == (months, values)
    assert bought["2024-05"] == 11000 + 5750 + 120000 + 2400  # the May purchases stand on May
    quarters = _report(url, tmp_path, "quarter")
    assert next(s["x"] for s in drawn(tmp_path / "trading.png")) == ["2024 Q1", "2024 Q2", "2024 Q3"]
    assert quarters["period"] == "quarter"


def test_holdings_step_by_date_one_line_per_holding_line(url: str, tmp_path: Path) -> None:
    data = _report(url, tmp_path, "month")
    lines: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for point in data["history"]:
        lines[point["line"]].append((point["date"], point["shares"]))
    expected = sorted(([d for d, _ in points], [s for _, s in points]) for points in lines.values())
    png = drawn(tmp_path / "holdings.png")
    assert sorted((s["x"], s["y"]) for s in png) == expected
    html = plotly_data((tmp_path / "holdings.html").read_text())
    assert sorted((t["x"], t["y"]) for t in html) == expected
    assert all(t["line"]["shape"] == "hv" and "markers" in t["mode"] for t in html)
    alice = next(s for s in png if s["name"].startswith("Smith Alice: Common Stock"))
    assert alice["x"] == ["2024-01-10", "2024-02-15", "2024-03-20", "2024-04-20"]  # the last of each month


def test_png_marks_every_point_and_one_day_gets_a_readable_axis(store_url: str, tmp_path: Path) -> None:
    filing = ROOT / "examples" / "filings" / "form4-snow.xml"  # every point on one day, 2022-12-13
    assert runner.invoke(app, ["ingest", "--db", store_url, str(filing)]).exit_code == 0
    with Store(store_url, read_only=True) as store:
        charts = {c.name: c for c in report_charts(issuer_report(store, "SNOW"))}
    figure = png_figure(charts["holdings"])
    axes = figure.axes[0]
    low, high = axes.get_xlim()
    assert high - low >= 30  # days: not a 2-millisecond axis
    drawn_lines = [line for line in axes.get_lines() if not line.get_label().startswith("_")]
    assert len(drawn_lines) == 10 and all(line.get_marker() not in (None, "", "None") for line in drawn_lines)
    assert sum(line.get_ydata()[-1] for line in drawn_lines if "Trust" in line.get_label()) == 793488
    from form4.analytics.charts import figure as plotly_figure
    layout = plotly_figure(charts["holdings"]).layout
    first, last = (dt.date.fromisoformat(x[:10]) for x in layout.xaxis.range)
    assert (last - first).days >= 30
    assert plotly_figure(charts["trading"]).layout.xaxis.type == "category"
