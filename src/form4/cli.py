"""The ``form4`` command: thin shells over the library."""

from __future__ import annotations

import csv
import enum
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from form4.errors import ReadError
from form4.model import Filing
from form4.parse import iter_filings
from form4.readers import pdf
from form4.rows import COLUMNS, flat_rows
from form4.writers.terminal import filing_table

app = typer.Typer(help="SEC insider-ownership filings (Forms 3, 4, 5) as typed records.",
                  no_args_is_help=True, add_completion=False)


@app.callback()
def main() -> None:
    """form4: read, store and analyse Forms 3, 4 and 5."""


class OutputFormat(enum.StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    table = "table"


class FailureLog:
    """Reports each failed document on stderr and, when asked, as JSON lines in a file."""

    def __init__(self, errors_path: Path | None, console: Console):
        self.count = 0
        self.console = console
        self.file: TextIO | None = errors_path.open("w", encoding="utf-8") if errors_path else None

    def __call__(self, error: ReadError) -> None:
        self.count += 1
        self.console.print(f"[red]error[/red] {error}", markup=True, highlight=False, soft_wrap=True)
        if self.file is not None:
            self.file.write(json.dumps(error.to_dict()) + "\n")
            self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _warn(filings: Iterator[Filing], console: Console) -> Iterator[Filing]:
    for filing in filings:
        for warning in filing.warnings:
            console.print(f"[yellow]warning[/yellow] {filing.source_name}: {warning.field}: "
                          f"{warning.message}", highlight=False, soft_wrap=True)
        yield filing


@app.command()
def parse(
    paths: Annotated[list[str], typer.Argument(
        help="Files, directories, .zip/.tar/.tar.gz archives; - for stdin.")],
    format: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="Output format.")] = OutputFormat.json,
    errors: Annotated[Path | None, typer.Option(help="Write failed documents here as JSON lines.")] = None,
) -> None:
    """Read filings and print them: one JSON object per filing (json: an array when there are
    several), JSON lines, flat CSV rows (one per transaction or holding), or a table."""
    stderr = Console(stderr=True)
    failures = FailureLog(errors, stderr)
    with _progress(stderr) as progress:
        filings = _warn(_counted(iter_filings(paths, on_error=failures), progress), stderr)
        try:
            _WRITERS[format](filings, sys.stdout)
        finally:
            failures.close()
            pdf.on_ocr_progress(None)
    if failures.count:
        stderr.print(f"{failures.count} document(s) failed", style="red")
        raise typer.Exit(1)


def _progress(console: Console) -> Progress:
    """Documents read so far and, while a scan is OCR'd, its pages (only on a terminal)."""
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal)
    pages = progress.add_task("OCR pages", total=None, visible=False)
    pdf.on_ocr_progress(lambda done, total: progress.update(pages, completed=done, total=total, visible=True))
    return progress


def _counted(filings: Iterator[Filing], progress: Progress) -> Iterator[Filing]:
    task = progress.add_task("filings", total=None)
    for filing in filings:
        progress.advance(task)
        yield filing


def _write_json(filings: Iterator[Filing], out: TextIO) -> None:
    # One filing prints as an object, several as a streamed array.
    first = next(filings, None)
    second = next(filings, None)
    if first is None:
        return
    if second is None:
        out.write(first.to_json(indent=2) + "\n")
        return
    out.write("[\n" + first.to_json(indent=2))
    out.write(",\n" + second.to_json(indent=2))
    for filing in filings:
        out.write(",\n" + filing.to_json(indent=2))
    out.write("\n]\n")


def _write_jsonl(filings: Iterator[Filing], out: TextIO) -> None:
    for filing in filings:
        out.write(filing.to_json() + "\n")


def _write_csv(filings: Iterator[Filing], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for filing in filings:
        writer.writerows({k: _csv_value(v) for k, v in row.items()}
                         for row in flat_rows(filing, footnotes_as_json=True))


def _csv_value(value: object) -> object:
    # 2584.0 reads as a float that was typed by hand; print whole numbers as integers.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _write_table(filings: Iterator[Filing], out: TextIO) -> None:
    console = Console(file=out, width=max(Console(file=out).width, 132))
    for filing in filings:
        console.print(filing_table(filing))


_WRITERS = {OutputFormat.json: _write_json, OutputFormat.jsonl: _write_jsonl,
            OutputFormat.csv: _write_csv, OutputFormat.table: _write_table}


DbOption = Annotated[str | None, typer.Option("--db", help="form4.duckdb (default), a DuckDB path or postgresql://…",
                                              envvar="FORM4_DB", show_envvar=True)]


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


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, .zip/.tar/.tar.gz archives; - for stdin.")],
    db: DbOption = None,
    batch: Annotated[int, typer.Option(help="Filings per transaction.")] = 5000,
) -> None:
    """Read filings and store them: idempotent (a filing already stored is left as it is),
    one transaction per batch; what cannot be read goes to the quarantine table."""
    from form4.store import Store

    stderr = Console(stderr=True)
    with Store(db) as store, _progress(stderr) as progress:
        task = progress.add_task("ingest", total=None)
        report = store.ingest(paths, batch=batch, progress=lambda n: progress.advance(task, n))
        summary = store.query(_SUMMARY, format="arrow").to_pylist()
    for error in report.errors:
        stderr.print(f"[red]quarantined[/red] {error}", highlight=False, soft_wrap=True)
    console = Console()
    console.print(f"{report.documents} documents: {report.new} new filings, {report.already_stored} already "
                  f"stored, {report.quarantined} quarantined — store {store.url}", highlight=False)
    _print_rows(summary, QueryFormat.table, console)


_SUMMARY = """
SELECT (SELECT count(*) FROM filings) AS filings, (SELECT count(*) FROM reporting_owners) AS owners,
       t.transaction_code AS code, count(*) AS transactions
FROM transactions t GROUP BY t.transaction_code ORDER BY count(*) DESC, t.transaction_code
"""


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run, e.g. \"SELECT * FROM transactions LIMIT 5\".")],
    db: DbOption = None,
    format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
) -> None:
    """Run SQL against the store (the views transactions, holdings, filings and their current_ forms)."""
    from form4.store import Store

    with Store(db) as store:
        rows = store.query(sql, format="arrow").to_pylist()
    _print_rows(rows, format, Console())


@app.command()
def export(
    db: DbOption = None,
    view: Annotated[View, typer.Option(help="The flat view to export.")] = View.transactions,
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.csv,
    out: Annotated[Path | None, typer.Option(help="Output file; standard output when left out (not Parquet).")] = None,
) -> None:
    """Export a flat view as CSV, JSON lines or Parquet, or the whole store as an SEC data set zip."""
    from form4.store import Store

    with Store(db) as store:
        try:
            count = store.export(out, view=view.value, format=format.value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    if out is not None:
        Console(stderr=True).print(f"{count} rows written to {out}", highlight=False)


@app.command("import-sec-dataset")
def import_sec_dataset(
    zip_path: Annotated[Path, typer.Argument(help="A quarterly YYYYqN_form345.zip.")],
    db: DbOption = None,
) -> None:
    """Load one SEC Insider Transactions Data Set into the store."""
    from form4.store import Store

    with Store(db) as store:
        new = store.import_sec_dataset(zip_path)
    Console().print(f"{new} new filings from {zip_path}", highlight=False)


def _print_rows(rows: list[dict[str, object]], format: QueryFormat, console: Console) -> None:
    if format is QueryFormat.json:
        sys.stdout.write(json.dumps(rows, default=str, indent=2) + "\n")
    elif format is QueryFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else [], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        from rich.table import Table

        table = Table(*(rows[0] if rows else []))
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row.values()))
        console.print(table)
