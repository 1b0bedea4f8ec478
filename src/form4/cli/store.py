"""The store's commands: ``ingest``, ``query``, ``export`` and ``import-sec-dataset``."""

from __future__ import annotations

import contextlib
import enum
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from form4.cli.app import command, fail, is_quiet, made_folder, print_error, store_file, unwrapped_console
from form4.cli.options import DbOption, Engine, EngineOption, PathsArgument, SchedulerOption, WorkersOption
from form4.cli.output import input_task, progress_bars
from form4.errors import QueryError
from form4.inputs import input_bytes
from form4.writers.csv import write_csv
from form4.writers.terminal import result_table

if TYPE_CHECKING:  # the store pulls in the database drivers: only for the commands that use it
    from form4.pipeline import IngestReport
    from form4.store.sec_dataset import SecDatasetReport

class QueryFormat(enum.StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(enum.StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"
    sec_dataset = "sec-dataset"


class View(enum.StrEnum):
    transactions = "transactions"
    holdings = "holdings"
    filings = "filings"
    current_transactions = "current_transactions"
    current_holdings = "current_holdings"
    current_filings = "current_filings"


@command()
def ingest(
    ctx: typer.Context,
    paths: PathsArgument,
    db: DbOption = None,
    batch: Annotated[int, typer.Option(min=1, help="Filings per transaction.")] = 5000,
    engine: EngineOption = Engine.local,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
) -> None:
    """Read filings and store them.

    Idempotent: a filing already stored is left as it is, so running it again after a crash or on overlapping
    inputs stores every filing once. One transaction per batch. What cannot be read goes to the quarantine table,
    the rest is stored, and the exit status is 1. A folder's DuckDB databases are passed over, so the store may
    live among its filings (form4 ingest . --db ./store.duckdb). --engine dask spreads the inputs over a Dask
    cluster (its workers must see the same files); the store ends the same as with the local engine.
    """
    from form4 import pipeline
    from form4.store import Store

    quiet = is_quiet(ctx)
    stderr = unwrapped_console(stderr=True)
    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    for path in missing:
        print_error(stderr, f"{path}: no such file or directory")
    present = [p for p in paths if p not in missing]
    if not present:
        raise typer.Exit(1)
    store_folder(db)
    with Store(db) as store, progress_bars(stderr, quiet=quiet) as progress:
        update = input_task(progress, "ingest", input_bytes(present))
        report = pipeline.ingest(store, present, batch=batch, progress=update, workers=workers,
                                 engine="dask" if engine is Engine.dask else "local", scheduler=scheduler)
        summary = [] if quiet else store.query(_SUMMARY, format="arrow").to_pylist()  # printed only when not quiet
    for error in report.errors:
        stderr.print(f"[red]quarantined[/red] {escape(str(error))}", highlight=False, soft_wrap=True)
    if not quiet:
        unwrapped_console().print(ingest_line(report), highlight=False)
        console = Console()
        console.print(result_table(summary, title=f"the store {_masked(store.url)} now holds", width=console.width))
    failed = len(missing) + report.quarantined
    if failed:
        stderr.print(f"{failed} input(s) failed: " + ", ".join(filter(None, (
            f"{len(missing)} not found" if missing else "",
            f"{report.quarantined} quarantined (form4 query \"SELECT source_path, message FROM quarantine\")"
            if report.quarantined else ""))), style="red", highlight=False, soft_wrap=True)
        raise typer.Exit(1)


def ingest_line(report: IngestReport) -> str:
    readings = ""
    if report.duplicates:  # the same filing read from another form (its XML, a PDF, a scan…)
        better = f" ({report.upgraded} more exact, kept instead)" if report.upgraded else ""
        readings = f"{report.duplicates} other readings of stored filings{better}, "
    return (f"{report.documents} documents: {report.new} new filings, {readings}{report.already_stored} already "
            f"stored, {report.quarantined} quarantined")


# Per form type, so that a store of Form 3s (holdings only) shows what it holds.
_SUMMARY = """
SELECT f.form_type AS form, count(*) AS filings, coalesce(sum(r.transactions), 0) AS transactions,
       coalesce(sum(r.holdings), 0) AS holdings
FROM filings f LEFT JOIN (
    SELECT accession_number, count(*) FILTER (WHERE kind = 'transaction') AS transactions,
           count(*) FILTER (WHERE kind = 'holding') AS holdings
    FROM security_rows GROUP BY accession_number) r ON r.accession_number = f.accession_number
GROUP BY f.form_type ORDER BY f.form_type
"""


def _masked(url: str) -> str:
    from form4.store.engines import masked

    return masked(url)


@command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run, e.g. \"SELECT * FROM transactions LIMIT 5\".")],
    db: DbOption = None,
    format: Annotated[QueryFormat, typer.Option("--format", "-f", help="Output format.")] = QueryFormat.table,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="NAME=VALUE, used in the SQL as $NAME (repeat for several).")] = None,
) -> None:
    """Run SQL against the store, read-only.

    SQL sees the views transactions, holdings and filings, their current_ forms (which leave out what later
    amendments replaced) and every table. Nothing is written: DuckDB is opened read-only,
    PostgreSQL runs read-only transactions, and a statement that would write is refused. Several statements
    separated by ; are each run and printed. A wide table is shown one record at a time: -f csv keeps it flat.
    """
    from form4.store import Store
    from form4.store.sql import parameter

    try:
        params = dict(parameter(p) for p in param or [])
    except QueryError as exc:  # a command line it cannot use
        raise typer.BadParameter(str(exc).removeprefix("--param "), param_hint="'--param'") from None
    with Store(db, read_only=True) as store:
        results = [(text, table.column_names, table.to_pylist()) for text, table in store.read(sql, params)]
    if format is QueryFormat.json:
        data: Any = results[0][2] if len(results) == 1 else [{"statement": t, "rows": r} for t, _, r in results]
        sys.stdout.write(json.dumps(data, default=str, indent=2) + "\n")
        return
    console = Console()
    for number, (text, columns, rows) in enumerate(results, 1):
        if len(results) > 1:
            console.print(f"[dim]-- {number}: {' '.join(text.split())}[/dim]", highlight=False, soft_wrap=True)
        if format is QueryFormat.csv:
            write_csv(rows, sys.stdout, columns)
        else:
            console.print(result_table(rows, width=console.width))


@command()
def export(
    db: DbOption = None,
    view: Annotated[View, typer.Option(help="The flat view to export.")] = View.transactions,
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = ExportFormat.csv,
    out: Annotated[Path | None, typer.Option(
        help="Output file; standard output when left out (csv and jsonl only).")] = None,
) -> None:
    """Export a flat view as CSV, JSON lines or Parquet, or the whole store as an SEC data set zip."""
    from form4.store import Store

    with Store(db, read_only=True) as store:  # a missing store is said before any folder is made
        if out is not None:
            made_folder(out.parent)
        if format is ExportFormat.sec_dataset:
            if out is None:
                raise typer.BadParameter("an SEC data set is a zip: give --out")
            _report_dataset(store.export_sec_dataset(out), out)
            return
        try:
            count = store.export(out, view=view.value, format=format.value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    if out is not None:
        unwrapped_console(stderr=True).print(f"{count} rows written to {out}", highlight=False)


def _report_dataset(report: SecDatasetReport, out: Path) -> None:
    """What the data set holds, and what it could not: filings with no accession number (its
    key) and footnote references on fields it has no column for. Neither is a failure."""
    stderr = unwrapped_console(stderr=True)
    stderr.print(f"{report.written} filings written to {out}")
    if report.unwritten:
        shown = ", ".join(u.source_path or u.key for u in report.unwritten[:5])
        more = f" and {len(report.unwritten) - 5} more" if len(report.unwritten) > 5 else ""
        stderr.print(f"[yellow]warning[/yellow] {len(report.unwritten)} filings without an accession number "
                     f"not written (the data set is keyed by it): {shown}{more}")
    if report.footnotes_left_out:
        stderr.print(f"[yellow]warning[/yellow] {report.footnotes_left_out} footnote references on fields the "
                     "data set has no column for were left out")


@command("import-sec-dataset")
def import_sec_dataset(
    zip_path: Annotated[Path, typer.Argument(help="A quarterly YYYYqN_form345.zip.")],
    db: DbOption = None,
) -> None:
    """Load one SEC Insider Transactions Data Set (the quarterly zip) into the store."""
    from form4.store import Store

    if not zip_path.is_file():  # before the store is opened: a misspelt zip makes no empty store
        fail(f"{zip_path}: no such file")
    file = store_file(db)
    existed = file is None or file.exists()
    folders = store_folder(db)
    try:
        with Store(db) as store:
            new = store.import_sec_dataset(zip_path)
    except BaseException:
        if not existed and file is not None:  # a zip it could not load leaves no empty store behind
            _remove_store(file, folders)
        raise
    unwrapped_console().print(f"{new} new filings from {zip_path}", highlight=False)


def store_folder(db: str | None) -> list[Path]:
    """The folder of a DuckDB store the command may create, made as every folder a command writes
    into is; the folders made here, innermost first."""
    file = store_file(db)
    if file is None or str(file) == ":memory:":
        return []
    missing = [p for p in (file.parent, *file.parent.parents) if not p.exists()]
    if missing:
        made_folder(file.parent)
    return missing


def _remove_store(file: Path, folders: list[Path]) -> None:
    """A DuckDB store's file, the write-ahead log DuckDB keeps beside it, and the folders made for them."""
    for path in (file, file.with_name(file.name + ".wal")):
        path.unlink(missing_ok=True)
    for folder in folders:
        with contextlib.suppress(OSError):  # kept when anything else is in it
            folder.rmdir()


