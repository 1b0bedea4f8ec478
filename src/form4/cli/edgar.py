"""The commands that talk to EDGAR: ``download``, ``sync`` and ``watch`` (thin shells over
``form4.edgar`` and ``form4.pipeline``). Registered on ``form4.cli.app``."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import json
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from form4.cli.app import command, is_quiet, made_folder, print_error, unwrapped_console
from form4.cli.options import (
    DbOption,
    Engine,
    EngineOption,
    FormsOption,
    SchedulerOption,
    WorkersOption,
    cik_value,
    forms_of,
)
from form4.cli.store import ingest_line, store_folder
from form4.model import Filing
from form4.rows import flat_rows

DateOption = Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="A day, YYYY-MM-DD.")]


class Via(enum.Enum):  # not a StrEnum: str has a method called index
    index = "index"
    feed = "feed"
    datasets = "datasets"


class WatchFormat(enum.StrEnum):
    table = "table"
    jsonl = "jsonl"


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _bars(console: Console, quiet: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), console=console, transient=True,
                    disable=quiet or not console.is_terminal)


@command()
def download(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="The folder the filings go to, one ACCESSION.txt each.")],
    cik: Annotated[str | None, typer.Option(help="The company (issuer) or person (reporting owner).",
                                            callback=cik_value)] = None,
    ticker: Annotated[str | None, typer.Option(help="The company, by ticker (EDGAR's company_tickers.json).")] = None,
    forms: FormsOption = "3,4,5",
    since: DateOption = None,
    until: DateOption = None,
) -> None:
    """Fetch one company's or one insider's filings from EDGAR into a folder.

    The list comes from the submissions API (every older page included); each filing is its full submission, as
    OUT/ACCESSION.txt. Resumable: a file written is whole (written aside, then renamed), so a rerun fetches only
    what is missing. Needs FORM4_USER_AGENT ("Name you@example.com"); at most 10 requests/s.
    """
    from form4.edgar import EdgarClient, catalog
    from form4.edgar.download import download as fetch_all

    if (cik is None) == (ticker is None):
        raise typer.BadParameter("give --cik or --ticker (one of them)")
    stderr = unwrapped_console(stderr=True)
    made_folder(out)
    with EdgarClient() as client, _bars(stderr, is_quiet(ctx)) as progress:
        number = int(cik) if cik is not None else catalog.ticker_cik(client, ticker or "")
        task = progress.add_task("filings", total=None, rate="")
        report = fetch_all(client, number, out, forms=forms_of(forms), since=_day(since), until=_day(until),
                           progress=lambda done, total: progress.update(task, completed=done, total=total))
    for error in report.failed:
        print_error(stderr, error)
    if not is_quiet(ctx):
        unwrapped_console().print(f"{report.listed} filings of CIK {number}: {report.fetched} fetched, "
                                  f"{report.present} already in {out}, {len(report.failed)} failed", highlight=False)
    if report.failed:
        raise typer.Exit(1)


class _SyncBars:
    """A sync's progress as two bars: days, and the current day's filings with their rate."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.days_task: TaskID = progress.add_task("days", total=None, rate="")
        self.filings_task: TaskID = progress.add_task("filings", total=None, rate="")
        self.start = dt.datetime.now()
        self.total = 0
        self.done_before = 0

    def days(self, total: int) -> None:
        self.progress.update(self.days_task, total=total)

    def day(self, day: dt.date, filings: int) -> None:
        self.done_before = self.total
        self.progress.update(self.filings_task, description=f"filings {day}", completed=0,
                             total=filings or None)

    def filings(self, done: int) -> None:
        self.total = self.done_before + done
        seconds = max((dt.datetime.now() - self.start).total_seconds(), 1e-6)
        self.progress.update(self.filings_task, completed=done, rate=f"{self.total / seconds:,.0f} filings/s")

    def day_done(self, day: dt.date) -> None:
        self.progress.advance(self.days_task)


class _DatasetBars(_SyncBars):
    """A sync by data sets: a bar of quarters (their stage and filings), then the days' bars."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(progress)
        self.quarters_task: TaskID = progress.add_task("quarters", total=None, rate="")
        self.name = ""

    def quarters(self, total: int) -> None:
        self.progress.update(self.quarters_task, total=total)

    def quarter(self, name: str, stage: str) -> None:
        self.name = name
        self.progress.update(self.quarters_task, description=f"quarters: {name} {stage}")

    def quarter_filings(self, done: int) -> None:
        seconds = max((dt.datetime.now() - self.start).total_seconds(), 1e-6)
        self.progress.update(self.quarters_task, description=f"quarters: {self.name} {done:,} filings",
                             rate=f"{done / seconds:,.0f} filings/s")

    def quarter_done(self, name: str) -> None:
        self.start = dt.datetime.now()
        self.progress.advance(self.quarters_task)


@command()
def sync(
    ctx: typer.Context,
    since: Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"], help="The first day, YYYY-MM-DD.")],
    until: DateOption = None,
    forms: FormsOption = "3,4,5",
    db: DbOption = None,
    via: Annotated[Via, typer.Option(help=(
        "index: the daily index, then each filing (one request each); feed: the day's feed archive (one request, "
        "every form's bytes); datasets: the SEC's quarterly data sets (one zip a quarter), the days before the "
        "first and after the newest by daily index."))] = Via.index,
    engine: EngineOption = Engine.local,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    batch: Annotated[int, typer.Option(min=1, help="Filings per transaction.")] = 5000,
) -> None:
    """Store EDGAR's Section 16 filings of a date range: index days, filings, read, stored.

    Resumable, its state in the store: a day is marked synced once all its filings are stored, and what the store
    holds is never fetched again, so a sync killed at any moment continues where it stopped and stores each
    filing once. Amendments (4/A…) are included. A filing that cannot be read is quarantined and the sync goes
    on; a filing that cannot be fetched leaves its day to the next run. Exit status 1 when either happened.
    """
    from form4.edgar import EdgarClient
    from form4.pipeline import sync as syncing
    from form4.store import Store

    first, last = since.date(), _day(until) or dt.date.today()
    if last < first:
        raise typer.BadParameter("--until is before --since")
    stderr = unwrapped_console(stderr=True)
    store_folder(db)
    if via is Via.datasets:
        return _sync_datasets(ctx, first, last, forms, db, batch)
    with EdgarClient() as client, Store(db) as store, _bars(stderr, is_quiet(ctx)) as progress:
        report = syncing.sync(store, client, first, last, forms=forms_of(forms),
                              via="feed" if via is Via.feed else "index",
                              engine="dask" if engine is Engine.dask else "local",
                              scheduler=scheduler, workers=workers, batch=batch, progress=_SyncBars(progress))
    for error in [*report.errors, *report.fetch_errors]:
        stderr.print(f"[red]{'quarantined' if error in report.errors else 'not fetched'}[/red] {error}",
                     highlight=False, soft_wrap=True)
    if not is_quiet(ctx):
        missing = f" ({len(report.days_without_index)} without an index yet)" if report.days_without_index else ""
        unwrapped_console().print(f"{report.days} days listed: {report.days_before} synced before, "
                                  f"{report.days_synced} now, {report.days_left} left for a rerun{missing}; "
                                  f"{report.fetched} fetched; {ingest_line(report)}", highlight=False)
    if report.quarantined or report.fetch_errors:
        raise typer.Exit(1)


def _sync_datasets(ctx: typer.Context, first: dt.date, last: dt.date, forms: str, db: str | None,
                   batch: int) -> None:
    from form4.edgar import EdgarClient
    from form4.pipeline.datasets import sync_datasets
    from form4.store import Store

    stderr = unwrapped_console(stderr=True)
    with EdgarClient() as client, Store(db) as store, _bars(stderr, is_quiet(ctx)) as progress:
        report = sync_datasets(store, client, first, last, forms=forms_of(forms), batch=batch,
                               progress=_DatasetBars(progress))
    for message in report.quarter_errors:
        stderr.print(f"[red]quarter not imported[/red] {message}", highlight=False, soft_wrap=True)
    for error in [*report.errors, *report.fetch_errors]:
        stderr.print(f"[red]{'quarantined' if error in report.errors else 'not fetched'}[/red] {error}",
                     highlight=False, soft_wrap=True)
    if not is_quiet(ctx):
        unwrapped_console().print(
            f"{report.quarters} quarters listed: {report.quarters_before} imported before, "
            f"{report.quarters_imported} now ({report.dataset_filings} filings, {report.dataset_bytes / 1e6:,.1f} MB), "
            f"{len(report.quarter_errors)} failed; {report.days} days by daily index: {report.days_before} synced "
            f"before, {report.days_synced} now, {report.days_left} left for a rerun; {report.fetched} filings "
            f"fetched; {report.requests} requests in {report.seconds:,.1f} s; {ingest_line(report)}", highlight=False)
    if report.quarantined or report.fetch_errors or report.quarter_errors:
        raise typer.Exit(1)


@command()
def watch(
    ctx: typer.Context,
    forms: FormsOption = "3,4,5",
    interval: Annotated[float, typer.Option(min=1.0, help="Seconds between polls of EDGAR's latest filings.")] = 60,
    db: DbOption = None,
    format: Annotated[WatchFormat, typer.Option("--format", "-f", help="table: a line per transaction; jsonl: a "
                                                "JSON object per transaction, for alerts.")] = WatchFormat.table,
    polls: Annotated[int | None, typer.Option(min=1, help="Stop after this many polls (for cron).")] = None,
    catch_up: Annotated[int, typer.Option(min=0, help=(
        "Days back the start-up catches up from the daily index at most (from the newest filing stored); "
        "0: none."))] = 7,
) -> None:
    """Store new Section 16 filings as they appear on EDGAR, and print each new transaction.

    First catches up from EDGAR's daily index: the days from the newest filing stored to today (at most --catch-up
    days back), the filings the store lacks. Then polls the latest-filings feed every --interval seconds, paging
    back until it meets a filing seen before, so a busy minute misses nothing; when the feed no longer reaches
    back that far it catches up from the daily index again. Only Forms 3, 4, 5 and their amendments are fetched
    (the feed's type= matches by prefix: 424B2, 497K... are passed over). A filing listed many times (under its
    issuer and each owner, poll after poll) is stored and printed once. Ctrl-C stops it cleanly.
    """
    from form4.edgar import EdgarClient
    from form4.pipeline.watch import WatchReport
    from form4.pipeline.watch import watch as watching
    from form4.store import Store

    stderr = unwrapped_console(stderr=True)
    console = Console(highlight=False, soft_wrap=True)
    report = WatchReport()
    show = _print_jsonl if format is WatchFormat.jsonl else lambda f: _print_line(console, f)
    notice = (lambda message: None) if is_quiet(ctx) else (lambda message: stderr.print(message, highlight=False))
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop is a Ctrl-C too
    store_folder(db)
    with EdgarClient() as client, Store(db) as store:
        if not is_quiet(ctx):
            stderr.print(f"watching EDGAR for Forms {forms} every {interval:g} s; Ctrl-C stops", highlight=False)
        with contextlib.suppress(KeyboardInterrupt):  # the way to stop it: not a failure
            watching(store, client, forms=forms_of(forms), interval=interval, on_filing=show,
                     on_error=lambda exc: print_error(stderr, exc), on_notice=notice, polls=polls,
                     catch_up_days=catch_up, report=report)
    if not is_quiet(ctx):
        stderr.print(f"{report.polls} polls: {report.new} new filings stored ({report.caught_up} from catching up "
                     f"on the daily index, {report.new - report.caught_up} from the feed; {report.gaps} gaps), "
                     f"{report.quarantined} quarantined", highlight=False)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _transactions(filing: Filing) -> list[dict[str, object]]:
    """The filing's transactions as flat rows (holdings are not news: they are stored, not shown)."""
    return [row for row in flat_rows(filing, footnotes_as_json=True) if row["kind"] == "transaction"]


def _print_jsonl(filing: Filing) -> None:
    for row in _transactions(filing):
        sys.stdout.write(json.dumps(row, default=str) + "\n")
    sys.stdout.flush()  # each line as it lands: read by a pipe


def _print_line(console: Console, filing: Filing) -> None:
    for row in _transactions(filing):
        shares, price = row.get("shares"), row.get("price_per_share")
        amount = f"{shares:>12,.0f}" if isinstance(shares, float) else " " * 12
        at = f" @ {price:,.2f}" if isinstance(price, float) and price else ""
        console.print(f"{row.get('transaction_date') or row.get('period_of_report')}  "
                      f"{row.get('trading_symbol') or '':<6} {str(row.get('owner_name') or '')[:28]:<28} "
                      f"{row.get('transaction_code') or '?'} {row.get('acquired_disposed') or ' '} {amount}{at}  "
                      f"{row.get('security_title') or ''}  [dim]{row['accession_number']}[/dim]")
