"""The ``validate`` command: each filing's diagnostics for a person (a table or one line each)
or as JSON (thin over ``form4.validation``). Registered on ``form4.cli.app``."""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from form4.cli.app import command, is_quiet, unwrapped_console
from form4.cli.options import PathsArgument
from form4.cli.output import FailureLog
from form4.inputs import iter_documents

if TYPE_CHECKING:  # the rules bring in the holiday calendars: imported when the command runs
    from form4.validation import Diagnostic


class ValidateFormat(enum.StrEnum):
    table = "table"
    lines = "lines"
    json = "json"
    jsonl = "jsonl"


Results = list[tuple[str, list["Diagnostic"]]]
_STYLE = {"error": "red", "warning": "yellow", "info": "blue"}  # by Severity, a str enum


def _as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"not a day (YYYY-MM-DD): {value!r}") from None


def _codes(values: Sequence[str] | None, option: str) -> tuple[str, ...]:
    """``--select L5,C1 --select O301`` -> ("L5", "C1", "O301"): codes or their prefixes, each
    naming at least one rule (a misspelt code would select nothing and pass every filing)."""
    from form4.validation import RULES

    codes = tuple(c.strip().upper() for v in values or () for c in v.split(",") if c.strip())
    unknown = [c for c in codes if not any(rule.startswith(c) for rule in RULES)]
    if unknown:
        families = ", ".join(dict.fromkeys(code[0] for code in RULES))
        raise typer.BadParameter(f"no rule {', '.join(map(repr, unknown))}: the codes are {', '.join(RULES)} "
                                 f"(or their first letters: {families}; docs/validation.md)", param_hint=option)
    return codes


@command()
def validate(
    ctx: typer.Context,
    paths: PathsArgument,
    format: Annotated[ValidateFormat, typer.Option("--format", "-f", help="Output format.")] = ValidateFormat.table,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="YYYY-MM-DD: judge a filing without a filing date as if filed that day (deadlines, "
        "dates in the future).")] = None,
    select: Annotated[list[str] | None, typer.Option(
        help="Only these codes, or codes starting so (L5, C1; comma-separated or repeated).")] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Leave out these codes or prefixes.")] = None,
    schema: Annotated[bool, typer.Option(
        "--schema", help="Instead: check each ownership XML document (bare, or inside an EDGAR submission) "
        "against the SEC's XML schema for its form and schema version; one line per problem: FILE: PATH: "
        "message (--format json/jsonl for JSON).")] = False,
) -> None:
    """Check filings: transaction codes, share balances, dates, owners and signatures, prices, deadlines.

    Each finding has a stable code (docs/validation.md), a severity (error, warning, info), the field by its record
    path and a message. json: a list of {source, diagnostics}; jsonl: one such object per line; lines: one line per
    finding; table: for a person. Prices are compared across all the filings given. A document that cannot be
    read is reported on standard error and the others are still checked. The exit status is 1 when any error was
    found or any document failed, else 0 (warnings and info alone).
    """
    if schema:
        _validate_schemas(ctx, paths, format)
        return
    from form4.validation import validate_many

    day = _as_of(as_of)
    chosen, left_out = _codes(select, "'--select'"), _codes(ignore, "'--ignore'")
    stderr = unwrapped_console(stderr=True)
    failures = FailureLog(None, stderr)
    from form4.parse import read_documents  # the readers load with the commands that read

    filings = list(read_documents(iter_documents(paths), on_error=failures))
    results: Results = [
        (filing.source_name or "<unnamed>",
         [d for d in found if (not chosen or d.code.startswith(chosen)) and not d.code.startswith(left_out or ("~",))])
        for filing, found in zip(filings, validate_many(filings, as_of=day), strict=True)]
    _WRITERS[format](results, sys.stdout)
    if format in (ValidateFormat.table, ValidateFormat.lines) and not is_quiet(ctx):
        stderr.print(_summary(results, failures.count), highlight=False)
    errors = any(d.severity == "error" for _, found in results for d in found)
    if errors or failures.count:
        raise typer.Exit(1)


def _validate_schemas(ctx: typer.Context, paths: list[str], format: ValidateFormat) -> None:
    """``validate --schema``: each document's schema errors; exit 1 when any is invalid or unread."""
    from form4.validation.schema import document_schema_errors

    stderr = unwrapped_console(stderr=True)
    failures = FailureLog(None, stderr)
    checked = invalid = 0
    for doc in iter_documents(paths):
        if doc.error is not None:
            failures(doc.error)
            continue
        errors = document_schema_errors(doc.data, source=doc.name)
        checked, invalid = checked + 1, invalid + bool(errors)
        if format in (ValidateFormat.json, ValidateFormat.jsonl):
            entry = {"source": doc.name, "valid": not errors,
                     "errors": [{"path": e.path, "line": e.line, "message": e.message} for e in errors]}
            sys.stdout.write(json.dumps(entry) + "\n")  # JSON lines either way: a batch streams
        else:
            sys.stdout.writelines(f"{e}\n" for e in errors)
    if not is_quiet(ctx):
        unread = f", {failures.count} could not be read" if failures.count else ""
        stderr.print(f"{checked} document(s): {checked - invalid} valid, {invalid} invalid{unread}", highlight=False)
    if invalid or failures.count:
        raise typer.Exit(1)


def _summary(results: Results, failed: int) -> str:
    counts = {s: sum(d.severity == s for _, found in results for d in found) for s in _STYLE}
    unread = f", {failed} document(s) could not be read" if failed else ""
    return (f"{len(results)} filing(s): {counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} info{unread}")


def _entry(source: str, found: list[Diagnostic]) -> dict[str, object]:
    return {"source": source, "diagnostics": [d.to_dict() for d in found]}


def _write_json(results: Results, out: TextIO) -> None:
    out.write(json.dumps([_entry(*result) for result in results], indent=2) + "\n")


def _write_jsonl(results: Results, out: TextIO) -> None:
    for result in results:
        out.write(json.dumps(_entry(*result)) + "\n")


def _write_lines(results: Results, out: TextIO) -> None:
    for source, found in results:
        for d in found:
            out.write(f"{source}: {d.code} {d.severity} {d.field}: {d.message}\n")


def _write_table(results: Results, out: TextIO) -> None:
    """One table per filing with findings, titled with its file (a clean filing prints nothing)."""
    console = Console(file=out, width=max(Console(file=out).width, 132))
    for source, found in results:
        if not found:
            continue
        table = Table("code", "severity", "field", "message", title=escape(source), title_justify="left",
                      expand=True)
        for d in found:
            table.add_row(d.code, f"[{_STYLE[d.severity]}]{d.severity}[/]", escape(d.field), escape(d.message))
        console.print(table)


_WRITERS = {ValidateFormat.table: _write_table, ValidateFormat.lines: _write_lines,
            ValidateFormat.json: _write_json, ValidateFormat.jsonl: _write_jsonl}
