"""``form4 parse``: filings read and printed, in one of several formats."""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console

from form4.cli.app import command, is_quiet, unwrapped_console
from form4.cli.options import PathsArgument
from form4.cli.output import FailureLog, input_task, ocr_task, progress_bars, tracked, warned
from form4.inputs import input_bytes, iter_documents
from form4.model import Filing
from form4.rows import COLUMNS, flat_rows
from form4.writers.csv import write_csv
from form4.writers.html import render_html
from form4.writers.terminal import filing_table


class OutputFormat(enum.StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    table = "table"
    html = "html"



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
    stderr = unwrapped_console(stderr=True)
    failures = FailureLog(errors, stderr)
    with progress_bars(stderr, quiet=is_quiet(ctx)) as progress:
        documents = tracked(iter_documents(paths), input_task(progress, "parse", input_bytes(paths)))
        from form4.parse import read_documents  # the readers load with the commands that read

        filings = warned(read_documents(documents, on_error=failures, ocr_progress=ocr_task(progress)), stderr,
                         is_quiet(ctx))
        try:
            _WRITERS[format](filings, sys.stdout)
        finally:
            failures.close()
    if failures.count:
        stderr.print(f"{failures.count} document(s) failed", style="red")
        raise typer.Exit(1)


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
    write_csv((row for filing in filings for row in flat_rows(filing, footnotes_as_json=True)), out, COLUMNS)


def _write_table(filings: Iterator[Filing], out: TextIO) -> None:
    console = Console(file=out, width=max(Console(file=out).width, 132))
    for filing in filings:
        console.print(filing_table(filing))


def _write_html(filings: Iterator[Filing], out: TextIO) -> None:
    # A page is one document: pages written one after another would not open as one, so
    # several filings are refused before anything is printed.
    first, second = next(filings, None), next(filings, None)
    if second is not None:
        raise typer.BadParameter("html renders one filing, and these inputs hold more: give one file",
                                 param_hint="'--format'")
    if first is not None:
        out.write(render_html(first))


_WRITERS = {OutputFormat.json: _write_json, OutputFormat.jsonl: _write_jsonl,
            OutputFormat.csv: _write_csv, OutputFormat.table: _write_table, OutputFormat.html: _write_html}


