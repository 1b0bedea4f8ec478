"""A report's charts, drawn twice from one description: PNG (matplotlib) and HTML (plotly).

Trading is summed per period, so its bars stand on the period's name ("2022 Q4", "2022-12",
"2022"), one place per period from the first to the last, with none skipped. Holdings are
balances on the day a filing gives them: one step line per holding line (both tables; Table
II dashed), each point marked, the level held until the line's next point. The HTML is one
self-contained file with plotly's script inside: it opens without a network. The PNG carries
what it drew (read back from matplotlib's artists) as JSON in its ``form4:drawn`` text chunk:
``drawn(path)`` reads it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from form4.analytics.holdings import series_key
from form4.analytics.reports import Report
from form4.extras import require

MAX_SERIES = 12  # more lines than this is no longer a picture a person can read
_PAD = dt.timedelta(days=30)  # the room around a chart whose points all fall on one day
_BAR_COLOURS = ("#2ca02c", "#d62728")  # purchases green, sales red, in both drawings
_FEWEST_PLACES = 6  # a bar chart is at least this many periods wide
_DRAWN = "form4:drawn"
_MONTHS_PER = {"month": 1, "quarter": 3, "year": 12}
# how a footnote that names a trust or fund usually begins; left out of a legend for room
_HELD_BY = re.compile(r"^(the )?(shares|securities|stock|options?|units|warrants)( are| is)? (held )?(of record )?"
                      r"(directly )?by (the )?", re.IGNORECASE)


@dataclass(frozen=True)
class Series:
    name: str
    x: list[Any]  # period names (bars) or dates (steps)
    y: list[float]
    dashed: bool = False


@dataclass(frozen=True)
class Chart:
    """What to draw: ``kind`` "bars" (one bar per series and period name) or "steps" (a
    balance that holds until the next point)."""

    name: str  # the file name, without extension
    title: str
    y_label: str
    kind: str
    series: list[Series]


def report_charts(report: Report) -> list[Chart]:
    """The open-market dollars bought and sold per period, and the holdings over time."""
    subject = report.subject.name or report.subject.cik
    return [_trading(report, subject), _holdings(report, subject)]


def period_name(start: dt.date, period: str) -> str:
    """A period by its name: "2022-12" (month), "2022 Q4" (quarter), "2022" (year)."""
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def _periods(first: dt.date, last: dt.date, period: str) -> list[dt.date]:
    """Every period's first day from ``first``'s to ``last``'s."""
    step, starts, month = _MONTHS_PER[period], [], first.year * 12 + first.month - 1
    while month <= last.year * 12 + last.month - 1:
        starts.append(dt.date(month // 12, month % 12 + 1, 1))
        month += step
    return starts


def _trading(report: Report, subject: str) -> Chart:
    bought: dict[dt.date, float] = defaultdict(float)
    sold: dict[dt.date, float] = defaultdict(float)
    for row in report.totals:
        if row["category"] == "purchase":
            bought[row["period"]] += row["value_acquired"]
        elif row["category"] == "sale":
            sold[row["period"]] -= row["value_disposed"]
    used = sorted(set(bought) | set(sold))
    periods = _periods(used[0], used[-1], report.period) if used else []
    names = [period_name(p, report.period) for p in periods]
    return Chart("trading", f"{subject}: open-market purchases and sales by {report.period}",
                 "US dollars (sales below zero)", "bars",
                 [Series("purchases (P)", names, [bought.get(p, 0.0) for p in periods]),
                  Series("sales (S)", names, [sold.get(p, 0.0) for p in periods])])


def _holdings(report: Report, subject: str) -> Chart:
    lines: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
    first: dict[str, dict[str, Any]] = {}
    for point in report.history:
        # a Form 3's Table II line counts only the underlying shares: that is its number
        count = point["shares"] if point["shares"] is not None else point["underlying_shares"]
        if count is not None:
            lines[series_key(point)].append((point["date"], count))
            first.setdefault(series_key(point), point)
    biggest = sorted(lines, key=lambda line: -max(y for _, y in lines[line]))[:MAX_SERIES]
    steps = [Series(_label(first[line], report.kind), [x for x, _ in sorted(lines[line])],
                    [y for _, y in sorted(lines[line])], dashed=first[line]["table"] == "derivative")
             for line in biggest]
    derivatives = any(series.dashed for series in steps)
    return Chart("holdings", f"{subject}: holdings by holding line, as reported"
                 + (" (Table II dashed)" if derivatives else ""),
                 "shares" + (" (Table II: derivative securities)" if derivatives else ""), "steps", steps)


def _label(point: dict[str, Any], kind: str) -> str:
    who = point["owner_name"] if kind == "issuer" else point["trading_symbol"] or point["issuer_cik"]
    how = "direct" if point["direct_or_indirect"] == "D" else (point["nature_of_ownership"] or "indirect")
    note = _HELD_BY.sub("", point["ownership_footnote"] or "")
    if note:
        how += f": {note[:48]}…" if len(note) > 48 else f": {note}"
    terms = ""
    if point["table"] == "derivative":
        price = point["conversion_or_exercise_price"]
        expires = point["expiration_date"]
        terms = "".join((f" ${price:,.4g}" if price is not None else "",
                         f" exp. {expires.isoformat()}" if expires is not None else ""))
    return f"{who}: {point['security_title']}{terms} ({how})"


def write_charts(charts: list[Chart], out: Path) -> list[Path]:
    """Each chart as ``NAME.png`` and ``NAME.html`` in ``out`` (made if missing); the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for chart in charts:
        written += [_png(chart, out / f"{chart.name}.png"), _html(chart, out / f"{chart.name}.html")]
    return written


def png_figure(chart: Chart) -> Any:
    """The chart as a matplotlib figure (close it with ``matplotlib.pyplot.close``)."""
    matplotlib = require("matplotlib", "analytics", "charts as PNG")
    matplotlib.use("Agg")  # no display: files only
    pyplot = require("matplotlib.pyplot", "analytics", "charts as PNG")
    ticker = require("matplotlib.ticker", "analytics", "charts as PNG")
    figure, axes = pyplot.subplots(figsize=(11, 5.5 + 0.22 * len(chart.series)), dpi=100)
    if len(chart.series) > 10:  # twelve lines, twelve colours
        axes.set_prop_cycle(color=pyplot.get_cmap("tab20").colors)
    if chart.kind == "bars":
        _bars(axes, chart)
    else:
        _steps(axes, chart)
    axes.set_title(chart.title)
    axes.set_ylabel(chart.y_label)
    axes.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    if any(s.x for s in chart.series):
        # below the plot, where it hides no point
        axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(0, -0.12), frameon=False)
    else:
        axes.text(0.5, 0.5, "nothing to show", ha="center", va="center", transform=axes.transAxes)
    figure.tight_layout()
    return figure


def _bars(axes: Any, chart: Chart) -> None:
    names = chart.series[0].x if chart.series else []
    places = list(range(len(names)))
    for index, series in enumerate(chart.series):
        colour = _BAR_COLOURS[index % len(_BAR_COLOURS)]
        # purchases up, sales down: one place each, they never overlap
        axes.bar(places, series.y, width=0.7, label=series.name, color=colour)
    axes.set_xticks(places, names, rotation=45 if len(names) > 8 else 0, ha="right" if len(names) > 8 else "center")
    room = max(0, _FEWEST_PLACES - len(names)) / 2  # one period's bar is a bar, not the whole chart
    axes.set_xlim(-0.5 - room, len(names) - 0.5 + room)
    axes.axhline(0, color="black", linewidth=0.6)


def _steps(axes: Any, chart: Chart) -> None:
    dates = require("matplotlib.dates", "analytics", "charts as PNG")
    for series in chart.series:
        axes.step(series.x, series.y, where="post", marker="o", markersize=4, label=series.name,
                  linestyle="--" if series.dashed else "-")
    days = [x for s in chart.series for x in s.x]
    if days:
        axes.set_xlim(min(days) - _PAD, max(days) + _PAD)  # one day alone still gets a month each side
    locator = dates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    axes.set_ylim(bottom=0)


def _png(chart: Chart, path: Path) -> Path:
    pyplot = require("matplotlib.pyplot", "analytics", "charts as PNG")
    figure = png_figure(chart)
    try:
        figure.savefig(path, bbox_inches="tight", metadata={_DRAWN: json.dumps(_read_back(figure.axes[0], chart.kind))})
    finally:
        pyplot.close(figure)
    return path


def _read_back(axes: Any, kind: str) -> list[dict[str, Any]]:
    """What matplotlib holds as drawn: per series its label, x (period names or ISO dates) and y."""
    if kind == "bars":
        names = [label.get_text() for label in axes.get_xticklabels()]
        return [{"name": bars.get_label(), "x": [names[round(p.get_x() + p.get_width() / 2)] for p in bars],
                 "y": [float(p.get_height()) for p in bars]} for bars in axes.containers]
    return [{"name": line.get_label(), "x": [_iso(x) for x in line.get_xdata(orig=True)],
             "y": [float(y) for y in line.get_ydata(orig=True)]}
            for line in axes.get_lines() if not line.get_label().startswith("_")]


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def drawn(path: Path) -> list[dict[str, Any]]:
    """What a PNG written here drew: ``[{"name", "x", "y"}, ...]``, read from the file."""
    image = require("PIL.Image", "analytics", "charts as PNG")
    with image.open(path) as opened:
        text = opened.text.get(_DRAWN)
    data: list[dict[str, Any]] = json.loads(text) if text else []
    return data


def _html(chart: Chart, path: Path) -> Path:
    figure(chart).write_html(path, include_plotlyjs=True, full_html=True)
    return path


def figure(chart: Chart) -> Any:
    """The chart as a plotly figure (for a page: ``figure(chart).to_json()``)."""
    graph_objects = require("plotly.graph_objects", "analytics", "charts as HTML")
    drawn_ = graph_objects.Figure()
    for index, series in enumerate(chart.series):
        if chart.kind == "bars":
            drawn_.add_trace(graph_objects.Bar(x=series.x, y=series.y, name=series.name,
                                               marker_color=_BAR_COLOURS[index % len(_BAR_COLOURS)]))
        else:
            drawn_.add_trace(graph_objects.Scatter(x=series.x, y=series.y, name=series.name, mode="lines+markers",
                                                   line={"shape": "hv", "dash": "dash" if series.dashed else "solid"}))
    drawn_.update_layout(title=chart.title, yaxis_title=chart.y_label, barmode="relative", template="plotly_white",
                         legend={"font": {"size": 10}, "orientation": "h", "yanchor": "top", "y": -0.15})
    if chart.kind == "bars":
        # period names, in order: no dates for plotly to guess at; a lone period's bar is a bar
        names = len(chart.series[0].x) if chart.series else 0
        room = max(0, _FEWEST_PLACES - names) / 2
        drawn_.update_xaxes(type="category", range=[-0.5 - room, names - 0.5 + room])
    else:
        days = [x for s in chart.series for x in s.x]
        if days:
            drawn_.update_xaxes(type="date", range=[(min(days) - _PAD).isoformat(), (max(days) + _PAD).isoformat()])
        drawn_.update_yaxes(rangemode="tozero")
    return drawn_
