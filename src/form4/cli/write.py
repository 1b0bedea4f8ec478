"""``form4 write``: filings written out as EDGAR ownership XML (thin over ``form4.writers.xml``).

The input is anything ``form4 parse`` reads, or records as ``form4 parse -f json`` (or ``jsonl``)
prints them. One filing goes to the file ``--xml`` names; several need a folder there, which
gets one document per filing, named by accession number (else by the input's name).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from form4.cli.app import command, fail, is_quiet, unwrapped_console
from form4.cli.options import PathsArgument
from form4.cli.output import FailureLog, warned
from form4.cli.records import STDOUT, Given, filing_stem, given_filings, output_folder, put
from form4.errors import ReadError


@command()
def write(
    ctx: typer.Context,
    paths: PathsArgument,
    xml: Annotated[str, typer.Option(
        "--xml", metavar="PATH", help="The ownership document to write (- for standard output); a folder (one that "
        "exists, or a path ending in /) takes one document per filing, as ACCESSION.xml.", show_default=False)],
    incomplete: Annotated[bool, typer.Option(
        "--incomplete", help="Write documents that break the schema too (a lossy reading, a draft to complete), "
        "each problem shown as a warning.")] = False,
) -> None:
    """Write filings as EDGAR ownership XML (schema X0508), the document a filer submits.

    The inputs are anything form4 parse reads (XML, EDGAR submissions, HTML, PDF, scans, text) or records as form4
    parse -f json or -f jsonl prints them. Every field the record holds is written, in the schema's order, with its
    footnote references; what a record lacks (a value a scan could not read) is left out, never invented. Each
    document is checked against the SEC's schema before it is written: one that breaks it is not written, and each
    problem is a line FILE: PATH: message (--incomplete writes it all the same). One filing per document: inputs
    holding several need --xml to name a folder. A document that cannot be read or written is reported on
    standard error and the others are still written; the exit status is then 1.
    """
    from form4.validation.schema import schema_errors
    from form4.writers.xml import InvalidDocumentError, UnwritableRecordError, to_xml  # lxml loads with this command

    stderr = unwrapped_console(stderr=True)
    failures = FailureLog(None, stderr)
    given = given_filings(paths, failures)
    folder = output_folder(xml)
    written = 0
    try:
        targets = _into_folder(given, folder) if folder else _into_one(given, xml, paths)
        for record, target in targets:
            for filing in warned(iter([record.filing]), stderr, is_quiet(ctx)):
                try:
                    document = to_xml(filing, check=not incomplete)
                except UnwritableRecordError as exc:
                    failures(ReadError(exc.message, source=record.source, field=record.field(exc.field)))
                    continue
                except InvalidDocumentError as exc:
                    for problem in exc.problems:
                        failures(ReadError(problem.message, source=record.source, field=problem.path))
                    continue
                if incomplete and not is_quiet(ctx):
                    for problem in schema_errors(document):
                        stderr.print("[yellow]warning[/yellow] " + escape(f"{record.source}: {problem.path}: "
                                     f"{problem.message}"), highlight=False, soft_wrap=True)
                put(document, target)
                written += 1
    finally:
        failures.close()
    if not written and not failures.count:
        fail(f"{', '.join(paths)}: no filing found, nothing written")
    if written and not is_quiet(ctx) and xml != STDOUT:
        place = f"to {folder}" if folder else f"as {xml}"
        stderr.print(f"wrote {written} ownership document{'s' if written != 1 else ''} {place}", highlight=False)
    if failures.count:
        raise typer.Exit(1)


def _into_one(filings: Iterator[Given], xml: str, paths: list[str]) -> Iterator[tuple[Given, str]]:
    # Both filings are looked for before anything is written: a second one found after the first
    # document was written would leave a file that passes for the whole input.
    first, second = next(filings, None), next(filings, None)
    if second is not None:
        raise typer.BadParameter(f"{', '.join(paths)} holds several filings and a document holds one: give --xml "
                                 "a folder (a path ending in /) for one document each", param_hint="'--xml'")
    if first is not None:
        yield first, xml


def _into_folder(filings: Iterator[Given], folder: Path) -> Iterator[tuple[Given, str]]:
    taken: set[str] = set()
    for given in filings:
        stem = filing_stem(given.filing)
        name, count = stem, 1
        while name in taken:  # two records of one accession (a JSON array of drafts): neither lost
            count += 1
            name = f"{stem}-{count}"
        taken.add(name)
        yield given, str(folder / f"{name}.xml")


