"""The commands that answer questions over the store: ``report`` (issuer, owner, short-swing)
and ``screen`` (purchases, sales, officer-buys, cluster-buys). Thin shells over
``form4.analytics``; registered on ``form4.cli.app``."""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from form4.cli.app import app, command, group, made_folder, unwrapped_console
from form4.cli.options import CikArgument, DbOption, RoleOption, cik_value
from form4.writers.csv import write_csv
from form4.writers.terminal import result_table

if TYPE_CHECKING:
    from form4.analytics.reports import Report, Summary
    from form4.analytics.scope import Filters

report_app = group("Reports over the store: an issuer's insiders, an insider's issuers, 16(b) profit.")
screen_app = group("Screens over the store: large purchases and sales, officer buys, cluster buys.")
app.add_typer(report_app, name="report")
app.add_typer(screen_app, name="screen")


class Format(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Period(enum.StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table for a person; json or csv for scripts.")]
DateOption = Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="A day, YYYY-MM-DD (included).")]
PeriodOption = Annotated[Period, typer.Option(help="The period activity is summed over.")]
OutOption = Annotated[Path | None, typer.Option(help="Write the charts here, each as PNG and interactive HTML.")]
IssuerOption = Annotated[str | None, typer.Option(help="Only this issuer: a ticker or a CIK.")]
MinValueOption = Annotated[float | None, typer.Option(min=0, help="Only trades of at least this many dollars.")]
LimitOption = Annotated[int, typer.Option(min=1, help="At most this many rows, newest first.")]
RowsOption = Annotated[int, typer.Option("--rows", min=1, help=(
    "With -f table, at most this many rows of each section (the latest periods of activity); -f json and "
    "csv give them all."))]


def _filters(db: Any, *, issuer: str | None = None, since: dt.datetime | None = None,
             until: dt.datetime | None = None, min_value: float | None = None,
             roles: Sequence[str] | None = None) -> Filters:
    from form4.analytics import scope

    return scope.Filters(issuer=scope.issuer_cik(db, issuer) if issuer else None,
                         since=since.date() if since else None, until=until.date() if until else None,
                         min_value=min_value, roles=frozenset(r.strip() for r in roles or () for r in r.split(",")))


def _store(db: str | None) -> Any:
    from form4.store import Store

    return Store(db, read_only=True)


# --- report -----------------------------------------------------------------------------------

@command("issuer", group=report_app)
def report_issuer(
    issuer: Annotated[str, typer.Argument(help="A ticker (AAPL) or a CIK.")],
    db: DbOption = None,
    since: DateOption = None,
    until: DateOption = None,
    period: PeriodOption = Period.quarter,
    format: FormatOption = Format.table,
    out: OutOption = None,
    rows: RowsOption = 40,
) -> None:
    """An issuer's insider activity: its insiders and their roles; per owner and period, shares and dollars
    bought and sold, open-market purchases (P) and sales (S) apart from grants, tax withholding (F), exercises and
    gifts, with the share of sales under Rule 10b5-1 plans; and what each insider holds, over time.

    Amendments are applied. -f csv prints the activity rows; --out DIR writes the charts (trading.png/.html,
    holdings.png/.html).
    """
    from form4.analytics import reports

    with _store(db) as store:
        filters = _filters(store, since=since, until=until)
        report: Report | Summary = (
            reports.issuer_summary(store, issuer, filters, period=period.value, rows=rows) if _summed(format, out)
            else reports.issuer_report(store, issuer, filters, period=period.value,
                                     history=_shows_history(format, out)))
    _show_report(report, format, out, rows)


@command("owner", group=report_app)
def report_owner(
    owner: CikArgument,
    db: DbOption = None,
    since: DateOption = None,
    until: DateOption = None,
    period: PeriodOption = Period.quarter,
    format: FormatOption = Format.table,
    out: OutOption = None,
    rows: RowsOption = 40,
) -> None:
    """An insider's activity across every issuer they report at: the same as report issuer, per issuer."""
    from form4.analytics import reports

    with _store(db) as store:
        filters = _filters(store, since=since, until=until)
        report: Report | Summary = (
            reports.owner_summary(store, owner, filters, period=period.value, rows=rows) if _summed(format, out)
            else reports.owner_report(store, owner, filters, period=period.value,
                                     history=_shows_history(format, out)))
    _show_report(report, format, out, rows)


@command("short-swing", group=report_app)
def report_short_swing(
    owner: Annotated[str, typer.Option(help="The insider's CIK.", callback=cik_value)],
    issuer: Annotated[str, typer.Option(help="The issuer: a ticker or a CIK.")],
    db: DbOption = None,
    since: DateOption = None,
    until: DateOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="table, or json for scripts.")] = Format.table,
) -> None:
    """Section 16(b) short-swing profit: the largest total over all pairings of the insider's open-market
    purchases and sales less than six months apart (each share once, no pair at a loss), and its pairs.

    -f json prints exactly {"profit": DOLLARS, "pairs": [{"purchase_date", "purchase_price", "sale_date",
    "sale_price", "shares", "profit"}, ...]}.
    """
    from form4.analytics import reports

    with _store(db) as store:
        result = reports.short_swing_report(store, owner, issuer, _filters(store, since=since, until=until))
    data = result.to_dict()
    if format is Format.json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    elif format is Format.csv:
        from form4.analytics import columns as known

        write_csv(data["pairs"], sys.stdout, if_empty=known.SHORT_SWING_PAIRS)
    else:
        console = Console()
        console.print(result_table(_money(data["pairs"]), width=console.width,
                                   title=f"Section 16(b) profit: ${data['profit']:,.2f}"))


def _shows_history(format: Format, out: Path | None) -> bool:
    """Whether the answer shows each holding line over time: in JSON and in the charts; a
    table and the CSV show what is held now."""
    return format is Format.json or out is not None


def _summed(format: Format, out: Path | None) -> bool:
    """Whether the answer is a table alone: the rows it shows are all that is read of the report."""
    return format is Format.table and out is None


def _show_report(report: Report | Summary, format: Format, out: Path | None, most: int) -> None:
    from form4.analytics.holdings import HOLDING_COLUMNS
    from form4.analytics.reports import Summary

    if out is not None and not isinstance(report, Summary):
        from form4.analytics.charts import report_charts, write_charts

        written = write_charts(report_charts(report), made_folder(out))
        unwrapped_console(stderr=True).print(f"charts written: {', '.join(str(p) for p in written)}", highlight=False)
    data = report.to_dict()
    if format is Format.json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    if format is Format.csv:
        from form4.analytics import columns as known

        write_csv(data["activity"], sys.stdout, if_empty=known.ACTIVITY)
        return
    people = "insiders" if report.kind == "issuer" else "issuers"
    # how many rows of each section the whole report has: a summary read only those shown
    counts = data["counts"] if isinstance(report, Summary) else {
        "people": len(data[people]), "activity": len(data["activity"]), "holdings": len(data["holdings"])}
    console = Console()
    subject = data[report.kind]
    console.print(f"[bold]{subject['name'] or subject['cik']}[/bold] (CIK {subject['cik']})"
                  + (f" [{subject['trading_symbol']}]" if subject.get("trading_symbol") else ""), highlight=False)
    who = ("owner_cik", "owner_name") if report.kind == "issuer" else ("issuer_cik", "issuer_name", "trading_symbol")
    for title, section, rows, columns in (
            (people, "people", data[people],
             (*who, "roles", "officer_title", "first_period", "last_period", "filings")),
            (f"activity per {report.period}", "activity", data["activity"],
             ("period", *(("owner_name",) if report.kind == "issuer" else ()), "category", "transactions",
              "shares_acquired", "shares_disposed", "net_shares", "value_acquired", "value_disposed", "plan_share")),
            ("holdings (latest)", "holdings", data["holdings"],
             (*(("owner_name",) if report.kind == "issuer" else ("trading_symbol",)), *HOLDING_COLUMNS))):
        # a terminal shows what a person reads: the activity's latest periods, the others' first rows
        shown = rows[-most:] if title.startswith("activity") else rows[:most]
        console.print(result_table(_money([{c: r.get(c) for c in columns} for r in shown]), title=title,
                                   width=console.width))
        if len(shown) < counts[section]:
            console.print(f"[dim]{counts[section] - len(shown):,} more {title.split(' (')[0]} rows "
                          f"({'earlier' if title.startswith('activity') else 'after these'}): --rows N shows more, "
                          "-f json or csv all[/dim]", highlight=False)


def _money(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Numbers as a person reads them: dollars with cents, shares whole, shares of a total as %."""
    shown: list[dict[str, Any]] = []
    for row in rows:
        shown.append({key: _shown(key, value) for key, value in row.items()})
    return shown


def _shown(key: str, value: Any) -> Any:
    from form4.analytics.scope import shown_dollars, shown_number

    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if not isinstance(value, float):
        return value
    if key == "plan_share":
        return f"{value:.0%}"
    if "value" in key or "price" in key or key == "profit":
        return shown_dollars(value)
    return shown_number(value)


# --- screen -----------------------------------------------------------------------------------

def _screen(rows: list[dict[str, Any]], format: Format, title: str, shown: tuple[str, ...], screen: str) -> None:
    if format is Format.json:
        sys.stdout.write(json.dumps(rows, indent=2, default=str) + "\n")
    elif format is Format.csv:
        from form4.analytics import columns as known

        write_csv(rows, sys.stdout, if_empty=known.SCREENS[screen])
    else:
        console = Console()
        console.print(result_table(_money([{c: r.get(c) for c in shown} for r in rows]), title=title,
                                   width=console.width))


_TRADE_COLUMNS = ("transaction_date", "trading_symbol", "owner_name", "roles", "shares", "price_per_share", "value")


def _trade_screen(name: str, doc: str, title: str, columns: tuple[str, ...], screen: str, **options: Any) -> None:
    """Registers ``screen NAME``: ``form4.analytics.screens.<screen>`` with the filters every
    trade screen takes."""
    def run(db: DbOption = None, min_value: MinValueOption = None, since: DateOption = None,
            until: DateOption = None, issuer: IssuerOption = None, role: RoleOption = None,
            limit: LimitOption = 50, format: FormatOption = Format.table) -> None:
        from form4.analytics import screens

        with _store(db) as store:
            filters = _filters(store, issuer=issuer, since=since, until=until, min_value=min_value, roles=role)
            rows = getattr(screens, screen)(store, filters, limit=limit, **options)
        _screen(rows, format, title, columns, name)

    run.__doc__ = doc
    command(name, group=screen_app)(run)


_trade_screen("purchases", """The latest open-market purchases (code P), newest first: --min-value for the large
    ones; --role, --issuer, --since and --until narrow them. A joint filing's purchase is one row.""",
              "latest open-market purchases", _TRADE_COLUMNS, "trades", code="P")
_trade_screen("sales", """The latest open-market sales (code S), newest first, each saying whether it was made
    under a Rule 10b5-1 plan (plan): --min-value, --role, --issuer, --since and --until narrow them.""",
              "latest open-market sales", (*_TRADE_COLUMNS, "plan"), "trades", code="S")
_trade_screen("officer-buys", """Open-market purchases by a CEO or CFO (read from the officer title: "President &
    CEO", "EVP, Chief Financial Officer", ...), newest first; --role names other roles instead.""",
              "open-market purchases by CEOs and CFOs",
              (*_TRADE_COLUMNS[:3], "officer_title", *_TRADE_COLUMNS[4:]), "officer_purchases")


@command("cluster-buys", group=screen_app)
def cluster_buys(
    db: DbOption = None,
    window: Annotated[int, typer.Option(min=0, help="Days from a cluster's first purchase to its last.")] = 10,
    min_insiders: Annotated[int, typer.Option(min=1, help="Distinct insiders buying.")] = 3,
    min_value: Annotated[float | None, typer.Option(min=0, help="The smallest total value of a cluster.")] = None,
    since: DateOption = None,
    until: DateOption = None,
    issuer: IssuerOption = None,
    role: RoleOption = None,
    limit: LimitOption = 50,
    format: FormatOption = Format.table,
) -> None:
    """Cluster buys: at least --min-insiders distinct insiders buying one issuer's shares on the open market (P)
    within --window days, newest first, with their total shares and value and who bought.

    A joint filing counts as one insider. Each purchase is in one cluster at most.
    """
    from form4.analytics import screens

    with _store(db) as store:
        filters = _filters(store, issuer=issuer, since=since, until=until, min_value=min_value, roles=role)
        rows = screens.cluster_buys(store, filters, window=window, min_insiders=min_insiders, limit=limit)
    if format is Format.table:  # who bought, by name: for a person; scripts get the buyers themselves
        rows = [{**row, "buyer_names": [b["owner_name"] for b in row["buyers"]]} for row in rows]
    _screen(rows, format, f"cluster buys: {min_insiders}+ insiders within {window} days",
            ("start", "end", "trading_symbol", "issuer_name", "insiders", "purchases", "shares", "value",
             "buyer_names"), "cluster-buys")
