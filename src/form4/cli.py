"""The ``form4`` command: thin shells over the library.

Every command prints what failed as one line naming the file or the store and the field,
and exits 1 when anything failed (2 for a command line it cannot use).
"""

from __future__ import annotations

import csv
import enum
import functools
import inspect
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar

import typer
from rich import filesize
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from form4 import __version__
from form4.errors import Form4Error, ReadError
from form4.inputs import Document, input_bytes, iter_documents
from form4.model import Filing
from form4.parse import read_documents
from form4.readers.progress import on_ocr_progress
from form4.rows import COLUMNS, flat_rows
from form4.writers.html import render_html
from form4.writers.terminal import filing_table, result_table

if TYPE_CHECKING:  # the store pulls in the database drivers: only for the commands that use it
    from form4.pipeline import IngestReport
    from form4.store.sec_dataset import SecDatasetReport

app = typer.Typer(help="SEC insider-ownership filings (Forms 3, 4, 5) as typed records: read, store, query.",
                  no_args_is_help=True, add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})

F = TypeVar("F", bound=Callable[..., None])


@dataclass
class Options:
    quiet: bool = False


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"form4 {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only results and errors: no progress bars, "
                                        "warnings or summaries.")] = False,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_show_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """form4: read, store and query Forms 3, 4 and 5."""
    ctx.obj = Options(quiet=quiet)


def command(name: str | None = None, *, group: typer.Typer | None = None) -> Callable[[F], F]:
    """A command (of ``app``, or of a ``group`` of it such as ``report``) whose help is its
    docstring with each paragraph on one line (the terminal wraps it), and whose known failures
    print as one line and exit 1, never as a traceback."""
    def register(fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> None:
            try:
                fn(*args, **kwargs)
            except (Form4Error, OSError) as exc:
                _fail(_message(exc))
            except KeyboardInterrupt:
                _fail("interrupted", code=130)
            except Exception as exc:
                if type(exc).__module__.split(".")[0] not in _DATABASE_MODULES:
                    raise  # a bug: its traceback is what a report needs
                from form4.store.engines import one_line

                _fail(f"the database failed: {one_line(exc)}")  # e.g. the server went away mid-ingest

        (group or app).command(name, help=_paragraphs(inspect.getdoc(fn) or ""))(run)
        return fn
    return register


_DATABASE_MODULES = ("duckdb", "_duckdb", "psycopg")


def _paragraphs(doc: str) -> str:
    return "\n\n".join(" ".join(p.split()) for p in doc.split("\n\n"))


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return str(exc)


def _error(console: Console, message: object) -> None:
    """One failure, one line on standard error."""
    console.print(f"[red]error[/red] {escape(str(message))}", highlight=False, soft_wrap=True)  # [x] is no markup


def _fail(message: str, code: int = 1) -> None:
    _error(Console(stderr=True), message)
    raise typer.Exit(code)


def _quiet(ctx: typer.Context) -> bool:
    return isinstance(ctx.obj, Options) and ctx.obj.quiet


class OutputFormat(enum.StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    table = "table"
    html = "html"


class FailureLog:
    """Reports each failed document on stderr and, when asked, as JSON lines in a file."""

    def __init__(self, errors_path: Path | None, console: Console):
        self.count = 0
        self.console = console
        self.file: TextIO | None = errors_path.open("w", encoding="utf-8") if errors_path else None

    def __call__(self, error: ReadError) -> None:
        self.count += 1
        _error(self.console, error)
        if self.file is not None:
            self.file.write(json.dumps(error.to_dict()) + "\n")
            self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def _warn(filings: Iterator[Filing], console: Console, quiet: bool) -> Iterator[Filing]:
    for filing in filings:
        if not quiet:
            for warning in filing.warnings:
                console.print("[yellow]warning[/yellow] " + escape(f"{filing.source_name}: {warning.field}: "
                              f"{warning.message}"), highlight=False, soft_wrap=True)
        yield filing


PathsArgument = Annotated[list[str], typer.Argument(
    help="Files, directories (read recursively), .zip/.tar/.tar.gz archives; - for standard input.")]


@command()
def parse(
    ctx: typer.Context,
    paths: PathsArgument,
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.json,
    errors: Annotated[Path | None, typer.Option(help="Write failed documents here as JSON lines.")] = None,
) -> None:
    """Read filings and print them.

    json: one object per filing (an array when there are several); jsonl: one per line; csv: flat rows, one per
    transaction or holding and owner; table: for a person; html: one filing the way EDGAR shows it. A document
    that fails is reported on standard error, the others are still printed, and the exit status is 1.
    """
    stderr = Console(stderr=True)
    failures = FailureLog(errors, stderr)
    with _progress(stderr, quiet=_quiet(ctx)) as progress:
        documents = _tracked(iter_documents(paths), _input_task(progress, "parse", input_bytes(paths)))
        filings = _warn(read_documents(documents, on_error=failures), stderr, _quiet(ctx))
        try:
            _WRITERS[format](filings, sys.stdout)
        finally:
            failures.close()
            on_ocr_progress(None)
    if failures.count:
        stderr.print(f"{failures.count} document(s) failed", style="red")
        raise typer.Exit(1)


def _progress(console: Console, *, quiet: bool) -> Progress:
    """Progress on a terminal: each task says what it counts in its ``detail`` (documents and
    bytes of the inputs read, or a scan's OCR'd pages); time left where the total is known."""
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                        console=console, transient=True, disable=quiet or not console.is_terminal)
    pages = progress.add_task("OCR", total=None, visible=False, detail="")
    on_ocr_progress(lambda done, total: progress.update(
        pages, completed=done, total=total, visible=True, detail=f"page {done} of {total}"))
    return progress


def _input_task(progress: Progress, name: str, total: int | None) -> Callable[[int, int], None]:
    """A task over the inputs' bytes (a spinner when they cannot be counted, as from standard
    input); the function it returns takes the documents and bytes read so far."""
    task = progress.add_task(name, total=total, detail="")
    size = f" of {filesize.decimal(total)}" if total is not None else ""

    def update(documents: int, position: int) -> None:
        progress.update(task, completed=position,
                        detail=f"{documents:,} documents, {filesize.decimal(position)}{size}")
    return update


def _tracked(documents: Iterator[Document], update: Callable[[int, int], None]) -> Iterator[Document]:
    for count, doc in enumerate(documents, 1):
        update(count, doc.position)
        yield doc


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


def _write_html(filings: Iterator[Filing], out: TextIO) -> None:
    # A page is one document: pages written one after another would not open as one, so
    # several filings are refused before anything is printed.
    first, second = next(filings, None), next(filings, None)
    if second is not None:
        _fail("--format html renders one filing, and these inputs hold more: give one file")
    if first is not None:
        out.write(render_html(first))


_WRITERS = {OutputFormat.json: _write_json, OutputFormat.jsonl: _write_jsonl,
            OutputFormat.csv: _write_csv, OutputFormat.table: _write_table, OutputFormat.html: _write_html}


DbOption = Annotated[str | None, typer.Option(
    "--db", help="The store: a DuckDB file (form4.duckdb when left out) or postgresql://user:password@host/database.",
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


class Engine(enum.StrEnum):
    local = "local"
    dask = "dask"


EngineOption = Annotated[Engine, typer.Option(help="local: this machine's cores; dask: a Dask cluster's workers "
                                              "(pip install 'form4[dask]').")]
SchedulerOption = Annotated[str | None, typer.Option(help="The Dask scheduler's address (tcp://host:8786); "
                                                     "without it --engine dask starts a local cluster.")]
WorkersOption = Annotated[int | None, typer.Option(min=1, help="Processes reading filings (one per core).")]


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

    quiet = _quiet(ctx)
    stderr = Console(stderr=True)
    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    for path in missing:
        _error(stderr, f"{path}: no such file or directory")
    present = [p for p in paths if p not in missing]
    if not present:
        raise typer.Exit(1)
    with Store(db) as store, _progress(stderr, quiet=quiet) as progress:
        update = _input_task(progress, "ingest", input_bytes(present))
        report = pipeline.ingest(store, present, batch=batch, progress=update, workers=workers,
                                 engine="dask" if engine is Engine.dask else "local", scheduler=scheduler)
        summary = [] if quiet else store.query(_SUMMARY, format="arrow").to_pylist()  # printed only when not quiet
    for error in report.errors:
        stderr.print(f"[red]quarantined[/red] {escape(str(error))}", highlight=False, soft_wrap=True)
    if not quiet:
        console = Console()
        console.print(_ingest_line(report), highlight=False)
        console.print(result_table(summary, title=f"the store {_masked(store.url)} now holds", width=console.width))
    failed = len(missing) + report.quarantined
    if failed:
        stderr.print(f"{failed} input(s) failed: " + ", ".join(filter(None, (
            f"{len(missing)} not found" if missing else "",
            f"{report.quarantined} quarantined (form4 query \"SELECT source_path, message FROM quarantine\")"
            if report.quarantined else ""))), style="red", highlight=False, soft_wrap=True)
        raise typer.Exit(1)


def _ingest_line(report: IngestReport) -> str:
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

    params = dict(parameter(p) for p in param or [])
    with Store(db, read_only=True) as store:
        results = [(text, table.to_pylist()) for text, table in store.read(sql, params)]
    if format is QueryFormat.json:
        data: Any = results[0][1] if len(results) == 1 else [{"statement": t, "rows": r} for t, r in results]
        sys.stdout.write(json.dumps(data, default=str, indent=2) + "\n")
        return
    console = Console()
    for number, (text, rows) in enumerate(results, 1):
        if len(results) > 1:
            console.print(f"[dim]-- {number}: {' '.join(text.split())}[/dim]", highlight=False, soft_wrap=True)
        if format is QueryFormat.csv:
            _write_rows_csv(rows, sys.stdout)
        else:
            console.print(result_table(rows, width=console.width))


def _write_rows_csv(rows: list[dict[str, Any]], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [], lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _csv_value(v) for k, v in row.items()} for row in rows)


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

    if out is not None and not out.parent.is_dir():
        _fail(f"{out}: the folder {out.parent} does not exist")
    with Store(db, read_only=True) as store:
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
        Console(stderr=True).print(f"{count} rows written to {out}", highlight=False)


def _report_dataset(report: SecDatasetReport, out: Path) -> None:
    """What the data set holds, and what it could not: filings with no accession number (its
    key) and footnote references on fields it has no column for. Neither is a failure."""
    stderr = Console(stderr=True, highlight=False, soft_wrap=True)
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
        _fail(f"{zip_path}: no such file")
    with Store(db) as store:
        new = store.import_sec_dataset(zip_path)
    Console().print(f"{new} new filings from {zip_path}", highlight=False)


from form4 import cli_analytics, cli_edgar, cli_mirror, cli_validate, cli_web  # noqa: E402  (register their commands)

__all__ = ["app", "cli_analytics", "cli_edgar", "cli_mirror", "cli_validate", "cli_web"]
