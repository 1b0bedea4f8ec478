"""A report's charts, drawn twice from one description: PNG (matplotlib) and HTML (plotly).

The HTML is one self-contained file with plotly's script inside: it opens without a network.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from form4.analytics.holdings import series_key
from form4.analytics.reports import Report
from form4.extras import require

MAX_SERIES = 12  # more lines than this is no longer a picture a person can read
_BAR_DAYS = {"month": 20, "quarter": 60, "year": 250}  # a bar's width, a little under its period


@dataclass(frozen=True)
class Series:
    name: str
    x: list[dt.date]
    y: list[float]


@dataclass(frozen=True)
class Chart:
    """What to draw: ``kind`` "bars" (one bar per series and x) or "steps" (a balance that
    holds until the next point)."""

    name: str  # the file name, without extension
    title: str
    y_label: str
    kind: str
    series: list[Series]
    bar_days: int = 20


def report_charts(report: Report) -> list[Chart]:
    """The open-market dollars bought and sold per period, and the holdings over time."""
    subject = report.subject.name or report.subject.cik
    return [_trading(report, subject), _holdings(report, subject)]


def _trading(report: Report, subject: str) -> Chart:
    bought: dict[dt.date, float] = defaultdict(float)
    sold: dict[dt.date, float] = defaultdict(float)
    for row in report.totals:
        if row["category"] == "purchase":
            bought[row["period"]] += row["value_acquired"]
        elif row["category"] == "sale":
            sold[row["period"]] -= row["value_disposed"]
    periods = sorted(set(bought) | set(sold))
    return Chart("trading", f"{subject}: open-market purchases and sales by {report.period}", "US dollars", "bars",
                 [Series("purchases (P)", periods, [bought[p] for p in periods]),
                  Series("sales (S)", periods, [sold[p] for p in periods])], _BAR_DAYS[report.period])


def _holdings(report: Report, subject: str) -> Chart:
    series: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for point in report.history:
        if point["table"] == "non_derivative":
            series[series_key(point)].append(point)
    biggest = sorted(series.values(), key=lambda points: -max(p["shares"] for p in points))[:MAX_SERIES]
    lines = [Series(_label(points[0], report.kind), [p["date"] for p in points], [p["shares"] for p in points])
             for points in biggest]
    return Chart("holdings", f"{subject}: shares held after each reported transaction", "shares", "steps", lines)


def _label(point: dict[str, Any], kind: str) -> str:
    who = point["owner_name"] if kind == "issuer" else point["trading_symbol"] or point["issuer_cik"]
    how = "direct" if point["direct_or_indirect"] == "D" else (point["nature_of_ownership"] or "indirect")
    return f"{who}: {point['security_title']} ({how})"


def write_charts(charts: list[Chart], out: Path) -> list[Path]:
    """Each chart as ``NAME.png`` and ``NAME.html`` in ``out`` (made if missing); the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for chart in charts:
        written += [_png(chart, out / f"{chart.name}.png"), _html(chart, out / f"{chart.name}.html")]
    return written


def _png(chart: Chart, path: Path) -> Path:
    matplotlib = require("matplotlib", "analytics", "charts as PNG")
    matplotlib.use("Agg")  # no display: files only
    pyplot = require("matplotlib.pyplot", "analytics", "charts as PNG")
    ticker = require("matplotlib.ticker", "analytics", "charts as PNG")
    figure, axes = pyplot.subplots(figsize=(11, 5.5), dpi=100)
    try:
        for series in chart.series:
            if chart.kind == "bars":
                axes.bar(series.x, series.y, width=chart.bar_days, label=series.name)
            else:
                axes.step(series.x, series.y, where="post", label=series.name)
        axes.set_title(chart.title)
        axes.set_ylabel(chart.y_label)
        axes.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
        if any(s.x for s in chart.series):
            axes.legend(fontsize="small", loc="best")
        else:
            axes.text(0.5, 0.5, "nothing to show", ha="center", va="center", transform=axes.transAxes)
        figure.autofmt_xdate()
        figure.tight_layout()
        figure.savefig(path)
    finally:
        pyplot.close(figure)
    return path


def _html(chart: Chart, path: Path) -> Path:
    figure(chart).write_html(path, include_plotlyjs=True, full_html=True)
    return path


def figure(chart: Chart) -> Any:
    """The chart as a plotly figure (for a page: ``figure(chart).to_json()``)."""
    graph_objects = require("plotly.graph_objects", "analytics", "charts as HTML")
    drawn = graph_objects.Figure()
    for series in chart.series:
        if chart.kind == "bars":
            drawn.add_trace(graph_objects.Bar(x=series.x, y=series.y, name=series.name))
        else:
            drawn.add_trace(graph_objects.Scatter(x=series.x, y=series.y, name=series.name, mode="lines+markers",
                                                  line={"shape": "hv"}))
    drawn.update_layout(title=chart.title, yaxis_title=chart.y_label, barmode="relative", template="plotly_white")
    return drawn
